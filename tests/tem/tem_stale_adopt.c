/* SPDX-License-Identifier: MIT */
/* tem_stale_adopt.c: a fork child of a registered process must never
 * inherit the verdicts of a dead, unregistered image through the table
 * entry of a TID the kernel freed without a report (red team 37a's
 * tem_stale_adopt, made a test: tem_main.c stale_entry, adopt).
 *
 * An image exec'd after registration (untrusted, unregistered: no trusted
 * memory, so erim-tem skips its own-memory rows -- tem_judge.c) starts a
 * thread T (TID X), and T's execve fails past de_thread (RLIMIT_AS 8 KiB):
 * X is freed without any report, and erim-tem's entry for X stays, with
 * that image's tem_proc (registered 0, exec_after_reg set).  When the
 * registered process R later forks a child at pid X, adopt() (tem_main.c)
 * finds the old entry with ->proc set and returns early: the child, which
 * holds R's trusted range, was judged as that unregistered image: it
 * mprotected the trusted range, mapped a page W+X holding WRPKRU and ran
 * it, and re-keyed the trusted page.  Now all three must be refused.
 *
 *   tem_stale_adopt driver ERIM-TEM     (as root, in the guest: ns_last_pid)
 *
 * Control: a fork child of R at another pid is refused the same calls, and
 * T's TID is gone before R's child takes it (the stale condition happened).
 * Exit 0 when every call of both children is refused, 1 when one was
 * allowed, 99 when the setup failed. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
static int tgo_fd, out_fd;
static int pkey_g;

static int maker(void)
{
	pthread_t th;
	static struct stale_exec e;

	e = (struct stale_exec){ self, tgo_fd, out_fd, 1 };
	if (pthread_create(&th, NULL, stale_exec_thread, &e) != 0)
		return 9;
	for (;;)
		pause();
}

/* ---- R's fork child: the attempt ---- */
static void read_secret(const char *secret, const char *what)
{
	char got[32];

	memcpy(got, secret, sizeof got);
	got[sizeof got - 1] = 0;
	printf("  [%s child pid %d] READ trusted memory: \"%s\"\n", what, (int)getpid(), got);
}

