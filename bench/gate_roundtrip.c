/* SPDX-License-Identifier: MIT */
/* gate_roundtrip.c: the cost of one gate round trip with no arguments, against
 * a direct call of the same function measured in the same run, for every back
 * end this machine has.
 *
 * Cycles: rdtsc around a loop, best of many short runs (the machine is
 * shared: a short run fits between other processes' time slices), the gate
 * rows interleaved with the direct call they are compared with.
 * Instructions: perf_event_open when the CPU exposes counters; otherwise, and
 * always as a cross-check, an exact count of user-mode instructions of one
 * call by single-stepping it under ptrace (minus the same count for an empty
 * marker, so only the call itself is counted).
 *
 * The `none` back end runs byte-for-byte the mpk gate with each WRPKRU
 * replaced by a NOP of the same length (erim_gate.S), so "none minus direct"
 * is the gate's own work: everything but the two WRPKRUs.  The mpk cost is
 * that plus 2 x WRPKRU latency (11-260 cycles each depending on the CPU). */
#include <errno.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

#include "erim.h"
#include "erim_gate.h"

#define RUNS 25

static unsigned id_nop;
static long (*volatile direct_fn)(void *);

static long e_nop(void *p)
{
	(void)p;
	return 0;
}

static long call_direct(void)
{
	return direct_fn(NULL);
}

static long call_gate(void)
{
	return erim_gate_call(id_nop, NULL);
}

static __attribute__((noinline)) long call_empty(void)
{
	__asm__ volatile("" ::: "memory");
	return 0;
}

static uint64_t now(void)
{
	unsigned aux;

	_mm_lfence();
	return __rdtscp(&aux);
}

/* best-of-RUNS cycles per call of FN over ITERS calls */
static double cycles_per_call(long (*fn)(void), long iters)
{
	double best = 1e30;

	for (long i = 0; i < iters / 10; i++)
		fn();
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now();

		for (long i = 0; i < iters; i++)
			fn();
		uint64_t t1 = now();
		double c = (double)(t1 - t0) / (double)iters;

		if (c < best)
			best = c;
	}
	return best;
}

/* ---- the x87/MMX and opmask scrub ------------------------------------------
 * erim__gate_bench is the none gate assembled without that scrub (the same
 * macro, erim_gate.S), linked in from the static liberim: "none - bench" in
 * the same run is what the scrub costs inside the gate. */
long erim__gate_bench(unsigned id, void *args);
long erim__gate_none(unsigned id, void *args);

static long call_gate_noscrub(void)
{
	return erim__gate_bench(id_nop, NULL);
}

/* The scrub sequence alone, in a loop of its own (erim_gate.h); no opmask
 * part without AVX-512.  Basic asm: '%' is literal. */
#define STR_(...) #__VA_ARGS__
#define STR(...) STR_(__VA_ARGS__)

static long scrub_alone(void)
{
	__asm__ volatile(STR(ERIM_SCRUB_X87_SEQ));
	return 0;
}

static long scrub_alone_k(void)
{
	__asm__ volatile(STR(ERIM_SCRUB_X87_SEQ) "\n\t" STR(ERIM_SCRUB_OPMASK_SEQ));
	return 0;
}

static int cpu_avx512(void)
{
	unsigned a, b, c, d, lo, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27)))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 0xe6) != 0xe6)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (b >> 16) & 1;
}

/* The gate's one locked instruction alone: the slot claim (CAS idle -> busy)
 * and its release, as the gate does them.  No thread identity that untrusted
 * code cannot forge is cheaper than this (TLS and %fs are the attacker's),
 * so it is the floor under the gate's own work. */
static unsigned cas_word = 1;

