/* SPDX-License-Identifier: MIT */
/* tem_detach.c: the supervisor runs outside its caller's line of ancestors.
 *
 * kernel.yama.ptrace_scope = 1 lets a process ptrace, and open the memory
 * file of, its descendants.  Were erim-tem the child of the shell that
 * started it, that shell and every ancestor of the same user above it --
 * untraced, and driven by what the program can reach: the terminal they
 * read (red team 24, rt_tiocsti: a command pushed into the shell, which then
 * read /proc/PID/mem of the program), a script they are reading, a job stop
 * that hands them the terminal -- could read and write the program's
 * trusted memory.  A rule per way of driving an ancestor would be a list of
 * known attacks; this cuts the line instead: erim-tem splits before the
 * program exists.  The process its caller started (the front) stays the
 * caller's child and only relays: the signals sent to it go to the
 * supervisor, the supervisor's exit status becomes its own.  The supervisor
 * is its grandchild, orphaned by the middle process's exit, so it is
 * adopted by init or by the nearest child subreaper, and the program's
 * ancestors are the supervisor and that adopter only.  An adopter of the
 * same user (systemd --user) is such an ancestor still: said in a notice.
 *
 * The supervisor dies with the front: it holds the read end of a pipe whose
 * only write end the front holds, armed (O_ASYNC, F_SETSIG) to send it
 * SIGKILL when that end closes, however the front ended; the program dies
 * with the supervisor (PTRACE_O_EXITKILL), as before. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem.h"

static int status_fd = -1;             /* supervisor: where its exit status goes */
static pid_t supervisor;
static volatile sig_atomic_t relay_pid; /* front: the supervisor */
static volatile sig_atomic_t relayed;   /* front: the last signal relayed */

static const int relay_sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };

static void relay(int sig)
{
	relayed = sig;
	if (relay_pid > 0)
		kill((pid_t)relay_pid, sig);
}

static void front_fail(const char *what)
{
	fprintf(stderr, "erim-tem: %s: %s\n", what, strerror(errno));
	exit(125);
}

/* The front: relay until the supervisor reports its status or is gone. */
static void front(int st_fd, pid_t mid)
{
	struct sigaction sa;
	int32_t pid = 0;
	unsigned char code;
	size_t i;
	ssize_t n;
	int wst;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = relay;       /* no SA_RESTART: the reads below see EINTR */
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof relay_sigs / sizeof relay_sigs[0]; i++)
		sigaction(relay_sigs[i], &sa, NULL);
	while (waitpid(mid, &wst, 0) < 0)
		if (errno != EINTR) {
			if (errno == ECHILD)   /* SIGCHLD ignored by the caller: reaped already */
				break;
			front_fail("waiting for the middle process");
		}
	while ((n = read(st_fd, &pid, sizeof pid)) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof pid) {
		relay_pid = pid;
		if (relayed)        /* a signal that came before the pid was known */
			kill(pid, relayed);
		while ((n = read(st_fd, &code, 1)) < 0 && errno == EINTR)
			;
		if (n == 1)
			exit(code);
	}
	if (relayed) {
		/* the supervisor ended by the signal it was sent: so does the front */
		signal(relayed, SIG_DFL);
		raise(relayed);
	}
	fprintf(stderr, "erim-tem: the supervisor ended without an exit status (killed?)\n");
	exit(125);
}

/* Supervisor: a notice when the adopter could open the program's memory. */
static void check_adopter(void)
{
	char name[32];
	struct stat st;
	pid_t pp = getppid();

	snprintf(name, sizeof name, "/proc/%d", (int)pp);
	if (pp > 1 && geteuid() != 0 && stat(name, &st) == 0 && st.st_uid == geteuid())
		tem_log(1, "notice: the supervisor was adopted by PID %d, a child subreaper of the same user "
		        "(systemd --user?): as an ancestor it may open the program's memory where "
		        "kernel.yama.ptrace_scope = 1 (see erim-tem(1))", (int)pp);
}

/* Every exit of the supervisor (main's return, die(), any exit(125)) reports
 * its status, after stdio is flushed: the front must not end (and the shell
 * print its prompt) before the supervisor's last words are out.  Not in a
 * child the supervisor forks. */
static void report_status(int code, void *unused)
{
	unsigned char c = (unsigned char)code;

	(void)unused;
	if (getpid() != supervisor || status_fd < 0)
		return;
	fflush(NULL);
	if (write(status_fd, &c, 1) != 1)
		return;
}

void tem_detach(void)
{
	int st[2], life[2];
	pid_t mid, me;

	fflush(NULL);
	if (pipe2(st, O_CLOEXEC) != 0 || pipe2(life, O_CLOEXEC) != 0)
		front_fail("pipe");
	mid = fork();
	if (mid < 0)
		front_fail("fork");
	if (mid > 0) {
		close(st[1]);
		close(life[0]);      /* life[1] stays open until the front ends */
		front(st[0], mid);
	}
	/* the middle process: fork the supervisor and leave at once */
	if ((me = fork()) != 0)
		_exit(me < 0 ? 125 : 0);
	close(st[0]);
	close(life[1]);
	me = getpid();
	if (fcntl(life[0], F_SETOWN, me) != 0 || fcntl(life[0], F_SETSIG, SIGKILL) != 0 ||
	    fcntl(life[0], F_SETFL, O_ASYNC | O_NONBLOCK) != 0) {
		fprintf(stderr, "erim-tem: arming the lifeline to the front process: %s\n", strerror(errno));
		_exit(125);
	}
	/* the front may already be gone (the async arm came after): then stop here */
	{
		char c;

		if (read(life[0], &c, 1) == 0) {
			fprintf(stderr, "erim-tem: the front process ended before the program started\n");
			_exit(125);
		}
	}
	status_fd = st[1];
	supervisor = me;
	if (on_exit(report_status, NULL) != 0) {
		fprintf(stderr, "erim-tem: on_exit: %s\n", strerror(errno));
		_exit(125);
	}
	while (getppid() == mid)   /* the middle process's exit re-parents us */
		sched_yield();
	{
		int32_t pid32 = (int32_t)me;

		if (write(status_fd, &pid32, sizeof pid32) != (ssize_t)sizeof pid32) {
			fprintf(stderr, "erim-tem: reporting to the front process: %s\n", strerror(errno));
			_exit(125);
		}
	}
	check_adopter();
}

