/* SPDX-License-Identifier: MIT */
/* atk_fanotify.c: fds that no open produced.  A fanotify group hands its
 * reader an fd to every file an event names, opened by the kernel with the
 * group's flags: with a mark on procfs, a read-write fd to /proc/PID/mem
 * arrives without any open(2) the open rows could judge.  The attack here
 * is the door itself: fanotify_init accepted (privileged groups hand out
 * fds; unprivileged ones, FAN_REPORT_FID, report file handles that
 * open_by_handle_at turns into fds).  Erim-tem refuses fanotify_init. */
#include <fcntl.h>
#include <sys/fanotify.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDWR);

	if (fd >= 0) {
		atk_say("fanotify_init(FAN_CLASS_NOTIF, O_RDWR): accepted (events carry read-write fds)");
		close(fd);
		return ATK_SUCCEEDED;
	}
	atk_say("fanotify_init(FAN_CLASS_NOTIF, O_RDWR): %s", strerror(errno));
	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY);
	if (fd >= 0) {
		atk_say("fanotify_init(FAN_REPORT_FID): accepted");
		close(fd);
		return ATK_SUCCEEDED;
	}
	atk_say("fanotify_init(FAN_REPORT_FID): %s", strerror(errno));
	if (atk_under_tem)
		return ATK_REFUSED;
	return ATK_NA;   /* this kernel has no (unprivileged) fanotify */
}

static const char *atk_name = "atk_fanotify";
static int atk_needs_pku = 0;
