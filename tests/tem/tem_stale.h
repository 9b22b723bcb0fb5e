/* SPDX-License-Identifier: MIT */
/* tem_stale.h: what the tests of TIDs erim-tem must stop trusting share
 * (tem_stale_tid.c, tem_stale_adopt.c: red team 37a; tem_dead_adopt.c,
 * tem_dead_first.c: red team 38) -- a thread whose exec fails past
 * de_thread (the kernel frees its TID and reports no exec event), waiting
 * for a pid to go, making a given pid the next one, an untraced process
 * put there, and whether it survives erim-tem's kill of a traced task. */
#ifndef TEM_STALE_H
#define TEM_STALE_H

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A world-writable directory of the test's own under /tmp (PATH). */
static inline void stale_dir(const char *path)
{
	mkdir("/tmp", 01777);
	mkdir(path, 01777);
	chmod(path, 01777);
}

struct stale_exec {
	const char *self;   /* the program, exec'd with "exit0" */
	int go_fd;          /* one byte here: exec */
	int out_fd;         /* the thread's TID goes here first */
	int fail;           /* RLIMIT_AS of 8 KiB first: the exec fails past de_thread */
};

/* A pthread start routine (ARG: struct stale_exec): writes its TID, waits,
 * execs.  The process exits 9 on a pipe error, 8 if execve returned. */
static inline void *stale_exec_thread(void *arg)
{
	const struct stale_exec *e = arg;
	pid_t x = (pid_t)syscall(SYS_gettid);
	char c, *argv[] = { (char *)e->self, (char *)"exit0", NULL }, *envp[] = { NULL };
	struct rlimit tiny = { 8192, 8192 };

	if (write(e->out_fd, &x, sizeof x) != (ssize_t)sizeof x || read(e->go_fd, &c, 1) != 1)
		syscall(SYS_exit_group, 9);
	if (e->fail)
		syscall(SYS_setrlimit, RLIMIT_AS, &tiny);
	syscall(SYS_execve, e->self, argv, envp);
	syscall(SYS_exit_group, 8);
	return NULL;
}

/* 1 once /proc/PID is gone (within MS milliseconds), else 0. */
static inline int stale_gone(pid_t pid, int ms)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	for (int i = 0; i < ms / 10; i++) {
		if (access(path, F_OK) != 0)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Make WANT the next pid: ns_last_pid (root), else by cycling the pid
 * space for at most 240 s.  0, or -1. */
static inline int stale_next_pid(pid_t want)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY), n;
	FILE *pm;
	long max = 0;
	time_t t0 = time(NULL);

	if (fd >= 0) {
		n = snprintf(buf, sizeof buf, "%d", (int)want - 1);
		n = write(fd, buf, (size_t)n) == n ? 0 : -1;
		close(fd);
		if (n == 0)
			return 0;
	}
	if ((pm = fopen("/proc/sys/kernel/pid_max", "r")) != NULL) {
		if (fscanf(pm, "%ld", &max) != 1)
			max = 0;
		fclose(pm);
	}
	printf("  cycling pids as uid %d to reach %d (pid_max %ld)\n", (int)getuid(), (int)want, max);
	if (max <= 0 || max > 200000)
		return -1;
	for (long i = 0; i < 6 * max && time(NULL) - t0 < 240; i++) {
		pid_t p = vfork();

		if (p == 0)
			_exit(0);
		if (p < 0)
			return -1;
		waitpid(p, NULL, 0);
		if (p == want - 1)
			return 0;
	}
	return -1;
}

/* An idle, untraced process at pid WANT, or -1. */
static inline pid_t stale_innocent_at(pid_t want)
{
	pid_t p;

	if (stale_next_pid(want) != 0)
		return -1;
	p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

/* One byte to GO_FD lets F block in its judged open (a FIFO nobody opens
 * for writing: its exit check is pending), then F is SIGKILLed, which makes
 * erim-tem kill the tasks sharing F's fd table.  1 if the untraced process
 * INN lived through that (it is ended then either way), 0 if it did not. */
static inline int stale_kill_watch(int go_fd, pid_t f, pid_t inn)
{
	int st, lived;

	if (write(go_fd, "g", 1) != 1)
		return -1;
	usleep(700000);   /* F blocks in its judged open of the FIFO */
	printf("  SIGKILL to F %d (blocked in open, its exit check pending)\n", (int)f);
	kill(f, SIGKILL);
	usleep(700000);
	lived = waitpid(inn, &st, WNOHANG) == 0;
	if (!lived)
		printf("  innocent process %d ENDED: %s %d\n", (int)inn, WIFSIGNALED(st) ? "signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	else
		printf("  innocent process %d lives\n", (int)inn);
	kill(inn, SIGKILL);
	waitpid(inn, &st, 0);
	return lived;
}

/* The driver as UID (if not 0), with kernel.yama.ptrace_scope 1 first
 * (erim-tem refuses a non-root program under 0).  0, or -1 (said why). */
static inline int stale_become(int uid)
{
	int yf;

	if (uid <= 0)
		return 0;
	if ((yf = open("/proc/sys/kernel/yama/ptrace_scope", O_WRONLY)) >= 0) {
		if (write(yf, "1", 1) != 1)
			printf("  cannot set ptrace_scope 1\n");
		close(yf);
	}
	if (setgroups(0, NULL) != 0 || setgid((gid_t)uid) != 0 || setuid((uid_t)uid) != 0) {
		printf("  cannot become uid %d\n", uid);
		return -1;
	}
	return 0;
}

#endif /* TEM_STALE_H */
