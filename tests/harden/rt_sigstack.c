/* SPDX-License-Identifier: MIT */
/* rt_sigstack.c: signals keep working with liberim's signal stacks in trusted
 * memory (runtime/erim_sigstack.c: kernels that write frames with every key
 * enabled, mpk, no erim-tem), where every frame is first written there and
 * then copied to untrusted memory by liberim's relay.
 *
 *   mechanism     on 6.12+ under mpk the kernel's sigaltstack of this thread
 *                 lies in trusted memory (raw sigaltstack query), on 6.1 in
 *                 untrusted memory; under none there is none (the
 *                 expectation follows uname)
 *   regs          a handler sees the interrupted registers in its ucontext,
 *                 the right siginfo, runs below the interrupted %rsp in
 *                 untrusted memory; a register it writes into the ucontext is
 *                 what the interrupted code gets back (rt_sigreturn honours
 *                 the copy)
 *   mask          inside the handler exactly the signal itself and its
 *                 sa_mask are blocked; after it the mask is the old one
 *   onstack       the program's own sigaltstack (SA_ONSTACK): the handler
 *                 runs on it, sigaltstack() reports SS_ONSTACK there, and
 *                 the program's request reads back
 *   thread        a signal in a new pthread reaches its handler
 *   nested        a handler that raises another signal: both run, nested
 *   entry_jump    (6.12+, mpk) untrusted code jumps to liberim's signal entry
 *                 (the kernel's handler, from a raw rt_sigaction query) with
 *                 %rsp on its own stack, on another thread's liberim stack,
 *                 or on its own liberim stack without a frame: each stops the
 *                 process with liberim's report; the control is every other
 *                 test, where the kernel enters it with a real frame
 *   vfork_claim   (6.12+, mpk) a vfork child -- another process in the same
 *                 address space -- claims a signal stack through the gate
 *                 while its parent thread lives: it gets one of its own, not
 *                 the parent's (red team 25, livesteal: the liveness test
 *                 used the child's getpid(), so every live owner looked dead
 *                 and the child took stack 0 from the running main thread)
 *
 * `rt_sigstack mpk|none` (none: the control, no keys, no signal stacks; the
 * same behaviour is expected).  In the PKU guest (harden/vm_sig.sh),
 * dynamic and static-PIE. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "erim.h"
#include "erim_kernel.h"
#include "erim_check.h"

static int mpk, allkeys;
/* the gate's internal request "the calling thread's signal stack" (the
 * value of erim_internal.h's ERIM_INTERNAL_SIGSTACK; any code may make it) */
#define ERIM_INTERNAL_SIGSTACK_ARG ((void *)2)


/* the kernel's sigaltstack of the calling thread */
static int kernel_altstack(stack_t *cur)
{
	return (int)syscall(SYS_sigaltstack, NULL, cur);
}

/* ---- mechanism ------------------------------------------------------------- */

TEST(mechanism)
{
	stack_t cur;
	int on;

	REQUIRE(kernel_altstack(&cur) == 0);
	on = !(cur.ss_flags & SS_DISABLE) && erim_overlaps_trusted(cur.ss_sp, cur.ss_size);
	printf("  kernel writes frames with every key enabled: %s; this thread's sigaltstack: %s\n",
	       allkeys ? "yes" : "no",
	       on ? "liberim's, in trusted memory" : cur.ss_flags & SS_DISABLE ? "none" : "untrusted memory");
	CHECK(on == (mpk && allkeys), "liberim's trusted signal stack is %s, expected %s",
	      on ? "on" : "off", mpk && allkeys ? "on" : "off");
	/* on 6.1 under mpk too: liberim's, in untrusted memory (red team 49) */
	CHECK((!(cur.ss_flags & SS_DISABLE)) == mpk, "the thread's sigaltstack is %s, expected %s",
	      cur.ss_flags & SS_DISABLE ? "off" : "on", mpk ? "on (liberim's)" : "off");
}

/* ---- regs -------------------------------------------------------------------- */

#define MAGIC 0x1122334455667788ull
#define ANSWER 0x0abcdef012345678ull
static volatile uint64_t seen_rbx, seen_rsp, handler_sp, seen_signo, seen_code;
static volatile int seen_pid;

