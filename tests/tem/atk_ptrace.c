/* SPDX-License-Identifier: MIT */
/* atk_ptrace.c: untrusted code forks a helper that attaches to it with
 * ptrace and pokes the secret (debugger access ignores protection keys). */
#include <sys/prctl.h>
#include <sys/ptrace.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	pid_t victim = getpid(), helper;
	int st;

	/* Yama (ptrace_scope 1) lets only ancestors trace; invite the helper */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	helper = fork();
	if (helper == 0) {
		long word;
		int ok = 0;

		memcpy(&word, "EVILEVIL", sizeof word);
		if (ptrace(PTRACE_ATTACH, victim, 0, 0) != 0) {
			atk_say("ptrace(PTRACE_ATTACH): %s", strerror(errno));
			_exit(0);
		}
		waitpid(victim, &st, 0);
		ok = ptrace(PTRACE_POKEDATA, victim, atk_secret, (void *)word) == 0;
		ptrace(PTRACE_DETACH, victim, 0, 0);
		_exit(ok);
	}
	if (helper < 0 || waitpid(helper, &st, 0) != helper)
		return ATK_ERROR;
	return WIFEXITED(st) && WEXITSTATUS(st) == 1 ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_ptrace";
static int atk_needs_pku = 0;
