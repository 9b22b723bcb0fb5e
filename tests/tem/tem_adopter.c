/* SPDX-License-Identifier: MIT */
/* tem_adopter.c: who adopts erim-tem's supervisor is judged (tem_detach.c
 * check_adopter).  Red team 27 (rt27_pidns) ran the caller -- a shell
 * reading a script -- as PID 1 of a PID namespace, as uid 1000: the
 * orphaned supervisor was adopted by it, so the caller was an ancestor of
 * the program again (kernel.yama.ptrace_scope = 1 lets ancestors open
 * /proc/PID/mem), and the program appended commands to the script.
 *
 *   tem_adopter TEM refused|accepted
 *
 * As root: ptrace_scope = 1, a new PID and mount namespace whose PID 1 (this
 * program, with /proc of its own) becomes uid 1000 and runs `TEM /bin/true`
 * (busybox true in the guest).  refused: erim-tem exits 125 and names the
 * adopter; accepted (the control): with ERIM_TEM_ADOPTER_OK=1 it runs
 * (exit 0), so the adopter really was the same-user init. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim_check.h"

static const char *tem;
static int want_refused;

static int run_as_ns_init(void)
{
	pid_t p;
	int st;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 || mount("proc", "/proc", "proc", 0, NULL) != 0) {
		printf("  mounting /proc in the namespace: %s\n", strerror(errno));
		return 3;
	}
	if (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0)
		return 4;
	if (!want_refused)
		setenv("ERIM_TEM_ADOPTER_OK", "1", 1);
	fflush(NULL);
	if ((p = fork()) == 0) {
		execl(tem, tem, "true", (char *)NULL);
		_exit(127);
	}
	/* PID 1: reap everything until erim-tem's front is done */
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			return 5;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

TEST(same_user_adopter_judged)
{
	FILE *f;
	pid_t init;
	int st, rc;

	if (geteuid() != 0)
		SKIP("needs root (a PID namespace, ptrace_scope)");
	if (!(f = fopen("/proc/sys/kernel/yama/ptrace_scope", "w")))
		SKIP("no Yama in this kernel: ancestors are not special, the adopter is not judged");
	fputs("1\n", f);
	fclose(f);
	if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0)
		SKIP("no PID namespace here: %s", strerror(errno));
	fflush(NULL);
	if ((init = fork()) == 0)
		_exit(run_as_ns_init());
	CHECK(init > 0 && waitpid(init, &st, 0) == init, "fork/wait: %s", strerror(errno));
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("  erim-tem under a same-user PID 1 (ERIM_TEM_ADOPTER_OK %s): exit %d\n", want_refused ? "unset" : "=1", rc);
	if (want_refused)
		CHECK(rc == 125, "expected erim-tem to refuse the adopter (exit 125)");
	else
		CHECK(rc == 0, "control: expected the program to run (exit 0)");
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[2], "refused") != 0 && strcmp(argv[2], "accepted") != 0)) {
		fprintf(stderr, "usage: %s TEM refused|accepted\n", argv[0]);
		return 2;
	}
	tem = argv[1];
	want_refused = strcmp(argv[2], "refused") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(same_user_adopter_judged);
	return check_done(want_refused ? "tem_adopter_refused" : "tem_adopter_accepted");
}
