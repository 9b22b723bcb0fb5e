/* SPDX-License-Identifier: MIT */
/* tem_pid_reuse.c: erim-tem signals only tasks it traces.  Its "stop the
 * address space" kill used to signal the pid the address space was first
 * filed under; once that process had exited and been reaped, the pid could
 * be anyone's (red team 34a, pid_reuse: an innocent process SIGKILLed).
 * Now only TIDs of traced, unreaped tasks are signalled (tem_threads.c).
 *
 *   tem_pid_reuse TEM       (as root, in the guest: writes ns_last_pid)
 *
 * Under TEM, a registered leader L makes a CLONE_VM task S (its own
 * process, the same memory) and exits; erim-tem reaps L.  This process
 * starts an innocent process at L's pid (ns_last_pid), then S dies of
 * SIGSEGV with the default action, which makes erim-tem stop the address
 * space.  The innocent process must live.  The same for a signal relayed
 * to the program (erim-tem relays SIGTERM, SIGUSR1, ... sent to it): L
 * forks a child that keeps the supervisor running, exits, and SIGUSR1 to
 * erim-tem must reach no one (it went to whoever had L's pid).  Control:
 * the innocent process SIGKILLed by hand dies (the check sees a kill). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "erim_check.h"
#include "tem_reg.h"

static const char *tem;
static char self[512];

/* S: tell the driver, wait for its word, then crash. */
static int sibling(void *arg)
{
	int *fds = arg;
	char c;

	if (syscall(SYS_read, fds[0], &c, 1) != 1)
		syscall(SYS_exit, 9);
	__asm__ volatile("movl $1, 16" ::: "memory");   /* SIGSEGV, default action */
	syscall(SYS_exit, 9);
	return 0;
}

/* The registered program: L, which makes S (or, FORK, a fork child that
 * waits for the driver's word) and exits. */
static int leader(int go_fd, int out_fd, int fork_child)
{
	static char stack[65536] __attribute__((aligned(16)));
	int fds[2] = { go_fd, out_fd };
	pid_t me = getpid(), s;
	char c;

	tem_reg(-1, NULL, 0);
	signal(SIGSEGV, SIG_DFL);
	if (fork_child && (s = fork()) == 0)
		_exit(read(go_fd, &c, 1) == 1 ? 0 : 9);
	else if (!fork_child)
		s = clone(sibling, stack + sizeof stack, CLONE_VM | SIGCHLD, fds);
	if (s < 0 || write(out_fd, &me, sizeof me) != (ssize_t)sizeof me)
		return 9;
	syscall(SYS_exit_group, 0);   /* L goes; S lives on the same memory */
	return 0;
}

static int set_last_pid(pid_t want)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY), n;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof buf, "%d", (int)want - 1);
	n = write(fd, buf, (size_t)n) == n ? 0 : -1;
	close(fd);
	return n;
}

/* Wait (up to 2 s) until PID is gone from /proc. */
static int wait_gone(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	for (int i = 0; i < 200; i++) {
		if (access(path, F_OK) != 0)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* Start an innocent process at PID; its pid, or -1. */
static pid_t innocent_at(pid_t pid)
{
	pid_t p;

	if (set_last_pid(pid) != 0)
		return -1;
	p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

static int alive(pid_t p)
{
	int st;

	usleep(300000);
	if (waitpid(p, &st, WNOHANG) == p) {
		printf("  innocent process %d ended (%s %d)\n", (int)p, WIFSIGNALED(st) ? "signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		return 0;
	}
	return 1;
}

/* Run L under erim-tem (MODE "leader" or "leader-fork"), wait until it is
 * reaped, start an innocent process at its pid; then SIGUSR1 to erim-tem
 * when RELAY, and the word to the task L left.  1 if the innocent process
 * lived. */
static int innocent_survives(const char *mode, int relay)
{
	int go[2], out[2], st, ok;
	pid_t t, l = 0, inn;

	if (pipe(go) != 0 || pipe(out) != 0) {
		CHECK(0, "pipe");
		return 0;
	}
	t = fork();
	if (t == 0) {
		char a[16], b[16];

		snprintf(a, sizeof a, "%d", go[0]);
		snprintf(b, sizeof b, "%d", out[1]);
		execl(tem, tem, self, mode, a, b, (char *)NULL);
		_exit(127);
	}
	if (read(out[0], &l, sizeof l) != (ssize_t)sizeof l || wait_gone(l) != 0) {
		CHECK(0, "the leader did not start or did not go");
		return 0;
	}
	inn = innocent_at(l);
	printf("  leader %d reaped; innocent process started at %d\n", (int)l, (int)inn);
	CHECK(inn == l, "could not start a process at the leader's pid (ns_last_pid)");
	if (relay) {
		kill(t, SIGUSR1);
		usleep(200000);
	}
	if (write(go[1], "x", 1) != 1)
		CHECK(0, "cannot wake the task L left");
	waitpid(t, &st, 0);
	printf("  erim-tem ended: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	ok = inn > 0 && alive(inn);
	if (inn > 0) {
		kill(inn, SIGKILL);
		waitpid(inn, &st, 0);
	}
	return ok;
}

TEST(innocent_process_at_the_reaped_pid_lives)
{
	CHECK(innocent_survives("leader", 0), "erim-tem's kill reached a process it does not trace");
}

TEST(no_relay_to_the_reaped_pid)
{
	CHECK(innocent_survives("leader-fork", 1), "a signal erim-tem relayed reached a process it does not trace");
}

TEST(control_a_kill_is_seen)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			pause();
	}
	kill(p, SIGKILL);
	CHECK(!alive(p), "a process SIGKILLed by hand still looks alive: the check sees nothing");
}

int main(int argc, char **argv)
{
	if (argc == 4 && strncmp(argv[1], "leader", 6) == 0)
		return leader(atoi(argv[2]), atoi(argv[3]), strcmp(argv[1], "leader-fork") == 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s ERIM-TEM   (as root: writes kernel.ns_last_pid)\n", argv[0]);
		return 2;
	}
	tem = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tem_self_exe(self, sizeof self) != 0)
		return 99;
	RUN(innocent_process_at_the_reaped_pid_lives);
	RUN(no_relay_to_the_reaped_pid);
	RUN(control_a_kill_is_seen);
	return check_done("tem_pid_reuse");
}
