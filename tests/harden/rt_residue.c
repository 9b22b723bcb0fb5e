/* SPDX-License-Identifier: MIT */
/* rt_residue.c: no trusted byte anywhere in untrusted memory -- a check by
 * outcome, not by a list of known leaks (red team 65's residue probe).
 *
 * Trusted code computes a 32-byte secret (it is in no file: its bytes exist
 * only where trusted code put them), copies it to its globals, the trusted
 * heap, its stack and its locals, and calls back out with a non-public
 * re-entry allowed; four threads make such gate calls while signals arrive
 * between them (the signal relay runs).  Then every page untrusted code can
 * read (readable in /proc/self/smaps and ProtectionKey 0) is searched for
 * the secret's first 16 bytes -- compared against the generator byte by
 * byte, so the test keeps no copy of its own -- and, with "fini", again
 * after erim_fini.
 *
 *   rt_residue mpk|mprotect [fini]   expected: no hit (a hit names the
 *                                    address and the mapping)
 *   rt_residue none                  control: the search finds the secret
 *                                    where trusted code put it (globals,
 *                                    heap), so it can see a leak
 * Exit 0 when the expectation holds, 1 when not, 2 on a set-up failure. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erim.h"

#define SLEN 32
#define NEED 16       /* bytes that make a hit */
#define WORKERS 4

static ERIM_TRUSTED unsigned char t_secret[SLEN];
static ERIM_TRUSTED unsigned char *t_heap;
static ERIM_TRUSTED unsigned t_id_inner;
static unsigned id_make, id_work, id_inner;
static volatile int stop;
static volatile unsigned long n_sig, n_cb;

/* byte I of the secret: computed, never stored by untrusted code */
static inline unsigned char sbyte(unsigned i)
{
	return (unsigned char)(((i * 73u + 0x5bu) ^ 0xa7u) * 29u + i + 0x3c);
}

static long e_make(void *a)
{
	(void)a;
	for (unsigned i = 0; i < SLEN; i++)
		t_secret[i] = sbyte(i);
	t_heap = erim_malloc(4096);
	if (!t_heap)
		return -1;
	memcpy(t_heap + 100, t_secret, SLEN);
	return 0;
}

static long e_inner(void *a)
{
	volatile unsigned char t[SLEN];

	(void)a;
	for (unsigned i = 0; i < SLEN; i++)
		t[i] = t_secret[i];
	return t[3];
}

static long cb(void *a)
{
	(void)a;
	n_cb++;
	return erim_gate_call(id_inner, NULL) >= 0 ? 7 : -1;
}

static long e_work(void *a)
{
	volatile unsigned char loc[2 * SLEN];
	unsigned char tmp[SLEN], arg[64];

	(void)a;
	memcpy(tmp, t_secret, SLEN);
	for (unsigned i = 0; i < SLEN; i++) {
		loc[i] = tmp[i];
		loc[SLEN + i] = t_heap[100 + i];
	}
	memset(arg, 0x11, sizeof arg);
	return erim_callback_call(cb, arg, sizeof arg, &t_id_inner, 1) + loc[5];
}

static void on_usr1(int s)
{
	(void)s;
	n_sig++;
}

static void *worker(void *x)
{
	(void)x;
	for (unsigned long n = 0; !stop; n++) {
		erim_gate_call(id_work, NULL);
		if ((n & 15) == 0)
			raise(SIGUSR1);
	}
	return NULL;
}

static int is_secret(const unsigned char *q)
{
	for (unsigned i = 0; i < NEED; i++)
		if (q[i] != sbyte(i))
			return 0;
	return 1;
}

