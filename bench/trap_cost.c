/* SPDX-License-Identifier: MIT */
/* trap_cost.c: what one trapped system call costs with each mechanism a
 * supervisor such as erim-tem could use, measured in one run on the same
 * call (getppid) so the numbers can be compared:
 *
 *   none       no filter (the baseline);
 *   allow      a seccomp filter that allows the call (what every call pays
 *              under erim-tem when it is not trapped);
 *   ptrace     SECCOMP_RET_TRACE: the call stops the thread, a tracer in
 *              another process resumes it with PTRACE_CONT (erim-tem's
 *              mechanism; one stop, no judgement);
 *   notify     SECCOMP_RET_USER_NOTIF: the call blocks, a supervisor in
 *              another process receives the notification and answers
 *              "continue" (SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5+);
 *   sync       the same with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6+:
 *              the kernel hands the CPU straight to the woken side).
 *
 * Each mode runs in a fresh child; the child times its own loop and reports
 * nanoseconds per call through a pipe.  A mode the kernel refuses prints
 * "not measured" and why. */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Linux 6.6+, not in every distribution's headers yet */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif

enum { T_NONE, T_ALLOW, T_PTRACE, T_NOTIFY, T_SYNC, T_N };
static const char *const t_name[T_N] = { "none", "allow", "ptrace", "notify", "sync" };
static const char *const t_what[T_N] = {
	"no filter (baseline)",
	"seccomp filter, call allowed",
	"SECCOMP_RET_TRACE + PTRACE_CONT (one ptrace stop)",
	"SECCOMP_RET_USER_NOTIF + continue (one notification)",
	"the same, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (6.6+)",
};
static const long t_iters[T_N] = { 2000000, 2000000, 50000, 50000, 50000 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* install a filter returning ACT for getppid and ALLOW for everything else;
 * returns the filter's result (the listener fd for USER_NOTIF) or -1 */
static int install(unsigned int act, unsigned int flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, act),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* ns per call, or -1 when a call failed (a supervisor that went away makes
 * trapped calls fail fast: that must not be reported as a time) */
static double loop(long n)
{
	double t0 = now();

	for (long i = 0; i < n; i++)
		if (syscall(SYS_getppid) < 0)
			return -1;
	return (now() - t0) / (double)n;
}

/* the supervisor takes the child's listener fd with pidfd_getfd (Linux
 * 5.6+; the parent may ptrace its child), told its number through a pipe */
static int take_fd(pid_t pid, int numfd)
{
	int num, pidfd, fd;

	if (read(numfd, &num, sizeof(num)) != (ssize_t)sizeof(num))
		return -1;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, num, 0);
	close(pidfd);
	return fd;
}

/* the measured child: sets up mode T, runs the loop, writes ns/call (or a
 * reason) to OUT */
static void child(int t, int out, int numfd)
{
	char msg[160];
	double ns;
	int r = 0;

	if (t == T_ALLOW)
		r = install(SECCOMP_RET_ALLOW, 0);
	if (t == T_PTRACE) {
		/* the parent traces us from this stop on */
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0 || raise(SIGSTOP) != 0)
			r = -1;
		else
		r = install(SECCOMP_RET_TRACE, 0);
	}
	if (t == T_NOTIFY || t == T_SYNC) {
		r = install(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
		if (r >= 0 && write(numfd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			r = -1;
	}
	if (r < 0) {
		snprintf(msg, sizeof(msg), "E%s", strerror(errno));
		(void)!write(out, msg, strlen(msg) + 1);
		_exit(1);
	}
	ns = loop(t_iters[t] / 10); /* warm up */
	if (ns >= 0)
		ns = loop(t_iters[t]);
	if (ns < 0) {
		snprintf(msg, sizeof(msg), "Ethe trapped call failed: %s", strerror(errno));
		(void)!write(out, msg, strlen(msg) + 1);
		_exit(1);
	}
	snprintf(msg, sizeof(msg), "%.1f", ns);
	(void)!write(out, msg, strlen(msg) + 1);
	_exit(0);
}

/* the supervisor side of T_NOTIFY: answer every notification "continue"
 * until the listener reports the child gone */
static void supervise_notify(pid_t pid, int numfd, int sync)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int fd = take_fd(pid, numfd);

	if (fd < 0)
		return;
	/* not supported (before 6.6): closing the listener makes the child's
	 * calls fail, which it reports as "not measured" */
	if (sync && ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) != 0) {
		fprintf(stderr, "trap_cost: sync: SECCOMP_IOCTL_NOTIF_SET_FLAGS: %s\n", strerror(errno));
		close(fd);
		return;
	}
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0 && errno != ENOENT)
			break;
	}
	close(fd);
}

/* the tracer side of T_PTRACE: resume every stop, pass signals on */
static void supervise_ptrace(pid_t pid)
{
	int st;

	/* the child's first stop is its SIGSTOP after PTRACE_TRACEME */
	if (waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st) ||
	    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL) != 0 ||
	    ptrace(PTRACE_CONT, pid, 0, 0) != 0) {
		kill(pid, SIGKILL);
		return;
	}
	for (;;) {
		int sig = 0;

		if (waitpid(pid, &st, __WALL) != pid || WIFEXITED(st) || WIFSIGNALED(st))
			return;
		if (WIFSTOPPED(st) && WSTOPSIG(st) != SIGTRAP && (st >> 16) == 0)
			sig = WSTOPSIG(st);
		ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	}
}

static int run(int t, char *res, size_t len)
{
	int p[2], s[2] = { -1, -1 }, st;
	pid_t pid;
	ssize_t n;

	if (pipe(p) != 0 || ((t == T_NOTIFY || t == T_SYNC) && pipe(s) != 0))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[0]);
		child(t, p[1], s[1]);
	}
	close(p[1]);
	if (s[1] >= 0)
		close(s[1]); /* a child that fails before writing ends the read */
	if (t == T_PTRACE)
		supervise_ptrace(pid);
	if (t == T_NOTIFY || t == T_SYNC)
		supervise_notify(pid, s[0], t == T_SYNC);
	n = read(p[0], res, len - 1);
	res[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (s[0] >= 0)
		close(s[0]);
	waitpid(pid, &st, 0);
	return n > 0 ? 0 : -1;
}

int main(void)
{
	double base = 0;

	printf("trap_cost: one trapped getppid per mechanism, same run (ns per call; ratio to none)\n");
	for (int t = 0; t < T_N; t++) {
		char res[160] = "";
		double best = -1;

		/* best of three children */
		for (int k = 0; k < 3; k++) {
			if (run(t, res, sizeof(res)) != 0 || res[0] == 'E')
				break;
			double ns = strtod(res, NULL);
			if (best < 0 || ns < best)
				best = ns;
		}
		if (best < 0) {
			printf("  %-7s %-52s not measured: %s\n", t_name[t], t_what[t],
			       res[0] == 'E' ? res + 1 : "the child failed");
			if (t == T_NONE)
				return 1;
			continue;
		}
		if (t == T_NONE)
			base = best;
		printf("  %-7s %-52s %9.1f ns  %7.2fx\n", t_name[t], t_what[t], best, best / base);
	}
	return 0;
}
