/* SPDX-License-Identifier: MIT */
/* rt_finiwin.c: red team 21's fini_window as a test -- erim_fini called by
 * untrusted code must never make a trusted byte readable, whatever another
 * thread does meanwhile.
 *
 * erim_fini made the sealed read-only page writable *before* it replaced the
 * trusted ranges with fresh memory, while the remap still walked the page's
 * range registry and every gate's WRPKRU check compared with its PKRU
 * values; the wipe before it leaves the top of the caller's own trusted
 * stack to the remap.  Thread B waited for the page's mode to read DIRECT
 * (written right after the unseal), marked the stacks' registry entry
 * read-only (the remap then skipped them), set pkru_u to 0 and called
 * liberim's own checked drop (erim__drop_mpk: PKRU := pkru_u, compared with
 * pkru_u): PKRU 0, and the secret left on A's trusted stack was read.
 * Now the remap runs and the key is freed before the page is unsealed.
 *
 * Thread A: a trusted entry leaves 1 KiB of the trusted secret in its own
 * frame, then A calls erim_fini.  Links liberim statically (liberim's
 * internal names: the page, the drop routine).  Each try is a fresh child
 * (erim_fini is one way); a race, so up to 20 tries.
 *
 *   rt_finiwin mpk window   expected: the secret never read (B finds zeros)
 *   rt_finiwin mpk direct   the key's control: B reads the trusted stack
 *                           without erim_fini -- stopped (violation report)
 *   rt_finiwin none direct  control: the same read gets the secret
 * Exit 0 when the expectation holds, 1 when not, 2 on a set-up failure. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_internal.h"

#define LEAKED 42
#define TRIES 20

static ERIM_TRUSTED unsigned char secret[32] = "TRUSTED-SECRET-0123456789abcdef";
static const char pat[33] = "TRUSTED-SECRET-0123456789abcdef";

struct fw_args {
	uintptr_t buf;
};

/* trusted: leaves the secret in 1 KiB of its own frame */
static long fw_entry(void *a)
{
	volatile unsigned char buf[1024];

	for (int i = 0; i < 1024; i++)
		buf[i] = secret[i % 32];
	((struct fw_args *)a)->buf = (uintptr_t)buf;
	return 0;
}

static const struct erim_entry fw_entries[] = {
	{ "fw", "fw_entry", fw_entry, ERIM_ENTRY_PUBLIC },
};

static int window;
static uintptr_t residue;
static int stacks_idx = -1;
static volatile int hits_during = -1, hits_after = -1, b_acted, fini_returned;

static int scan(void)
{
	const volatile unsigned char *p = (const volatile unsigned char *)residue;
	int hits = 0;

	for (int i = 0; i + 32 <= 1024; i += 32) {
		int same = 1;

		for (int j = 0; j < 32 && same; j++)
			same = p[i + j] == (unsigned char)pat[j];
		hits += same;
	}
	return hits;
}

static void *thread_b(void *unused)
{
	volatile struct erim_ro *ro = (volatile struct erim_ro *)&erim__ro;

	(void)unused;
	if (!window) {              /* control: read the residue now */
		hits_during = scan();
		return NULL;
	}
	while (ro->mode != ERIM_MODE_DIRECT)
		if (fini_returned)
			return NULL;    /* erim_fini refused: nothing was unsealed */
	if (ro->fini_done)
		return NULL;        /* too late: the latch re-seals the page */
	if (stacks_idx >= 0)
		ro->ranges[stacks_idx].kind = ERIM_R_READONLY;
	/* (since the red team 55 fix the PKRU values have a page of their own,
	 * which erim_fini opens only for its two stores, with a read-back: this
	 * store faults, or lands and is overwritten or caught) */
	((volatile struct erim_keys *)&erim__keys)->pkru_u = 0;
	b_acted = 1;
	erim__drop_mpk();           /* liberim's checked WRPKRU: PKRU := pkru_u */
	hits_during = scan();
	return NULL;
}

static int attack(void)
{
	struct fw_args a = { 0 };
	unsigned first = 0;
	pthread_t b;
	int r;

	r = erim_register_entries(fw_entries, 1, &first);
	if (r != 0 || erim_init(NULL) < 0) {
		fprintf(stderr, "rt_finiwin: set-up failed: %d %s\n", r, erim_strerror());
		return 2;
	}
	if (erim_gate_call(first, &a) != 0 || !a.buf)
		return 2;
	residue = a.buf;
	for (uint32_t i = 0; i < erim__ro.nranges; i++)
		if (erim__ro.ranges[i].start == (uintptr_t)erim__ro.layout.stacks)
			stacks_idx = (int)i;
	if (pthread_create(&b, NULL, thread_b, NULL) != 0)
		return 2;
	if (window) {
		for (volatile int i = 0; i < 1000000; i++)
			;
		r = erim_fini();
		fini_returned = 1;
		if (r < 0)
			fprintf(stderr, "rt_finiwin: erim_fini: %d (%s)\n", r, erim_strerror());
	}
	pthread_join(b, NULL);
	if (window && b_acted) {
		erim__drop_mpk();
		hits_after = scan();
	}
	printf("rt_finiwin: secret copies read: during erim_fini %d, after it %d (of 32)\n", hits_during,
	       hits_after);
	return hits_during > 0 || hits_after > 0 ? LEAKED : 0;
}

static int one_try(void)
{
	pid_t p;
	int st;

	fflush(NULL);
	p = fork();
	if (p < 0)
		return -1;
	if (p == 0)
		_exit(attack());
	if (waitpid(p, &st, 0) < 0)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
		return -1;
	if (!WIFEXITED(st))
		printf("rt_finiwin: child stopped by signal %d\n", WTERMSIG(st));
	return WIFEXITED(st) && WEXITSTATUS(st) == LEAKED;
}

int main(int argc, char **argv)
{
	int leaked = 0, tries, mpk;

	if (argc != 3 || (strcmp(argv[1], "mpk") && strcmp(argv[1], "none")) ||
	    (strcmp(argv[2], "window") && strcmp(argv[2], "direct"))) {
		fprintf(stderr, "usage: %s mpk|none window|direct\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	mpk = strcmp(argv[1], "mpk") == 0;
	window = strcmp(argv[2], "window") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (tries = 1; tries <= (window ? TRIES : 1) && !leaked; tries++) {
		int r = one_try();

		if (r < 0) {
			printf("rt_finiwin: SET-UP FAILED\n");
			return 2;
		}
		leaked = r;
	}
	printf("rt_finiwin %s %s: %s after %d tr%s\n", argv[1], argv[2], leaked ? "secret READ" : "secret never read",
	       tries - 1, tries - 1 == 1 ? "y" : "ies");
	if (mpk) {
		printf("rt_finiwin: %s\n", leaked ? "FAIL: trusted bytes became readable" : "ok");
		return leaked;
	}
	printf("rt_finiwin: %s\n", leaked ? "ok (control): the read works without the key"
	                                  : "FAIL (control): the read found nothing -- the test shows nothing");
	return !leaked;
}
