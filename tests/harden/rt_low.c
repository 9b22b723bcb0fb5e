/* SPDX-License-Identifier: MIT */
/* rt_low.c: three start-up and identity rules of erim_init / the trusted
 * thread block (red-team rounds 10 and 11).  One mode per run, the back end
 * as the second argument (ERIM_BACKEND is set from it); exit 0 when the
 * expected behaviour was seen, 1 otherwise.
 *
 *   sites BE    no WRPKRU/XRSTOR below 4 GiB under mpk (compatibility-mode
 *               code reaches it; rt_compat_gate).  A non-PIE program
 *               (rt_low_nopie: liberim.a, gcc -static) must be refused under
 *               mpk with a message naming the site and "-static-pie"; the
 *               same program as static-PIE (rt_low_static) or dynamic must
 *               initialise and run a gate (the control); mprotect and none
 *               are not refused.
 *   threads BE  erim_init refuses while another task shares the address
 *               space (a thread started before it keeps its own PKRU;
 *               rt_exec_preload): a live pthread, a live CLONE_VM child;
 *               controls: a thread that was joined before erim_init, and the
 *               none back end (no protection: not refused).
 *   tid BE      the trusted thread block carries the thread's kernel tid
 *               (tcb_tid): a recursive mutex held by thread A (locked in
 *               trusted code, kept across the return) is not acquired by
 *               thread B's trylock in trusted code (EBUSY), B cannot unlock
 *               A's error-checking mutex (EPERM), and the owner glibc
 *               records in trusted code is the caller's gettid().  Without
 *               the tid every trusted block had tid 0 = an unlocked mutex's
 *               owner, and B's trylock returned 0. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

static ERIM_TRUSTED long t_secret = 0x5ec7e7;
static ERIM_TRUSTED pthread_mutex_t t_mu;
static unsigned id_read, id_setup, id_lock, id_try, id_unlock;

static long e_read(void *a) { (void)a; return t_secret; }
static long e_setup(void *a)
{
	pthread_mutexattr_t at;

	pthread_mutexattr_init(&at);
	pthread_mutexattr_settype(&at, (int)(intptr_t)a);
	return pthread_mutex_init(&t_mu, &at);
}
/* lock; 1 when glibc recorded the caller's kernel tid as the owner */
static long e_lock(void *a)
{
	(void)a;
	if (pthread_mutex_lock(&t_mu) != 0)
		return -1;
	return t_mu.__data.__owner == (int)syscall(SYS_gettid);
}
static long e_try(void *a)
{
	int r = pthread_mutex_trylock(&t_mu);

	(void)a;
	if (r == 0)
		pthread_mutex_unlock(&t_mu);
	return r;
}
static long e_unlock(void *a) { (void)a; return pthread_mutex_unlock(&t_mu); }

static void setup(const char *be)
{
	static const struct erim_entry tab[] = {
		{ "rt_low", "read", e_read, ERIM_ENTRY_PUBLIC },
		{ "rt_low", "setup", e_setup, ERIM_ENTRY_PUBLIC },
		{ "rt_low", "lock", e_lock, ERIM_ENTRY_PUBLIC },
		{ "rt_low", "try", e_try, ERIM_ENTRY_PUBLIC },
		{ "rt_low", "unlock", e_unlock, ERIM_ENTRY_PUBLIC },
	};
	unsigned first;

	setenv("ERIM_BACKEND", be, 1);
	if (erim_register_entries(tab, 5, &first) < 0) {
		printf("erim_register_entries failed\n");
		exit(2);
	}
	id_read = first;
	id_setup = first + 1;
	id_lock = first + 2;
	id_try = first + 3;
	id_unlock = first + 4;
}

static int init_ok(void)
{
	int r = erim_init(NULL);

	if (r < 0) {
		printf("  erim_init = %d: %s\n", r, erim_strerror());
		return 0;
	}
	if (erim_gate_call(id_read, NULL) != 0x5ec7e7) {
		printf("  the gate did not return the trusted value\n");
		return 0;
	}
	printf("  erim_init ok (backend %s), a gate call works\n", erim_backend_name(erim_backend()));
	return 1;
}

/* ---- sites ---- */
static int mode_sites(const char *be)
{
	int low = (uintptr_t)(void *)mode_sites < (1ULL << 32);
	int want_refused = low && strcmp(be, "mpk") == 0;
	int r;

	printf("sites %s: program text at %p (%s)\n", be, (void *)mode_sites,
	       low ? "below 4 GiB: non-PIE" : "above 4 GiB: PIE");
	if (!want_refused)
		return init_ok() ? 0 : 1;
	r = erim_init(NULL);
	printf("  erim_init = %d: %s\n", r, r < 0 ? erim_strerror() : "ok");
	if (r < 0 && strstr(erim_strerror(), "below 4 GiB") && strstr(erim_strerror(), "-static-pie")) {
		printf("  refused as expected (compatibility-mode code could reach the gate)\n");
		return 0;
	}
	printf("  FAIL: a non-PIE program was not refused under mpk\n");
	return 1;
}

/* ---- threads ---- */
static int pipefd[2];

static void *sleeper(void *a)
{
	char c;

	(void)a;
	return read(pipefd[0], &c, 1) < 0 ? NULL : a;
}

static int vm_child(void *a)
{
	char c;

	(void)a;
	/* raw system calls only: this task shares the parent's TLS */
	syscall(SYS_read, pipefd[0], &c, 1);
	syscall(SYS_exit, 0);
	return 0;
}

