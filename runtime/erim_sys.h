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
 * its way to stop the process, and a stderr nobody reads (a full pipe)
 * must not hold the stop up (red team 22 saw a stopped process live on,
 * 6.1).  A socket is sent to with MSG_DONTWAIT; a seekable file (a regular
 * file, /dev/null) is written as it is (its shared offset moves on, as the
 * other writers expect); anything else -- a pipe, a FIFO, a terminal -- is
 * reopened through /proc/self/fd/2 as a description of its own, O_NONBLOCK
 * (the shared description's flags stay as they are), and written there;
 * only without that (no procfs, the open refused) fd 2 itself.  What does
 * not fit now is lost.  erim_abort.S's SAY is the same in assembly. */
static inline void erim_sys_write_all(const char *s, size_t n)
{
	static const char self_fd2[] = "/proc/self/fd/2";
	long fd = 2, w;
	int sock;

	w = erim_sys6(SYS_sendto, 2, (long)s, (long)n, 0x40 /* MSG_DONTWAIT */, 0, 0);
	sock = w != -88;      /* ENOTSOCK */
	if (!sock) {
		if (erim_sys3(SYS_lseek, 2, 0, 1 /* SEEK_CUR */) < 0) {
			w = erim_sys3(SYS_open, (long)self_fd2, 01 | 04000 | 0400 | 02000000, 0);
			if (w >= 0)   /* O_WRONLY|O_NONBLOCK|O_NOCTTY|O_CLOEXEC */
				fd = w;
		}
	} else if (w > 0) {
		s += w;
		n -= (size_t)w;
	} else if (w != -4) { /* EINTR */
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
	if (fd != 2)
		erim_sys1(SYS_close, fd);
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
