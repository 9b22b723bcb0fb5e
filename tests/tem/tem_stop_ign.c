/* SPDX-License-Identifier: MIT */
/* tem_stop_ign.c: a liberim stop under erim-tem ends the process even while
 * other threads keep setting SIGSEGV to SIG_IGN.  The stop ends with a
 * fault the kernel turns into a SIGSEGV with the default action; under
 * erim-tem the thread then waits in a signal-delivery stop, and threads
 * calling rt_sigaction(SIGSEGV, SIG_IGN) in a loop made erim-tem see
 * "ignored" and deliver: the kernel dropped the signal, the thread faulted
 * again, round after round, and the process ran on (red team 35b,
 * stop_ign).  erim-tem now takes the default action for a CPU-raised fault
 * that looks ignored, and for one whose %rsp no frame can be written below
 * (tem_crash.c).
 *
 *   tem_stop_ign TEM        (the driver; 6 tries, each must end within 5 s
 *                            of the victim's 'S', written just before the stop)
 *
 * The victim (liberim, erim_init, 3 SIG_IGN threads, a forked child making
 * judged calls so erim-tem is busy) calls a gate with an unknown id; it
 * writes 'R' to the driver if it still runs 3 s later.  Control: the same
 * without the SIG_IGN threads. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"
#include "tem_reg.h"

struct ksigaction { void (*handler)(int); unsigned long flags; void (*restorer)(void); uint64_t mask; };

static void *ign_spammer(void *unused)
{
	struct ksigaction k = { SIG_IGN, 0, NULL, 0 };

	(void)unused;
	for (;;)
		syscall(SYS_rt_sigaction, SIGSEGV, &k, NULL, 8);
	return NULL;
}

static void *stopper(void *unused)
{
	(void)unused;
	erim_gate_call(100000, NULL);   /* an unknown entry id: liberim stops the process */
	return NULL;
}

static int victim(int ign, int fd)
{
	pthread_t a;
	pid_t me = getpid();

	if (erim_init(NULL) != 0)
		return 77;
	for (int i = 0; ign && i < 3; i++)
		if (pthread_create(&a, NULL, ign_spammer, NULL) != 0)
			return 90;
	if (ign && fork() == 0) {
		close(fd);
		while (getppid() == me)   /* judged calls, in a process not held with the victim */
			close((int)syscall(SYS_openat, -100, "/", 0));
		_exit(0);
	}
	usleep(20000);
	if (write(fd, "S", 1) != 1)   /* the driver's 5 s start now, not at erim_init */
		return 93;
	if (pthread_create(&a, NULL, stopper, NULL) != 0)
		return 91;
	sleep(3);
	if (write(fd, "R", 1) != 1)
		return 92;
	syscall(SYS_exit_group, 0);
	return 0;
}

static const char *tem;
static char self[512];

/* One run: 1 if the victim ran on after the stop. */
static int ran_on(int ign)
{
	int p[2], st;
	char c = 0, fdarg[16];
	pid_t pid;
	struct pollfd pf;

	if (pipe(p) != 0)
		return -1;
	snprintf(fdarg, sizeof fdarg, "%d", p[1]);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		execl(tem, tem, "--quiet", self, ign ? "victim" : "victim-noign", fdarg, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	pf.fd = p[0];
	pf.events = POLLIN;
	/* start-up (erim_init, the registration) may take seconds in a
	 * loaded guest: the 5 s count from the victim's 'S', just before the
	 * stop */
	int pr = poll(&pf, 1, 120000);
	ssize_t rd = pr == 1 ? read(p[0], &c, 1) : -1;

	if (rd == 1 && c == 'S') {
		c = 0;
		pf.revents = 0;
		if (poll(&pf, 1, 5000) == 1 && read(p[0], &c, 1) != 1)
			c = 0;   /* EOF: every writer gone */
	} else {
		printf("  the victim did not reach its stop within 120 s (poll %d, revents %#x, read %zd, '%c')\n", pr,
		       (unsigned)pf.revents, rd, rd == 1 ? c : '-');
		c = 'T';
		pf.revents = 0;
	}
	close(p[0]);
	if (c != 'R' && pf.revents == 0)
		c = 'T';   /* neither: still running after 5 s */
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	if (rd != 1 || pr != 1)
		printf("  erim-tem and the victim: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
		       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	printf("  %s: %s\n", ign ? "with SIG_IGN threads" : "control", c == 'R' ? "RAN ON 3 s after the stop"
	       : c == 'T' ? "no end within 5 s" : "ended");
	return c != 0;
}

TEST(stop_ends_despite_sig_ign_threads)
{
	for (int i = 0; i < 6; i++)
		CHECK(ran_on(1) == 0, "try %d: the process ran on after a liberim stop", i + 1);
}

TEST(control_stop_ends)
{
	CHECK(ran_on(0) == 0, "the control did not end");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strncmp(argv[1], "victim", 6) == 0)
		return victim(strcmp(argv[1], "victim") == 0, atoi(argv[2]));
	if (argc != 2) {
		fprintf(stderr, "usage: %s ERIM-TEM\n", argv[0]);
		return 2;
	}
	tem = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tem_self_exe(self, sizeof self) != 0)
		return 99;
	RUN(control_stop_ends);
	RUN(stop_ends_despite_sig_ign_threads);
	return check_done("tem_stop_ign");
}
