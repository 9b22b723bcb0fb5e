/* SPDX-License-Identifier: MIT */
/* tem_dead_adopt.c: erim-tem must never SIGKILL a process it does not
 * trace through a table entry made for a child that was already dead (red
 * team 38's tem_dead_adopt, made a test: tem_main.c adopt, tem_threads.c
 * tem_task_signal signals only its own tracees).  What it did:
 *
 * P (traced, a grandchild of erim-tem, SIGCHLD ignored) makes X with
 * clone(CLONE_FILES | CLONE_PARENT_SETTID | SIGCHLD).  The kernel writes X's
 * TID into P's memory before P's PTRACE_EVENT_FORK stop; P's thread K reads
 * it and SIGKILLs X at once.  erim-tem's waitpid looks at its newest tracee
 * first, so X's death is reported before P's fork event: task_gone drops
 * X's (empty) entry, erim-tem's wait releases X (P ignores SIGCHLD: autoreap),
 * and then the fork event's adopt() (tem/tem_main.c) makes a NEW entry for
 * X: tem_proc_tgid fails (tgid := X), kcmp fails (judged by the clone
 * flags: the fd table is P's).  Nothing reports X again: the entry is never
 * reaped, and its tgid is its own TID, so tem_task_signal's tgkill(X, X)
 * reaches any process that gets pid X.  The innocent, untraced process is
 * put at pid X; F, P's CLONE_FILES child, is SIGKILLed while blocked in a
 * judged open of a FIFO: lost_correction kills every task sharing the fd
 * table -- the innocent process too.
 *
 *   tem_dead_adopt driver ERIM-TEM fail|ok [uid]
 *     fail: K kills X before erim-tem saw the fork event (the attack)
 *     ok:   P kills X after clone returned (control: the death is reported
 *           after adopt and the entry is dropped)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tem_reg.h"
#include "tem_stale.h"

static char self[512];
static int fgo_fd, out_fd, fail_mode, attempts = 60;   /* TEM_DEAD_N overrides */
static const char *fifo_path;
static volatile pid_t ptid;
static volatile int armed, done;

/* K: kills each new child X the moment the kernel has written its TID
 * (CLONE_PARENT_SETTID), while P still sits in its PTRACE_EVENT_FORK stop:
 * X's death can reach erim-tem before P's fork event does. */
