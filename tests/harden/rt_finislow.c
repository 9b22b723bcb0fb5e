/* SPDX-License-Identifier: MIT */
/* rt_finislow.c: red team 61's finislow as a test -- once erim_fini has
 * wiped the trusted domain, no gate may run trusted code on a stack that
 * untrusted code can write.
 *
 * erim_fini replaces the trusted stacks with fresh plain memory before it
 * closes the gates' PKRU values (the order red team 60b's finiforge needs).
 * In between, a thread's first gate call took the slow path: the gate
 * loaded the trusted PKRU, moved to slot 0's boot stack -- plain memory by
 * then -- and ran the C slow path there (which refused: the runtime is
 * dead) with the trusted key open, its return addresses and locals on a
 * stack any other thread could rewrite.  Now the gate checks the dead flag
 * (keyed) before it touches the boot stack and stops the process without
 * using any stack.
 *
 * Each try is a fresh child: a racer thread that never called a gate waits
 * until the boot stack is plain memory (write(2) of it stops failing with
 * EFAULT: a probe, no protection change) and calls a gate at once, while a
 * watcher thread scans the boot stack area's top 64 KiB for the first non-zero
 * byte (fresh pages are zero: anything there was written by a gate) and the
 * main thread calls erim_fini.  Static-PIE (liberim's tables by name).
 *
 *   rt_finislow mpk [TRIES]   expected: the watcher never sees a frame on
 *                             the boot stack after it became plain memory;
 *                             a try in which the racer's call came inside the
 *                             window ends in liberim's stackless stop
 *   rt_finislow none          control: the watcher sees the slow path's
 *                             frame (a thread's first call, before
 *                             erim_fini: the boot stack is plain memory
 *                             under none) -- the detector works
 * Exit 0 when the expectation holds, 1 when not, 2 on a set-up failure. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_internal.h"

#define NAME "rt_finislow"
#define TRIES 20
#define WATCH_MAX 65536

struct shared {
	volatile int frame;        /* the watcher saw a gate's bytes on the plain boot stack */
	volatile int called;       /* the racer called the gate once the stack was plain */
	volatile int returned;     /* and the call returned (erim_fini had finished) */
	volatile long at;          /* offset below the top of the first byte seen */
};

static struct shared *sh;
static unsigned id_noop;
static int pfd[2];
static uintptr_t boot_top;          /* the top of slot 0's stack area (its thread block, its stack) */
static long WATCH;                  /* bytes watched below boot_top */
static volatile int done, keyed;

static long fs_noop(void *a)
{
	(void)a;
	return 0;
}

static const struct erim_entry fs_entries[] = {
	{ "fs", "fs_noop", fs_noop, ERIM_ENTRY_PUBLIC },
};

/* 8 bytes at P readable with this thread's rights (no fault: the kernel
 * returns EFAULT for a keyed page) */
static int plain(uintptr_t p)
{
	char b[8];

	if (write(pfd[1], (const void *)p, 8) != 8)
		return 0;
	return read(pfd[0], b, 8) == 8;
}

static int boot_plain(void)
{
	return !keyed || (plain(boot_top - 8) && plain(boot_top - WATCH));
}

static void *racer(void *unused)
{
	(void)unused;
	while (!boot_plain() && !done)
		;
	if (done)
		return NULL;
	sh->called = 1;
	erim_gate_call(id_noop, NULL);     /* this thread's first call: the slow path */
	sh->returned = 1;
	return NULL;
}

static void *watcher(void *unused)
{
	const volatile unsigned char *p = (const volatile unsigned char *)(boot_top - WATCH);

	(void)unused;
	while (!boot_plain() && !done)
		;
	for (;;) {
		int last = done;

		for (long i = WATCH - 1; i >= 0; i--)
			if (p[i]) {
				sh->at = WATCH - i;
				sh->frame = 1;
				return NULL;
			}
		if (last)
			return NULL;
	}
}

static int child(void)
{
	pthread_t r, w;
	int rc;

	alarm(60);
	if (pipe(pfd) != 0)
		return 2;
	if (pthread_create(&w, NULL, watcher, NULL) != 0)
		return 2;
	if (pthread_create(&r, NULL, racer, NULL) != 0)
		return 2;
	if (!keyed) {
		/* none: the racer's slow path, before erim_fini, and time for the
		 * watcher to look (erim_fini replaces the stack; on a loaded
		 * machine the watcher may not have run yet) */
		pthread_join(r, NULL);
		for (int i = 0; i < 5000 && !sh->frame; i++)
			usleep(1000);
	} else
		for (volatile int i = 0; i < 100000; i++)
			;
	rc = erim_fini();
	done = 1;
	pthread_join(r, NULL);
	pthread_join(w, NULL);
	printf(NAME ": erim_fini %d; racer called %d, returned %d; frame on the plain boot stack: "
	       "%s\n", rc, sh->called, sh->returned, sh->frame ? "SEEN" : "none");
	return 16;
}

