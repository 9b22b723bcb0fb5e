/* SPDX-License-Identifier: MIT */
/* rt_finiforge.c: red team 60b's finiforge as a test -- while erim_fini
 * replaces liberim's tables, no thread may get its own function run with the
 * trusted key open.
 *
 * erim_fini (after the trusted wipe) untagged the entry table and gave the
 * slot table fresh writable pages while the gates still loaded the trusted
 * PKRU and the trusted stacks still held their pages.  A second thread that
 * saw the tables become plain memory (write(2) of them stops failing with
 * EFAULT: a probe, no protection change) forged entry 1 (its own function,
 * public) and its own slot (idle, a stack of its own) with plain stores and
 * called the gate: its function ran with the trusted key open (6.1: 10 of
 * 12 tries, 6.12: 5 of 12).  Now the data ranges are replaced first, then
 * the gates' PKRU values closed, and only then the tables: the forged call
 * runs with every key but 0 denied, as gates run after erim_fini.
 *
 * Each try is a fresh child (erim_fini is one way): a trusted entry leaves
 * copies of the secret in its frame on the caller's trusted stack, then the
 * caller calls erim_fini while the racer waits.  The forged function notes
 * the PKRU it runs with and scans that frame.  Static-PIE (liberim's internal
 * tables by name).
 *
 *   rt_finiforge mpk    expected: the forged function never runs with the
 *                       trusted key, never finds the secret
 *   rt_finiforge none   control: the forged call runs and finds the secret
 *                       (the forging works wherever the tables are plain
 *                       memory; here before erim_fini, nothing to race)
 * Exit 0 when the expectation holds, 1 when not, 2 on a set-up failure. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_internal.h"

#define TRIES 12
/* a child's exit status: 16 + what its forged function did */
#define RAN 1          /* it ran */
#define KEY_OPEN 2     /* with the trusted key open */
#define READ 4         /* and found the secret */

static ERIM_TRUSTED unsigned char secret[32] = "TRUSTED-SECRET-0123456789abcdef";
static const char pat[33] = "TRUSTED-SECRET-0123456789abcdef";

extern __thread uint32_t erim__tls_slot;

static uintptr_t residue;          /* the trusted entry's frame */
static volatile int ran, key_open, hits, fini_returned;
static int tkey;                   /* the trusted key (erim_fini forgets it) */
static int tables_keyed;           /* mpk: until erim_fini replaces them */
static int pfd[2];
static char forged_stack[1 << 16] __attribute__((aligned(64)));

/* trusted: leaves the secret in 1 KiB of its own frame */
static long ff_leave(void *a)
{
	volatile unsigned char buf[1024];

	for (int i = 0; i < 1024; i++)
		buf[i] = secret[i % 32];
	*(uintptr_t *)a = (uintptr_t)buf;
	return 0;
}

static long ff_noop(void *a)
{
	(void)a;
	return 0;
}

static const struct erim_entry ff_entries[] = {
	{ "ff", "ff_leave", ff_leave, ERIM_ENTRY_PUBLIC },
	{ "ff", "ff_noop", ff_noop, ERIM_ENTRY_PUBLIC },
};
static unsigned id_leave, id_noop;

static uint32_t rdpkru(void)
{
	uint32_t a, d;

	__asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(a), "=d"(d) : "c"(0));
	return a;
}

/* what the racer forges into the entry table: runs as "trusted" */
static long forged(void *a)
{
	const volatile unsigned char *p = (const volatile unsigned char *)residue;
	int n = 0;

	(void)a;
	if (tkey > 0)
		key_open = !(rdpkru() & (3u << (2 * tkey)));
	for (int i = 0; i + 32 <= 1024; i += 32) {
		int same = 1;

		for (int j = 0; j < 32 && same; j++)
			same = p[i + j] == (unsigned char)pat[j];
		n += same;
	}
	hits = n;
	ran = 1;
	return 0;
}

static int plain(const void *p)
{
	char b[8];

	if (write(pfd[1], p, 8) != 8)
		return 0;      /* EFAULT: still keyed */
	return read(pfd[0], b, 8) == 8;
}

