/* SPDX-License-Identifier: MIT */
/* tem_arg_oracle.c: erim-tem reads a system call's arguments as the
 * caller's kernel will, so no verdict depends on trusted bytes.
 *
 * process_vm_readv ignores protection keys.  Red team 20
 * (rt_truncate_oracle) passed truncate() a path inside trusted memory:
 * erim-tem read it, found that it named a file executable in a traced
 * process and answered EPERM -- for any other name the kernel itself
 * failed the call with EFAULT -- and learned the secret a byte at a time;
 * prlimit64's new limit and sigaltstack's stack_t read from trusted memory
 * were one-bit oracles the same way.  Each call here points into the
 * trusted page, at bytes that would be refused if erim-tem read them.
 *
 * Usage: tem_arg_oracle trusted|untrusted efault|refused
 *   trusted   : the arguments in the trusted page (key denied to the caller)
 *   untrusted : the same bytes copied to untrusted memory (the control: the
 *               rules judge these bytes and refuse them, so the trusted case
 *               shows whether erim-tem read trusted memory)
 *   efault    : every call fails with EFAULT, as without erim-tem
 *   refused   : every call fails with EPERM (erim-tem only)
 * Exit 0: as expected; 1: not; 77: cannot run here (printed why). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_reg.h"

#define NAME "tem_arg_oracle_exe"

static int cpu_pku(void)
{
	unsigned a = 7, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 3) & 1;   /* OSPKE */
}

static void set_pkru(uint32_t v)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xef" : : "a"(v), "c"(0), "d"(0) : "memory");
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX], dir[] = "/tmp/tem_arg_oracleXXXXXX";
	struct rlimit one = { 1, 1 }, inf = { RLIM_INFINITY, RLIM_INFINITY };
	stack_t ss;
	uint8_t *page, *use;
	int in_trusted, want_efault, pkey, bad = 0;
	long reg, r;
	ssize_t n;
	size_t i;
	struct { const char *what; long nr; } calls[] = {
		{ "truncate(path naming a file executable in a traced process)", SYS_truncate },
		{ "prlimit64(0, RLIMIT_CORE, unlimited)", SYS_prlimit64 },
		{ "sigaltstack(a stack in trusted memory)", SYS_sigaltstack },
	};

	if (argc != 3 || (strcmp(argv[1], "trusted") && strcmp(argv[1], "untrusted")) ||
	    (strcmp(argv[2], "efault") && strcmp(argv[2], "refused"))) {
		fprintf(stderr, "usage: %s trusted|untrusted efault|refused\n", argv[0]);
		return 2;
	}
	in_trusted = strcmp(argv[1], "trusted") == 0;
	want_efault = strcmp(argv[2], "efault") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!cpu_pku()) {
		printf("tem_arg_oracle: no protection keys on this CPU (runs in the VM suite)\n");
		return 77;
	}
	/* a file erim-tem knows as executable (this program), under a name the
	 * trusted bytes spell */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 || !mkdtemp(dir) || chdir(dir) != 0) {
		perror("tem_arg_oracle: set-up");
		return 1;
	}
	exe[n] = 0;
	if (symlink(exe, NAME) != 0) {
		perror("tem_arg_oracle: symlink");
		return 1;
	}
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	/* the trusted page: the path, a new RLIMIT_CORE, a stack_t naming the page itself */
	memcpy(page, NAME, sizeof NAME);
	memcpy(page + 1024, &inf, sizeof inf);
	ss.ss_sp = page;
	ss.ss_flags = 0;
	ss.ss_size = 4096;
	memcpy(page + 2048, &ss, sizeof ss);
	memcpy(page + 4096, page, 4096);   /* the untrusted copy */
	setrlimit(RLIMIT_CORE, &one);      /* as erim_init */
	pkey = (int)syscall(SYS_pkey_alloc, 0UL, 0UL);
	if (pkey < 1 || syscall(SYS_pkey_mprotect, page, 4096, PROT_READ | PROT_WRITE, pkey) != 0) {
		perror("tem_arg_oracle: pkey");
		return 1;
	}
	reg = tem_reg(pkey, page, 4096);
	printf("tem_arg_oracle: erim-tem registration %s; arguments in %s memory\n",
	       reg == TEM_REPLY ? "accepted" : "not accepted (not under erim-tem)", in_trusted ? "trusted" : "untrusted");
	if (!want_efault && reg != TEM_REPLY) {
		printf("tem_arg_oracle: FAIL: 'refused' is erim-tem's answer, but the registration was not accepted\n");
		return 1;
	}
	use = in_trusted ? page : page + 4096;
	set_pkru(3u << (2 * pkey));   /* untrusted: the key denied */
	for (i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		errno = 0;
		switch (calls[i].nr) {
		case SYS_truncate: r = syscall(SYS_truncate, use, 0L); break;
		case SYS_prlimit64: r = syscall(SYS_prlimit64, 0L, (long)RLIMIT_CORE, use + 1024, 0L); break;
		default: r = syscall(SYS_sigaltstack, use + 2048, 0L); break;
		}
		set_pkru(0);
		printf("  %s: %ld (%s)\n", calls[i].what, r, r < 0 ? strerror(errno) : "accepted");
		set_pkru(3u << (2 * pkey));
		if (r == 0 || errno != (want_efault ? EFAULT : EPERM))
			bad++;
	}
	set_pkru(0);
	unlink(NAME);
	if (chdir("/") == 0)
		rmdir(dir);
	if (bad) {
		printf("tem_arg_oracle: FAIL: %d of %zu calls did not fail with %s%s\n", bad, sizeof calls / sizeof calls[0],
		       want_efault ? "EFAULT" : "EPERM",
		       want_efault && in_trusted ? " (erim-tem judged bytes read from trusted memory)" : "");
		return 1;
	}
	printf("tem_arg_oracle: ok: every call failed with %s\n", want_efault ? "EFAULT" : "EPERM");
	return 0;
}
