/* SPDX-License-Identifier: MIT */
/* tl_sodium_state.c: libsodium's own writable state, as untrusted code sees
 * it, with and without the trusted closure (erim-trusted-link).  The program
 * links libsodium twice: its trusted side (tl_sodium_trusted.c) as a trusted
 * closure with libsodium.a, its untrusted side (this file) with the shared
 * libsodium.  After erim_init a forked child, untrusted, writes
 *   closure:  the closure's copy of libsodium's _misuse_handler (the
 *             function pointer sodium_misuse() calls; its address is given
 *             as nm offsets of it and of main, since it is a local symbol);
 *   shared:   the last word of the shared libsodium's writable segment (its
 *             .data/.bss, past RELRO).
 * The parent says whether the write was "stopped" (the child died of
 * SIGSEGV) or "written" (it returned), and exits 0 when that is EXPECT.
 *
 *     tl_sodium_state closure EXPECT TARGET_OFFSET MAIN_OFFSET
 *     tl_sodium_state shared EXPECT
 *
 * Before erim_init it checks that the closure's Ed25519 gives the shared
 * library's public key for the same seed (the closure works). */
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "erim.h"

int tls_keypair_impl(unsigned char *pk, unsigned char *sk, const unsigned char *seed);

static uintptr_t shared_rw_end;

static int find_sodium(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size, (void)data;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "libsodium.so"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W))
			shared_rw_end = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
	}
	return 1;
}

int main(int argc, char **argv)
{
	unsigned char seed[crypto_sign_SEEDBYTES], pk1[crypto_sign_PUBLICKEYBYTES], pk2[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	volatile uintptr_t *target;
	const char *mode, *expect, *got;
	int st;
	pid_t pid;

	if (argc < 3 || (strcmp(argv[1], "closure") == 0 && argc < 5)) {
		fprintf(stderr, "usage: %s closure|shared stopped|written [TARGET_OFF MAIN_OFF]\n", argv[0]);
		return 2;
	}
	mode = argv[1], expect = argv[2];
	if (sodium_init() < 0)
		return 2;
	memset(seed, 7, sizeof seed);
	if (tls_keypair_impl(pk1, sk, seed) != 0 || crypto_sign_seed_keypair(pk2, sk, seed) != 0 ||
	    memcmp(pk1, pk2, sizeof pk1) != 0) {
		fprintf(stderr, "the closure's Ed25519 disagrees with the shared libsodium's\n");
		return 1;
	}
	if (strcmp(mode, "closure") == 0) {
		target = (volatile uintptr_t *)((uintptr_t)main - strtoull(argv[4], NULL, 16) +
		                                strtoull(argv[3], NULL, 16));
	} else {
		dl_iterate_phdr(find_sodium, NULL);
		if (!shared_rw_end) {
			fprintf(stderr, "no writable segment of libsodium.so found\n");
			return 2;
		}
		target = (volatile uintptr_t *)((shared_rw_end - sizeof(uintptr_t)) & ~(uintptr_t)7);
	}
	if (erim_init(NULL) != 0) {
		fprintf(stderr, "erim_init: %s\n", erim_strerror());
		return 2;
	}
	printf("%s: untrusted write to libsodium state at %p (backend %s)\n", mode, (void *)target,
	       erim_backend_name(erim_backend()));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		*target = (uintptr_t)0x4141414141414141ull;
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 2;
	got = WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? "stopped"
	    : WIFEXITED(st) && WEXITSTATUS(st) == 0     ? "written" : "other";
	printf("%s: the write was %s (expected %s)\n", mode, got, expect);
	return strcmp(got, expect) == 0 ? 0 : 1;
}
