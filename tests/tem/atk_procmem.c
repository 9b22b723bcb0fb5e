/* SPDX-License-Identifier: MIT */
/* atk_procmem.c: untrusted code writes the secret through the process's
 * memory file, by every path that leads to it: /proc/self/mem,
 * /proc/PID/mem, /proc/self/task/TID/mem, a symlink in /tmp, and openat()
 * relative to a /proc/self directory fd.  The kernel ignores protection keys
 * (and page protections) for these accesses, so only erim-tem stops them. */
#include <fcntl.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	char paths[4][96], link[64];
	const uint8_t evil[8] = "EVILEVIL";
	int fd, dfd, i, won = 0;

	snprintf(paths[0], sizeof paths[0], "/proc/self/mem");
	snprintf(paths[1], sizeof paths[1], "/proc/%d/mem", (int)getpid());
	snprintf(paths[2], sizeof paths[2], "/proc/self/task/%d/mem", (int)syscall(SYS_gettid));
	snprintf(link, sizeof link, "/tmp/atk_procmem.%d", (int)getpid());
	unlink(link);
	if (symlink(paths[1], link) != 0)
		return ATK_ERROR;
	snprintf(paths[3], sizeof paths[3], "%s", link);
	for (i = 0; i < 4; i++) {
		fd = open(paths[i], O_RDWR);
		if (fd < 0) {
			atk_say("open(%s): %s", paths[i], strerror(errno));
			continue;
		}
		if (pwrite(fd, evil, sizeof evil, (off_t)(uintptr_t)atk_secret) == (ssize_t)sizeof evil) {
			atk_say("wrote the secret through %s", paths[i]);
			won = 1;
		}
		close(fd);
	}
	dfd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	fd = dfd >= 0 ? openat(dfd, "mem", O_RDONLY) : -1;
	if (fd >= 0) {
		uint8_t b[8];

		if (pread(fd, b, sizeof b, (off_t)(uintptr_t)atk_secret) == (ssize_t)sizeof b && b[0] == ATK_SECRET_BYTE) {
			atk_say("read the secret through openat(/proc/self, \"mem\")");
			won = 1;
		}
		close(fd);
	} else {
		atk_say("openat(/proc/self, mem): %s", strerror(errno));
	}
	if (dfd >= 0)
		close(dfd);
	unlink(link);
	return won || !atk_secret_intact() ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_procmem";
static int atk_needs_pku = 0;
