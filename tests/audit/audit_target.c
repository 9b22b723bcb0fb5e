/* SPDX-License-Identifier: MIT */
/* audit_target.c: the program erim-audit single-steps.  It registers a few
 * trusted entries, runs erim_init, stops itself (raise(SIGSTOP): the tracer
 * starts stepping there, so start-up is not stepped under TCG), then runs one
 * scenario, named by argv[1], that drives a gate path:
 *
 *   paths           ecall with in/out buffers and a string, the trusted heap
 *                   (malloc/calloc/realloc/aligned_alloc/free), a callback out
 *                   and back with a re-entry into an allowed private entry
 *   nested          callback -> re-entry -> callback (nested callbacks)
 *   refuse_id       an unknown entry id (slow path refusal)
 *   refuse_private  a private entry called outside any callback
 *   refuse_ptr      an argument block inside trusted memory (erim_refuse)
 *   refuse_wname    a private entry whose names live in writable memory,
 *                   called outside any callback: the refusal line must be
 *                   printed from erim_init's copy of the names, never read
 *                   from the program's (untrusted, writable) strings
 *   violation       an untrusted read of a trusted global (the SIGSEGV report)
 *   abort           a jump onto the gate's WRPKRU with EAX = 0 (abort path)
 *   control         a trusted entry that reads an untrusted global on purpose:
 *                   the audit must report it (proves the audit can fail)
 *   residue         trusted entries that leave AUDIT_RESIDUE in caller-saved
 *                   general registers, MMX, XMM, YMM and opmask registers, one
 *                   returning, one calling back out first: the gate and the
 *                   callback must scrub them before %rsp leaves trusted memory
 *
 * The trusted side follows the invariant it is audited for: everything it
 * reads lives in ERIM_TRUSTED globals, the trusted heap or stack, or is fetched
 * from argument blocks by memcpy/strnlen (built with -fno-builtin so those are
 * real calls to the named copy routines).  Exit 0 when the results are right. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erim.h"
#include "audit_residue.h"

struct io_args {
	const char *str;
	size_t maxlen;
	const uint8_t *in;
	size_t inlen;
	uint8_t *out;
	size_t outcap;
	long result;
};

/* trusted state: ids the trusted side uses, and a secret */
static ERIM_TRUSTED unsigned t_id_inner, t_id_nest2;
static ERIM_TRUSTED volatile long t_secret = 0x5ec7e7;
static ERIM_TRUSTED int t_has_avx, t_has_avx512;   /* set before erim_init */

/* untrusted copies of the ids */
static unsigned id_io, id_cb, id_inner, id_nest1, id_nest2, id_control, id_residue, id_residue_cb;
static volatile long plain_global = 41;
static volatile sig_atomic_t got_usr1;

static void refuse_outside(const void *p, size_t n, const char *what)
{
	if (erim_overlaps_trusted(p, n))
		erim_refuse("audit", "io", "%s in trusted memory", what);
}

static long e_io(void *p)
{
	struct io_args a;
	uint8_t tmp[64];
	uint8_t *buf, *al;
	char *s;
	size_t sl;
	long sum = 0;

	refuse_outside(p, sizeof a, "argument block");
	memcpy(&a, p, sizeof a);
	if (a.inlen == 0 || a.inlen > 64 || a.outcap > sizeof tmp || a.maxlen > 64)
		return -1;
	refuse_outside(a.in, a.inlen, "input buffer");
	refuse_outside(a.out, a.outcap, "output buffer");
	refuse_outside(a.str, a.maxlen, "string");
	buf = erim_malloc(a.inlen);
	if (!buf)
		return -2;
	memcpy(buf, a.in, a.inlen);
	sl = strnlen(a.str, a.maxlen);
	s = erim_calloc(1, sl + 1);
	if (!s) {
		erim_free(buf);
		return -3;
	}
	memcpy(s, a.str, sl);
	buf = erim_realloc(buf, a.inlen + sl);
	if (!buf) {
		erim_free(s);
		return -4;
	}
	for (size_t i = 0; i < sl; i++)
		buf[a.inlen + i] = (uint8_t)s[i];
	al = erim_aligned_alloc(64, 128);
	if (!al) {
		erim_free(s);
		erim_free(buf);
		return -5;
	}
	for (size_t i = 0; i < a.inlen + sl; i++)
		sum += buf[i];
	for (size_t i = 0; i < a.outcap; i++)
		tmp[i] = (uint8_t)(buf[i % (a.inlen + sl)] ^ (uint8_t)t_secret);
	memcpy(a.out, tmp, a.outcap);
	memcpy(&((struct io_args *)p)->result, &sum, sizeof sum);
	erim_free(al);
	erim_free(s);
	erim_free(buf);
	return sum;
}

