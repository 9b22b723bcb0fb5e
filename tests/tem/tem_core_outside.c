/* SPDX-License-Identifier: MIT */
/* tem_core_outside.c: a core dump through a limit lowered from outside.
 * erim_init sets RLIMIT_CORE to 1/1 (the one value that stops both file and
 * core_pattern pipe dumps) and erim-tem refuses the program's own changes,
 * but any process of the same user may lower the limit with prlimit(2) --
 * to 0, which does not stop a pipe -- and then send a core-dumping signal:
 * the dump holds the registers of every thread, one of them maybe inside
 * trusted code (red team 33b, prlimcore).  erim-tem asks the kernel for the
 * limit at the delivery of every core-dumping signal and kills (SIGKILL,
 * no dump) instead when it is not 1, or when the action is the default
 * one; a foreign-ABI system call, which the seccomp filter used to kill
 * with a dump no ptrace stop precedes, is trapped and killed the same way
 * (tem/tem_crash.c, tem/tem_filter.c).
 *
 *   tem_core_outside TEM     (as root, in the guest: sets core_pattern)
 *
 * Cases, each a fresh registered victim that an outside process (this one,
 * untraced) handles: `quit` (limit lowered to 0, SIGQUIT, default action),
 * `handler` (the same with a SIGQUIT handler installed), `compat` (limit
 * lowered, then the victim makes an int $0x80 call).  Under erim-tem each
 * must end by SIGKILL with no core written.  Controls: without erim-tem,
 * `quit` ends by SIGQUIT with a core in the pipe (the harness sees dumps);
 * under erim-tem with the limit left at 1, `handler` runs its handler and
 * lives on. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "erim_check.h"
#include "tem_reg.h"

#define PATTERN "/proc/sys/kernel/core_pattern"

static const char *tem;
static char self[512];
static volatile sig_atomic_t quits;

static void on_quit(int sig)
{
	(void)sig;
	quits++;
}

/* The core_pattern pipe's reader: the dump of PID into /tmp. */
static int catch_core(const char *pid)
{
	char path[96], buf[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/tmp/erim-core.%s", pid);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return 1;
	while ((n = read(0, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(fd);
	return 0;
}

/* A registered program: tell the driver its pid, then wait. */
static int victim(const char *mode, int fd)
{
	pid_t me = getpid();
	struct rlimit r;
	long reg = tem_reg(-1, NULL, 0);

	if (strcmp(mode, "handler") == 0)
		signal(SIGQUIT, on_quit);
	if (write(fd, &me, sizeof me) != (ssize_t)sizeof me || write(fd, &reg, sizeof reg) != (ssize_t)sizeof reg)
		return 9;
	close(fd);
	for (int i = 0; i < 3000; i++) {
		if (strcmp(mode, "compat") == 0 && getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur == 0) {
			long ret;

			__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) /* i386 getpid */ : "memory");
			return ret > 0 ? 3 : 4;
		}
		if (quits)
			return 7;   /* the handler ran: the process lives */
		usleep(2000);
	}
	return 8;
}

struct outcome {
	int st;          /* wait status of the victim (or of erim-tem: 128 + signal) */
	int sig;         /* the signal it ended by, 0 if it exited */
	int code;        /* its exit code otherwise */
	long core;       /* bytes of core written, -1 if none */
};

static int run(const char *mode, int under_tem, int lower, int send_quit, struct outcome *o)
{
	int pfd[2], st;
	pid_t pid, victim_pid = 0;
	long reg = -1;
	char fdarg[16], core[96];
	struct stat sb;

	memset(o, 0, sizeof *o);
	o->core = -1;
	if (pipe(pfd) != 0)
		return -1;
	snprintf(fdarg, sizeof fdarg, "%d", pfd[1]);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (under_tem)
			execl(tem, tem, "--quiet", self, "victim", mode, fdarg, (char *)NULL);
		else
			execl(self, self, "victim", mode, fdarg, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	if (pid < 0 || read(pfd[0], &victim_pid, sizeof victim_pid) != (ssize_t)sizeof victim_pid ||
	    read(pfd[0], &reg, sizeof reg) != (ssize_t)sizeof reg) {
		close(pfd[0]);
		return -1;
	}
	close(pfd[0]);
	printf("  %s%s: victim %d, registration %s\n", mode, under_tem ? " under erim-tem" : " without erim-tem",
	       (int)victim_pid, reg == TEM_REPLY ? "accepted" : "none");
	snprintf(core, sizeof core, "/tmp/erim-core.%d", (int)victim_pid);
	unlink(core);
	if (lower) {
		struct rlimit zero = { 0, 1 };

		if (prlimit(victim_pid, RLIMIT_CORE, &zero, NULL) != 0)
			printf("  prlimit(%d, RLIMIT_CORE, 0/1): %s\n", (int)victim_pid, strerror(errno));
		else
			printf("  outside: RLIMIT_CORE of %d lowered to 0/1\n", (int)victim_pid);
	}
	if (send_quit) {
		usleep(20000);
		kill(victim_pid, SIGQUIT);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	o->st = st;
	if (WIFSIGNALED(st))
		o->sig = WTERMSIG(st);
	else if (under_tem && WEXITSTATUS(st) > 128)
		o->sig = WEXITSTATUS(st) - 128;   /* erim-tem's report of the program's signal */
	else
		o->code = WEXITSTATUS(st);
	usleep(300000);   /* the pipe reader finishes */
	if (stat(core, &sb) == 0)
		o->core = (long)sb.st_size;
	unlink(core);
	if (o->core < 0)
		printf("  ended by %s %d; core: none\n", o->sig ? "signal" : "exit", o->sig ? o->sig : o->code);
	else
		printf("  ended by %s %d; core: %ld bytes\n", o->sig ? "signal" : "exit", o->sig ? o->sig : o->code,
		       o->core);
	return 0;
}

static char saved[512];
static int pattern_set;

static int set_pattern(void)
{
	char want[600];
	int fd = open(PATTERN, O_RDONLY);
	ssize_t n;

	if (fd < 0 || (n = read(fd, saved, sizeof saved - 1)) <= 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	saved[n] = 0;
	snprintf(want, sizeof want, "|%s catch %%p", self);
	if ((fd = open(PATTERN, O_WRONLY)) < 0 || write(fd, want, strlen(want)) != (ssize_t)strlen(want)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	pattern_set = 1;
	return 0;
}

static void restore_pattern(void)
{
	int fd;

	if (pattern_set && (fd = open(PATTERN, O_WRONLY)) >= 0) {
		if (write(fd, saved, strlen(saved)) < 0)
			perror("core_pattern");
		close(fd);
	}
}

TEST(control_dump_without_tem)
{
	struct outcome o;

	CHECK(run("quit", 0, 1, 1, &o) == 0, "the victim did not start");
	CHECK(o.sig == SIGQUIT && o.core > 0, "without erim-tem a lowered limit and SIGQUIT should dump to the pipe");
}

/* Under erim-tem, MODE with the limit lowered from outside: SIGKILL, no core. */
static void killed_no_core(const char *mode, int send_quit)
{
	struct outcome o;

	CHECK(run(mode, 1, 1, send_quit, &o) == 0, "the victim did not start");
	CHECK(o.sig == SIGKILL && o.core < 0, "%s: expected SIGKILL and no core", mode);
}

TEST(quit_killed_no_core)
{
	killed_no_core("quit", 1);
}

TEST(handler_killed_no_core)
{
	killed_no_core("handler", 1);   /* a handler, but the limit is no longer 1 */
}

TEST(compat_killed_no_core)
{
	killed_no_core("compat", 0);
}

TEST(control_handler_lives_at_limit_1)
{
	struct outcome o;

	CHECK(run("handler", 1, 0, 1, &o) == 0, "the victim did not start");
	CHECK(o.sig == 0 && o.code == 7 && o.core < 0, "the handler should run and the program exit 7");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "catch") == 0)
		return catch_core(argv[2]);
	if (argc == 4 && strcmp(argv[1], "victim") == 0)
		return victim(argv[2], atoi(argv[3]));
	if (argc != 2) {
		fprintf(stderr, "usage: %s ERIM-TEM   (as root: sets kernel.core_pattern for the run)\n", argv[0]);
		return 2;
	}
	tem = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tem_self_exe(self, sizeof self) != 0)
		return 99;
	if (set_pattern() != 0) {
		printf("cannot set %s (needs root, outside a container): %s\n", PATTERN, strerror(errno));
		return 77;
	}
	RUN(control_dump_without_tem);
	RUN(quit_killed_no_core);
	RUN(handler_killed_no_core);
	RUN(compat_killed_no_core);
	RUN(control_handler_lives_at_limit_1);
	restore_pattern();
	return check_done("tem_core_outside");
}
