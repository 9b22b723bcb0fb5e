/* tem_filter.c: the seccomp-BPF program erim-tem installs in the child just
 * before exec, generated from the policy table so that the two cannot drift.
 * Order matters: the architecture is checked first (a 32-bit `int $0x80` or
 * any non-x86-64 ABI kills the process, because the syscall numbers below
 * would mean something else), then x32 numbers (nr & __X32_SYSCALL_BIT) are
 * killed, then every number the policy must see returns SECCOMP_RET_TRACE and
 * everything else SECCOMP_RET_ALLOW, so ordinary system calls never stop in
 * the tracer. */
#include "config.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>

#include "tem.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

struct sock_fprog *tem_filter_build(void)
{
	size_t max = 10 + 2 * (tem_nrules + 1), n = 0, i;
	struct sock_filter *f = calloc(max, sizeof *f);
	struct sock_fprog *prog = malloc(sizeof *prog);

	if (!f || !prog) {
		free(f);
		free(prog);
		return NULL;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	/* syscall(-1) is a plain ENOSYS; it is also how a refused call is skipped */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, __X32_SYSCALL_BIT, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	for (i = 0; i <= tem_nrules; i++) {
		long nr = i < tem_nrules ? tem_rules[i].nr : TEM_NR_REGISTER;

		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog->len = (unsigned short)n;
	prog->filter = f;
	return prog;
}
