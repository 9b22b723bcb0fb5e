/* SPDX-License-Identifier: MIT */
/* ep_statewrite.c: library state in erim's OpenSSL provider, as untrusted
 * code sees it.  The provider's trusted side is a trusted closure
 * (provider/local.am): the copies of libsodium and BearSSL it links in keep
 * their writable data -- libsodium's _misuse_handler, the function pointer
 * sodium_misuse() calls with trusted rights; BearSSL's hash vtables, whose
 * function pointers trusted code follows -- in erim_trusted.
 *
 *     ep_statewrite EXPECT OFFSET
 *
 * loads the provider the way a server does (OPENSSL_CONF names it, and its
 * OSSL_provider_init runs erim_init), finds where erim.so was loaded, and
 * has a forked child, untrusted, overwrite the word at erim.so + OFFSET (an
 * nm offset: the symbols are local).  The parent says whether the write was
 * "stopped" (the child died of a signal or by erim's report) or "written"
 * (the child returned 0), and exits 0 when that is EXPECT. */
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/provider.h>

static uintptr_t erim_so_base;

static int find_erim_so(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	const char *n = info->dlpi_name, *slash = strrchr(n, '/');
	if (strcmp(slash ? slash + 1 : n, "erim.so") != 0)
		return 0;
	erim_so_base = info->dlpi_addr;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "stopped") != 0 && strcmp(argv[1], "written") != 0)) {
		fprintf(stderr, "usage: ep_statewrite stopped|written OFFSET\n");
		return 2;
	}
	char *end;
	unsigned long long off = strtoull(argv[2], &end, 16);
	if (*end || !off) {
		fprintf(stderr, "ep_statewrite: bad offset %s\n", argv[2]);
		return 2;
	}
	if (!OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL) || !OSSL_PROVIDER_available(NULL, "erim")) {
		fprintf(stderr, "ep_statewrite: erim's provider is not loaded (OPENSSL_CONF?)\n");
		ERR_print_errors_fp(stderr);
		return 2;
	}
	dl_iterate_phdr(find_erim_so, NULL);
	if (!erim_so_base) {
		fprintf(stderr, "ep_statewrite: erim.so not found among the loaded objects\n");
		return 2;
	}
	volatile uintptr_t *target = (volatile uintptr_t *)(erim_so_base + (uintptr_t)off);
	printf("erim.so at %#lx, target %p\n", (unsigned long)erim_so_base, (void *)target);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		*target = (uintptr_t)0x4141414141414141ULL;   /* untrusted code */
		printf("child: wrote %#lx\n", (unsigned long)*target);
		fflush(stdout);
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid) {
		perror("waitpid");
		return 2;
	}
	const char *got = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "written" : "stopped";
	if (WIFSIGNALED(st))
		printf("child: killed by signal %d\n", WTERMSIG(st));
	else
		printf("child: exit status %d\n", WEXITSTATUS(st));
	printf("%s (expected %s)\n", got, argv[1]);
	return strcmp(got, argv[1]) == 0 ? 0 : 1;
}
