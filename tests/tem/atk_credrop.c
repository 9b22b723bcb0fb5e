/* SPDX-License-Identifier: MIT */
/* atk_credrop.c: a program started as root drops to a user and makes itself
 * dumpable again.  The kernel makes a process that changes its credentials
 * non-dumpable (only root may open its memory); PR_SET_DUMPABLE 1 opens it
 * to every process of that user where Yama is off or ptrace_scope is 0
 * (Debian's default) -- red team 29 (rt29_dropdeputy) then had an untraced
 * process of uid 1000 read and write the secret, because erim-tem judged
 * its own credentials (root) once at start.  erim-tem now judges the
 * program's credentials when it asks to be dumpable (tem_detach.c
 * tem_detach_exposed).  SUCCEEDED when the prctl is accepted and the process
 * is dumpable as uid 1000.  Needs root, and Yama off or scope 0 (else not
 * applicable: scope 1 keeps non-ancestors out, and dumpable is harmless). */
#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	char buf[16] = "";
	int scope, fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY);

	scope = fd >= 0 && read(fd, buf, sizeof buf - 1) > 0 ? atoi(buf) : -1;   /* -1: no Yama */
	if (fd >= 0)
		close(fd);
	if (geteuid() != 0 || scope >= 1) {
		atk_say("needs root, and Yama off or ptrace_scope 0 (euid %d, scope %d)", (int)geteuid(), scope);
		return ATK_NA;
	}
	if (setgroups(0, NULL) != 0 || setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) {
		atk_say("dropping to uid 1000: %s", strerror(errno));
		return ATK_ERROR;
	}
	atk_say("uid %d, dumpable %d after the drop", (int)getuid(), prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	errno = 0;
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) {
		atk_say("prctl(PR_SET_DUMPABLE, 1): %s", strerror(errno));
		return ATK_REFUSED;
	}
	atk_say("prctl(PR_SET_DUMPABLE, 1) accepted: dumpable %d, every process of uid 1000 may open this "
	        "memory", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1 ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_credrop";
static int atk_needs_pku = 0;
