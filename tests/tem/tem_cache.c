/* SPDX-License-Identifier: MIT */
/* tem_cache.c: what erim-tem keeps between and within stops (doc/tem.md,
 * "Cost") must notice every change that matters:
 *   seam   : a judged call reads the map while page Q is not executable;
 *            then Q (ending in 0F 01) is granted read+execute, then page P
 *            right after it (starting with EF): the second grant must see
 *            that its neighbour is executable now (WRPKRU across the seam),
 *            so the map is read anew at every stop
 *   exec   : a JIT grant (erim-tem opens the thread's memory and maps
 *            files), then execve of this program (same pid, new address
 *            space): the new image may not register (an image exec'd
 *            after registration never does), its grant of clean code must
 *            run its own bytes (an unregistered image's seam is not judged:
 *            it has no trusted range)
 *   vfork  : the same from a vfork child, which makes its grant while it
 *            still shares the parent's address space (its files would then
 *            show the parent's memory, which is still alive) and then execs
 *   threads: 160 threads alive at once, each with a JIT grant of its own
 *            (more kept files than erim-tem keeps: the rest are opened per
 *            use), each running its own bytes; then the seam
 * The second argument: "refused" (under erim-tem: clean code runs, the seam
 * grant is refused with EPERM) or "succeeded" (without erim-tem: the seam
 * grant is accepted -- the control that shows the refusal is erim-tem's).
 * Exit 0: as expected; 1: not; 2: the test could not run. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem_reg.h"

static const char *expect = "";

/* mov eax, 42; ret */
static const unsigned char code42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

/* A clean JIT grant in PAGE (mapped read-write); the code must return 42. */
static int clean_grant(unsigned char *page, int call)
{
	memcpy(page, code42, sizeof code42);
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0) {
		fprintf(stderr, "tem_cache: clean JIT grant failed: %s\n", strerror(errno));
		return 1;
	}
	if (call && ((int (*)(void))(uintptr_t)page)() != 42) {
		fprintf(stderr, "tem_cache: the granted code does not return 42 (not the bytes written)\n");
		return 1;
	}
	return mprotect(page, 4096, PROT_READ | PROT_WRITE) != 0;
}

/* 0 as expected, 1 not, 2 error. */
static int seam(void)
{
	unsigned char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r, want_refused = strcmp(expect, "refused") == 0;

	if (m == MAP_FAILED)
		return 2;
	memset(m, 0x90, 8192);
	m[4094] = 0x0f;
	m[4095] = 0x01;
	m[4096] = 0xef;   /* 0F 01 EF: WRPKRU across the seam of Q and P */
	m[4097] = 0xc3;
	/* a judged call in this stop reads the map with Q read-write */
	if (mprotect(m, 4096, PROT_READ | PROT_WRITE) != 0)
		return 2;
	if (mprotect(m, 4096, PROT_READ | PROT_EXEC) != 0) {
		fprintf(stderr, "tem_cache: page Q alone (ends in 0F 01) was refused: %s\n", strerror(errno));
		return 1;
	}
	r = mprotect(m + 4096, 4096, PROT_READ | PROT_EXEC);
	printf("seam: P granted read+execute next to executable Q: %s\n", r == 0 ? "accepted" : strerror(errno));
	munmap(m, 8192);
	if (want_refused)
		return r != 0 && errno == EPERM ? 0 : 1;
	return r == 0 ? 0 : 1;
}

#define NTHREADS 160
static pthread_barrier_t bar;

static void *grant_thread(void *arg)
{
	unsigned char *page = arg;
	long bad;

	pthread_barrier_wait(&bar);   /* all alive before the first grant */
	bad = clean_grant(page, 1);
	pthread_barrier_wait(&bar);   /* and until the last one */
	return (void *)bad;
}

static int threads(void)
{
	pthread_t th[NTHREADS];
	unsigned char *m = mmap(NULL, 4096 * NTHREADS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i, n, bad = 0;

	if (m == MAP_FAILED || pthread_barrier_init(&bar, NULL, NTHREADS) != 0)
		return 2;
	for (n = 0; n < NTHREADS; n++)
		if (pthread_create(&th[n], NULL, grant_thread, m + 4096 * n) != 0)
			break;
	if (n < NTHREADS) {
		fprintf(stderr, "tem_cache: only %d threads\n", n);
		return 2;   /* the barrier would never open: exit with them */
	}
	for (i = 0; i < n; i++) {
		void *r;

		pthread_join(th[i], &r);
		bad |= r != NULL;
	}
	if (bad)
		return 1;
	printf("threads: %d JIT grants at once ran their own bytes\n", n);
	return seam();
}

/* After an exec: the new image's own grant and its own seam. */
static int stage2(void)
{
	unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long rc = tem_reg(-1, NULL, 0);

	if (page == MAP_FAILED)
		return 2;
	/* an image exec'd after registration never registers (doc/tem.md):
	 * its grants are judged as any untrusted process's */
	if (strcmp(expect, "refused") == 0 && !(rc == -1 && errno == EPERM)) {
		fprintf(stderr, "tem_cache: registration after exec: %ld (%s), not refused with EPERM\n", rc,
		        strerror(errno));
		return 1;
	}
	if (clean_grant(page, 1))
		return 1;
	printf("after exec: clean JIT code granted and ran (42)\n");
	/* unregistered, the new image has no trusted range to protect, so
	 * erim-tem does not judge its seam: only the control runs it */
	return strcmp(expect, "refused") == 0 ? 0 : seam();
}

static int warm_and_exec(unsigned char *page)
{
	char *argv[] = { (char *)"tem_cache", (char *)"stage2", (char *)expect, NULL };

	/* erim-tem now holds this thread's memory (and maps) file */
	if (clean_grant(page, 1))
		return 1;
	execv("/proc/self/exe", argv);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned char *page;
	int st;
	pid_t pid;

	if (argc != 3)
		return 2;
	expect = argv[2];
	if (strcmp(argv[1], "stage2") == 0)
		return stage2();
	if (tem_reg(-1, NULL, 0) != TEM_REPLY && strcmp(expect, "refused") == 0) {
		fprintf(stderr, "tem_cache: registration failed: %s\n", strerror(errno));
		return 2;
	}
	if (strcmp(argv[1], "seam") == 0)
		return seam();
	if (strcmp(argv[1], "threads") == 0)
		return threads();
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 2;
	if (strcmp(argv[1], "exec") == 0)
		return warm_and_exec(page);
	if (strcmp(argv[1], "vfork") != 0)
		return 2;
	pid = vfork();
	if (pid == 0)
		_exit(warm_and_exec(page));
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	/* and the parent's own grant still runs its own bytes */
	if (clean_grant(page, 1))
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