struct thread_case { const char *be, *what, *want_msg; int want_ok; };

/* the child of thread_case: exits 0 when erim_init did what TC wants */
static void thread_child(void *arg)
{
	const struct thread_case *tc = arg;
	pthread_t t;
	int ok, live = strcmp(tc->what, "joined") != 0;
	static char stk[65536] __attribute__((aligned(16)));
	pid_t vm = -1;

	if (pipe(pipefd) != 0)
		_exit(2);
	if (strcmp(tc->what, "clone_vm") == 0) {
		vm = clone(vm_child, stk + sizeof stk, CLONE_VM | SIGCHLD, NULL);
		if (vm < 0)
			_exit(2);
	} else {
		if (pthread_create(&t, NULL, sleeper, NULL) != 0)
			_exit(2);
		if (!live) {
			char c = 'x';

			if (write(pipefd[1], &c, 1) != 1)
				_exit(2);
			pthread_join(t, NULL);
		}
	}
	printf("threads %s, %s: ", tc->be, tc->what);
	ok = erim_init(NULL) == 0;
	printf("erim_init %s%s%s\n", ok ? "ok" : "refused: ", ok ? "" : erim_strerror(), "");
	if (live) {
		char c = 'x';

		if (write(pipefd[1], &c, 1) != 1)
			_exit(2);
		if (vm > 0)
			waitpid(vm, NULL, 0);
		else
			pthread_join(t, NULL);
	}
	if (ok != tc->want_ok)
		_exit(1);
	if (!ok && tc->want_msg && !strstr(erim_strerror(), tc->want_msg))
		_exit(1);
	if (ok && erim_gate_call(id_read, NULL) != 0x5ec7e7)
		_exit(1);
	_exit(0);
}

/* in a child process (check_child, its output printed after it): 0 when
 * erim_init did what WANT says (1: init ok) */
static int thread_case(const char *be, const char *what, int want_ok, const char *want_msg)
{
	struct thread_case c = { be, what, want_msg, want_ok };
	int st = check_child(thread_child, &c, check_child_out, sizeof check_child_out);

	fputs(check_child_out, stdout);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("  FAIL: threads %s, %s: expected %s (status %#x)\n", be, what,
		       want_ok ? "erim_init ok" : "erim_init refused", st);
		return 1;
	}
	printf("  ok: %s\n", want_ok ? "initialised" : "refused as expected");
	return 0;
}

static int mode_threads(const char *be)
{
	int prot = strcmp(be, "none") != 0, f = 0;

	f |= thread_case(be, "pthread", !prot, "2 threads exist");
	f |= thread_case(be, "clone_vm", !prot, "another task shares it");
	f |= thread_case(be, "joined", 1, NULL);
	return f;
}

/* ---- tid ---- */
static long b_result;
static void *b_try(void *a) { (void)a; b_result = erim_gate_call(id_try, NULL); return NULL; }
static void *b_unlock(void *a) { (void)a; b_result = erim_gate_call(id_unlock, NULL); return NULL; }

static long in_thread(void *(*fn)(void *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, NULL) != 0)
		return -1000;
	pthread_join(t, NULL);
	return b_result;
}

static int mode_tid(const char *be)
{
	long own, r;
	int f = 0;

	if (!init_ok())
		return 1;
	/* recursive: A holds it (locked in trusted code, kept across the return) */
	erim_gate_call(id_setup, (void *)(intptr_t)PTHREAD_MUTEX_RECURSIVE);
	own = erim_gate_call(id_lock, NULL);
	r = in_thread(b_try);
	printf("tid %s: recursive mutex held by thread A; owner recorded in trusted code is A's "
	       "gettid(): %s; thread B's trylock in trusted code = %ld (%s)\n", be,
	       own == 1 ? "yes" : "NO", r, r == EBUSY ? "EBUSY" : r == 0 ? "ACQUIRED" : "?");
	f |= own != 1 || r != EBUSY;
	erim_gate_call(id_unlock, NULL);
	r = in_thread(b_try);
	printf("  after A unlocked: B's trylock = %ld (want 0)\n", r);
	f |= r != 0;
	/* error-checking: B cannot unlock A's lock */
	erim_gate_call(id_setup, (void *)(intptr_t)PTHREAD_MUTEX_ERRORCHECK);
	own = erim_gate_call(id_lock, NULL);
	r = in_thread(b_unlock);
	printf("  error-checking mutex held by A: owner is A: %s; B's unlock = %ld (%s)\n",
	       own == 1 ? "yes" : "NO", r, r == EPERM ? "EPERM" : r == 0 ? "UNLOCKED A's lock" : "?");
	f |= own != 1 || r != EPERM;
	r = erim_gate_call(id_unlock, NULL);
	printf("  A's own unlock = %ld (want 0)\n", r);
	f |= r != 0;
	printf("%s\n", f ? "FAIL" : "ok");
	return f;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *be = argc > 2 ? argv[2] : "mprotect";

	setvbuf(stdout, NULL, _IONBF, 0);
	setup(be);
	if (strcmp(mode, "sites") == 0)
		return mode_sites(be);
	if (strcmp(mode, "threads") == 0)
		return mode_threads(be);
	if (strcmp(mode, "tid") == 0)
		return mode_tid(be);
	fprintf(stderr, "usage: %s sites|threads|tid mpk|mprotect|none\n", argv[0]);
	return 2;
}
