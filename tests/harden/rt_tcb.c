/* SPDX-License-Identifier: MIT */
/* rt_tcb.c: trusted code runs on its own thread block (%fs), and no thread
 * runs trusted code with an rseq area registered -- the red team's round-4
 * attacks cancel_unwind, cancel_unwind_fakefs and rseq_abort as regression
 * tests, with their controls, plus the fs bookkeeping of the gate.
 * `rt_tcb mpk|none|mprotect`.
 *
 *  - inside a gate %fs:0 and %fs:0x10 name a block in trusted memory, not
 *    the caller's TCB; the caller's fs base is back after the return, during
 *    a callback, after a nested gate call inside a callback, for two threads,
 *    after fork, and when the caller pointed %fs at a copy of its TCB;
 *  - errno set by trusted code is not the caller's; ctype works in trusted
 *    code; sched_getcpu works after the gate unregistered rseq;
 *  - cancel_unwind: the caller's TCB says "cancelled" with a cleanup handler
 *    of the attacker's; trusted code calls glibc's getrandom (a cancellation
 *    point): the handler must not run (control: the same call made directly
 *    runs it); cancel_unwind_fakefs: the same state in a copy of the TCB that
 *    %fs points at (arch_prctl);
 *  - rseq (erim_rseq.c: erim_init closes rseq process-wide under mpk and
 *    mprotect): rseq_abort, a thread names a critical section over trusted
 *    code in its glibc rseq area and calls trusted code many times while
 *    busy threads force preemptions -- it cannot register the area, and the
 *    abort handler never runs (control: this program again under none,
 *    where the same loop through the gate is aborted into the handler);
 *    a thread whose creator's glibc area was forged to say "registered"
 *    (memory writes only) never runs; rseq(2) and its i386 number through
 *    int $0x80 answer EPERM (control: under none both register, and the
 *    slow path refuses the thread with a message naming rseq); erim_init
 *    refuses to start while another thread exists with glibc's rseq on
 *    (control: GLIBC_TUNABLES=glibc.pthread.rseq=0 makes it accept).
 * Offsets of glibc's struct pthread are those of glibc 2.36 (Debian 12); the
 * cancellation tests skip with a reason on other versions. */
#include <asm/prctl.h>
#include <ctype.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

#define RSEQ_SIG 0x53053053

static const char *be_name;
static unsigned id_self, id_tp, id_cb, id_errno, id_ctype, id_rand, id_spin;
static ERIM_TRUSTED volatile long secret_global = 0x5ec7e7;

static uintptr_t get_fs(void)
{
	uintptr_t v = 0;

	syscall(SYS_arch_prctl, ARCH_GET_FS, &v);
	return v;
}

static uintptr_t fs_word(long off)
{
	uintptr_t v;

	__asm__ volatile("movq %%fs:(%1), %0" : "=r"(v) : "r"(off));
	return v;
}

/* ---- trusted entries ---------------------------------------------------------- */
static long e_self(void *a) { (void)a; return (long)fs_word(0x10); }
static long e_tp(void *a) { (void)a; return (long)fs_word(0); }

struct cbrec { uintptr_t fs, self, nested, fs_after_nested; };
static struct cbrec cbr;

static long cb_fs(void *a)
{
	(void)a;
	cbr.fs = get_fs();
	cbr.self = fs_word(0x10);
	cbr.nested = (uintptr_t)erim_gate_call(id_self, NULL);
	cbr.fs_after_nested = get_fs();
	return 0;
}

static long e_cb(void *a)
{
	uintptr_t before = fs_word(0x10), after;

	(void)a;
	erim_callback_call(cb_fs, NULL, 0, NULL, 0);
	after = fs_word(0x10);
	return after == before ? (long)after : -1;
}

static long e_errno(void *a)
{
	(void)a;
	errno = 0;
	close(-1);             /* EBADF, in trusted code's errno */
	return errno;
}

static long e_ctype(void *a)
{
	(void)a;
	return isalpha('q') && !isalpha('1') && toupper('q') == 'Q';
}

/* glibc's getrandom: a cancellation point */
static __attribute__((noinline)) long t_rand(void *a)
{
	char b[16];

	(void)a;
	return getrandom(b, sizeof b, 0) == (ssize_t)sizeof b ? 0 : -1;
}

