/* SPDX-License-Identifier: MIT */
/* atk_sigreturn_compat.c: 32-bit compatibility mode entered through
 * rt_sigreturn.  The frame's CS is restored as given (the kernel only sets
 * RPL 3), so a handler that writes CS = 0x23 (__USER32_CS) into its frame
 * returns into 32-bit code.  Code inspected and audited as 64-bit code
 * decodes differently there: a gate's RIP-relative check after WRPKRU
 * becomes an absolute load from memory the caller chose (red team 11).
 * Here the frame's RIP is a 32-bit stub below 4 GiB: `ljmp $0x33, next`,
 * which only works if the CPU really ran it in 32-bit mode (in 64-bit mode
 * opcode 0xea is invalid), and `next` exits with status 1.
 *
 * Under erim-tem: rt_sigreturn of a frame whose CS is not 0x33 (or SS not
 * 0x2b) stops the process.  Control (not under erim-tem): the stub runs in
 * compatibility mode and the process exits "succeeded". */
#include <ucontext.h>

#include "atk_common.h"

static uint8_t *stub;

static void to_compat(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)stub;
	uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(uintptr_t)(stub + 4096 - 64);
	/* cs | gs << 16 | fs << 32 | ss << 48 */
	uc->uc_mcontext.gregs[REG_CSGSFS] = (greg_t)(0x23ull | (0x2bull << 48));
}

static enum atk_result atk_attack(void)
{
	struct sigaction sa;
	uint32_t next;
	uint8_t *p;
	pid_t pid;
	int st;

	stub = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (stub == MAP_FAILED || (uintptr_t)stub > 0xffff0000u)
		return ATK_ERROR;
	next = (uint32_t)(uintptr_t)(stub + 16);
	p = stub;
	*p++ = 0xea;                       /* 32-bit: ljmp $0x33, next */
	memcpy(p, &next, 4), p += 4;
	*p++ = 0x33, *p++ = 0x00;
	p = stub + 16;                     /* 64-bit again: exit_group(1) */
	*p++ = 0xbf, *p++ = 1, *p++ = 0, *p++ = 0, *p++ = 0;         /* mov $1, %edi */
	*p++ = 0xb8, *p++ = 231, *p++ = 0, *p++ = 0, *p++ = 0;       /* mov $231, %eax */
	*p++ = 0x0f, *p++ = 0x05;                                    /* syscall */
	if (mprotect(stub, 4096, PROT_READ | PROT_EXEC) != 0) {
		atk_say("mprotect(stub, R|X): %s", strerror(errno));
		return ATK_ERROR;
	}
	pid = fork();
	if (pid == 0) {
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = to_compat;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		_exit(0);   /* rt_sigreturn kept 64-bit mode */
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return ATK_ERROR;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1) {
		atk_say("the frame's CS 0x23 was restored: the stub ran in 32-bit mode and far-jumped back");
		return ATK_SUCCEEDED;
	}
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && !atk_under_tem) {
		atk_say("returning with CS 0x23 faulted: this kernel has no 32-bit code segment (ia32 emulation off)");
		return ATK_NA;
	}
	if (WIFSIGNALED(st))
		atk_say("the process that returned with CS 0x23 was stopped (signal %d)", WTERMSIG(st));
	else
		atk_say("rt_sigreturn returned in 64-bit mode (exit %d)", WEXITSTATUS(st));
	return ATK_REFUSED;
}

static const char *atk_name = "atk_sigreturn_compat";
static int atk_needs_pku = 0;
