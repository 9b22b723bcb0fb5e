/* SPDX-License-Identifier: MIT */
/* atk_vfork_altstack.c: sigaltstack's stack_t rewritten by a task the check
 * did not hold.  erim-tem reads stack_t from memory and judges ss_sp with
 * the other tasks of the address space held until the kernel read it too.
 * A vfork child makes the calls; a thread of its parent flips ss_sp between
 * an untrusted buffer and the secret.  Unless that thread is held, the
 * kernel installs the secret as the signal stack (a signal frame, with
 * register values of the attacker's choosing, would then be written there).
 *
 * Control (not under erim-tem): nothing checks ss_sp; the child asks for the
 * secret directly. */
#include <pthread.h>
#include <time.h>

#include "atk_common.h"

static uint8_t good[65536] __attribute__((aligned(4096)));
static stack_t ss;
static volatile int stop, installed, tries;

static void *flipper(void *arg)
{
	void *volatile *sp = (void *volatile *)&ss.ss_sp;

	(void)arg;
	while (!stop) {
		*sp = good;
		for (volatile int i = 0; i < 20; i++)
			;
		*sp = atk_secret;
		for (volatile int i = 0; i < 20; i++)
			;
	}
	return NULL;
}

__attribute__((noinline)) static void caller(void)
{
	time_t end = time(NULL) + 4;
	stack_t cur, off = { .ss_flags = SS_DISABLE };

	for (tries = 0; tries < 20000 && !installed && time(NULL) < end; tries++) {
		if (!atk_under_tem)
			ss.ss_sp = atk_secret;   /* control */
		syscall(SYS_sigaltstack, &ss, NULL);
		if (syscall(SYS_sigaltstack, NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
		    cur.ss_sp == (void *)atk_secret)
			installed = 1;
	}
	syscall(SYS_sigaltstack, &off, NULL);
}

__attribute__((noinline)) static pid_t run_vfork(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		caller();
		_exit(0);
	}
	return pid;
}

static enum atk_result atk_attack(void)
{
	pthread_t th;
	pid_t pid;

	ss.ss_sp = good;
	ss.ss_size = ATK_SECRET_LEN;
	ss.ss_flags = 0;
	if (pthread_create(&th, NULL, flipper, NULL) != 0)
		return ATK_ERROR;
	pid = run_vfork();
	stop = 1;
	pthread_join(th, NULL);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return ATK_ERROR;
	atk_say("vfork child: %d sigaltstack calls; the secret %s as its signal stack", tries,
	        installed ? "was installed" : "was never installed");
	return installed ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_vfork_altstack";
static int atk_needs_pku = 0;