static volatile long spin_n = 3000000;
static __attribute__((noinline, aligned(64))) long t_spin(void *a)
{
	long s = 0;

	(void)a;
	for (long i = 0; i < spin_n; i++)
		__asm__ volatile("" : "+r"(s) : "r"(i));
	return s;
}

/* ---- attack harness (a forked child reports through a pipe) --------------------- */
static int rep_fd = -1;

static void rep(const char *s)
{
	syscall(SYS_write, rep_fd, s, strlen(s));
}

static __attribute__((noreturn)) void rexit(int c)
{
	for (;;)
		syscall(SYS_exit_group, c);
}

/* Run FN in a child; 1 if it reported "SUCCESS", 0 if not; its stderr is
 * collected into ERR (if given). */
static int run_child(void (*fn)(void), char *err, size_t errlen)
{
	int p[2], e[2], st;
	char buf[2048];
	ssize_t r;
	size_t n = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(p) || pipe(e))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		close(e[0]);
		dup2(e[1], 2);
		rep_fd = p[1];
		fn();
		rep("FAIL returned\n");
		rexit(3);
	}
	close(p[1]);
	close(e[1]);
	while (n < sizeof buf - 1 && (r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
	if (err) {
		n = 0;
		while (n < errlen - 1 && (r = read(e[0], err + n, errlen - 1 - n)) > 0)
			n += (size_t)r;
		err[n] = 0;
	}
	close(p[0]);
	close(e[0]);
	waitpid(pid, &st, 0);
	printf("  child: %s%s", buf, buf[0] && buf[strlen(buf) - 1] != '\n' ? "\n" : "");
	if (WIFSIGNALED(st))
		printf("  child killed by signal %d\n", WTERMSIG(st));
	return strstr(buf, "SUCCESS") != NULL;
}

/* ---- fs bookkeeping ------------------------------------------------------------ */
static int fs_switched;

TEST(trusted_code_runs_on_its_own_block)
{
	uintptr_t mine = get_fs(), self, tp;

	CHECK(fs_switched || strcmp(be_name, "none") == 0, "trusted code runs on the "
	      "caller's %%fs under %s", be_name);
	if (!fs_switched)
		SKIP("no %%fs switch (none back end without FSGSBASE)");
	self = (uintptr_t)erim_gate_call(id_self, NULL);
	tp = (uintptr_t)erim_gate_call(id_tp, NULL);
	CHECK(self != mine, "trusted %%fs:0x10 %#lx is the caller's TCB", (unsigned long)self);
	CHECK(self == tp, "tcb %#lx, self %#lx", (unsigned long)tp, (unsigned long)self);
	CHECK(erim_overlaps_trusted((void *)self, 1), "block %#lx not in trusted memory",
	      (unsigned long)self);
	CHECK(get_fs() == mine, "caller's fs %#lx after the gate, was %#lx",
	      (unsigned long)get_fs(), (unsigned long)mine);
	CHECK(fs_word(0x10) == mine, "caller's %%fs:0x10 changed");
}

TEST(callbacks_run_on_the_callers_fs_and_nest)
{
	uintptr_t mine = get_fs(), self;
	long r;

	if (!fs_switched)
		SKIP("no %%fs switch (none back end without FSGSBASE)");
	self = (uintptr_t)erim_gate_call(id_self, NULL);
	memset(&cbr, 0, sizeof cbr);
	r = erim_gate_call(id_cb, NULL);
	CHECK(r == (long)self, "trusted block before/after the callback: %#lx (want %#lx)",
	      (unsigned long)r, (unsigned long)self);
	CHECK(cbr.fs == mine, "callback ran on fs %#lx, caller's is %#lx",
	      (unsigned long)cbr.fs, (unsigned long)mine);
	CHECK(cbr.self == mine, "callback's %%fs:0x10 %#lx", (unsigned long)cbr.self);
	CHECK(cbr.nested == self, "nested gate call saw %#lx, want %#lx",
	      (unsigned long)cbr.nested, (unsigned long)self);
	CHECK(cbr.fs_after_nested == mine, "callback's fs after the nested call %#lx",
	      (unsigned long)cbr.fs_after_nested);
	CHECK(get_fs() == mine, "caller's fs not restored");
}

TEST(errno_ctype_and_getcpu)
{
	errno = 1234;
	CHECK(erim_gate_call(id_errno, NULL) == EBADF, "trusted close(-1) errno");
	CHECK(errno == 1234 || !fs_switched, "caller's errno became %d", errno);
	CHECK(erim_gate_call(id_ctype, NULL) == 1, "ctype in trusted code");
	CHECK(sched_getcpu() >= 0, "sched_getcpu after the gate: %d", sched_getcpu());
}

static void *th_self(void *a)
{
	*(uintptr_t *)a = (uintptr_t)erim_gate_call(id_self, NULL);
	return NULL;
}

TEST(threads_and_fork_keep_their_blocks)
{
	uintptr_t mine = get_fs(), self, t1 = 0, t2 = 0;
	pthread_t a, b;
	int p[2], st;

	if (!fs_switched)
		SKIP("no %%fs switch (none back end without FSGSBASE)");
	self = (uintptr_t)erim_gate_call(id_self, NULL);
	pthread_create(&a, NULL, th_self, &t1);
	pthread_join(a, NULL);
	pthread_create(&b, NULL, th_self, &t2);
	pthread_join(b, NULL);
	CHECK(t1 && t1 != self && erim_overlaps_trusted((void *)t1, 1), "thread 1 block %#lx",
	      (unsigned long)t1);
	CHECK(t2 && t2 != self, "thread 2 block %#lx", (unsigned long)t2);
	if (pipe(p) != 0)
		SKIP("pipe");
	if (fork() == 0) {
		uintptr_t v[2] = { (uintptr_t)erim_gate_call(id_self, NULL), 0 };

		v[1] = get_fs() == mine;
		(void)!write(p[1], v, sizeof v);
		_exit(0);
	}
	uintptr_t v[2] = { 0, 0 };
	(void)!read(p[0], v, sizeof v);
	wait(&st);
	CHECK(v[0] == self && v[1] == 1, "fork child: block %#lx (want %#lx), fs restored %lu",
	      (unsigned long)v[0], (unsigned long)self, (unsigned long)v[1]);
}

/* ---- cancel_unwind (glibc 2.36 struct pthread offsets) ---------------------- */
struct fake_cleanup { void (*routine)(void *); void *arg; int canceltype; void *prev; };
struct fake_unwind_buf { long jmp_buf[8]; int mask_was_saved; void *prev, *cleanup;
                         int canceltype; void *pad[2]; };
static struct fake_cleanup fc;
static struct fake_unwind_buf fb;

static void evil(void *arg)
{
	char m[200];

	(void)arg;
	if (erim_in_trusted() && strcmp(be_name, "none") != 0)
		snprintf(m, sizeof m, "SUCCESS attacker cleanup handler ran in trusted code "
		         "and read %#lx\n", secret_global);
	else
		snprintf(m, sizeof m, "SUCCESS attacker cleanup handler ran (untrusted)\n");
	rep(m);
	rexit(0);
}

static void arm(char *self)
{
	uintptr_t guard;

	__asm__ volatile("mov %%fs:0x30, %0" : "=r"(guard));
	fb.jmp_buf[6] = (long)((guard << 17) | (guard >> 47));   /* PTR_MANGLE(0) */
	fc.routine = evil;
	*(void **)(self + 0x690) = NULL;                         /* stackblock */
	*(size_t *)(self + 0x698) = 0;
	*(void **)(self + 0x300) = &fb;                          /* cleanup_jmp_buf */
	*(void **)(self + 0x2f8) = &fc;                          /* cleanup */
	__atomic_store_n((int *)(self + 0x308), 0x8, __ATOMIC_SEQ_CST); /* CANCELED */
}

static void *dummy(void *a) { pthread_exit(a); }   /* loads libgcc_s (dynamic) */

static void multi_thread(void)
{
	pthread_t th;

	pthread_create(&th, NULL, dummy, NULL);   /* libgcc_s loaded; not single-threaded */
	pthread_join(th, NULL);
}

static void atk_cancel(void)
{
	multi_thread();
	erim_gate_call(id_self, NULL);            /* slot already claimed */
	arm((char *)pthread_self());
	erim_gate_call(id_rand, NULL);
	*(int *)((char *)pthread_self() + 0x308) = 0;
	rep("FAIL trusted getrandom returned normally\n");
	rexit(2);
}

static void ctl_cancel(void)
{
	multi_thread();
	arm((char *)pthread_self());
	t_rand(NULL);                              /* the same call, no gate */
	*(int *)((char *)pthread_self() + 0x308) = 0;
	rep("FAIL direct getrandom returned normally\n");
	rexit(2);
}

static char fake_area[0x2000] __attribute__((aligned(4096)));

static void *fakefs_thread(void *a)
{
	char *tp = (char *)pthread_self(), *ntp = fake_area + 0x1000;

	(void)a;
	memcpy(fake_area, tp - 0x1000, 0x1000 + 0x6c0);
	*(void **)(ntp + 0x0) = ntp;
	*(void **)(ntp + 0x10) = ntp;
	arm(ntp);
	if (syscall(SYS_arch_prctl, ARCH_SET_FS, ntp) != 0) {
		rep("FAIL arch_prctl\n");
		rexit(7);
	}
	erim_gate_call(id_rand, NULL);
	if (get_fs() != (uintptr_t)ntp) {
		rep("FAIL the fake fs was not restored\n");
		rexit(8);
	}
	rep("FAIL trusted getrandom returned normally (fake fs restored)\n");
	rexit(2);
}

static void atk_cancel_fakefs(void)
{
	pthread_t th;

	multi_thread();
	pthread_create(&th, NULL, fakefs_thread, NULL);
	pthread_join(th, NULL);
	rexit(3);
}

static int glibc_236(void)
{
	return strcmp(gnu_get_libc_version(), "2.36") == 0;
}

TEST(cancel_unwind_is_stopped)
{
	if (!glibc_236())
		SKIP("struct pthread offsets are those of glibc 2.36, this is %s",
		     gnu_get_libc_version());
	CHECK(run_child(ctl_cancel, NULL, 0) == 1, "control: the armed TCB did not run the "
	      "handler on a direct call (attack mechanism broken?)");
	if (!fs_switched && strcmp(be_name, "none") == 0)
		SKIP("no %%fs switch (none back end without FSGSBASE): attack not run");
	CHECK(run_child(atk_cancel, NULL, 0) == 0, "the attacker's cleanup handler ran inside "
	      "trusted code");
}

TEST(cancel_unwind_fakefs_is_stopped)
{
	if (!glibc_236())
		SKIP("struct pthread offsets are those of glibc 2.36, this is %s",
		     gnu_get_libc_version());
	if (!fs_switched && strcmp(be_name, "none") == 0)
		SKIP("no %%fs switch (none back end without FSGSBASE)");
	CHECK(run_child(atk_cancel_fakefs, NULL, 0) == 0, "the attacker's cleanup handler ran "
	      "inside trusted code (fake %%fs)");
}

/* ---- rseq_abort ------------------------------------------------------------------ */
struct k_rseq_cs { uint32_t version, flags; uint64_t start_ip, post_commit_offset, abort_ip; }
	__attribute__((aligned(32)));
struct k_rseq { uint32_t cpu_id_start, cpu_id; uint64_t rseq_cs; uint32_t flags;
                uint32_t pad[3]; } __attribute__((aligned(32)));
static struct k_rseq_cs cs;
static volatile int spin_stop;

void rt_tcb_rseq_evil(void);
__asm__(".text\n\t.p2align 4\n\t.long 0x53053053\n"
        "rt_tcb_rseq_abort:\n\t"
        "andq $-16, %rsp\n\t"
        "call rt_tcb_rseq_evil\n\t"
        "ud2\n");
extern char rt_tcb_rseq_abort[];

void rt_tcb_rseq_evil(void)
{
	char m[200];

	if (erim_in_trusted() && strcmp(be_name, "none") != 0)
		snprintf(m, sizeof m, "SUCCESS rseq abort left trusted code into the attacker's "
		         "handler, which read %#lx\n", secret_global);
	else
		snprintf(m, sizeof m, "SUCCESS rseq abort into the attacker's handler (untrusted)\n");
	rep(m);
	rexit(0);
}

/* every thread of the child on one CPU: the spinners preempt the victim */
static void pin(void)
{
	cpu_set_t c;

	CPU_ZERO(&c);
	CPU_SET(0, &c);
	sched_setaffinity(0, sizeof c, &c);
}

static void *spinner(void *a)
{
	pin();
	while (!spin_stop)
		__asm__ volatile("pause");
	return a;
}

static int via_gate;
static int sealed;          /* mpk/mprotect: erim_init refused rseq process-wide */

/* the attacker's strongest move: register glibc's area (or, when the kernel
 * refuses, report that) -- a memory-only attacker cannot even get this far,
 * see rseq_glibc_thread below */
static void *rseq_thread(void *a)
{
	struct k_rseq *rs;
	char m[160];

	(void)a;
	pin();
	rs = (struct k_rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
	if ((int32_t)rs->cpu_id < 0 && syscall(SYS_rseq, rs, 32, 0, RSEQ_SIG) != 0) {
		snprintf(m, sizeof m, "stopped: rseq registration refused (%s)\n",
		         strerror(errno));
		rep(m);
		rexit(4);
	}
	cs.start_ip = (uintptr_t)t_spin;
	cs.post_commit_offset = 0x100;
	cs.abort_ip = (uintptr_t)rt_tcb_rseq_abort;
	for (int tries = 0; tries < 300; tries++) {
		__atomic_store_n(&rs->rseq_cs, (uint64_t)(uintptr_t)&cs, __ATOMIC_RELAXED);
		if (via_gate)
			erim_gate_call(id_spin, NULL);
		else
			t_spin(NULL);
	}
	__atomic_store_n(&rs->rseq_cs, 0, __ATOMIC_RELAXED);
	return NULL;
}

static void rseq_run(void)
{
	pthread_t th[3], t;

	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, spinner, NULL);
	pthread_create(&t, NULL, rseq_thread, NULL);
	pthread_join(t, NULL);
	spin_stop = 1;
	rep("FAIL no abort in 300 runs\n");
	rexit(2);
}

static void atk_rseq(void) { via_gate = 1; rseq_run(); }
static void ctl_rseq(void) { via_gate = 0; rseq_run(); }

static const char *self_exe;
/* Outputs of this program run again before erim_init sealed this process
 * (its seccomp filter is inherited across exec, so a later run could not
 * register rseq at all): the control under none, and erim_init with a
 * second thread with and without glibc's rseq. */
static char out_control[2048], out_threads[2048], out_threads_off[2048];

static void run_self(const char *env, const char *be, const char *what, char *buf, size_t len)
{
	char cmd[4200];
	size_t n = 0, r;
	FILE *f;

	snprintf(cmd, sizeof cmd, "%s '%s' %s %s 2>&1", env, self_exe, be, what);
	f = popen(cmd, "r");
	if (!f) {
		snprintf(buf, len, "popen failed\n");
		return;
	}
	while (n < len - 1 && (r = fread(buf + n, 1, len - 1 - n, f)) > 0)
		n += r;
	buf[n] = 0;
	pclose(f);
}

TEST(rseq_abort_is_stopped)
{
	int c;

	if (__rseq_size == 0)
		SKIP("glibc registers no rseq area (glibc < 2.35 or tunable off)");
	if (sealed) {
		printf("  control (this program under none, direct calls): %s", out_control);
		c = strstr(out_control, "SUCCESS") != NULL;
	} else {
		c = run_child(ctl_rseq, NULL, 0);
	}
	CHECK(run_child(atk_rseq, NULL, 0) == 0 || strcmp(be_name, "none") == 0, "the "
	      "kernel's rseq abort moved the thread out of trusted code into the "
	      "attacker's handler");
	if (c != 1)
		SKIP("control: no rseq abort through the gate under none in 300 runs (no "
		     "preemption inside the range here), so the result above proves little");
}

/* No system call at all: a memory-safety bug can write the creating
 * thread's glibc rseq area (cpu_id >= 0: "registered"), so glibc asks the
 * new thread to register at its start -- the kernel must refuse it, and
 * glibc then stops the process; the thread never runs. */
static void *glibc_thread(void *a)
{
	struct k_rseq *rs = (struct k_rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
	char m[160];

	(void)a;
	snprintf(m, sizeof m, "%s the new thread runs with cpu_id %d in glibc's rseq area\n",
	         (int32_t)rs->cpu_id >= 0 ? "SUCCESS" : "stopped:", (int)(int32_t)rs->cpu_id);
	rep(m);
	rexit(0);
}

static void atk_glibc(void)
{
	struct k_rseq *rs = (struct k_rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
	pthread_t t;

	rs->cpu_id = 0;
	pthread_create(&t, NULL, glibc_thread, NULL);
	pthread_join(t, NULL);
	rexit(3);
}

TEST(thread_never_gets_an_rseq_area)
{
	char err[1024];
	int r;

	if (__rseq_size == 0)
		SKIP("glibc registers no rseq area (glibc < 2.35 or tunable off)");
	r = run_child(atk_glibc, err, sizeof err);
	if (sealed) {
		CHECK(r == 0, "a thread started with an rseq area registered");
		printf("  stderr: %s", err);
	} else {
		CHECK(r == 1, "control: under none glibc registers the new thread's area");
	}
}

static struct k_rseq own_rseq;

static void *own_rseq_thread(void *a)
{
	char m[160];
	long r;

	(void)a;
	r = syscall(SYS_rseq, &own_rseq, 32, 0, RSEQ_SIG);
	snprintf(m, sizeof m, "%s x86-64 rseq registration answered %ld (%s)\n",
	         r == 0 ? "SUCCESS" : "stopped:", r, r ? strerror(errno) : "registered");
	rep(m);
	if (r == 0) {
		erim_gate_call(id_self, NULL);
		rep("SUCCESS first gate call with an own rseq area registered was accepted\n");
	}
	rexit(0);
}

static void atk_own_rseq(void)
{
	pthread_t t;

	pthread_create(&t, NULL, own_rseq_thread, NULL);
	pthread_join(t, NULL);
	rexit(3);
}

/* rseq through the i386 system-call table (int $0x80, number 386) */
static void atk_own_rseq32(void)
{
	static struct k_rseq lo __attribute__((aligned(32)));
	struct k_rseq *area = &lo;
	char m[160];
	long r;

	if ((uintptr_t)area > 0xffffffffu) {
		area = mmap((void *)0x10000000, 4096, PROT_READ | PROT_WRITE,
		            MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (area == MAP_FAILED) {
			rep("FAIL no memory below 4 GiB\n");
			rexit(5);
		}
	}
	__asm__ volatile("int $0x80" : "=a"(r) : "0"(386L), "b"(area), "c"(32L), "d"(0L),
	                 "S"((long)RSEQ_SIG) : "memory");
	snprintf(m, sizeof m, "%s i386 rseq registration answered %ld\n",
	         r == 0 ? "SUCCESS" : "stopped:", r);
	rep(m);
	rexit(0);
}

TEST(rseq_registration_is_refused)
{
	char err[1024];

	if (!fs_switched)
		SKIP("no trusted thread block, so no rseq proof area (none without FSGSBASE)");
	if (sealed) {
		CHECK(run_child(atk_own_rseq, err, sizeof err) == 0, "registered");
		CHECK(run_child(atk_own_rseq32, err, sizeof err) == 0, "registered (int $0x80)");
	} else {
		/* none: registration works, the slow path still refuses the thread */
		CHECK(run_child(atk_own_rseq, err, sizeof err) == 1, "control: under none "
		      "a thread registers its own area");
		printf("  stderr: %s", err);
		CHECK(strstr(err, "rseq") != NULL, "the slow path's refusal does not name rseq");
		CHECK(run_child(atk_own_rseq32, err, sizeof err) == 1, "control: under none "
		      "int $0x80 registers an area");
	}
}

/* erim_init with a second thread running (glibc's rseq on, and off) */
static void *idle_thread(void *a)
{
	pause();
	return a;
}

static int init_with_threads(void)
{
	pthread_t t;

	pthread_create(&t, NULL, idle_thread, NULL);
	if (erim_init(NULL) < 0) {
		printf("stopped: erim_init refused: %s\n", erim_strerror());
		return 0;
	}
	printf("SUCCESS erim_init accepted a second thread\n");
	return 0;
}

TEST(init_refuses_other_threads_with_rseq)
{
	if (__rseq_size == 0)
		SKIP("glibc registers no rseq area (glibc < 2.35 or tunable off)");
	printf("  %s", out_threads);
	/* Since red team 11 (rt_exec_preload) erim_init refuses any other live
	 * thread under mpk and mprotect, rseq or not (erim_precheck.c: a thread
	 * keeps its own PKRU); the rseq refusal of erim_rseq.c stays behind it.
	 * The controls (a joined thread, none) are tests/harden/rt_low.c's. */
	if (sealed) {
		CHECK(strstr(out_threads, "stopped") && strstr(out_threads, "threads exist"),
		      "erim_init accepted other threads while glibc's rseq is on, or its "
		      "refusal does not name the threads");
		printf("  with glibc.pthread.rseq=0: %s", out_threads_off);
		CHECK(strstr(out_threads_off, "stopped") && strstr(out_threads_off, "threads exist"),
		      "with rseq off in glibc erim_init still refuses other threads");
	} else {
		CHECK(strstr(out_threads, "SUCCESS") != NULL, "control: none seals nothing");
	}
}

/* ---- baseline ----------------------------------------------------------------- */
static void direct_read(void)
{
	char m[100];

	snprintf(m, sizeof m, "SUCCESS read %#lx directly\n", secret_global);
	rep(m);
	rexit(0);
}

TEST(direct_read_baseline)
{
	int r = run_child(direct_read, NULL, 0);

	if (strcmp(be_name, "none") == 0)
		CHECK(r == 1, "control: under none the plain read works");
	else
		CHECK(r == 0, "untrusted code read the trusted global");
}

int main(int argc, char **argv)
{
	static const struct erim_entry tab[] = {
		{ "rt_tcb", "self", e_self, ERIM_ENTRY_PUBLIC },
		{ "rt_tcb", "tp", e_tp, ERIM_ENTRY_PUBLIC },
		{ "rt_tcb", "cb", e_cb, ERIM_ENTRY_PUBLIC },
		{ "rt_tcb", "errno", e_errno, ERIM_ENTRY_PUBLIC },
		{ "rt_tcb", "ctype", e_ctype, ERIM_ENTRY_PUBLIC },
		{ "rt_tcb", "rand", t_rand, ERIM_ENTRY_PUBLIC },
		{ "rt_tcb", "spin", t_spin, ERIM_ENTRY_PUBLIC },
	};
	unsigned first;
	char suite[64];

	be_name = argc > 1 ? argv[1] : "none";
	self_exe = argv[0];
	setenv("ERIM_BACKEND", be_name, 1);
	if (argc > 2 && strcmp(argv[2], "init-threads") == 0)
		return init_with_threads();
	if (argc == 2) {
		run_self("ERIM_QUIET=1", "none", "rseq-control", out_control, sizeof out_control);
		run_self("ERIM_QUIET=1", be_name, "init-threads", out_threads, sizeof out_threads);
		run_self("ERIM_QUIET=1 GLIBC_TUNABLES=glibc.pthread.rseq=0", be_name,
		         "init-threads", out_threads_off, sizeof out_threads_off);
	}
	if (erim_register_entries(tab, sizeof tab / sizeof tab[0], &first) < 0)
		return 2;
	id_self = first;
	id_tp = first + 1;
	id_cb = first + 2;
	id_errno = first + 3;
	id_ctype = first + 4;
	id_rand = first + 5;
	id_spin = first + 6;
	if (erim_init(NULL) < 0) {
		fprintf(stderr, "erim_init: %s\n", erim_strerror());
		return 2;
	}
	printf("rt_tcb: back end %s\n", erim_backend_name(erim_backend()));
	fs_switched = (uintptr_t)erim_gate_call(id_self, NULL) != get_fs();
	sealed = strcmp(be_name, "none") != 0;
	if (argc > 2 && strcmp(argv[2], "rseq-control") == 0) {
		rep_fd = 1;
		ctl_rseq();
	}
	RUN(direct_read_baseline);
	RUN(trusted_code_runs_on_its_own_block);
	RUN(callbacks_run_on_the_callers_fs_and_nest);
	RUN(errno_ctype_and_getcpu);
	RUN(threads_and_fork_keep_their_blocks);
	RUN(cancel_unwind_is_stopped);
	RUN(cancel_unwind_fakefs_is_stopped);
	RUN(rseq_abort_is_stopped);
	RUN(thread_never_gets_an_rseq_area);
	RUN(rseq_registration_is_refused);
	RUN(init_refuses_other_threads_with_rseq);
#ifdef RT_STATIC
	snprintf(suite, sizeof suite, "rt_tcb_static");
#else
	snprintf(suite, sizeof suite, "rt_tcb");
#endif
	return check_done(suite);
}
