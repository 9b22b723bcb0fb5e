/* SPDX-License-Identifier: MIT */
/* atk_kconf_write.c: the knobs with which root makes the kernel start a
 * program of its choice, as root, outside the trace (red team 20,
 * rt_modprobe_upcall: /proc/sys/kernel/modprobe pointed at its own program,
 * then socket() of an unloaded family; the helper opened /proc/PID/mem of
 * the registered process and read and wrote the secret).  The attack opens
 * each knob for writing and writes its current value back (the same write
 * with another value is the whole attack); erim-tem refuses every kernel
 * configuration file for writing (tem_kconf.c: procfs outside /proc/PID,
 * sysfs, cgroup, configfs, ...), by the file system the fd is on.  Needs
 * root (the guest runs as root). */
#include <fcntl.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	static const char *const knobs[] = {
		"/proc/sys/kernel/modprobe",      /* request_module's helper */
		"/proc/sys/kernel/core_pattern",  /* |prog: runs for any crash */
		"/sys/kernel/uevent_helper",      /* runs for every uevent */
	};
	enum atk_result r = ATK_NA;
	char cur[512];
	size_t i;
	ssize_t n;
	int fd;

	for (i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
		if ((fd = open(knobs[i], O_RDWR)) < 0) {
			atk_say("open(%s, O_RDWR): %s", knobs[i], strerror(errno));
			if (errno == EPERM && r == ATK_NA)
				r = ATK_REFUSED;
			continue;
		}
		n = pread(fd, cur, sizeof cur - 1, 0);
		cur[n > 0 ? n : 0] = 0;
		if (n >= 0 && pwrite(fd, cur, (size_t)n, 0) >= 0) {
			cur[strcspn(cur, "\n")] = 0;
			atk_say("%s opened for writing and written (its value \"%s\" put back): a program of the "
			        "attacker's would run as root outside the trace", knobs[i], cur);
			r = ATK_SUCCEEDED;
		} else {
			atk_say("write %s: %s", knobs[i], strerror(errno));
		}
		close(fd);
	}
	return r;
}

static const char *atk_name = "atk_kconf_write";
static int atk_needs_pku = 0;