static long e_inner(void *p)
{
	(void)p;
	return 100;
}

static long u_cb(void *p)
{
	long x;

	memcpy(&x, p, sizeof x);
	return erim_gate_call(id_inner, NULL) + x;
}

static long e_cb(void *p)
{
	long x = 7;
	unsigned allow[1];

	(void)p;
	allow[0] = t_id_inner;
	return erim_callback_call(u_cb, &x, sizeof x, allow, 1);
}

static long u_nest2(void *p)
{
	(void)p;
	return 5;
}

static long e_nest2(void *p)
{
	long x = 1;

	(void)p;
	return erim_callback_call(u_nest2, &x, sizeof x, NULL, 0) + 10;
}

static long u_nest1(void *p)
{
	(void)p;
	return erim_gate_call(id_nest2, NULL) + 100;
}

static long e_nest1(void *p)
{
	long x = 2;
	unsigned allow[1];

	(void)p;
	allow[0] = t_id_nest2;
	return erim_callback_call(u_nest1, &x, sizeof x, allow, 1) + 1000;
}

/* the planted mistake: trusted code reading untrusted memory */
static long e_control(void *p)
{
	(void)p;
	return plain_global + 1;
}

__attribute__((target("avx512f"))) static void residue_k1(unsigned long long v)
{
	__asm__ volatile("kmovq %0, %%k1" : : "r"(v) : "k1");
}

/* what a trusted computation leaves behind: the gate must clear it before
 * the caller's stack is where a signal frame would go */
__attribute__((noinline)) static void residue_set(void)
{
	static ERIM_TRUSTED unsigned long long mark[4] = {
		AUDIT_RESIDUE, AUDIT_RESIDUE, AUDIT_RESIDUE, AUDIT_RESIDUE
	};

	__asm__ volatile("movq %0, %%r10\n\tmovq %0, %%r11\n\tmovq %0, %%rcx\n\tmovq %0, %%rdx\n\t"
	                 "movq %0, %%mm3\n\tmovq %0, %%xmm15"
	                 : : "r"(mark[0]) : "r10", "r11", "rcx", "rdx", "mm3", "xmm15");
	if (t_has_avx)
		__asm__ volatile("vmovdqu %0, %%ymm14" : : "m"(mark) : "xmm14");
	if (t_has_avx512)
		residue_k1(mark[0]);
}

static long e_residue(void *p)
{
	(void)p;
	residue_set();
	return 7;
}

/* the same residue, then out through a callback (and back) */
static long e_residue_cb(void *p)
{
	long x = 7;
	unsigned allow[1];

	(void)p;
	allow[0] = t_id_inner;
	residue_set();
	return erim_callback_call(u_cb, &x, sizeof x, allow, 1);
}

static const struct erim_entry entries[] = {
	{ "audit", "io", e_io, ERIM_ENTRY_PUBLIC },
	{ "audit", "cb", e_cb, ERIM_ENTRY_PUBLIC },
	{ "audit", "inner", e_inner, 0 },
	{ "audit", "nest1", e_nest1, ERIM_ENTRY_PUBLIC },
	{ "audit", "nest2", e_nest2, 0 },
	{ "audit", "control", e_control, ERIM_ENTRY_PUBLIC },
	{ "audit", "residue", e_residue, ERIM_ENTRY_PUBLIC },
	{ "audit", "residue_cb", e_residue_cb, ERIM_ENTRY_PUBLIC },
};
/* names in writable untrusted memory (refuse_wname) */
static char w_iface[] = "audit_w";
static char w_name[] = "writable_name";
static unsigned id_wname;

static int io_call(void)
{
	static const uint8_t in[5] = { 1, 2, 3, 4, 5 };
	uint8_t out[16];
	struct io_args a = { "hey", 16, in, sizeof in, out, sizeof out, 0 };
	long r = erim_gate_call(id_io, &a);
	long want = 15 + 'h' + 'e' + 'y';

	return r == want && a.result == want && out[0] == (uint8_t)(1 ^ 0xe7) ? 0 : 1;
}