/* rbx := MAGIC, rax := 0, INT3; returns rax (what the handler left there) */
uint64_t st_trap(void);
__asm__(".text\n\t.globl st_trap\n\t.type st_trap,@function\nst_trap:\n\t"
        "push %rbx\n\tmovabs $0x1122334455667788, %rbx\n\txorl %eax, %eax\n\tint3\n\t"
        "pop %rbx\n\tret\n\t.size st_trap, .-st_trap\n");

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	volatile int here;

	seen_signo = (uint64_t)si->si_signo;
	seen_code = (uint64_t)si->si_code;
	seen_rbx = (uint64_t)uc->uc_mcontext.gregs[REG_RBX];
	seen_rsp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
	handler_sp = (uint64_t)(uintptr_t)&here;
	uc->uc_mcontext.gregs[REG_RAX] = (greg_t)ANSWER;
	(void)sig;
}

TEST(regs)
{
	struct sigaction sa;
	uint64_t r;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	REQUIRE(sigaction(SIGTRAP, &sa, NULL) == 0);
	r = st_trap();
	CHECK(seen_signo == SIGTRAP, "si_signo %llu", (unsigned long long)seen_signo);
	CHECK(seen_code == SI_KERNEL || seen_code == TRAP_BRKPT, "si_code %llu",
	      (unsigned long long)seen_code);
	CHECK(seen_rbx == MAGIC, "the handler saw rbx %#llx, not the interrupted %#llx",
	      (unsigned long long)seen_rbx, MAGIC);
	CHECK(r == ANSWER, "rax after rt_sigreturn is %#llx, not the handler's %#llx",
	      (unsigned long long)r, ANSWER);
	CHECK(handler_sp < seen_rsp - 128 && seen_rsp - handler_sp < 65536,
	      "the handler ran at %#llx, not just below the interrupted %%rsp %#llx",
	      (unsigned long long)handler_sp, (unsigned long long)seen_rsp);
	CHECK(!erim_overlaps_trusted((void *)(uintptr_t)handler_sp, 8),
	      "the handler ran on trusted memory");
	printf("  handler: rbx %#llx seen, rax %#llx returned, ran %llu bytes below the "
	       "interrupted %%rsp\n", (unsigned long long)seen_rbx, (unsigned long long)r,
	       (unsigned long long)(seen_rsp - handler_sp));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigaction(SIGTRAP, &sa, NULL);
}

/* ---- mask -------------------------------------------------------------------- */

static volatile int usr1_blocked, usr2_blocked, term_blocked, hup_blocked;

static void on_usr1_mask(int sig)
{
	sigset_t cur;

	(void)sig;
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	usr1_blocked = sigismember(&cur, SIGUSR1);
	usr2_blocked = sigismember(&cur, SIGUSR2);
	term_blocked = sigismember(&cur, SIGTERM);
	hup_blocked = sigismember(&cur, SIGHUP);
}

TEST(mask)
{
	struct sigaction sa;
	sigset_t cur;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1_mask;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
	REQUIRE(raise(SIGUSR1) == 0);
	CHECK(usr1_blocked && term_blocked && !usr2_blocked && !hup_blocked,
	      "inside the handler: SIGUSR1 %d SIGTERM %d (expected blocked), SIGUSR2 %d SIGHUP %d "
	      "(expected not)", usr1_blocked, term_blocked, usr2_blocked, hup_blocked);
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGTERM),
	      "after the handler the old mask is not back");
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
}

/* ---- onstack ----------------------------------------------------------------- */

#define ALT (64 * 1024)
static unsigned char altbuf[ALT] __attribute__((aligned(64)));
static volatile uintptr_t on_sp;
static volatile int on_flags;

static void on_usr2_onstack(int sig)
{
	volatile int here;
	stack_t cur;

	(void)sig;
	on_sp = (uintptr_t)&here;
	on_flags = sigaltstack(NULL, &cur) == 0 ? cur.ss_flags : -1;
}