static void *racer(void *unused)
{
	volatile struct erim_ro *ro = (volatile struct erim_ro *)&erim__ro;
	struct erim_ientry *e;
	struct erim_slot *s;
	uint32_t h;

	(void)unused;
	erim_gate_call(id_noop, NULL);      /* a slot of its own: its index in TLS */
	h = erim__tls_slot;
	e = erim__ro.entries;
	s = erim__ro.slots;
	while (ro->mode != ERIM_MODE_DIRECT && !fini_returned) {   /* -EBUSY: nothing changed */
		if (!plain(&e[id_leave]) || !plain(&s[h]))
			continue;
		e[id_leave].fn = forged;
		e[id_leave].flags = ERIM_ENTRY_PUBLIC;
		s[h].stack_top = ((uintptr_t)forged_stack + sizeof forged_stack) & ~(uintptr_t)15;
		s[h].tcb = 0;
		s[h].state = ERIM_SLOT_IDLE;
		erim_gate_call(id_leave, NULL);
		break;
	}
	return NULL;
}

static int child(void)
{
	pthread_t t;
	int r;

	alarm(60);      /* a child that hangs is reported (SIGALRM), not waited for */
	if (pipe(pfd) != 0 || erim_gate_call(id_leave, &residue) != 0 || !residue)
		return 2;
	if (pthread_create(&t, NULL, racer, NULL) != 0)
		return 2;
	if (!tables_keyed) {
		/* none: the tables are plain memory all along -- the control
		 * shows what forging them buys, with no erim_fini to race */
		pthread_join(t, NULL);
		r = erim_fini();
	} else {
		for (volatile int i = 0; i < 200000; i++)
			;
		r = erim_fini();
		fini_returned = 1;
		pthread_join(t, NULL);
	}
	printf("rt_finiforge: erim_fini %d; forged function ran: %d, trusted key open: %d, "
	       "secret copies found: %d\n", r, ran, key_open, hits);
	return 16 | (ran ? RAN : 0) | (key_open ? KEY_OPEN : 0) | (hits ? READ : 0);
}

int main(int argc, char **argv)
{
	int mpk, open_ = 0, read_ = 0, ran_ = 0, stopped = 0, hung = 0, tries;

	if (argc < 2 || argc > 3 || (strcmp(argv[1], "mpk") && strcmp(argv[1], "none"))) {
		fprintf(stderr, "usage: %s mpk|none [TRIES]\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	mpk = strcmp(argv[1], "mpk") == 0;
	tables_keyed = mpk;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (erim_register_entries(ff_entries, 2, &id_leave) != 0 || erim_init(NULL) < 0) {
		printf("rt_finiforge: SET-UP FAILED: %s\n", erim_strerror());
		return 2;
	}
	id_noop = id_leave + 1;
	tkey = erim__ro.pkey;
	tries = argc > 2 ? atoi(argv[2]) : TRIES;
	for (int t = 0; t < tries; t++) {
		pid_t p;
		int st;

		fflush(NULL);
		p = fork();
		if (p < 0)
			return 2;
		if (p == 0)
			_exit(child());
		if (waitpid(p, &st, 0) < 0)
			return 2;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
			printf("rt_finiforge: SET-UP FAILED in try %d\n", t);
			return 2;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM) {
			printf("rt_finiforge: try %d: FAIL: the child hung (SIGALRM after 60 s)\n", t);
			hung++;
			continue;
		}
		if (!WIFEXITED(st)) {
			printf("rt_finiforge: try %d: child stopped by signal %d\n", t, WTERMSIG(st));
			stopped++;
			continue;
		}
		if (!(WEXITSTATUS(st) & 16)) {
			printf("rt_finiforge: try %d: child exited %d\n", t, WEXITSTATUS(st));
			return 2;
		}
		ran_ += !!(WEXITSTATUS(st) & RAN);
		open_ += !!(WEXITSTATUS(st) & KEY_OPEN);
		read_ += !!(WEXITSTATUS(st) & READ);
	}
	printf("rt_finiforge %s: of %d tries the forged function ran in %d, with the trusted key "
	       "open in %d, found the secret in %d; %d children stopped by a signal\n", argv[1], tries, ran_,
	       open_, read_, stopped);
	if (mpk) {
		printf("rt_finiforge: %s\n", open_ || read_ ? "FAIL: attacker code ran with the trusted "
		                                              "key or found the secret"
		                              : hung ? "FAIL: a child hung" : "ok");
		printf("rt_finiforge: %d passed, %d failed\n", !(open_ || read_ || hung),
		       !!(open_ || read_ || hung));
		return open_ || read_ || hung;
	}
	printf("rt_finiforge: %s\n", ran_ ? "ok (control): the forged call runs where the tables are "
	                                     "plain memory"
	                                   : "FAIL (control): the forged call never ran -- the test "
	                                     "shows nothing");
	printf("rt_finiforge: %d passed, %d failed\n", !!ran_, !ran_);
	return !ran_;
}