/* hits of the secret in pages untrusted code can read */
static int scan(const char *when)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512], name[256] = "";
	uintptr_t lo = 0, hi = 0;
	int readable = 0, hits = 0;

	if (!f) {
		printf("rt_residue: /proc/self/smaps: cannot open\n");
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b;
		char perms[8];
		int key;

		if (sscanf(line, "%lx-%lx %7s", &a, &b, perms) == 3) {
			const char *p = strrchr(line, ' ');

			lo = a;
			hi = b;
			readable = perms[0] == 'r' && !strstr(line, "[vvar") && !strstr(line, "[vsyscall]");
			snprintf(name, sizeof name, "%s", p ? p + 1 : "");
			name[strcspn(name, "\n")] = 0;
			continue;
		}
		if (sscanf(line, "ProtectionKey: %d", &key) == 1 && key != 0)
			readable = 0;   /* erim's key: untrusted code cannot read it (mpk) */
		if (strncmp(line, "VmFlags:", 8) != 0 || !readable)
			continue;
		for (uintptr_t p = lo; p + NEED <= hi; p++)
			if (*(const unsigned char *)p == sbyte(0) && is_secret((const unsigned char *)p)) {
				if (hits < 8)
					printf("  %s: secret bytes at %#lx in %lx-%lx %s\n", when,
					       (unsigned long)p, (unsigned long)lo, (unsigned long)hi, name);
				hits++;
			}
	}
	fclose(f);
	return hits;
}

int main(int argc, char **argv)
{
	const struct erim_entry tab[] = {
		{ "residue", "make", e_make, ERIM_ENTRY_PUBLIC },
		{ "residue", "work", e_work, ERIM_ENTRY_PUBLIC },
		{ "residue", "inner", e_inner, 0 },
	};
	const char *want = argc > 1 ? argv[1] : "mpk";
	int fini = argc > 2 && strcmp(argv[2], "fini") == 0;
	int control = strcmp(want, "none") == 0;
	pthread_t th[WORKERS];
	unsigned first;
	int hits, after = 0, ok;

	setvbuf(stdout, NULL, _IONBF, 0);
	setenv("ERIM_BACKEND", want, 1);
	if (erim_register_entries(tab, 3, &first) != 0) {
		printf("rt_residue: cannot register entries\n");
		return 2;
	}
	id_make = first;
	id_work = first + 1;
	id_inner = t_id_inner = first + 2;
	signal(SIGUSR1, on_usr1);
	if (erim_init(NULL) != 0 || strcmp(erim_backend_name(erim_backend()), want) != 0) {
		printf("rt_residue: erim_init: %s (back end %s, wanted %s)\n", erim_strerror(),
		       erim_backend_name(erim_backend()), want);
		return 2;
	}
	if (erim_gate_call(id_make, NULL) != 0) {
		printf("rt_residue: trusted set-up failed\n");
		return 2;
	}
	for (int i = 0; i < WORKERS; i++)
		if (pthread_create(&th[i], NULL, worker, NULL) != 0) {
			printf("rt_residue: pthread_create failed\n");
			return 2;
		}
	for (int i = 0; i < 1000; i++) {
		erim_gate_call(id_work, NULL);
		if (i % 8 == 0)
			raise(SIGUSR1);
	}
	stop = 1;
	for (int i = 0; i < WORKERS; i++)
		pthread_join(th[i], NULL);
	printf("rt_residue %s: %lu signals, %lu callbacks\n", want, n_sig, n_cb);
	hits = scan("after the calls");
	if (hits < 0)
		return 2;
	if (fini) {
		int r = erim_fini();

		printf("rt_residue %s: erim_fini: %d\n", want, r);
		if (r != 0)
			return 2;
		after = scan("after erim_fini");
		if (after < 0)
			return 2;
	}
	if (control) {
		ok = hits > 0;
		printf("  %s control: %d hits in untrusted memory (the search finds the secret "
		       "where trusted code put it)\n", ok ? "ok  " : "FAIL", hits);
	} else {
		ok = hits == 0 && after == 0;
		printf("  %s no trusted byte in untrusted memory (%d hits after the calls, %d after "
		       "erim_fini)\n", ok ? "ok  " : "FAIL", hits, after);
	}
	printf("rt_residue: %d passed, %d failed\n", ok, !ok);
	return ok ? 0 : 1;
}
