/* SPDX-License-Identifier: MIT */
/* tem_stale_tid.c: erim-tem must never SIGKILL a process it does not
 * trace through a table entry whose TID the kernel freed without a report
 * (red team 37a's tem_stale_tid, made a test: tem_threads.c
 * tem_task_signal signals within the entry's thread group, tem_main.c
 * drops stale entries).  It used to:
 *
 * A thread T (TID X) of a traced process P calls execve.  de_thread gives T
 * the leader's TID and frees X silently; erim-tem forgets X only at the
 * PTRACE_EVENT_EXEC stop (tem_main.c exec_takeover).  If the exec fails past
 * its point of no return (here: RLIMIT_AS too small for the new stack, so
 * setup_arg_pages fails after de_thread) there is no EXEC stop: T dies of a
 * forced SIGSEGV under the leader's TID, and the entry for X stays in
 * erim-tem's table for ever (never reaped, since nothing is left to reap).
 * Any later tem_kill_sharers() that matches it (same thread group, address
 * space or fd table) does kill(X, SIGKILL) -- and X can be anyone's pid now.
 * Here F, a clone(CLONE_FILES) child of P (the same fd-table number as X),
 * is SIGKILLed from outside while blocked in a judged open (of a FIFO): the
 * lost correction kills every task sharing the fd table (tem_main.c
 * lost_correction), X included.
 *
 *   tem_stale_tid driver ERIM-TEM fail|ok [uid]
 *     fail: T's exec fails after de_thread (the attack)
 *     ok:   T's exec succeeds (control: exec_takeover drops X's entry)
 *   Exit 0 when the innocent process lives, 1 when it was killed, 99 when
 *   the setup failed.
 *     uid:  run erim-tem and the program as that uid; the innocent process is
 *           placed at X by cycling pids as that uid (no ns_last_pid).
 *   Without uid (root) the innocent process is placed with ns_last_pid. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tem_reg.h"
#include "tem_stale.h"

static char self[512];
static int tgo_fd, fgo_fd, out_fd, fail_mode;
static const char *fifo_path;

/* Under erim-tem. */
static int prog(void)
{
	pthread_t th;
	pid_t f, me = getpid();
	long r = tem_reg(-1, NULL, 0);
	static struct stale_exec e;

	fprintf(stderr, "prog: pid %d registered: %ld (%s)\n", (int)me, r, r < 0 ? strerror(errno) : "ok");
	f = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (f == 0) {
		char c;
		int fd;

		if (read(fgo_fd, &c, 1) != 1)
			_exit(9);
		fd = open(fifo_path, O_RDONLY);   /* blocks: no writer */
		_exit(fd >= 0 ? 0 : 3);
	}
	if (f < 0 || write(out_fd, &me, sizeof me) != (ssize_t)sizeof me ||
	    write(out_fd, &f, sizeof f) != (ssize_t)sizeof f)
		return 9;
	e = (struct stale_exec){ self, tgo_fd, out_fd, fail_mode };
	if (pthread_create(&th, NULL, stale_exec_thread, &e) != 0)
		return 9;
	for (;;)
		pause();
}

/* ---- the driver, outside erim-tem ---------------------------------------- */

