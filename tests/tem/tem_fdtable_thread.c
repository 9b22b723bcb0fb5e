/* SPDX-License-Identifier: MIT */
/* tem_fdtable_thread.c: a thread with an fd table of its own.  A thread
 * shares its process's memory but not necessarily its fds: clone with
 * CLONE_THREAD (and CLONE_VM, CLONE_SIGHAND) but without CLONE_FILES, or a
 * thread that calls unshare(CLONE_FILES).  /proc/TGID/fd shows only the
 * main thread's table.  Such a thread, made by start-up code, opens the
 * process's memory file read-only and keeps the fd over the registration;
 * afterwards it would read trusted memory through it, protection keys
 * ignored.  erim-tem refuses the open (start-up code gets no memory file,
 * its own included), and would refuse the registration while any task of
 * any traced process held such an fd, in whatever fd table.
 *
 * Usage: tem_fdtable_thread clone|unshare refused|read
 *   clone   : the thread is made by clone(CLONE_VM|CLONE_FS|CLONE_SIGHAND|
 *             CLONE_THREAD|CLONE_SYSVSEM), no CLONE_FILES
 *   unshare : a pthread calls unshare(CLONE_FILES) first
 *   refused : under erim-tem: the thread's open (or else the registration)
 *             fails with EPERM
 *   read    : without erim-tem: the registration answers ENOSYS, the main
 *             thread's table lacks the fd, and the thread reads the secret
 *             through it (the attack works)
 * Exit 0: as expected. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_proto.h"

#define SECRET_BYTE 0x53

static uint8_t *secret;
static int req[2], ans[2];         /* main -> thread, thread -> main */
static volatile int thread_fd = -2, thread_errno;

/* The thread: only raw system calls (the clone mode shares the main
 * thread's TLS, errno included). */
static int thread_main(void *arg)
{
	int unshare_first = *(int *)arg, fd;
	char c;
	uint8_t got[16];

	if (unshare_first && syscall(SYS_unshare, CLONE_FILES) != 0) {
		thread_fd = -3;
		return 0;
	}
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/mem", O_RDONLY);
	thread_errno = fd < 0 ? errno : 0;
	thread_fd = fd;
	while (syscall(SYS_read, req[0], &c, 1) == 1) {
		long n = fd >= 0 ? syscall(SYS_pread64, fd, got, sizeof got, (long)(uintptr_t)secret) : -1;

		if (n != (long)sizeof got)
			memset(got, 0, sizeof got);
		syscall(SYS_write, ans[1], got, sizeof got);
	}
	return 0;
}

static void *pthread_main(void *arg)
{
	thread_main(arg);
	return NULL;
}

static long reg(void)
{
	static struct tem_registration r;

	memset(&r, 0, sizeof r);
	r.version = TEM_VERSION;
	r.pkey = -1;
	r.nranges = 1;
	r.range[0].start = (uintptr_t)secret;
	r.range[0].end = (uintptr_t)secret + 4096;
	return syscall(TEM_NR_REGISTER, TEM_MAGIC, &r, sizeof r);
}

int main(int argc, char **argv)
{
	static int unshare_first;
	int want_refused, in_main;
	uint8_t got[16];
	long rc;

	if (argc != 3 || (strcmp(argv[1], "clone") && strcmp(argv[1], "unshare")) ||
	    (strcmp(argv[2], "refused") && strcmp(argv[2], "read"))) {
		fprintf(stderr, "usage: %s clone|unshare refused|read\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	want_refused = !strcmp(argv[2], "refused");
	unshare_first = !strcmp(argv[1], "unshare");
	secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (secret == MAP_FAILED || pipe(req) != 0 || pipe(ans) != 0)
		return 1;
	memset(secret, SECRET_BYTE, 4096);
	if (unshare_first) {
		pthread_t th;

		if (pthread_create(&th, NULL, pthread_main, &unshare_first) != 0)
			return 1;
	} else {
		size_t sz = 256 * 1024;
		char *stack = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (stack == MAP_FAILED ||
		    clone(thread_main, stack + sz, CLONE_VM | CLONE_FS | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM,
		          &unshare_first) < 0) {
			printf("clone without CLONE_FILES: %s\n", strerror(errno));
			return 1;
		}
	}
	while (thread_fd == -2)
		sched_yield();
	if (thread_fd == -3) {
		printf("unshare(CLONE_FILES) failed in the thread\n");
		return 1;
	}
	if (thread_fd < 0) {
		printf("the thread (%s) could not open /proc/self/mem read-only: %s\n", argv[1], strerror(thread_errno));
		return want_refused && thread_errno == EPERM ? 0 : 1;
	}
	in_main = fcntl(thread_fd, F_GETFD) >= 0;
	printf("start-up thread (%s) holds fd %d = /proc/self/mem (O_RDONLY); the main thread's table %s it\n",
	       unshare_first ? "unshare(CLONE_FILES)" : "clone without CLONE_FILES", thread_fd,
	       in_main ? "has" : "lacks");
	rc = reg();
	printf("registration: %s\n", rc == TEM_REPLY ? "accepted" : strerror(errno));
	if (want_refused) {
		if (rc == -1 && errno == EPERM)
			_exit(0);
		if (rc == TEM_REPLY)
			printf("accepted although a thread keeps the memory file open\n");
	} else if (rc != -1 || errno != ENOSYS) {
		printf("expected ENOSYS (no erim-tem)\n");
		_exit(1);
	}
	if (write(req[1], "r", 1) != 1 || read(ans[0], got, sizeof got) != (ssize_t)sizeof got)
		_exit(1);
	if (got[0] == SECRET_BYTE && got[15] == SECRET_BYTE) {
		printf("after the registration the thread read the secret through its fd (0x%02x)\n", got[0]);
		_exit(want_refused || in_main ? 1 : 0);
	}
	printf("the thread could not read the secret\n");
	_exit(1);
}
