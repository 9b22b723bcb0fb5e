/* SPDX-License-Identifier: MIT */
/* atk_seccomp.c: untrusted code installs a seccomp filter of its own (with
 * seccomp() and with prctl(PR_SET_SECCOMP)); such a filter could answer
 * system calls in the supervisor's name. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };
	int won = 0;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0) {
		atk_say("seccomp(SET_MODE_FILTER) accepted");
		won = 1;
	} else {
		atk_say("seccomp(SET_MODE_FILTER): %s", strerror(errno));
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0) {
		atk_say("prctl(PR_SET_SECCOMP) accepted");
		won = 1;
	} else {
		atk_say("prctl(PR_SET_SECCOMP): %s", strerror(errno));
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_seccomp";
static int atk_needs_pku = 0;