TEST(onstack)
{
	struct sigaction sa;
	stack_t ss = { .ss_sp = altbuf, .ss_size = ALT, .ss_flags = 0 }, back;

	REQUIRE(sigaltstack(&ss, NULL) == 0);
	REQUIRE(sigaltstack(NULL, &back) == 0);
	CHECK(back.ss_sp == altbuf && back.ss_size == ALT && back.ss_flags == 0,
	      "sigaltstack reads back %p/%zu/%d", back.ss_sp, back.ss_size, back.ss_flags);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr2_onstack;
	sa.sa_flags = SA_ONSTACK;
	REQUIRE(sigaction(SIGUSR2, &sa, NULL) == 0);
	REQUIRE(raise(SIGUSR2) == 0);
	CHECK(on_sp > (uintptr_t)altbuf && on_sp < (uintptr_t)altbuf + ALT,
	      "the SA_ONSTACK handler ran at %#lx, outside the program's altstack %p+%d",
	      (unsigned long)on_sp, (void *)altbuf, ALT);
	CHECK(on_flags == SS_ONSTACK, "sigaltstack inside the handler: flags %d, not SS_ONSTACK",
	      on_flags);
	ss.ss_flags = SS_DISABLE;
	REQUIRE(sigaltstack(&ss, NULL) == 0);
	REQUIRE(sigaltstack(NULL, &back) == 0);
	CHECK(back.ss_flags == SS_DISABLE, "disabled altstack reads back flags %d", back.ss_flags);
	on_sp = 0;
	REQUIRE(raise(SIGUSR2) == 0);
	CHECK(on_sp && !(on_sp > (uintptr_t)altbuf && on_sp < (uintptr_t)altbuf + ALT),
	      "with the altstack disabled the handler still ran on it (%#lx)", (unsigned long)on_sp);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
}

/* ---- thread ------------------------------------------------------------------ */

static volatile pid_t thr_handler_tid;
static volatile int thr_mech;

static void on_usr1_thread(int sig)
{
	(void)sig;
	thr_handler_tid = (pid_t)syscall(SYS_gettid);
}

static void *thread_main(void *arg)
{
	stack_t cur;

	(void)arg;
	thr_mech = kernel_altstack(&cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
	           erim_overlaps_trusted(cur.ss_sp, cur.ss_size);
	raise(SIGUSR1);
	return (void *)(intptr_t)syscall(SYS_gettid);
}

TEST(thread)
{
	struct sigaction sa;
	pthread_t t;
	void *ret;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1_thread;
	REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
	for (int i = 0; i < 4; i++) {      /* stacks of threads gone are reused */
		thr_handler_tid = 0;
		REQUIRE(pthread_create(&t, NULL, thread_main, NULL) == 0);
		REQUIRE(pthread_join(t, &ret) == 0);
		CHECK(thr_handler_tid != 0 && thr_handler_tid == (pid_t)(intptr_t)ret,
		      "thread %d: the handler ran on tid %d, the thread is %d", i,
		      (int)thr_handler_tid, (int)(intptr_t)ret);
		CHECK(thr_mech == (mpk && allkeys), "thread %d: liberim's signal stack %s in the "
		      "new thread", i, thr_mech ? "present" : "absent");
	}
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
}

/* ---- nested ------------------------------------------------------------------ */

static volatile int order[4], norder;

static void on_usr2_nested(int sig)
{
	(void)sig;
	order[norder++] = 2;
}

static void on_usr1_nested(int sig)
{
	(void)sig;
	order[norder++] = 1;
	raise(SIGUSR2);                     /* not blocked: delivered right here */
	order[norder++] = 3;
}

TEST(nested)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr2_nested;
	REQUIRE(sigaction(SIGUSR2, &sa, NULL) == 0);
	sa.sa_handler = on_usr1_nested;
	REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
	REQUIRE(raise(SIGUSR1) == 0);
	CHECK(norder == 3 && order[0] == 1 && order[1] == 2 && order[2] == 3,
	      "nested order %d: %d %d %d, expected 1 2 3", norder, order[0], order[1], order[2]);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
}

/* ---- entry_jump ------------------------------------------------------------- */

struct ksig {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};

static uintptr_t entry_addr, other_stack_sp;
static pthread_mutex_t park_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cv = PTHREAD_COND_INITIALIZER;
static int parked;

/* rsp := RSP, jump to ENTRY (never returns) */
void st_jump(uintptr_t rsp, uintptr_t entry);
__asm__(".text\n\t.globl st_jump\n\t.type st_jump,@function\nst_jump:\n\t"
        "movq %rdi, %rsp\n\tjmp *%rsi\n\t.size st_jump, .-st_jump\n");

static void *parker(void *arg)
{
	stack_t cur;

	(void)arg;
	pthread_mutex_lock(&park_mu);
	if (kernel_altstack(&cur) == 0 && !(cur.ss_flags & SS_DISABLE))
		other_stack_sp = (uintptr_t)cur.ss_sp + cur.ss_size - 256;
	parked = 1;
	pthread_cond_broadcast(&park_cv);
	pthread_cond_wait(&park_cv, &park_mu);   /* until the process ends */
	pthread_mutex_unlock(&park_mu);
	return NULL;
}

