/* SPDX-License-Identifier: MIT */
/* atk_vm_stop.c: a task sharing the memory outlives a stop.  liberim ends a
 * stop with a SIGSEGV no handler can take; since Linux 5.16 a core-dumping
 * signal ends its own thread group only, so a task made with
 * clone(CLONE_VM) without CLONE_THREAD -- its own process, the same memory --
 * ran untrusted code on after its creator was stopped (red team 33a,
 * rt33a_vmsib).  Here V makes such a task S (CLONE_PARENT: both are this
 * process's children); one of them ticks a shared counter, the other dies
 * of SIGSEGV with the default action, as a stop does (V dies; with
 * ATK_VM_STOP_REVERSE, S dies and V ticks).  SUCCEEDED when the ticker
 * still ticks half a second after the death.  erim-tem SIGKILLs every task
 * of the address space at the delivery of the signal (tem_crash.c).  A
 * kernel before 5.16 ends both itself: not applicable. */
#include <sched.h>

#include "atk_common.h"

struct vm_stop_shared {
	volatile long ticks;
	volatile int go;
};
static struct vm_stop_shared *sh;

#ifdef ATK_VM_STOP_REVERSE
#define ATK_VM_STOP_NAME "atk_vm_stop_rev"
#define CRASHER_IS_V 0
#else
#define ATK_VM_STOP_NAME "atk_vm_stop"
#define CRASHER_IS_V 1
#endif

__attribute__((noreturn)) static void tick_forever(void)
{
	struct timespec ms = { 0, 1000000 };

	for (;;) {
		sh->ticks++;
		syscall(SYS_nanosleep, &ms, NULL);
	}
}

__attribute__((noreturn)) static void crash(void)
{
	while (sh->ticks < 3)
		syscall(SYS_sched_yield);
	__asm__ volatile("movl $1, 16" ::: "memory");   /* SIGSEGV, default action */
	syscall(SYS_exit, 9);
	for (;;)
		;
}

static int run_s(void *unused)
{
	(void)unused;
	if (CRASHER_IS_V)
		tick_forever();
	crash();
}

static enum atk_result atk_attack(void)
{
	char *stk;
	pid_t v, s = 0, crasher, ticker;
	int st, pfd[2];
	long before, after;

	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	stk = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || stk == MAP_FAILED || pipe(pfd) != 0)
		return ATK_ERROR;
	signal(SIGSEGV, SIG_DFL);
	v = fork();
	if (v < 0)
		return ATK_ERROR;
	if (v == 0) {
		pid_t c = clone(run_s, stk + (1 << 20) - 64, CLONE_VM | CLONE_PARENT | SIGCHLD, NULL);

		if (write(pfd[1], &c, sizeof c) != (ssize_t)sizeof c || c < 0)
			_exit(9);
		if (CRASHER_IS_V)
			crash();
		tick_forever();
	}
	if (read(pfd[0], &s, sizeof s) != (ssize_t)sizeof s || s <= 0) {
		atk_say("V could not make its CLONE_VM task");
		kill(v, SIGKILL);
		return ATK_ERROR;
	}
	crasher = CRASHER_IS_V ? v : s;
	ticker = CRASHER_IS_V ? s : v;
	if (waitpid(crasher, &st, __WALL) != crasher)
		return ATK_ERROR;
	atk_say("%s (%d), which shares its memory with %s (%d) in another thread group, ended by %s %d",
	        CRASHER_IS_V ? "V" : "the CLONE_VM task S", (int)crasher, CRASHER_IS_V ? "S" : "V", (int)ticker,
	        WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	usleep(100000);
	before = sh->ticks;
	usleep(500000);
	after = sh->ticks;
	kill(ticker, SIGKILL);
	waitpid(ticker, &st, __WALL);
	if (after > before) {
		atk_say("the other task still runs untrusted code on the same memory: %ld ticks in 0.5 s after the death",
		        after - before);
		return ATK_SUCCEEDED;
	}
	atk_say("the other task ended with it");
	if (!atk_under_tem) {
		atk_say("this kernel ends every process sharing the memory on a core-dumping signal (before Linux 5.16)");
		return ATK_NA;
	}
	return ATK_REFUSED;
}

static const char *atk_name = ATK_VM_STOP_NAME;
static int atk_needs_pku = 0;