static int child_attempt(char *secret, const char *what)
{
	pid_t me = getpid(), g;
	int r, st, allowed = 0;
	unsigned char *x;
	/* xor ecx,ecx ; xor edx,edx ; xor eax,eax ; wrpkru ; ret: PKRU = 0, every key open */
	static const unsigned char code[] = { 0x31, 0xc9, 0x31, 0xd2, 0x31, 0xc0, 0x0f, 0x01, 0xef, 0xc3 };

	/* the key works: a plain read of the trusted page faults */
	g = fork();
	if (g == 0) {
		read_secret(secret, "plain-read");
		_exit(0);
	}
	waitpid(g, &st, 0);
	printf("  [%s child pid %d] plain read of the trusted page (grandchild): %s %d\n", what, (int)me,
	       WIFSIGNALED(st) ? "killed by signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	r = mprotect((void *)((uintptr_t)secret & ~4095ul), 4096, PROT_READ | PROT_WRITE);
	printf("  [%s child pid %d] mprotect(trusted page, RW): %s\n", what, (int)me, r == 0 ? "ALLOWED" : strerror(errno));
	allowed += r == 0;
	x = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x == MAP_FAILED)
		return 1;
	memcpy(x, code, sizeof code);
	r = mprotect(x, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	printf("  [%s child pid %d] mprotect(page holding WRPKRU, RWX): %s\n", what, (int)me, r == 0 ? "ALLOWED" : strerror(errno));
	allowed += r == 0;
	if (r == 0 && pkey_g < 0)
		printf("  [%s child pid %d] (no PKU here: the WRPKRU page is not run)\n", what, (int)me);
	if (r == 0 && pkey_g >= 0 && x[6] == 0x0f && x[7] == 0x01 && x[8] == 0xef) {
		((void (*)(void))x)();
		printf("  [%s child pid %d] EXECUTED WRPKRU (PKRU=0) from its own W+X page\n", what, (int)me);
		read_secret(secret, what);
		memcpy(secret, "OVERWRITTEN-by-untrusted", 25);
		printf("  [%s child pid %d] WROTE trusted memory: \"%s\"\n", what, (int)me, secret);
	}
	r = pkey_mprotect((void *)((uintptr_t)secret & ~4095ul), 4096, PROT_READ | PROT_WRITE, 0);
	printf("  [%s child pid %d] pkey_mprotect(trusted page, RW, key 0): %s\n", what, (int)me, r == 0 ? "ALLOWED" : strerror(errno));
	allowed += r == 0;
	if (r == 0)
		read_secret(secret, what);
	return allowed ? 1 : 0;
}

/* ---- R: registered, takes commands ---- */
static int prog(int cmd_fd)
{
	long r;
	pid_t m;
	char c;
	char *secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (secret == MAP_FAILED)
		return 99;
	{

	strcpy(secret, "TOPSECRET-37a-trusted");
	pkey_g = pkey_alloc(0, 0);
	if (pkey_g < 1 || pkey_mprotect(secret, 4096, PROT_READ | PROT_WRITE, pkey_g) != 0) {
		fprintf(stderr, "R: no protection keys here (%s): registering without a key, the page PROT_NONE\n",
		        strerror(errno));
		pkey_g = -1;
		mprotect(secret, 4096, PROT_NONE);
	} else {
		pkey_set(pkey_g, PKEY_DISABLE_ACCESS);   /* untrusted rights from now on */
	}
	r = tem_reg(pkey_g, secret, 4096);
	fprintf(stderr, "R: pid %d registered with trusted page %p: %ld\n", (int)getpid(), (void *)secret, r);
	}
	m = fork();
	if (m == 0) {
		char a[16], b[16];

		snprintf(a, sizeof a, "%d", tgo_fd);
		snprintf(b, sizeof b, "%d", out_fd);
		execl(self, self, "maker", a, b, (char *)NULL);
		_exit(127);
	}
	while (read(cmd_fd, &c, 1) == 1) {
		pid_t k, want = 0;
		int st;

		if (c == 'q')
			break;
		if (c == 'a' && read(cmd_fd, &want, sizeof want) != (ssize_t)sizeof want)
			break;
		k = fork();
		if (k == 0) {
			if (c == 'a' && getpid() != want)
				_exit(42);   /* not at the stale TID: try again */
			_exit(child_attempt(secret, c == 'a' ? "attack" : "control"));
		}
		waitpid(k, &st, 0);
		/* 2: not at the TID; 1: every call refused; 3: one allowed */
		c = WIFEXITED(st) && WEXITSTATUS(st) == 42 ? 2 : WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 1 : 3;
		if (write(out_fd, &c, 1) != 1)
			break;
	}
	waitpid(m, NULL, WNOHANG);
	return 0;
}

/* ---- the driver ---- */
static int run(const char *tem)
{
	int tgo[2], cmd[2], out[2], st, ok = 1;
	pid_t tem_pid, x = 0;
	char c;

	if (pipe(tgo) || pipe(cmd) || pipe(out))
		return 99;
	tem_pid = fork();
	if (tem_pid == 0) {
		char a[16], b[16], d[16];

		snprintf(a, sizeof a, "%d", tgo[0]);
		snprintf(b, sizeof b, "%d", out[1]);
		snprintf(d, sizeof d, "%d", cmd[0]);
		execl(tem, tem, self, "prog", a, b, d, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if (read(out[0], &x, sizeof x) != (ssize_t)sizeof x) {
		printf("  the program did not start\n");
		return 99;
	}
	printf("  thread T of the image exec'd after registration: TID %d; its exec fails past de_thread\n", (int)x);
	if (write(tgo[1], "g", 1) != 1 || !stale_gone(x, 3000))
		return 99;
	usleep(300000);
	printf("  TID %d free now\n", (int)x);
	/* control: a fork child of R at another pid */
	if (write(cmd[1], "c", 1) != 1 || read(out[0], &c, 1) != 1)
		return 99;
	if (c != 1) {
		printf("  control: R's fork child at another pid was allowed a call\n");
		ok = 0;
	}
	/* attack: a fork child of R at pid X (tried again when another
	 * process took X first) */
	for (int tries = 0; tries < 50; tries++) {
		if (stale_next_pid(x) != 0) {
			printf("  cannot make %d the next pid\n", (int)x);
			return 99;
		}
		if (write(cmd[1], "a", 1) != 1 || write(cmd[1], &x, sizeof x) != (ssize_t)sizeof x ||
		    read(out[0], &c, 1) != 1)
			return 99;
		if (c != 2)
			break;
	}
	if (write(cmd[1], "q", 1) != 1)
		return 99;
	waitpid(tem_pid, &st, 0);
	if (c == 2) {
		printf("  R's fork child never got pid %d\n", (int)x);
		return 99;
	}
	if (c == 3)
		printf("  R's fork child at the stale TID %d was allowed a call: judged as the dead image\n", (int)x);
	printf("tem_stale_adopt: %s\n", ok && c == 1 ? "every call of both children refused" : "FAILED");
	return ok && c == 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (tem_self_exe(self, sizeof self) != 0)
		return 99;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "exit0") == 0)
		return 0;
	if (argc == 4 && strcmp(argv[1], "maker") == 0) {
		tgo_fd = atoi(argv[2]);
		out_fd = atoi(argv[3]);
		return maker();
	}
	if (argc == 5 && strcmp(argv[1], "prog") == 0) {
		tgo_fd = atoi(argv[2]);
		out_fd = atoi(argv[3]);
		return prog(atoi(argv[4]));
	}
	if (argc >= 3 && strcmp(argv[1], "driver") == 0) {
		int uid = argc >= 4 ? atoi(argv[3]) : 0;

		if (stale_become(uid) != 0)
			return 99;
		printf("tem_stale_adopt: program as uid %d\n", (int)getuid());
		return run(argv[2]);
	}
	fprintf(stderr, "usage: %s driver ERIM-TEM [uid]\n", argv[0]);
	return 2;
}
