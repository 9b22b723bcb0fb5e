/* SPDX-License-Identifier: MIT */
/* tem_cost.c: what erim-tem costs.  Runs the same measurements twice in one
 * run, as a child without erim-tem and as a child under it (re-executing
 * itself), and prints the ratio: an ordinary system call the filter lets
 * through (getppid), a pipe round trip (write + read of one byte), an
 * executable anonymous mmap + munmap (both trapped), an executable mmap of a
 * file page + munmap (mapped without execute, the mapped file and bytes
 * judged, execute granted by an injected mprotect), and a JIT grant
 * (mprotect RW -> RX of a written page: trapped, run without execute,
 * inspected, then the real call injected), and a signal delivered to and
 * returned from an empty handler (rt_sigreturn: trapped, its frame's PKRU,
 * altstack and segments checked with the thread group held), a sigaltstack
 * that sets a stack (trapped; the stack the kernel installed is asked back
 * at the exit by three injected calls: mmap of a fresh page, sigaltstack
 * into it, munmap) and a setrlimit of RLIMIT_CORE to 1/1 (trapped; the
 * limit read back with prlimit at the exit), and brk: growth by a page
 * (erim-tem's fast path: past its bound of the break, single-threaded, no
 * exit stop) and growth then shrink by a page (the shrink judged on its
 * result: the maps that overlap trusted or frozen memory digested before
 * and after).  The child registers with
 * erim-tem like erim_init does (one trusted page, so the signal-stack
 * query runs), so the calls are judged as untrusted code's.  The supervisor
 * is ERIM_TEM_COST_TEM if set (an older build, for a before/after), else
 * the tree's erim-tem. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tem_proto.h"

#ifndef ERIM_TEM_PATH
#define ERIM_TEM_PATH "erim-tem"
#endif

enum { M_GETPPID, M_PIPE, M_MMAP, M_FMMAP, M_JIT, M_SIGNAL, M_ALTSTACK, M_RLIMIT, M_BRKUP, M_BRKCYCLE, M_N };
static const char *const m_name[M_N] = {
	"getppid (not trapped)", "pipe write+read 1 B (not trapped)",
	"mmap(PROT_EXEC)+munmap (trapped)", "file mmap(PROT_EXEC)+munmap (trapped, inspected)",
	"JIT grant: mprotect RX+RW (trapped, inspected)",
	"signal + rt_sigreturn (trapped, frame checked)",
	"sigaltstack set (trapped, result asked)",
	"setrlimit RLIMIT_CORE 1/1 (trapped, result read)",
	"brk +4 KiB (trapped, fast path)",
	"brk +4 KiB, -4 KiB (trapped, shrink judged)",
};
static const long m_iters[M_N] = { 1000000, 200000, 20000, 5000, 20000, 20000, 20000, 20000, 20000, 5000 };

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double measure(int m)
{
	static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	long i, n = m_iters[m];
	int p[2];
	char c = 'x';
	unsigned char *page = NULL;
	double t0;
	static unsigned char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	struct rlimit one = { 1, 1 };
	char *brk0 = (char *)syscall(SYS_brk, 0), *b = brk0;
	double t;

	if (m == M_PIPE && pipe(p) != 0)
		return -1;
	/* a page of this very program, as ld.so maps a library's code */
	if (m == M_FMMAP && (p[0] = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (m == M_JIT) {
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			return -1;
	}
	if (m == M_SIGNAL && signal(SIGUSR1, on_usr1) == SIG_ERR)
		return -1;
	t0 = now();
	for (i = 0; i < n; i++) {
		switch (m) {
		case M_SIGNAL:
			if (raise(SIGUSR1) != 0)
				return -1;
			break;
		case M_GETPPID:
			syscall(SYS_getppid);
			break;
		case M_ALTSTACK:
			if (sigaltstack(&ss, NULL) != 0)
				return -1;
			break;
		case M_RLIMIT:
			if (setrlimit(RLIMIT_CORE, &one) != 0)
				return -1;
			break;
		case M_BRKUP:   /* the raw call: malloc's own use of brk is not measured */
			b += 4096;
			if ((char *)syscall(SYS_brk, b) != b)
				return -1;
			break;
		case M_BRKCYCLE:
			if ((char *)syscall(SYS_brk, b + 4096) != b + 4096 || (char *)syscall(SYS_brk, b) != b)
				return -1;
			break;
		case M_PIPE:
			if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1)
				return -1;
			break;
		case M_MMAP: {
			void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (x == MAP_FAILED)
				return -1;
			munmap(x, 4096);
			break;
		}
		case M_FMMAP: {
			void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, p[0], 0);

			if (x == MAP_FAILED)
				return -1;
			munmap(x, 4096);
			break;
		}
		default:
			memcpy(page, code, sizeof code);
			if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0 ||
			    mprotect(page, 4096, PROT_READ | PROT_WRITE) != 0)
				return -1;
			break;
		}
	}
	t = (now() - t0) / (double)n;
	if (m == M_BRKUP && (char *)syscall(SYS_brk, brk0) != brk0)
		return -1;
	if (m == M_SIGNAL && handled != n)
		return -1;
	return t;
}