static long cas_alone(void)
{
	unsigned idle = 1;

	if (__atomic_compare_exchange_n(&cas_word, &idle, 2, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		__atomic_store_n(&cas_word, 1, __ATOMIC_RELEASE);
	return 0;
}

/* The gate's %fs switch alone (erim_gate_fs.h): RDFSBASE of the caller's base
 * and WRFSBASE of the slot's block on entry, WRFSBASE of the caller's base on
 * exit.  Only where the kernel enabled FSGSBASE (AT_HWCAP2 bit 1). */
static int have_fsgsbase(void)
{
	return (getauxval(AT_HWCAP2) & 2) != 0;
}

static long fs_alone(void)
{
	unsigned long base;

	__asm__ volatile("rdfsbase %0\n\twrfsbase %0\n\twrfsbase %0" : "=&r"(base) : : "memory");
	return 0;
}

/* The gate's x87/SSE environment work alone, as erim_gate.S does it on the
 * common path: the pending-exception test and EMMS on entry, the MXCSR and
 * control-word saves and compares, FLD1/FCOMPS/FNSTSW and the two re-reads on
 * exit.  Without the scrub (measured above). */
static const float fp_zero_bench;

static long fpenv_alone(void)
{
	unsigned env[4];

	__asm__ volatile("fnstsw %%ax\n\ttestb $0x80, %%al\n\temms\n\t"
	                 "stmxcsr %0\n\tfnstcw 4+%0\n\tmovl %0, %%ecx\n\t"
	                 "andl $~0x3f, %%ecx\n\tcmpl $0x1f80, %%ecx\n\tcmpw $0x037f, 4+%0\n\t"
	                 "fld1\n\tfcomps %1\n\tfnstsw %%ax\n\ttestb %%al, %%al\n\t"
	                 "ldmxcsr %0\n\tcmpw $0x037f, 4+%0\n\t"
	                 "fnstcw 8+%0\n\tcmpw $0x037f, 8+%0"
	                 : "=m"(env) : "m"(fp_zero_bench) : "rax", "rcx", "cc", "memory");
	return 0;
}

/* the none gate itself, also without the mode dispatch of erim_gate_call */
static long call_gate_none_itself(void)
{
	return erim__gate_none(id_nop, NULL);
}

/* ---- instructions ------------------------------------------------------------ */

static int perf_fd = -2;
static char perf_why[128];

static int perf_open(void)
{
	struct perf_event_attr a;

	if (perf_fd != -2)
		return perf_fd;
	memset(&a, 0, sizeof a);
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof a;
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	perf_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (perf_fd < 0)
		snprintf(perf_why, sizeof perf_why, "perf_event_open: %s", strerror(errno));
	return perf_fd;
}

static double perf_insns(long (*fn)(void), long iters)
{
	uint64_t c0, c1;
	int fd = perf_open();

	if (fd < 0 || read(fd, &c0, sizeof c0) != sizeof c0)
		return -1;
	for (long i = 0; i < iters; i++)
		fn();
	if (read(fd, &c1, sizeof c1) != sizeof c1)
		return -1;
	return (double)(c1 - c0) / (double)iters;
}

/* Exact user-mode instruction count of one FN() by single-stepping a child
 * between two SIGSTOPs; -1 if ptrace is not available. */
static long steps_between_stops(long (*fn)(void))
{
	pid_t pid;
	int st;
	long n = 0;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn();    /* warm: the thread's trusted stack exists, lazy binding done */
		call_empty();
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(1);
		raise(SIGSTOP);
		fn();
		raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
		waitpid(pid, &st, 0);
		return -1;
	}
	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) != 0)
			break;
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
			return -1;
		if (WSTOPSIG(st) == SIGSTOP)
			break;
		n++;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return n;
}

static long insns_of(long (*fn)(void))
{
	long a = steps_between_stops(fn), b = steps_between_stops(call_empty);

	return a < 0 || b < 0 ? -1 : a - b;
}

/* ---- rows ---------------------------------------------------------------------- */

struct row { const char *name; double cyc; long ins; double pins; };
static struct row noscrub, scrubbed, direct;

static void print_row(const struct row *r, const struct row *base)
{
	printf("  %-28s %9.1f cycles  %6.2fx", r->name, r->cyc, r->cyc / base->cyc);
	if (r->ins >= 0)
		printf("  %4ld instructions", r->ins);
	else
		printf("  instructions: not measured (ptrace single-step unavailable)");
	if (r->pins >= 0)
		printf(" (perf: %.1f)", r->pins);
	printf("\n");
}

static int measure_backend(enum erim_backend b, const char *name, long iters, struct row *r)
{
	struct erim_config c = { 0 };
	int e;

	c.backend = b;
	c.quiet = 1;
	c.inspect = ERIM_INSPECT_OFF;   /* inspection is start-up cost, not gate cost */
	e = erim_init(&c);
	if (e < 0)
		return e;
	r->name = name;
	r->cyc = cycles_per_call(call_gate, iters);
	r->ins = insns_of(call_gate);
	r->pins = perf_insns(call_gate, iters);
	if (b == ERIM_BACKEND_NONE) {
		scrubbed.name = "erim__gate_none itself";
		noscrub.name = "the same without x87/opmask scrub";
		scrubbed.cyc = noscrub.cyc = 1e30;
		/* interleaved with the baseline, best of 5 rounds: the machine is shared */
		for (int k = 0; k < 5; k++) {
			double c1 = cycles_per_call(call_gate_none_itself, iters);
			double c2 = cycles_per_call(call_gate_noscrub, iters);
			double c3 = cycles_per_call(call_direct, iters);
			double c0 = cycles_per_call(call_gate, iters);

			if (c0 < r->cyc)
				r->cyc = c0;
			if (c1 < scrubbed.cyc)
				scrubbed.cyc = c1;
			if (c2 < noscrub.cyc)
				noscrub.cyc = c2;
			if (c3 < direct.cyc)
				direct.cyc = c3;
		}
		scrubbed.ins = insns_of(call_gate_none_itself);
		noscrub.ins = insns_of(call_gate_noscrub);
		scrubbed.pins = perf_insns(call_gate_none_itself, iters);
		noscrub.pins = perf_insns(call_gate_noscrub, iters);
	}
	erim_fini();
	return 0;
}

