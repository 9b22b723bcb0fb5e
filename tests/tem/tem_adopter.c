/* SPDX-License-Identifier: MIT */
/* tem_adopter.c: who adopts erim-tem's supervisor is judged (tem_detach.c
 * exposed_ancestor).  Red team 27 (rt27_pidns) ran the caller -- a shell
 * reading a script -- as PID 1 of a PID namespace, as uid 1000: the
 * orphaned supervisor was adopted by it, so the caller was an ancestor of
 * the program again (kernel.yama.ptrace_scope = 1 lets ancestors open
 * /proc/PID/mem), and the program appended commands to the script.
 *
 *   tem_adopter TEM refused|accepted|chain-refused|chain-accepted
 *
 * As root: ptrace_scope = 1, a new PID and mount namespace whose PID 1 (this
 * program, with /proc of its own) becomes uid 1000 and runs `TEM /bin/true`
 * (busybox true in the guest).  refused: erim-tem exits 125 and names the
 * adopter; accepted (the control): with ERIM_TEM_ADOPTER_OK=1 it runs
 * (exit 0), so the adopter really was the same-user init.
 *
 * chain-*: every ancestor of the supervisor is judged, not only its adopter
 * (red team 31: a root subreaper, itself the child of a process of the
 * program's user, adopted the supervisor; that process, an ancestor, read
 * the secret).  As root: ptrace_scope = 1; this process forks a root child
 * subreaper C and then (chain-refused) drops to uid 1000 itself; C starts a
 * uid-1000 `TEM true`, whose orphaned supervisor C adopts.  chain-refused:
 * exit 125 naming this process; chain-accepted (the control): this process
 * stays root, and the program runs.
 *
 * thread-refused: the root subreaper (its parent root) has a thread that
 * dropped to uid 1000 alone: credentials are per thread, and Yama counts
 * every thread of an ancestor (red team 33b): refused; the control is
 * chain-accepted (no such thread).
 *
 * pidns-*: a PID namespace hides its init's parent, yet Yama counts the
 * ancestors outside (red team 32b: `sudo unshare --pid --fork erim-tem`
 * under a user's shell).  The namespace's PID 1 stays root and starts a
 * uid-1000 `TEM true`: pidns-refused, exit 125 (the ancestors above cannot
 * be judged); pidns-accepted (the control), with ERIM_TEM_ADOPTER_OK=1. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim_check.h"

static const char *tem;
static int want_refused, chain, root_init, thread_drop;
static volatile int dropped;

/* a thread of the root subreaper that drops to uid 1000 alone (raw calls:
 * no broadcast to the other threads) and stays */
static void *drop_thread(void *unused)
{
	(void)unused;
	if (syscall(SYS_setgroups, 0, NULL) == 0 && syscall(SYS_setresgid, 1000, 1000, 1000) == 0 &&
	    syscall(SYS_setresuid, 1000, 1000, 1000) == 0)
		dropped = 1;
	else
		dropped = -1;
	for (;;)
		pause();
	return NULL;
}

static int run_as_ns_init(void)
{
	pid_t p;
	int st;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 || mount("proc", "/proc", "proc", 0, NULL) != 0) {
		printf("  mounting /proc in the namespace: %s\n", strerror(errno));
		return 3;
	}
	if (!root_init && (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0))
		return 4;
	if (!want_refused)
		setenv("ERIM_TEM_ADOPTER_OK", "1", 1);
	fflush(NULL);
	if ((p = fork()) == 0) {
		if (root_init && (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0))
			_exit(4);
		execl(tem, tem, "true", (char *)NULL);
		_exit(127);
	}
	/* PID 1: reap everything until erim-tem's front is done */
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			return 5;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* C: a root child subreaper that runs a uid-1000 `TEM true` and reaps,
 * once its parent has dropped (a byte on GO) */
