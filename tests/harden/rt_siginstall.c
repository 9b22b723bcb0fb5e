/* SPDX-License-Identifier: MIT */
/* rt_siginstall.c: every name of the C library's that installs a signal
 * handler or a signal stack reaches liberim's interposer (red team 51: glibc
 * exports ssignal, __sysv_signal, __sigaction, the compatibility symbol
 * sigvec and sigstack besides the names liberim defined, and each installed
 * behind its back).  After erim_init, for each installer:
 *   wraps     the kernel's handler for SIGUSR1 (asked with the raw system
 *             call) is not the program's: liberim's trampoline or entry;
 *             under mpk where liberim has signal stacks, with SA_ONSTACK
 *   reports   sigaction() reports the program's handler back
 *   runs      raise(SIGUSR1) runs the program's handler
 * the control: a raw rt_sigaction installs the handler itself, which the
 * check sees; sigvec's flags and mask converted both ways; sigstack()
 * recorded as sigaltstack() would record it (glibc's conversion: size = the
 * pointer), and under mpk with liberim's signal stacks the kernel's stack
 * stays liberim's.  tools/libc-sigroutes (harden/libc_sigroutes.sh) finds
 * the names in the C library's code; this shows they work.  And glibc's
 * own SIGSETXID handler, installed inside libc at the first thread, is
 * wrapped there (on 6.12 every set*id() of a threaded program stopped the
 * process before).
 * Usage: rt_siginstall mpk|mprotect */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"
#include "hd_sigvec.h"

struct ksig {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};


static volatile int hits;
static int stacks;   /* liberim gave every thread a signal stack (mpk) */

static void on_usr1(int sig)
{
	(void)sig;
	hits++;
}

static int kget(int sig, struct ksig *k)
{
	return (int)syscall(SYS_rt_sigaction, sig, NULL, k, 8);
}

static int install(const char *via, int sig, void (*h)(int))
{
	struct sigaction sa;
	struct old_sigvec v = { h, 0, 0 };

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	if (!strcmp(via, "sigaction"))
		return sigaction(sig, &sa, NULL);
	if (!strcmp(via, "__sigaction"))
		return __sigaction(sig, &sa, NULL);
	if (!strcmp(via, "signal"))
		return signal(sig, h) == SIG_ERR ? -1 : 0;
	if (!strcmp(via, "bsd_signal")) {
		extern sighandler_t bsd_signal(int, sighandler_t);

		return bsd_signal(sig, h) == SIG_ERR ? -1 : 0;
	}
	if (!strcmp(via, "ssignal"))
		return ssignal(sig, h) == SIG_ERR ? -1 : 0;
	if (!strcmp(via, "sysv_signal"))
		return sysv_signal(sig, h) == SIG_ERR ? -1 : 0;
	if (!strcmp(via, "__sysv_signal"))
		return __sysv_signal(sig, h) == SIG_ERR ? -1 : 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	if (!strcmp(via, "sigset"))
		return sigset(sig, h) == SIG_ERR ? -1 : 0;
#pragma GCC diagnostic pop
	if (!strcmp(via, "sigvec"))
		return libc_sigvec(sig, &v, NULL);
	return -1;
}

static const char *const names[] = { "sigaction", "__sigaction", "signal", "bsd_signal", "ssignal",
	                             "sysv_signal", "__sysv_signal", "sigset", "sigvec" };

TEST(every_installer_wraps)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct ksig k;
		struct sigaction q;
		int before = hits;

		REQUIRE(install(names[i], SIGUSR1, on_usr1) == 0);
		REQUIRE(kget(SIGUSR1, &k) == 0);
		CHECK(k.handler != (uintptr_t)on_usr1, "%s: the kernel has the program's handler %#lx "
		      "itself: installed behind liberim's back", names[i], (unsigned long)k.handler);
		if (stacks)
			CHECK(k.flags & SA_ONSTACK, "%s: liberim's entry without SA_ONSTACK (flags %#lx)",
			      names[i], k.flags);
		memset(&q, 0, sizeof q);
		CHECK(sigaction(SIGUSR1, NULL, &q) == 0 && q.sa_handler == on_usr1,
		      "%s: sigaction() reports %p, not the program's handler", names[i],
		      (void *)(uintptr_t)q.sa_handler);
		raise(SIGUSR1);
		CHECK(hits == before + 1, "%s: the program's handler ran %d times, want 1", names[i],
		      hits - before);
		printf("  %s: kernel handler %#lx flags %#lx, reported %p: ok\n", names[i],
		       (unsigned long)k.handler, k.flags, (void *)(uintptr_t)q.sa_handler);
		signal(SIGUSR1, SIG_DFL);
	}
}

/* the control: a raw rt_sigaction is not interposed, and the check above
 * sees the handler in the kernel */
TEST(control_raw_rt_sigaction)
{
	struct ksig k = { (uintptr_t)on_usr1, 0x04000000ul /* SA_RESTORER */, 0, 0 }, g;

	{
		extern void erim_test_restorer(void);

		__asm__(".pushsection .text\n\t.globl erim_test_restorer\n"
		        "erim_test_restorer:\n\tmovq $15, %rax\n\tsyscall\n\t.popsection");
		k.restorer = (uintptr_t)erim_test_restorer;
	}
	REQUIRE(syscall(SYS_rt_sigaction, SIGUSR2, &k, NULL, 8) == 0);
	REQUIRE(kget(SIGUSR2, &g) == 0);
	CHECK(g.handler == (uintptr_t)on_usr1, "control: the raw call's handler is not in the kernel");
	signal(SIGUSR2, SIG_DFL);
}

