/* SPDX-License-Identifier: MIT */
/* atk_bindmem.c: the memory file under another name.  Someone outside the
 * program (native_tem.sh, in a user + mount namespace the program merely
 * runs in) bind-mounts the attacking process's /proc/PID/mem over an
 * ordinary file DIR/x; untrusted code then writes the secret through DIR/x.
 * The fd's link reads DIR/x, no "/mem" anywhere: a check by name lets it
 * through, a check by device and inode does not.  The environment variable
 * ATK_BINDMEM_DIR names DIR; the program writes its pid to DIR/pid and waits
 * for DIR/ready. */
#include <fcntl.h>
#include <time.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	const char *dir = getenv("ATK_BINDMEM_DIR");
	const char evil[8] = "EVILEVIL";
	char path[512], tmp[512], pid[32];
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	int fd, i, won = 0;

	if (!dir) {
		atk_say("ATK_BINDMEM_DIR not set: run through native_tem.sh");
		return ATK_NA;
	}
	snprintf(tmp, sizeof tmp, "%s/pid.tmp", dir);
	snprintf(path, sizeof path, "%s/pid", dir);
	snprintf(pid, sizeof pid, "%d\n", (int)getpid());
	fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || write(fd, pid, strlen(pid)) != (ssize_t)strlen(pid) || close(fd) != 0 || rename(tmp, path) != 0)
		return ATK_ERROR;
	snprintf(path, sizeof path, "%s/ready", dir);
	for (i = 0; i < 400 && access(path, F_OK) != 0; i++)
		nanosleep(&ts, NULL);
	if (i == 400) {
		atk_say("nobody bind-mounted our memory file over %s/x", dir);
		return ATK_ERROR;
	}
	snprintf(path, sizeof path, "%s/x", dir);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		atk_say("open(%s): %s", path, strerror(errno));
	} else {
		if (pwrite(fd, evil, sizeof evil, (off_t)(uintptr_t)atk_secret) == (ssize_t)sizeof evil) {
			atk_say("wrote the secret through %s", path);
			won = 1;
		}
		close(fd);
	}
	return won || !atk_secret_intact() ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_bindmem";
static int atk_needs_pku = 0;
