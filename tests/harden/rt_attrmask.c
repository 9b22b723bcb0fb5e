/* SPDX-License-Identifier: MIT */
/* rt_attrmask.c: red team 19's attr_sigmask as a test -- a thread made through
 * liberim's own pthread_create, with a signal mask in its attribute
 * (pthread_attr_setsigmask_np) and a stack whose top lies a few KiB into the
 * untrusted page above the trusted globals.  glibc installs the attribute's
 * mask before the start routine runs, so before liberim's start_wrap had the
 * thread's signal stack; the thread's first calls ran down across the
 * boundary, the fault (SEGV_PKUERR) was delivered with no signal stack in
 * place, and on Linux 6.12 (frames written with every key enabled) the kernel
 * wrote the frame into the trusted globals.  liberim now passes "every
 * signal blocked" in the attribute and installs its mask in start_wrap, once
 * the stack is in place (runtime/erim_sigstack.c).
 *
 * The stack top is scanned over offsets K into that page (each try a fresh
 * child): too small and the thread crosses with every signal blocked (the
 * kernel kills it), too large and start_wrap claims its stack first.  A
 * second thread counts the zone's non-zero words through a gate.
 *
 *   rt_attrmask mpk    expected: the trusted zone is never written (6.1: the
 *                      hardware; 6.12: liberim) -- the previous liberim
 *                      fails on 6.12
 *   rt_attrmask none   control: the zone is written (the mechanism is real)
 * Exit 0 when the expectation holds, 1 when not, 2 on a set-up failure. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "am_erim.h"
#include "am_trusted.h"

#define ZW 2048
/* the only trusted global: 16 KiB of zeros, the last bytes before the
 * untrusted page that follows the section */
static ERIM_TRUSTED volatile uint64_t zone[ZW];

uint64_t am_dirty_impl(void)
{
	uint64_t n = 0;

	for (int i = 0; i < ZW; i++)
		n += zone[i] != 0;
	return n;
}

/* an ordinary untrusted buffer of the program's (any static array does it):
 * the executable's .bss follows the trusted section, so the untrusted pages
 * right above the trusted globals are this buffer */
static char iobuf[64 * 1024];

/* untrusted globals in .data, not .bss: the thread's stack runs over the
 * .bss page (the page above the trusted section) */
struct shared {
	volatile uint64_t dirty, iters;
	volatile int ready, stop, started;
};
#define DATA __attribute__((section(".data")))
static struct shared *sh DATA = (void *)1;

static void *reader(void *a)
{
	(void)a;
	while (!sh->stop) {
		uint64_t v = am_dirty();

		if (v && !sh->dirty)
			sh->dirty = v;
		if (++sh->iters > 50)
			sh->ready = 1;
	}
	return NULL;
}

static void *thr_fn(void *a)
{
	(void)a;
	sh->started = 1;
	return NULL;
}

static int child(long k, int setmask)
{
	pthread_t rt, at;
	pthread_attr_t attr;
	sigset_t none;
	uintptr_t b = ((uintptr_t)(zone + ZW) + 4095) & ~(uintptr_t)4095;
	size_t size = 256 * 1024;

	if (erim_init(NULL) != 0) {
		fprintf(stderr, "erim_init: %s\n", erim_strerror());
		return 2;
	}
	if (!erim_overlaps_trusted((const void *)(b - 8), 8) ||
	    erim_overlaps_trusted((const void *)b, 16384) || (uintptr_t)iobuf < b ||
	    (uintptr_t)iobuf > b + 4096) {
		fprintf(stderr, "rt_attrmask: the page above the trusted zone is not untrusted\n");
		return 2;
	}
	if (pthread_create(&rt, NULL, reader, NULL) != 0)
		return 2;
	while (!sh->ready)
		;
	pthread_attr_init(&attr);
	if (pthread_attr_setstack(&attr, (void *)(b + (uintptr_t)k - size), size) != 0)
		return 2;
	sigemptyset(&none);
	if (setmask && pthread_attr_setsigmask_np(&attr, &none) != 0)
		return 2;
	if (pthread_create(&at, &attr, thr_fn, NULL) != 0)   /* liberim's interposer */
		return 2;
	/* a frame is written before the start routine runs (or the thread is
	 * killed, and the child with it): once the routine ran, this try is over */
	for (int i = 0; i < 3000000 && !sh->dirty && !sh->started; i++)
		__asm__ volatile("pause");
	for (int i = 0; i < 20000 && !sh->dirty; i++)   /* the reader's last look */
		__asm__ volatile("pause");
	sh->stop = 1;
	_exit(0);   /* no stdio, no join: the .bss page was the thread's stack */
}

int main(int argc, char **argv)
{
	struct utsname u;
	int st = 0, worked = 0, early = 0, claimed = 0, other = 0, mpk;
	long k;

	if (argc != 2 || (strcmp(argv[1], "mpk") && strcmp(argv[1], "none"))) {
		fprintf(stderr, "usage: %s mpk|none\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	mpk = strcmp(argv[1], "mpk") == 0;
	uname(&u);
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	for (k = 4096; k <= 16384 && !worked; k += 64) {
		pid_t pid;

		memset((void *)sh, 0, sizeof *sh);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			iobuf[0] = 1;   /* the program's buffer is in use */
			_exit(child(k, 1));
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
			printf("rt_attrmask: SETUP FAILED\n");
			return 2;
		}
		worked = sh->dirty != 0;
		if (worked)
			printf("rt_attrmask %s (kernel %s): stack top at +%ld above the trusted zone: "
			       "%llu trusted words written, read back through the gate\n", argv[1], u.release, k,
			       (unsigned long long)sh->dirty);
		else if (sh->started)
			claimed++;
		else if (WIFSIGNALED(st))
			early++;
		else
			other++;
	}
	printf("rt_attrmask %s (kernel %s): tries without a write: %d thread ran normally, %d killed "
	       "(crossed with signals blocked, or stopped by liberim), %d other\n", argv[1], u.release,
	       claimed, early, other);
	if (mpk) {
		printf("rt_attrmask mpk: %s\n", worked ? "FAIL: a thread made through liberim's pthread_create had its "
		                                          "signal frame written into the trusted globals"
		                                        : "ok: the trusted zone was never written");
		return worked ? 1 : 0;
	}
	printf("rt_attrmask none: %s\n", worked ? "ok (control): the thread's stack ran into the zone and wrote it"
	                                         : "FAIL (control): the zone was never written -- the test shows nothing");
	return worked ? 0 : 1;
}
