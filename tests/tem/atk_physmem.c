/* SPDX-License-Identifier: MIT */
/* atk_physmem.c: every page of the machine.  A program that runs as root
 * opens /proc/kcore (the kernel's direct map of all RAM, trusted pages
 * included) or /dev/mem; the kernel ignores protection keys there.
 * Erim-tem recognises both by identity (device numbers, procfs inode) for
 * every caller.  Without root the kernel refuses them itself: not
 * applicable. */
#include <fcntl.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	static const char *const files[] = { "/proc/kcore", "/dev/mem" };
	int i, fd, won = 0, denied = 0;

	for (i = 0; i < 2; i++) {
		fd = open(files[i], O_RDONLY);
		if (fd >= 0) {
			atk_say("open(%s): accepted", files[i]);
			close(fd);
			won = 1;
		} else {
			atk_say("open(%s): %s", files[i], strerror(errno));
			denied += errno == EPERM;
		}
	}
	if (won)
		return ATK_SUCCEEDED;
	return atk_under_tem && denied ? ATK_REFUSED : ATK_NA;
}

static const char *atk_name = "atk_physmem";
static int atk_needs_pku = 0;