TEST(sigvec_converts_both_ways)
{
	struct old_sigvec v = { on_usr1, 1 << (SIGUSR2 - 1), 2 /* SV_INTERRUPT */ }, o;
	struct sigaction q;

	REQUIRE(libc_sigvec(SIGUSR1, &v, NULL) == 0);
	REQUIRE(sigaction(SIGUSR1, NULL, &q) == 0);
	CHECK(!(q.sa_flags & SA_RESTART), "SV_INTERRUPT: SA_RESTART set (flags %#x)", q.sa_flags);
	CHECK(sigismember(&q.sa_mask, SIGUSR2) == 1, "sv_mask: SIGUSR2 not in the handler's mask");
	memset(&o, 0, sizeof o);
	REQUIRE(libc_sigvec(SIGUSR1, NULL, &o) == 0);
	CHECK(o.sv_handler == on_usr1 && (o.sv_flags & 2) && (o.sv_mask & (1 << (SIGUSR2 - 1))),
	      "sigvec's old action: handler %p flags %#x mask %#x", (void *)(uintptr_t)o.sv_handler,
	      o.sv_flags, o.sv_mask);
	signal(SIGUSR1, SIG_DFL);
}

TEST(sigstack_is_sigaltstack)
{
	static char area[1 << 16] __attribute__((aligned(64)));
	char *p = area + sizeof area / 2;
	struct sigstack ss = { p, 0 }, o;
	stack_t a, k;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	REQUIRE(sigstack(&ss, NULL) == 0);
	REQUIRE(sigaltstack(NULL, &a) == 0);
	CHECK(a.ss_sp == p && a.ss_size == (size_t)(uintptr_t)p,
	      "sigaltstack() reports %p/%zu after sigstack(%p)", a.ss_sp, a.ss_size, (void *)p);
	memset(&o, 0, sizeof o);
	REQUIRE(sigstack(NULL, &o) == 0);
	CHECK(o.ss_sp == p, "sigstack() reports %p, want %p", o.ss_sp, (void *)p);
#pragma GCC diagnostic pop
	REQUIRE(syscall(SYS_sigaltstack, NULL, &k) == 0);
	if (stacks)
		CHECK(k.ss_sp != p, "the kernel's signal stack is the program's %p, not liberim's", k.ss_sp);
	else
		CHECK(k.ss_sp == p, "without liberim's signal stacks the kernel has %p, want %p", k.ss_sp,
		      (void *)p);
	printf("  sigstack(%p): recorded %p/%zu, the kernel's %p/%zu\n", (void *)p, a.ss_sp, a.ss_size,
	       k.ss_sp, k.ss_size);
	a.ss_flags = SS_DISABLE;
	sigaltstack(&a, NULL);
}

static volatile int sleeper_up;

static void *sleeper(void *arg)
{
	(void)arg;
	sleeper_up = 1;
	for (;;)
		pause();
	return NULL;
}

/* glibc installs its SIGSETXID handler (signal 33) at the first
 * pthread_create, inside libc; liberim wraps it there.  Unwrapped, on 6.12
 * its frame went to liberim's trusted signal stack and glibc's handler ran
 * there without the key: a set*id() call in a threaded program stopped the
 * process.  The kernel's handler for 33 must be liberim's (the one SIGUSR1
 * gets), and setgid() must return.  (The thread must have started: glibc
 * leaves SIGSETXID unblocked in a thread it is still starting, before
 * liberim gave it its signal stack, and a set*id() in that window stops the
 * process -- doc/runtime.md.) */
TEST(glibc_setxid_wrapped)
{
	struct ksig before, k, l;
	pthread_t t;

	REQUIRE(kget(33, &before) == 0);
	REQUIRE(pthread_create(&t, NULL, sleeper, NULL) == 0);
	while (!sleeper_up)
		sched_yield();
	REQUIRE(kget(33, &k) == 0);
	REQUIRE(install("sigaction", SIGUSR1, on_usr1) == 0 && kget(SIGUSR1, &l) == 0);
	printf("  signal 33: before the first thread %#lx, after %#lx (flags %#lx); liberim's %#lx\n",
	       (unsigned long)before.handler, (unsigned long)k.handler, k.flags,
	       (unsigned long)l.handler);
	CHECK(k.handler == l.handler, "glibc's SIGSETXID handler %#lx is not wrapped (liberim's: %#lx)",
	      (unsigned long)k.handler, (unsigned long)l.handler);
	CHECK(setgid(getgid()) == 0, "setgid: %s", strerror(errno));
	printf("  setgid() in a threaded program: returned\n");
	signal(SIGUSR1, SIG_DFL);
}

int main(int argc, char **argv)
{
	stack_t cur;

	if (argc != 2) {
		fprintf(stderr, "usage: %s mpk|mprotect\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	if (erim_init(NULL) != 0) {
		fprintf(stderr, "rt_siginstall: erim_init: %s\n", erim_strerror());
		return 2;
	}
	/* liberim's signal stacks: the kernel has one before the program set any */
	stacks = syscall(SYS_sigaltstack, NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE);
	printf("rt_siginstall: back end %s, liberim's signal stacks: %s\n", argv[1], stacks ? "yes" : "no");
	RUN(every_installer_wraps);
	RUN(control_raw_rt_sigaction);
	RUN(sigvec_converts_both_ways);
	RUN(sigstack_is_sigaltstack);
	RUN(glibc_setxid_wrapped);
	return check_done("rt_siginstall");
}