static void *thread_k(void *arg)
{
	(void)arg;
	for (;;) {
		pid_t x;

		while (!__atomic_load_n(&armed, __ATOMIC_ACQUIRE))
			;
		while ((x = __atomic_load_n(&ptid, __ATOMIC_ACQUIRE)) == 0)
			;
		if (fail_mode)
			syscall(SYS_kill, x, SIGKILL);
		__atomic_store_n(&armed, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* B: keeps erim-tem busy with judged calls, so that P's fork stop waits in
 * its queue while K's kill lands (X is ahead of B and P on the list). */
static volatile int busy_stop;
static void *thread_b(void *arg)
{
	static char pg[4096] __attribute__((aligned(4096)));

	(void)arg;
	while (!busy_stop)
		mprotect(pg, sizeof pg, PROT_READ | PROT_WRITE);
	return NULL;
}

/* P: a grandchild of erim-tem (only on its ptraced list, where the newest
 * tracee -- X -- is looked at first by waitpid). */
static int attacker(void)
{
	pthread_t th;
	pid_t f, me = getpid();

	if (getenv("TEM_DEAD_N"))
		attempts = atoi(getenv("TEM_DEAD_N"));
	signal(SIGCHLD, SIG_IGN);   /* X is released at erim-tem's wait of its death */
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
	if (pthread_create(&th, NULL, thread_b, NULL) != 0 ||
	    pthread_create(&th, NULL, thread_k, NULL) != 0)
		return 9;
	for (int i = 0; i < attempts; i++) {
		pid_t x;

		__atomic_store_n(&ptid, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&done, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&armed, 1, __ATOMIC_RELEASE);
		x = (pid_t)syscall(SYS_clone, CLONE_FILES | CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0, 0);
		if (x == 0) {
			for (;;)
				pause();
		}
		if (x < 0)
			return 9;
		while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
			;
		if (!fail_mode)
			kill(x, SIGKILL);   /* control: after erim-tem saw the fork event */
		if (write(out_fd, &x, sizeof x) != (ssize_t)sizeof x)
			return 9;
		usleep(2000);
	}
	busy_stop = 1;
	{
		pid_t z = 0;

		if (write(out_fd, &z, sizeof z) != (ssize_t)sizeof z)
			return 9;
	}
	for (;;)
		pause();
}

/* Under erim-tem. */
static int prog(void)
{
	pid_t me = getpid(), p;
	long r = tem_reg(-1, NULL, 0);

	fprintf(stderr, "prog: pid %d registered: %ld (%s)\n", (int)me, r, r < 0 ? strerror(errno) : "ok");
	p = fork();
	if (p == 0)
		_exit(attacker());
	for (;;)
		pause();
}

/* ---- the driver, outside erim-tem ---------------------------------------- */

static int run(const char *tem, int fail)
{
	int fgo[2], out[2], st;
	pid_t tem_pid, p = 0, f = 0, x = 0, inn, xs[4096];
	char fifo[64], logpath[64], line[1024], pat[64];
	int lived, nx = 0, stale = 0;
	FILE *lf;

	snprintf(fifo, sizeof fifo, "/tmp/tem_dead_adopt/fifo_%d", (int)getpid());
	snprintf(logpath, sizeof logpath, "/tmp/tem_dead_adopt/log_%d", (int)getpid());
	unlink(fifo);
	if (mkfifo(fifo, 0666) != 0 || pipe(fgo) || pipe(out))
		return 99;
	chmod(fifo, 0666);
	tem_pid = fork();
	if (tem_pid == 0) {
		char b[16], c[16];
		int lfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0666);

		if (lfd >= 0) {
			dup2(lfd, 2);
			close(lfd);
		}
		snprintf(b, sizeof b, "%d", fgo[0]);
		snprintf(c, sizeof c, "%d", out[1]);
		execl(tem, tem, "-l", self, "prog", b, c, fifo, fail ? "fail" : "ok", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if (read(out[0], &p, sizeof p) != (ssize_t)sizeof p || read(out[0], &f, sizeof f) != (ssize_t)sizeof f) {
		printf("  the program did not start\n");
		return 99;
	}
	while (read(out[0], &x, sizeof x) == (ssize_t)sizeof x && x != 0 && nx < 4096)
		xs[nx++] = x;
	printf("  traced: P %d (a grandchild of erim-tem), F (CLONE_FILES child, later blocked in open) %d; "
	       "%d children X made with clone(CLONE_FILES|CLONE_PARENT_SETTID), each SIGKILLed %s\n",
	       (int)p, (int)f, nx, fail ? "by P's thread K the moment its TID is written, before erim-tem has seen P's fork event" :
	       "by P after its clone returned (control: erim-tem saw the fork event first)");
	usleep(300000);
	/* which X did erim-tem adopt after its death?  (its kcmp with P failed:
	 * the child was already released) */
	x = 0;
	if ((lf = fopen(logpath, "r")) != NULL) {
		while (fgets(line, sizeof line, lf)) {
			for (int i = 0; i < nx; i++) {
				snprintf(pat, sizeof pat, "kcmp(%d, %d, ", (int)p, (int)xs[i]);
				if (strstr(line, pat)) {
					if (!stale)
						printf("    %s", line);
					stale++;
					x = xs[i];
				}
			}
		}
		fclose(lf);
	}
	printf("  %d erim-tem log line(s): kcmp with an X that was already gone when P's fork event was handled\n", stale);
	if (!x)
		x = xs[nx / 2];
	printf("  the innocent process goes to pid %d\n", (int)x);
	if (!stale_gone(x, 3000)) {
		printf("  pid %d still exists\n", (int)x);
		return 99;
	}
	inn = stale_innocent_at(x);
	printf("  innocent process (untraced, uid %d) started at pid %d\n", (int)getuid(), (int)inn);
	if (inn != x) {
		if (inn > 0)
			kill(inn, SIGKILL);
		printf("  could not place it at %d\n", (int)x);
		kill(f, SIGKILL);
		kill(tem_pid, SIGKILL);
		waitpid(tem_pid, &st, 0);
		return 99;
	}
	if ((lived = stale_kill_watch(fgo[1], f, inn)) < 0)
		return 99;
	kill(tem_pid, SIGTERM);
	usleep(200000);
	kill(tem_pid, SIGKILL);
	waitpid(tem_pid, &st, 0);
	unlink(fifo);
	if ((lf = fopen(logpath, "r")) != NULL) {
		printf("  erim-tem's log lines about pid %d and SIGKILLs:\n", (int)x);
		snprintf(pat, sizeof pat, "%d", (int)x);
		while (fgets(line, sizeof line, lf))
			if (strstr(line, "SIGKILL") || (strstr(line, pat) && (strstr(line, "new task") || strstr(line, "kcmp"))))
				printf("    %s", line);
		fclose(lf);
	}
	if (!getenv("KEEP"))
		unlink(logpath);
	return lived ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (tem_self_exe(self, sizeof self) != 0)
		return 99;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && strcmp(argv[1], "prog") == 0) {
		fgo_fd = atoi(argv[2]);
		out_fd = atoi(argv[3]);
		fifo_path = argv[4];
		fail_mode = strcmp(argv[5], "fail") == 0;
		return prog();
	}
	if (argc >= 4 && strcmp(argv[1], "driver") == 0) {
		int fail = strcmp(argv[3], "fail") == 0;
		int uid = argc >= 5 ? atoi(argv[4]) : 0;
		int r;

		stale_dir("/tmp/tem_dead_adopt");
		printf("tem_dead_adopt: %s, program as uid %d\n", fail ? "ATTACK (child killed before its fork event)" :
		       "CONTROL (child killed after its fork event)", uid ? uid : (int)getuid());
		if (stale_become(uid) != 0)
			return 99;
		r = run(argv[2], fail);
		printf("tem_dead_adopt %s: %s\n", fail ? "attack" : "control",
		       r == 0 ? "innocent process LIVED" : r == 1 ? "innocent process KILLED by erim-tem" : "setup failed");
		return r;
	}
	fprintf(stderr, "usage: %s driver ERIM-TEM fail|ok [uid]\n", argv[0]);
	return 2;
}