/* the first WRPKRU of the gate code that follows erim_gate_call */
static const void *gate_wrpkru(void)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)&erim_gate_call;

	for (size_t i = 0; i < 2048; i++)
		if (p[i] == 0x0f && p[i + 1] == 0x01 && p[i + 2] == 0xef)
			return p + i;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

int main(int argc, char **argv)
{
	const char *sc = argc > 1 ? argv[1] : "paths";
	unsigned first;
	int rc;

	if (erim_register_entries(entries, sizeof entries / sizeof entries[0], &first) != 0) {
		printf("audit_target: cannot register entries\n");
		return 2;
	}
	id_io = first;
	id_cb = first + 1;
	id_inner = t_id_inner = first + 2;
	id_nest1 = first + 3;
	id_nest2 = t_id_nest2 = first + 4;
	id_control = first + 5;
	id_residue = first + 6;
	id_residue_cb = first + 7;
	{
		const struct erim_entry w[] = { { w_iface, w_name, e_inner, 0 } };

		if (erim_register_entries(w, 1, &id_wname) != 0) {
			printf("audit_target: cannot register entries\n");
			return 2;
		}
	}
	signal(SIGUSR1, on_usr1);
	t_has_avx = __builtin_cpu_supports("avx");
	t_has_avx512 = __builtin_cpu_supports("avx512f");
	rc = erim_init(NULL);
	if (rc != 0 || erim_backend() != ERIM_BACKEND_MPK) {
		printf("audit_target: erim_init: %d (%s), back end %s: the audit needs mpk\n", rc, erim_strerror(),
		       erim_backend_name(erim_backend()));
		return 2;
	}
	fflush(stdout);
	raise(SIGSTOP);   /* the tracer single-steps from here */

	if (strcmp(sc, "paths") == 0) {
		rc = io_call();
		rc |= erim_gate_call(id_cb, NULL) != 107;
		rc |= io_call();
	} else if (strcmp(sc, "nested") == 0) {
		rc = erim_gate_call(id_nest1, NULL) != 1115;
	} else if (strcmp(sc, "refuse_id") == 0) {
		erim_gate_call(100000, NULL);
		rc = 3;
	} else if (strcmp(sc, "refuse_private") == 0) {
		erim_gate_call(id_inner, NULL);
		rc = 3;
	} else if (strcmp(sc, "refuse_wname") == 0) {
		erim_gate_call(id_wname, NULL);
		rc = 3;
	} else if (strcmp(sc, "refuse_ptr") == 0) {
		erim_gate_call(id_io, (void *)(uintptr_t)&t_secret);
		rc = 3;
	} else if (strcmp(sc, "violation") == 0) {
		rc = io_call();
		rc |= (int)t_secret;   /* faults: the report handler ends the process */
		rc = 3;
	} else if (strcmp(sc, "abort") == 0) {
		const void *site = gate_wrpkru();

		if (!site) {
			printf("audit_target: no WRPKRU after erim_gate_call\n");
			_exit(2);
		}
		rc = io_call();
		__asm__ volatile("xorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\txorl %%eax, %%eax\n\tjmp *%0"
		                 : : "r"(site) : "rax", "rcx", "rdx", "memory");
		rc = 3;
	} else if (strcmp(sc, "control") == 0) {
		rc = erim_gate_call(id_control, NULL) != 42;
	} else if (strcmp(sc, "residue") == 0) {
		rc = erim_gate_call(id_residue, NULL) != 7;
		rc |= erim_gate_call(id_residue_cb, NULL) != 107;
		rc |= erim_gate_call(id_residue, NULL) != 7;
	} else if (strcmp(sc, "signal") == 0) {
		/* the tracer delivers SIGUSR1 while the first call runs trusted */
		rc = io_call();
		rc |= io_call();
		if (got_usr1) {
			char msg[] = "audit_target: the SIGUSR1 handler ran\n";

			write(1, msg, sizeof msg - 1);
		}
	} else {
		rc = 4;
	}
	if (rc) {
		char msg[] = "audit_target: wrong result\n";

		write(1, msg, sizeof msg - 1);
	}
	_exit(rc);
}