/* measure_backend in a forked child, which prints its row: 0 when it did */
static int backend_child(enum erim_backend b, const char *name, long iters, struct row *r)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (measure_backend(b, name, iters, r) != 0) {
			printf("  %s: erim_init failed: %s\n", name, erim_strerror());
			fflush(stdout);
			_exit(1);
		}
		print_row(r, &direct);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(void)
{
	static const struct erim_entry tab[] = { { "bench", "nop", e_nop, ERIM_ENTRY_PUBLIC } };
	struct row none, mprot, mpk;
	long iters = 40000;

	if (erim_register_entries(tab, 1, &id_nop) != 0) {
		fprintf(stderr, "gate_roundtrip: cannot register the entry\n");
		return 1;
	}
	direct_fn = e_nop;
	direct.name = "direct call";
	direct.cyc = cycles_per_call(call_direct, iters);
	direct.ins = insns_of(call_direct);
	direct.pins = perf_insns(call_direct, iters);

	printf("gate_roundtrip: no-argument round trip; cycles = rdtsc, best of %d runs; "
	       "instructions = user-mode, exact (ptrace single-step)\n", RUNS);
	if (perf_open() < 0)
		printf("  instructions (perf_event_open): not measured (%s)\n", perf_why);
	print_row(&direct, &direct);
	/* erim_fini is one way (erim_init refuses after it): every other back
	 * end is measured in a child forked before the none run's erim_init */
	if (backend_child(ERIM_BACKEND_MPROTECT, "gate, mprotect back end", 2000, &mprot) != 0)
		printf("  gate, mprotect back end: FAILED (see above)\n");
	if (!erim_pku_available())
		printf("  mpk: not measured (no PKU on this CPU)\n");
	else if (backend_child(ERIM_BACKEND_MPK, "gate, mpk back end", iters, &mpk) != 0)
		printf("  gate, mpk back end: FAILED (see above)\n");
	if (measure_backend(ERIM_BACKEND_NONE, "gate, none back end", iters, &none) == 0)
		print_row(&none, &direct);
	else
		printf("  gate, none back end: FAILED (%s)\n", erim_strerror());

	if (noscrub.name) {
		print_row(&scrubbed, &direct);
		print_row(&noscrub, &direct);
	}
	printf("  gate's own work (none - direct, i.e. everything but the 2 WRPKRU): "
	       "%.1f cycles", none.cyc - direct.cyc);
	if (none.ins >= 0 && direct.ins >= 0)
		printf(", %ld instructions", none.ins - direct.ins);
	printf("\n");
	if (noscrub.name) {
		printf("    of which the x87/MMX (+ AVX-512 opmask) scrub (gate itself - the same "
		       "without it): %.1f cycles", scrubbed.cyc - noscrub.cyc);
		if (scrubbed.ins >= 0 && noscrub.ins >= 0)
			printf(", %ld instructions", scrubbed.ins - noscrub.ins);
		{
			int k = cpu_avx512();
			double alone = cycles_per_call(k ? scrub_alone_k : scrub_alone, iters) -
			               cycles_per_call(call_empty, iters);

			printf("\n    the same scrub alone in a loop (throughput, minus an empty "
			       "call): %.1f cycles%s", alone, k ? " (with k0-k7)" : "");
		}
		printf("\n    the gate without that scrub and without the mode dispatch - direct: "
		       "%.1f cycles (target <= 30)\n", noscrub.cyc - direct.cyc);
		printf("    the slot claim's locked CAS + release alone in a loop (minus an empty "
		       "call): %.1f cycles\n", cycles_per_call(cas_alone, iters) -
		       cycles_per_call(call_empty, iters));
		if (have_fsgsbase())
			printf("    the %%fs switch alone (RDFSBASE + 2 x WRFSBASE) in a loop: %.1f cycles\n",
			       cycles_per_call(fs_alone, iters) - cycles_per_call(call_empty, iters));
		else
			printf("    the %%fs switch alone: not measured (the kernel did not enable FSGSBASE)\n");
		printf("    the x87/SSE environment checks alone (EMMS, MXCSR/CW, status) in a loop: "
		       "%.1f cycles\n", cycles_per_call(fpenv_alone, iters) -
		       cycles_per_call(call_empty, iters));
	}
	printf("  mpk cost = the above + 2 x WRPKRU (11-260 cycles each, CPU-dependent)\n");
	return 0;
}
