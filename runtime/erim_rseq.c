/* SPDX-License-Identifier: MIT */
/* erim_rseq.c: no restartable sequence (rseq) area is ever registered in a
 * protected process.
 *
 * glibc (2.35+) registers every thread's struct rseq inside its TCB, which is
 * untrusted memory.  With an area registered, a preemption or signal while
 * the thread runs trusted code makes the kernel look at the area's rseq_cs
 * (written by untrusted code): if it names a critical section that covers
 * the interrupted instruction, the kernel resumes the thread at the
 * section's abort_ip -- attacker code, with the trusted PKRU still loaded.
 *
 * Closing it per thread on the gate's slow path is not enough: a thread can
 * borrow another thread's idle slot through its TLS slot hint and never pass
 * the slow path (red-team round 6, "rseq_glibc").  So the closure is
 * process-wide and happens once, at erim_init (mpk and mprotect back ends):
 *
 *  1. the initialising thread's area is unregistered (the kernel then writes
 *     cpu_id -1 into it, so glibc's pthread_create no longer asks new threads
 *     to register);
 *  2. a seccomp filter, synchronised to every thread (TSYNC) and inherited by
 *     every later thread, child and exec'd program, answers every rseq system
 *     call -- x86-64, x32 and i386 (int $0x80) numbers -- with EPERM.  A
 *     thread whose creator was tricked into asking for rseq gets glibc's
 *     "rseq registration failed" abort: fail-closed;
 *  3. threads that existed before erim_init may have an area registered that
 *     this thread cannot unregister: erim_init refuses when there are any
 *     while glibc's rseq is on.
 *
 * After that no thread can have an area registered, and the slow path's
 * per-thread proof (erim__rseq_close) has nothing left to do.  Under erim-tem
 * the supervisor does the same (glibc.pthread.rseq=0 at exec, rseq refused)
 * and refuses the tracee's own seccomp filters, so this file installs nothing
 * there and the slow-path proof stays, answered by erim-tem. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim_internal.h"
#include "erim_sys.h"

#define RSEQ_SIG_X86 0x53053053u
#define RSEQ_FLAG_UNREG 1
#ifndef SYS_rseq
#define SYS_rseq 334
#endif
#define RSEQ_I386 386              /* arch/x86/entry/syscalls/syscall_32.tbl */
#define X32_BIT 0x40000000u

static long rseq_sys(uintptr_t area, uint32_t len, int flags)
{
	return erim_sys4(SYS_rseq, (long)area, (long)len, flags, (long)RSEQ_SIG_X86);
}

/* Unregister glibc's area of the calling thread, at UFS + __rseq_offset,
 * whatever length glibc registered it with. */
static void unregister_glibc(uintptr_t ufs)
{
	static const uint32_t lens[] = { 0, 32, 64 };

	if (!erim__ro.rseq_size || !ufs)
		return;
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		uint32_t len = lens[i] ? lens[i] : erim__ro.rseq_size;

		if (rseq_sys(ufs + (uintptr_t)erim__ro.rseq_off, len, RSEQ_FLAG_UNREG) == 0)
			return;
	}
}

/* Trusted, slow path, first call of a thread: NULL when no rseq area is
 * registered for the calling thread, or why not. */
const char *erim__rseq_close(struct erim_slot *s, uintptr_t ufs)
{
	long r;

	if (erim__rseq_sealed)
		return NULL;        /* nothing can be registered in this process */
	unregister_glibc(ufs);
	if (!s->rseq_dummy)
		return NULL;        /* no block (none back end without FSGSBASE) */
	r = rseq_sys(s->rseq_dummy, 32, 0);
	if (r == -ENOSYS)
		return NULL;        /* no rseq in this kernel */
	/* erim-tem refuses every rseq registration after erim_init with EPERM
	 * (and closes rseq itself).  The kernel answers EPERM only when this
	 * very area is registered with another signature -- then unregistering
	 * it with ours fails with EPERM too, not EINVAL (nothing registered). */
	if (r == -EPERM && rseq_sys(s->rseq_dummy, 32, RSEQ_FLAG_UNREG) == -EINVAL)
		return NULL;
	if (r != 0)
		return "this thread has a restartable sequence (rseq) area registered that "
		       "erim could not unregister (%fs moved away from glibc's TCB, or rseq "
		       "registered by untrusted code); trusted code never runs with rseq "
		       "registered";
	if (rseq_sys(s->rseq_dummy, 32, RSEQ_FLAG_UNREG) != 0)
		return "unregistering erim's own rseq proof area failed";
	return NULL;
}

static int install_filter(void)
{
	struct sock_filter f[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~X32_BIT),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rseq, 4, 3),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 2),
		/* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RSEQ_I386, 1, 0),
		/* 8 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 9 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };
	long r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
	if (r < 0)
		return -errno;
	if (r > 0)
		return -EBUSY;      /* thread R could not take the filter */
	return 0;
}

int erim__rseq_seal(char *err, size_t errlen)
{
	uintptr_t tp = (uintptr_t)__builtin_thread_pointer();
	int n, r;

	/* glibc registered its threads iff this one says so (cpu_id >= 0) */
	if (erim__ro.rseq_size && erim__ro.rseq_off &&
	    *(volatile int32_t *)(tp + (uintptr_t)erim__ro.rseq_off + 4) >= 0) {
		n = erim__thread_count();
		if (n != 1) {
			snprintf(err, errlen, "erim_init must run before the program starts threads "
			         "while glibc's rseq is on: %s, and each may have a restartable "
			         "sequence area registered that erim cannot unregister from this "
			         "thread (a critical section laid over trusted code would resume "
			         "it in untrusted code with the trusted PKRU); call erim_init "
			         "first, or start the program with "
			         "GLIBC_TUNABLES=glibc.pthread.rseq=0: refused",
			         n < 0 ? "/proc/self/task cannot be read to count them"
			               : "other threads exist");
			return -EBUSY;
		}
	}
	unregister_glibc(tp);
	r = install_filter();
	if (r < 0) {
		snprintf(err, errlen, "cannot refuse rseq registration process-wide (seccomp "
		         "filter with TSYNC: %s); without it a thread could run trusted code "
		         "with a restartable sequence area registered: refused",
		         r == -EBUSY ? "a thread could not be synchronised" : strerror(-r));
		return r;
	}
	/* the proof: registering an area now fails for this thread */
	if (erim__ro.slots && erim__ro.slots[1].rseq_dummy) {
		uintptr_t area = erim__ro.slots[1].rseq_dummy;

		r = (int)rseq_sys(area, 32, 0);
		if (r != -EPERM) {
			if (r == 0)
				rseq_sys(area, 32, RSEQ_FLAG_UNREG);
			snprintf(err, errlen, "the rseq filter is in place but rseq registration "
			         "answers %d, not EPERM: refused", r);
			return -EPERM;
		}
	}
	erim__rseq_sealed = 1;
	return 0;
}