/* the child's stderr (liberim's report), read back from the file it went to */
static void report(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = 0;
}

int main(int argc, char **argv)
{
	int mpk, frames = 0, window = 0, cstop = 0, other = 0, hung = 0, tries, fail;
	char err[4096];

	if (argc < 2 || argc > 3 || (strcmp(argv[1], "mpk") && strcmp(argv[1], "none"))) {
		fprintf(stderr, "usage: %s mpk|none [TRIES]\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	mpk = strcmp(argv[1], "mpk") == 0;
	keyed = mpk;
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	if (erim_register_entries(fs_entries, 1, &id_noop) != 0 || erim_init(NULL) < 0) {
		printf(NAME ": SET-UP FAILED: %s\n", erim_strerror());
		return 2;
	}
	/* slot 0's area from the layout in the read-only page (the slot table
	 * itself is keyed): [guard gap][thread block and stack], top 64 KiB */
	boot_top = (uintptr_t)erim__layout.stacks + erim__layout.stack_size + ERIM_STACK_GAP;
	WATCH = erim__layout.stack_size < WATCH_MAX ? (long)erim__layout.stack_size : WATCH_MAX;
	tries = argc > 2 ? atoi(argv[2]) : (mpk ? TRIES : 1);
	for (int t = 0; t < tries; t++) {
		char path[] = "/tmp/rt_finislow.XXXXXX";
		int efd = mkstemp(path), st;
		pid_t p;

		if (efd < 0)
			return 2;
		unlink(path);
		memset(sh, 0, sizeof *sh);
		fflush(NULL);
		p = fork();
		if (p < 0)
			return 2;
		if (p == 0) {
			dup2(efd, 2);
			_exit(child());
		}
		if (waitpid(p, &st, 0) < 0)
			return 2;
		report(efd, err, sizeof err);
		close(efd);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
			printf(NAME ": SET-UP FAILED in try %d\n", t);
			return 2;
		}
		frames += sh->frame;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM) {
			printf(NAME ": try %d: FAIL: the child hung (SIGALRM after 60 s)\n", t);
			hung++;
			continue;
		}
		if (strstr(err, "a gate was called after erim_fini has wiped"))
			window++;
		else if (strstr(err, "erim_fini has wiped the trusted domain"))
			cstop++;   /* the C slow path's refusal: it ran on the boot stack */
		else if (WIFSIGNALED(st))
			other++;
		printf(NAME ": try %d: child %s %d; racer called the gate %s; frame on the plain "
		       "boot stack: %s%s%.*s", t, WIFSIGNALED(st) ? "killed by signal" : "exited",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
		       !sh->called ? "never" : sh->returned ? "and it returned" : "and was stopped",
		       sh->frame ? "SEEN" : "none", err[0] ? "; stderr: " : "\n", 300, err);
		if (err[0] && err[strlen(err) - 1] != '\n')
			printf("\n");
	}
	printf(NAME " %s: %d tries: frames seen on the plain boot stack %d; stackless stops %d, "
	       "C slow-path refusals %d, other deaths %d, hangs %d\n", argv[1], tries, frames, window,
	       cstop, other, hung);
	if (!mpk) {
		fail = !frames;
		printf(NAME ": %s\n", fail ? "FAIL (control): the slow path's frame was not seen -- "
		                             "the detector shows nothing"
		                           : "ok (control): the watcher sees a gate's frame on a plain "
		                             "boot stack");
	} else {
		/* other deaths are no failure: a call that came after the gates'
		 * PKRU values were closed faults on the still-keyed slot table */
		fail = frames || cstop || hung;
		printf(NAME ": %s\n", frames ? "FAIL: a gate ran trusted code on the boot stack after it "
		                               "became plain memory"
		                      : cstop ? "FAIL: the C slow path ran after erim_fini's wipe"
		                      : hung ? "FAIL: a child hung"
		                      : window ? "ok: every call inside the window was stopped before "
		                                 "the gate touched a stack"
		                               : "ok: no frame seen (the racer never hit the window in "
		                                 "these tries)");
	}
	printf(NAME ": %d passed, %d failed\n", !fail, fail);
	return fail;
}
