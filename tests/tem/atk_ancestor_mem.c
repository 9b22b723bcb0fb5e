/* SPDX-License-Identifier: MIT */
/* atk_ancestor_mem.c: an ancestor of the program, untraced and of the same
 * user, opens the program's memory file.  kernel.yama.ptrace_scope = 1
 * allows exactly that (ancestors only), so the shell that starts
 * `erim-tem ./prog` was such a deputy: red team 24 (rt_tiocsti) made it run
 * `exec 3</proc/PID/mem` by pushing the command into its terminal.
 * erim-tem now runs the program outside its caller's ancestors (the
 * supervisor is adopted by init: tem_detach.c), so no way of driving the
 * caller (terminal, script, job control) reaches the memory.
 *
 *   atk_ancestor_mem TEM|- --expect refused|succeeded
 *
 * As root: sets ptrace_scope to 1 (the PKU guest is thrown away), then
 * becomes uid 1000 in both halves: the child runs `[TEM] atk_ancestor_mem
 * --victim FD` (a page of secret bytes; it reports its pid and the page's
 * address on FD), the parent -- the ancestor -- opens /proc/PID/mem and
 * reads the page.  SUCCEEDED when the bytes read are the secret's.  Without
 * erim-tem (the control) the parent is the program's parent and reads it.
 * The page carries no protection key: /proc/PID/mem ignores keys. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim_check.h"

#define SECRET_BYTE 0x53
#define UID 1000

static const char *tem;
static int expect_read;   /* 1: the read must work (control) */

static int victim(int fd)
{
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	memset(p, SECRET_BYTE, 4096);
	dprintf(fd, "%d %lx\n", (int)getpid(), (unsigned long)p);
	close(fd);
	sleep(60);
	return 0;
}

static int drop(void)
{
	return setgroups(0, NULL) == 0 && setgid(UID) == 0 && setuid(UID) == 0 ? 0 : -1;
}

static pid_t ppid_of(pid_t pid)
{
	char name[64], line[128];
	FILE *f;
	int pp = -1;

	snprintf(name, sizeof name, "/proc/%d/status", (int)pid);
	if (!(f = fopen(name, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "PPid: %d", &pp) == 1)
			break;
	fclose(f);
	return pp;
}

TEST(ancestor_reads_program_memory)
{
	char self[4096], fdarg[16], line[64], name[64];
	unsigned char buf[64];
	int p[2], fd, scope, got = 0;
	FILE *f;
	pid_t child, vpid = 0, a;
	unsigned long addr = 0;
	ssize_t n;

	if (geteuid() != 0)
		SKIP("needs root (sets kernel.yama.ptrace_scope, becomes uid %d)", UID);
	if (!(f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r+")))
		SKIP("no Yama in this kernel: nothing limits same-user ptrace to ancestors");
	scope = fputs("1\n", f) >= 0 && fflush(f) == 0;
	fclose(f);
	CHECK(scope, "setting ptrace_scope to 1 failed");
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	CHECK(n > 0 && pipe(p) == 0, "set-up: %s", strerror(errno));
	if (n <= 0)
		return;
	self[n] = 0;
	snprintf(fdarg, sizeof fdarg, "%d", p[1]);
	fflush(NULL);
	child = fork();
	if (child == 0) {
		close(p[0]);
		if (drop() != 0)
			_exit(126);
		if (tem)
			execl(tem, tem, self, "--victim", fdarg, (char *)NULL);
		else
			execl(self, self, "--victim", fdarg, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	CHECK(child > 0 && drop() == 0, "fork or dropping to uid %d: %s", UID, strerror(errno));
	if (!(f = fdopen(p[0], "r")) || !fgets(line, sizeof line, f) || sscanf(line, "%d %lx", &vpid, &addr) != 2) {
		CHECK(0, "the program did not report its pid");
		goto out;
	}
	printf("  program: pid %d, secret page at 0x%lx; its ancestors:", (int)vpid, addr);
	for (a = ppid_of(vpid); a > 0; a = ppid_of(a))
		printf(" %d%s", (int)a, a == getpid() ? " (this process)" : "");
	printf("\n");
	snprintf(name, sizeof name, "/proc/%d/mem", (int)vpid);
	if ((fd = open(name, O_RDONLY)) < 0) {
		printf("  open %s as uid %d: %s\n", name, UID, strerror(errno));
	} else {
		n = pread(fd, buf, sizeof buf, (off_t)addr);
		printf("  pread: %zd%s%s\n", n, n < 0 ? ", " : "", n < 0 ? strerror(errno) : "");
		got = n == (ssize_t)sizeof buf && buf[0] == SECRET_BYTE && buf[63] == SECRET_BYTE;
		close(fd);
	}
	printf("  outcome: %s\n", got ? "the ancestor read the secret" : "refused");
	CHECK(got == expect_read, "expected: %s", expect_read ? "the secret read (control)" : "refused");
out:
	if (vpid > 0)
		kill(vpid, SIGKILL);
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--victim") == 0)
		return victim(atoi(argv[2]));
	if (argc != 4 || strcmp(argv[2], "--expect") != 0 ||
	    (strcmp(argv[3], "refused") != 0 && strcmp(argv[3], "succeeded") != 0)) {
		fprintf(stderr, "usage: %s TEM|- --expect refused|succeeded\n", argv[0]);
		return 2;
	}
	tem = strcmp(argv[1], "-") == 0 ? NULL : argv[1];
	expect_read = strcmp(argv[3], "succeeded") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(ancestor_reads_program_memory);
	return check_done(expect_read ? "atk_ancestor_mem_without_tem" : "atk_ancestor_mem_under_tem");
}
