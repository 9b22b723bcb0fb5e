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

/* Write all of S[0..N) to fd 2 without ever blocking: every caller is on
 * its way to stop the process, and nothing may hold the stop up (red team
 * 22: a full pipe; red team 28: a reopen made to fail with EMFILE fell back
 * to a blocking write, and an eventfd, seekable, blocked a direct write).
 * A socket is sent to with MSG_DONTWAIT; anything else is reopened through
 * /proc/self/fd/2 as a description of its own, O_NONBLOCK|O_APPEND, and
 * written there (an anonymous inode reopens without its write), then fd 2's
 * shared offset moves to the end (in a file the next writer comes after the
 * report, not over it).  When the reopen fails the report is lost: fd 2
 * itself is never written.  erim_abort.S's SAY is the same in assembly. */
static inline void erim_sys_write_all(const char *s, size_t n)
{
	static const char self_fd2[] = "/proc/self/fd/2";
	long fd, w;
	int sock;

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