static int run_as_subreaper(int go)
{
	pid_t p;
	int st;
	char b;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 || read(go, &b, 1) != 1)
		return 3;
	if (thread_drop) {
		pthread_t t;

		if (pthread_create(&t, NULL, drop_thread, NULL) != 0)
			return 6;
		while (!dropped)
			usleep(1000);
		if (dropped < 0)
			return 7;
	}
	fflush(NULL);
	if ((p = fork()) == 0) {
		if (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0)
			_exit(4);
		execl(tem, tem, "true", (char *)NULL);
		_exit(127);
	}
	if (waitpid(p, &st, 0) != p)
		return 5;
	while (wait(NULL) > 0)   /* the orphaned supervisor, adopted here */
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int set_scope_1(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "w");

	if (!f)
		return -1;
	fputs("1\n", f);
	fclose(f);
	return 0;
}

TEST(every_ancestor_judged)
{
	pid_t c;
	int st, rc, go[2];

	if (geteuid() != 0)
		SKIP("needs root (a subreaper of another user, ptrace_scope)");
	if (set_scope_1() != 0)
		SKIP("no Yama in this kernel: ancestors are not special, they are not judged");
	if (pipe(go) != 0) {
		CHECK(0, "pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	if ((c = fork()) == 0) {
		close(go[1]);
		_exit(run_as_subreaper(go[0]));
	}
	close(go[0]);
	if (want_refused && !thread_drop && (setgroups(0, NULL) != 0 || setresgid(1000, 1000, 1000) != 0 ||
	                     setresuid(1000, 1000, 1000) != 0)) {
		CHECK(0, "dropping to uid 1000: %s", strerror(errno));
		return;
	}
	if (write(go[1], "g", 1) != 1)
		CHECK(0, "write: %s", strerror(errno));
	close(go[1]);
	CHECK(c > 0 && waitpid(c, &st, 0) == c, "fork/wait: %s", strerror(errno));
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("  erim-tem adopted by a root subreaper%s whose parent is %s: exit %d\n",
	       thread_drop ? " with a thread of uid 1000" : "", want_refused && !thread_drop ? "uid 1000" : "root", rc);
	if (want_refused)
		CHECK(rc == 125, "expected erim-tem to refuse the uid-1000 ancestor (exit 125)");
	else
		CHECK(rc == 0, "control: expected the program to run (exit 0)");
}

TEST(same_user_adopter_judged)
{
	pid_t init;
	int st, rc;

	if (geteuid() != 0)
		SKIP("needs root (a PID namespace, ptrace_scope)");
	if (set_scope_1() != 0)
		SKIP("no Yama in this kernel: ancestors are not special, the adopter is not judged");
	if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0)
		SKIP("no PID namespace here: %s", strerror(errno));
	fflush(NULL);
	if ((init = fork()) == 0)
		_exit(run_as_ns_init());
	CHECK(init > 0 && waitpid(init, &st, 0) == init, "fork/wait: %s", strerror(errno));
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("  erim-tem under a %s PID 1 (ERIM_TEM_ADOPTER_OK %s): exit %d\n", root_init ? "root" : "same-user",
	       want_refused ? "unset" : "=1", rc);
	if (want_refused)
		CHECK(rc == 125, "expected erim-tem to refuse the adopter (exit 125)");
	else
		CHECK(rc == 0, "control: expected the program to run (exit 0)");
}

int main(int argc, char **argv)
{
	const char *m = argc == 3 ? argv[2] : "";

	chain = strncmp(m, "chain-", 6) == 0;
	root_init = strncmp(m, "pidns-", 6) == 0;
	if (chain || root_init)
		m += 6;
	else if (strncmp(m, "thread-", 7) == 0)
		m += 7, chain = thread_drop = 1;
	if (strcmp(m, "refused") != 0 && strcmp(m, "accepted") != 0) {
		fprintf(stderr, "usage: %s TEM [chain-|pidns-|thread-]refused|accepted\n", argv[0]);
		return 2;
	}
	tem = argv[1];
	want_refused = strcmp(m, "refused") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (chain)
		RUN(every_ancestor_judged);
	else
		RUN(same_user_adopter_judged);
	return check_done(want_refused ? "tem_adopter_refused" : "tem_adopter_accepted");
}
