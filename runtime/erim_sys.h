/* SPDX-License-Identifier: MIT */
/* erim_sys.h: raw system calls for trusted paths.
 *
 * Code that runs with the trusted PKRU (the heap, refusals, fatal errors)
 * must not call libc: a libc call goes through a PLT slot and a GOT entry,
 * and any libc function may read state (errno's TLS address, stdio locks,
 * malloc arenas) that untrusted code can write.  These inline SYSCALL
 * instructions read nothing but their register arguments.  They return the
 * kernel's raw result: -errno on failure. */
#ifndef ERIM_SYS_H
#define ERIM_SYS_H

#include <stddef.h>
#include <sys/syscall.h>

static inline long erim_sys1(long n, long a)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory");
	return r;
}

static inline long erim_sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
	                 : "rcx", "r11", "memory");
	return r;
}

static inline long erim_sys4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
	                 : "rcx", "r11", "memory");
	return r;
}

static inline long erim_sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10),
	                 "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return r;
}

/* The report of a stop: write S[0..N) to fd 2 from a child process, and
 * wait for it about 2 s at most.  Every caller is on its way to stop the
 * process, and nothing untrusted code can do may hold the stop up: red team
 * 22 filled a pipe, red team 28 made the reopen fail (EMFILE) and blocked an
 * eventfd, and red team 30 (rt30_hold) held the pipe's lock with a thread
 * asleep in splice() from an empty socket, so that the reopen itself waited
 * uninterruptibly.  Any lock a thread of the process may hold while asleep
 * (a pipe's, a file's inode lock behind a slow page fault) is such a door,
 * so the report is not made by the stopping thread: a forked child writes
 * it (a copy of the process, single-threaded, every signal blocked, running
 * only this code), and the stopping thread goes on to die when the child is
 * done or the bound (2 s) has passed: one rt_sigtimedwait for SIGCHLD
 * (set back to its default action before the fork, so that the child's
 * exit sends it), with the thread's timer slack set to 1 ns first.  Red
 * team 31a stretched the first version's 400 sleeps of 5 ms without end: a
 * timer slack of 10^18 ns set by untrusted code, or SCHED_IDLE behind busy
 * threads, each sleep waiting long for a CPU; a thread's slack can be
 * changed only by itself (or CAP_SYS_NICE), and one wake-up is all that is
 * left to the scheduler.  A SIGCHLD from another child ends the wait early
 * (the report then follows the stop).  The other threads run on during the
 * wait, and one of them may end the process first (with a status of its
 * choosing).  When the child cannot be started the report is lost and the
 * stop goes on.  In the child: a socket
 * is sent to with MSG_DONTWAIT; anything else only when fd 2 was opened for
 * writing (the reopen must never turn a read-only fd into a write: red team
 * 30's rt30_report wrote core_pattern), reopened through /proc/self/fd/2 as
 * a description of its own, O_NONBLOCK|O_APPEND, and written there, then fd
 * 2's shared offset moves to the end (in a file the next writer comes after
 * the report, not over it).  erim_abort.S's SAY is the same in assembly. */
static inline void erim_sys_report_child(const char *s, size_t n)
{
	static const char self_fd2[] = "/proc/self/fd/2";
	long fd, w, fl;
	int sock;

	fl = erim_sys3(SYS_fcntl, 2, 3 /* F_GETFL */, 0);
	if (fl < 0 || (fl & 010000000 /* O_PATH */) || (fl & 3) == 0 /* O_RDONLY */)
		return;
	w = erim_sys6(SYS_sendto, 2, (long)s, (long)n, 0x40 /* MSG_DONTWAIT */, 0, 0);
	sock = w != -88;      /* ENOTSOCK */
	if (sock) {
		fd = 2;
		if (w > 0) {
			s += w;
			n -= (size_t)w;
		} else if (w != -4) { /* EINTR */
			return;
		}
	} else {
		/* O_WRONLY|O_APPEND|O_NONBLOCK|O_NOCTTY|O_CLOEXEC */
		fd = erim_sys3(SYS_open, (long)self_fd2, 01 | 02000 | 04000 | 0400 | 02000000, 0);
		if (fd < 0)
			return;
	}
	while (n > 0) {
		w = sock ? erim_sys6(SYS_sendto, 2, (long)s, (long)n, 0x40, 0, 0)
		         : erim_sys3(SYS_write, fd, (long)s, (long)n);
		if (w == -4)
			continue;
		if (w <= 0)
			break;
		s += w;
		n -= (size_t)w;
	}
	if (!sock) {
		erim_sys1(SYS_close, fd);
		erim_sys3(SYS_lseek, 2, 0, 2 /* SEEK_END */);
	}
}

/* Leaves every signal blocked in the calling thread: the caller dies next
 * (erim__die unblocks SIGSEGV for its own kill). */
static inline void erim_sys_report(const char *s, size_t n)
{
	static const unsigned long all = ~0ul, chld = 1ul << (17 - 1);
	static const struct { long sec, nsec; } bound = { 2, 0 };
	static const struct { unsigned long handler, flags, restorer, mask; } dfl = { 0, 0, 0, 0 };
	long pid;

	erim_sys4(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)&all, 0, 8);
	erim_sys4(SYS_rt_sigaction, 17 /* SIGCHLD */, (long)&dfl, 0, 8);
	pid = erim_sys6(SYS_clone, 17 /* SIGCHLD: a fork */, 0, 0, 0, 0, 0);
	if (pid == 0) {
		erim_sys_report_child(s, n);
		for (;;)
			erim_sys1(SYS_exit_group, 0);
	}
	erim_sys3(SYS_prctl, 29 /* PR_SET_TIMERSLACK */, 1, 0);
	if (pid > 0)
		erim_sys4(SYS_rt_sigtimedwait, (long)&chld, 0, (long)&bound, 8);
}

/* Byte copies and fills that the compiler cannot turn into libc calls. */
static inline void erim_copy(void *d, const void *s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static inline void erim_fill(void *d, int c, size_t n)
{
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
}

#endif /* ERIM_SYS_H */