static void child_jump_own_stack(void *a)
{
	volatile char here[64];

	(void)a;
	here[0] = 1;
	st_jump((uintptr_t)here & ~15ul, entry_addr);
}

static void child_jump_other(void *a)
{
	pthread_t t;

	(void)a;
	if (pthread_create(&t, NULL, parker, NULL) != 0) {
		printf("no thread\n");
		return;
	}
	pthread_mutex_lock(&park_mu);
	while (!parked)
		pthread_cond_wait(&park_cv, &park_mu);
	pthread_mutex_unlock(&park_mu);
	if (!other_stack_sp) {
		printf("the other thread has no signal stack\n");
		return;
	}
	st_jump(other_stack_sp & ~15ul, entry_addr);
}

static void child_jump_own_sigstack(void *a)
{
	stack_t cur;

	(void)a;
	if (kernel_altstack(&cur) != 0 || (cur.ss_flags & SS_DISABLE)) {
		printf("no signal stack\n");
		return;
	}
	st_jump(((uintptr_t)cur.ss_sp + cur.ss_size - 4096) & ~15ul, entry_addr);
}

TEST(entry_jump)
{
	struct sigaction sa;
	struct ksig k;

	if (!(mpk && allkeys))
		SKIP("liberim's signal entry exists only under mpk on kernels that write frames "
		     "with every key enabled (6.12+)");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1_thread;
	REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
	REQUIRE(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &k, 8) == 0);
	entry_addr = k.handler;
	CHECK(entry_addr != (uintptr_t)on_usr1_thread && (k.flags & SA_ONSTACK),
	      "the kernel's handler is not liberim's entry with SA_ONSTACK");
	CHECK_DIES("jump to the entry with %rsp on the thread's own stack", child_jump_own_stack,
	           NULL, SIGSEGV, "signal entry reached with %rsp outside the calling thread's");
	CHECK_DIES("jump to the entry with %rsp on another thread's liberim stack",
	           child_jump_other, NULL, SIGSEGV,
	           "signal entry reached with %rsp outside the calling thread's");
	CHECK_DIES("jump to the entry with %rsp on its own liberim stack, no frame",
	           child_jump_own_sigstack, NULL, SIGSEGV, "no signal frame of the kernel's");
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
}

/* ---- vfork_claim ----------------------------------------------------------- */

static volatile long vf_idx = -100;
static stack_t vf_stack;

TEST(vfork_claim)
{
	stack_t mine;
	pid_t p;

	if (!(mpk && allkeys))
		SKIP("liberim's signal stacks exist only under mpk on kernels that write frames "
		     "with every key enabled (6.12+)");
	REQUIRE(kernel_altstack(&mine) == 0);
	p = vfork();
	if (p == 0) {
		/* shares our memory until it exits: results go straight into it */
		vf_idx = erim_gate_call(0, ERIM_INTERNAL_SIGSTACK_ARG);
		kernel_altstack(&vf_stack);
		_exit(0);
	}
	REQUIRE(p > 0);
	waitpid(p, NULL, 0);
	printf("  parent's stack %p, the vfork child's claim: %ld, its stack %p\n", mine.ss_sp, vf_idx,
	       vf_stack.ss_sp);
	CHECK(vf_idx >= 0, "the vfork child's claim failed (%ld)", vf_idx);
	CHECK(vf_stack.ss_sp != mine.ss_sp, "the vfork child took the live parent thread's signal stack");
}

int main(int argc, char **argv)
{
	const char *be = argc > 1 ? argv[1] : "mpk";
	struct erim_config c = { 0 };
	char suite[64];

	setvbuf(stdout, NULL, _IONBF, 0);
	if (strcmp(be, "mpk") && strcmp(be, "none")) {
		fprintf(stderr, "usage: %s mpk|none\n", argv[0]);
		return 2;
	}
	mpk = !strcmp(be, "mpk");
	allkeys = erim_kernel_allkeys_frames() == 1;
	c.backend = mpk ? ERIM_BACKEND_MPK : ERIM_BACKEND_NONE;
	c.require_mpk = mpk;
	c.quiet = 1;
	snprintf(suite, sizeof suite, "rt_sigstack_%s", be);
	if (erim_init(&c) != 0) {
		printf("skipped: erim_init(%s): %s\n", be, erim_strerror());
		return 77;
	}
	RUN(mechanism);
	RUN(regs);
	RUN(mask);
	RUN(onstack);
	RUN(thread);
	RUN(nested);
	RUN(entry_jump);
	RUN(vfork_claim);
	return check_done(suite);
}
