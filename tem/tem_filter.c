/* SPDX-License-Identifier: MIT */
/* tem_filter.c: the seccomp-BPF program erim-tem installs in the child just
 * before exec, generated from the system call table (tem_table.c) so that
 * the two cannot drift.  Order matters: the architecture is checked first (a
 * 32-bit `int $0x80` or any non-x86-64 ABI stops the process, because the
 * numbers below would mean something else), then syscall(-1) is allowed (a
 * plain ENOSYS, and how a refused call is skipped), x32 numbers
 * (nr & __X32_SYSCALL_BIT) stop it too, the registration number traps, and then a
 * binary search over runs of numbers with the same decision: ALLOW rows run
 * at full speed, JUDGE and REFUSE rows trap to the tracer (SECCOMP_RET_TRACE),
 * and every number without a row, above the table or in its holes, fails with
 * ENOSYS: default deny.  The search costs about 2 log2(runs) instructions per
 * call (about 16 for today's table), the same for every number. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "tem.h"
#include "tem_table.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

#define RET_DENY (SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA))
/* A foreign ABI traps with its own data and the tracer SIGKILLs: the
 * filter's own SECCOMP_RET_KILL_PROCESS would end the process with a core
 * dump that no ptrace stop precedes (the kernel's SIGSYS is immutable), and
 * a dump copies trusted memory when RLIMIT_CORE was lowered from outside
 * (tem_crash.c). */
#define RET_FOREIGN (SECCOMP_RET_TRACE | (TEM_TRAP_FOREIGN_ABI & SECCOMP_RET_DATA))

struct run { uint32_t start; uint32_t action; };

static uint32_t action_of(long nr)
{
	const struct tem_sysrow *s = tem_sysrow_for(nr);

	if (!s)
		return RET_DENY;
	/* a judged row in tem_rules[] traps even if the table said allow
	 * (tem_table_check refuses to start then anyway) */
	if (s->kind != TEM_K_ALLOW || tem_rule_next(nr, NULL))
		return SECCOMP_RET_TRACE;
	return SECCOMP_RET_ALLOW;
}

int tem_filter_traps(long nr)
{
	return action_of(nr) == SECCOMP_RET_TRACE;
}

/* Instructions the search over runs [lo, hi) takes. */
static size_t tree_size(size_t lo, size_t hi)
{
	size_t mid;

	if (hi - lo == 1)
		return 1;
	mid = lo + (hi - lo) / 2;
	return 2 + tree_size(lo, mid) + tree_size(mid, hi);
}

/* nr >= runs[mid].start ? right : left, as `jge k, 0, 1; ja left; left; right`. */
static void tree_emit(struct sock_filter *f, size_t *n, const struct run *r, size_t lo, size_t hi)
{
	size_t mid;

	if (hi - lo == 1) {
		f[(*n)++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, r[lo].action);
		return;
	}
	mid = lo + (hi - lo) / 2;
	f[(*n)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, r[mid].start, 0, 1);
	f[(*n)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)tree_size(lo, mid), 0, 0);
	tree_emit(f, n, r, lo, mid);
	tree_emit(f, n, r, mid, hi);
}

/* ioctl traps only for the terminal and console requests (tem_tty.c): the
 * plain numbers of those ranges, unless listed fast; everything else runs.
 * The request is the low 32 bits of the second argument, as the kernel reads
 * it.  A holds the number before and, when the block is skipped, after. */
static size_t ioctl_size(void)
{
	return 4 + tem_ntty_fast + tem_ntty_types + 2;
}

static void ioctl_emit(struct sock_filter *f, size_t *n)
{
	const size_t F = tem_ntty_fast, T = tem_ntty_types;
	const size_t allow = 4 + F + T, trap = allow + 1;   /* indices in the block */
	size_t i, b = *n;

	f[(*n)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, (uint8_t)(ioctl_size() - 1));
	f[(*n)++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]));
	/* bits above 16: not one of the plain numbers */
	f[(*n)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0xffff0000u, (uint8_t)(allow - 3), 0);
	for (i = 0; i < F; i++, (*n)++)   /* at block index 3 + i */
		f[*n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, tem_tty_fast[i],
		                                     (uint8_t)(allow - (*n - b + 1)), 0);
	f[(*n)++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 8);
	for (i = 0; i < T; i++, (*n)++)   /* at block index 4 + F + i */
		f[*n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, tem_tty_types[i],
		                                     (uint8_t)(trap - (*n - b + 1)), 0);
	f[(*n)++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[(*n)++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
}

struct sock_fprog *tem_filter_build(void)
{
	struct sock_filter *f = NULL;
	struct sock_fprog *prog = malloc(sizeof *prog);
	struct run *runs = NULL;
	size_t nruns = 0, n = 0, max;
	long nr, top = tem_syscalls[tem_nsyscalls - 1].nr + 1;

	if (!prog || !(runs = calloc((size_t)top + 2, sizeof *runs)))
		goto fail;
	for (nr = 0; nr <= top; nr++) {   /* number `top` starts the deny run above the table */
		uint32_t a = nr == top ? RET_DENY : action_of(nr);

		if (nruns == 0 || runs[nruns - 1].action != a) {
			runs[nruns].start = (uint32_t)nr;
			runs[nruns].action = a;
			nruns++;
		}
	}
	max = 10 + ioctl_size() + tree_size(0, nruns);
	if (max > BPF_MAXINSNS || !(f = calloc(max, sizeof *f)))
		goto fail;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_FOREIGN);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, __X32_SYSCALL_BIT, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_FOREIGN);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEM_NR_REGISTER, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	ioctl_emit(f, &n);
	tree_emit(f, &n, runs, 0, nruns);
	free(runs);
	prog->len = (unsigned short)n;
	prog->filter = f;
	return prog;
fail:
	free(runs);
	free(f);
	free(prog);
	return NULL;
}
