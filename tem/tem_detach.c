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
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem.h"

static int status_fd = -1;             /* supervisor: where its exit status goes */
static pid_t supervisor, front_pid;
static volatile sig_atomic_t relay_pid; /* front: the supervisor; supervisor: the program */
static volatile sig_atomic_t relayed;   /* front: the last signal relayed */

static const int relay_sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };

/* A signal sent to the front, or to the supervisor, by a process (kill,
 * timeout(1), a service manager) goes on: front -> supervisor -> program.
 * One the terminal sent to the whole process group (^C, ^\, a hangup:
 * SI_KERNEL) reached the program itself: not again, and neither the front
 * nor the supervisor ends by it -- the program decides (a program that
 * handles SIGINT lives on, as without erim-tem). */
static void relay(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (si && si->si_code == SI_KERNEL)
		return;
	relayed = sig;
	if (relay_pid > 0)
		kill((pid_t)relay_pid, sig);
}

static void relay_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = relay;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof relay_sigs / sizeof relay_sigs[0]; i++)
		sigaction(relay_sigs[i], &sa, NULL);
}

static void front_fail(const char *what)
{
	fprintf(stderr, "erim-tem: %s: %s\n", what, strerror(errno));
	exit(125);
}

/* The front: relay until the supervisor reports its status or is gone. */
static void front(int st_fd, pid_t mid)
{
	int32_t pid = 0;
	unsigned char code;
	ssize_t n;
	int wst;

	/* its fds (the status pipe, the lifeline) are nobody's to reopen through
	 * /proc/PID/fd: a second writer of the lifeline would keep the
	 * supervisor alive without the front, a writer of the status pipe
	 * could end the front early */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		fprintf(stderr, "erim-tem: cannot make the front process non-dumpable: %s\n", strerror(errno));
	relay_install();
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

/* kernel.yama.ptrace_scope, or -1 without Yama. */
static int ptrace_scope(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	int scope = -1;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	return scope;
}

/* Without Yama, or with ptrace_scope = 0, every process of the user may open
 * the program's memory, and the program can have one started that does
 * (red team 26, rt26_ancestor: commands written into the script a shell of
 * the user was reading; a transient unit of systemd --user; a file a login
 * shell reads): erim-tem would guard only the front door.  Refused for a
 * program that does not run as root (root's other doors are documented),
 * unless ERIM_TEM_PTRACE_SCOPE_OK=1 says the user knows (the program has a
 * user of its own, nothing else runs as it). */
static void check_ptrace_scope(void)
{
	int scope = ptrace_scope();

	if (geteuid() == 0 || scope >= 1)
		return;
	if (getenv("ERIM_TEM_PTRACE_SCOPE_OK")) {
		tem_log(1, "notice: %s: every process of this user may open the program's memory "
		        "(accepted: ERIM_TEM_PTRACE_SCOPE_OK)",
		        scope < 0 ? "no Yama in this kernel" : "kernel.yama.ptrace_scope is 0");
		return;
	}
	fprintf(stderr, "erim-tem: refused: %s, so every process of this user may open the program's "
	        "memory through /proc/PID/mem, and the program can have such a process started for it "
	        "(a shell reading a script, a service manager, a file a login shell reads); set "
	        "kernel.yama.ptrace_scope to 1 (sysctl -w kernel.yama.ptrace_scope=1), or run the program "
	        "as a user of its own and set ERIM_TEM_PTRACE_SCOPE_OK=1\n",
	        scope < 0 ? "this kernel has no Yama (kernel.yama.ptrace_scope)" : "kernel.yama.ptrace_scope is 0");
	exit(125);
}

/* Supervisor: who adopted it.  With kernel.yama.ptrace_scope = 1 that
 * process is an ancestor of the program and may open its memory, so one of
 * the same user must be one nobody can drive: the front itself (erim-tem is
 * PID 1 of its PID namespace: docker --user), or systemd --user (a notice).
 * Any other -- the PID 1 of a PID namespace that is the caller's shell
 * reading a script (red team 27, rt27_pidns: the program appended commands
 * to the script), a subreaper of the user's -- is refused.  Root's adopters,
 * another user's, and other Yama scopes (0: every process of the user may
 * anyway, see erim-tem(1); 2, 3: ancestors may not) are not judged. */
static void check_adopter(void)
{
	char name[48], comm[32] = "?", line[128];
	unsigned long u[4];
	pid_t pp = getppid();
	FILE *f;
	int same = -1;

	if (pp == front_pid || geteuid() == 0)
		return;
	/* its credentials, not its /proc directory's owner (root's for a
	 * non-dumpable process, which may open our memory all the same) */
	snprintf(name, sizeof name, "/proc/%d/status", (int)pp);
	if ((f = fopen(name, "r"))) {
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "Uid: %lu %lu %lu %lu", &u[0], &u[1], &u[2], &u[3]) == 4) {
				same = u[0] == geteuid() || u[1] == geteuid() || u[2] == geteuid() || u[3] == geteuid();
				break;
			}
		fclose(f);
	}
	if (same == 0)
		return;   /* another user's (unreadable: judged, fail closed) */
	if (ptrace_scope() != 1)
		return;
	snprintf(name, sizeof name, "/proc/%d/comm", (int)pp);
	if ((f = fopen(name, "r"))) {
		if (fgets(comm, sizeof comm, f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	if (strcmp(comm, "systemd") == 0) {
		tem_log(1, "notice: the supervisor was adopted by PID %d (systemd), a child subreaper of the same user: "
		        "as an ancestor it may open the program's memory (kernel.yama.ptrace_scope = 1)", (int)pp);
		return;
	}
	if (getenv("ERIM_TEM_ADOPTER_OK")) {
		tem_log(1, "notice: adopted by PID %d (%s), a process of the same user: accepted (ERIM_TEM_ADOPTER_OK)",
		        (int)pp, comm);
		return;
	}
	fprintf(stderr, "erim-tem: refused: the supervisor was adopted by PID %d (%s), a process of the same user "
	        "(a PID namespace's init, a child subreaper): as an ancestor of the program it could open the "
	        "program's memory (kernel.yama.ptrace_scope = 1 lets ancestors), and what the program reaches may "
	        "drive it; run erim-tem where that process is another user's (docker --init), or set "
	        "ERIM_TEM_ADOPTER_OK=1 to accept it\n", (int)pp, comm);
	exit(125);
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

	check_ptrace_scope();
	fflush(NULL);
	front_pid = getpid();
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
	mid = getpid();
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

void tem_detach_relay_to(pid_t program)
{
	relay_pid = program;
	relay_install();
}