static int run(const char *tem, int fail, int uid)
{
	int tgo[2], fgo[2], out[2], st;
	pid_t tem_pid, p = 0, f = 0, x = 0, inn;
	char fifo[64], logpath[64], line[1024];
	int lived;
	FILE *lf;

	snprintf(fifo, sizeof fifo, "/tmp/tem_stale_tid/fifo_%d", (int)getpid());
	snprintf(logpath, sizeof logpath, "/tmp/tem_stale_tid/log_%d", (int)getpid());
	unlink(fifo);
	if (mkfifo(fifo, 0666) != 0 || pipe(tgo) || pipe(fgo) || pipe(out))
		return 99;
	chmod(fifo, 0666);
	tem_pid = fork();
	if (tem_pid == 0) {
		char a[16], b[16], c[16];

		if (uid > 0 && (setgroups(0, NULL), setgid(uid) != 0 || setuid(uid) != 0))
			_exit(126);
		snprintf(a, sizeof a, "%d", tgo[0]);
		snprintf(b, sizeof b, "%d", fgo[0]);
		snprintf(c, sizeof c, "%d", out[1]);
		{
			int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0666);

			if (logfd >= 0) {
				dup2(logfd, 2);
				close(logfd);
			}
		}
		execl(tem, tem, "-l", self, "prog", a, b, c, fifo, fail ? "fail" : "ok", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if (read(out[0], &p, sizeof p) != (ssize_t)sizeof p || read(out[0], &f, sizeof f) != (ssize_t)sizeof f ||
	    read(out[0], &x, sizeof x) != (ssize_t)sizeof x) {
		printf("  the program did not start\n");
		return 99;
	}
	printf("  traced: process P %d, its thread T %d, F (CLONE_FILES child) %d; T execs (%s)\n", (int)p, (int)x,
	       (int)f, fail ? "fails past de_thread: RLIMIT_AS 8 KiB" : "succeeds");
	if (write(tgo[1], "g", 1) != 1)
		return 99;
	if (!stale_gone(x, 3000)) {
		printf("  T's TID %d still exists\n", (int)x);
		return 99;
	}
	stale_gone(p, 3000);
	printf("  TID %d free now; P %d %s\n", (int)x, (int)p, stale_gone(p, 10) ? "gone" : "still there");
	inn = stale_innocent_at(x);
	printf("  innocent process (untraced, uid %d) started at pid %d\n", (int)getuid(), (int)inn);
	if (inn != x) {
		if (inn > 0)
			kill(inn, SIGKILL);
		printf("  could not place it at %d\n", (int)x);
		kill(f, SIGKILL);
		waitpid(tem_pid, &st, 0);
		return 99;
	}
	if ((lived = stale_kill_watch(fgo[1], f, inn)) < 0)
		return 99;
	waitpid(tem_pid, &st, 0);
	printf("  erim-tem ended: %s %d\n", WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	unlink(fifo);
	if ((lf = fopen(logpath, "r")) != NULL) {
		printf("  erim-tem's log lines that signal tasks:\n");
		while (fgets(line, sizeof line, lf))
			if (strstr(line, "SIGKILL") || strstr(line, "registered"))
				printf("    %s", line);
		fclose(lf);
	}
	unlink(logpath);
	return lived ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (tem_self_exe(self, sizeof self) != 0)
		return 99;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "exit0") == 0)
		return 0;
	if (argc == 7 && strcmp(argv[1], "prog") == 0) {
		tgo_fd = atoi(argv[2]);
		fgo_fd = atoi(argv[3]);
		out_fd = atoi(argv[4]);
		fifo_path = argv[5];
		fail_mode = strcmp(argv[6], "fail") == 0;
		return prog();
	}
	if (argc >= 4 && strcmp(argv[1], "driver") == 0) {
		int fail = strcmp(argv[3], "fail") == 0;
		int uid = argc >= 5 ? atoi(argv[4]) : 0;
		int r;

		stale_dir("/tmp/tem_stale_tid");
		printf("tem_stale_tid: %s, program as uid %d\n", fail ? "ATTACK (exec fails past de_thread)" :
		       "CONTROL (exec succeeds)", uid ? uid : (int)getuid());
		if (stale_become(uid) != 0)
			return 99;
		r = run(argv[2], fail, 0);
		printf("tem_stale_tid %s: %s\n", fail ? "attack" : "control",
		       r == 0 ? "innocent process LIVED" : r == 1 ? "innocent process KILLED by erim-tem" : "setup failed");
		return r;
	}
	fprintf(stderr, "usage: %s driver ERIM-TEM fail|ok [uid]\n", argv[0]);
	return 2;
}