static int child(void)
{
	struct tem_registration reg;
	int m;

	void *trusted = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct rlimit one = { 1, 1 };

	if (trusted == MAP_FAILED)
		return 1;
	setrlimit(RLIMIT_CORE, &one);   /* as erim_init */
	memset(&reg, 0, sizeof reg);
	reg.version = TEM_VERSION;
	reg.pkey = -1;
	reg.nranges = 1;
	reg.range[0].start = (uint64_t)(uintptr_t)trusted;
	reg.range[0].end = (uint64_t)(uintptr_t)trusted + 4096;
	syscall(TEM_NR_REGISTER, TEM_MAGIC, &reg, sizeof reg);
	for (m = 0; m < M_N; m++)
		printf("%.1f\n", measure(m));
	return 0;
}

/* Run ARGV, read M_N numbers from its stdout into OUT. */
static int run(char *const argv[], double out[M_N])
{
	int p[2], st, m, ok = 1;
	pid_t pid;
	FILE *f;

	if (pipe(p) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	for (m = 0; m < M_N; m++)
		ok &= f && fscanf(f, "%lf", &out[m]) == 1;
	if (f)
		fclose(f);
	waitpid(pid, &st, 0);
	return ok && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t n;
	double plain[M_N], tem[M_N];
	int m;

	if (argc > 1 && strcmp(argv[1], "--child") == 0)
		return child();
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return 1;
	self[n] = 0;
	{
		char *a[] = { self, (char *)"--child", NULL };
		const char *sup = getenv("ERIM_TEM_COST_TEM") ? getenv("ERIM_TEM_COST_TEM") : ERIM_TEM_PATH;
		char *b[] = { (char *)sup, (char *)"--quiet", self, (char *)"--child", NULL };

		double p2[M_N], t2[M_N];

		/* plain, TEM, plain, TEM: the best of two of each, so that
		 * neither side pays alone for a burst of load on a shared machine */
		if (access(sup, X_OK) != 0) {
			fprintf(stderr, "tem_cost: cannot run %s: %s\n", sup, strerror(errno));
			return 1;
		}
		if (run(a, plain) != 0 || run(b, tem) != 0 || run(a, p2) != 0 || run(b, t2) != 0) {
			fprintf(stderr, "tem_cost: a measurement failed\n");
			return 1;
		}
		for (m = 0; m < M_N; m++) {
			plain[m] = p2[m] < plain[m] ? p2[m] : plain[m];
			tem[m] = t2[m] < tem[m] ? t2[m] : tem[m];
		}
	}
	printf("TEM cost (erim-tem vs. the same program without it, same run, best of 2 each)\n");
	printf("%-48s %12s %12s %8s\n", "operation", "plain ns/op", "TEM ns/op", "ratio");
	for (m = 0; m < M_N; m++)
		printf("%-48s %12.1f %12.1f %7.2fx\n", m_name[m], plain[m], tem[m],
		       plain[m] > 0 ? tem[m] / plain[m] : 0.0);
	return 0;
}
