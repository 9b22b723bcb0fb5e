/* SPDX-License-Identifier: MIT */
/* rt_dlforge.c: red team 60 (pltforge, pltcode) -- a forged view of the
 * loaded objects and liberim's dlopen wrapper.
 *
 * liberim.so's dlopen wrapper used to retarget the PLT stubs of the objects a
 * dlopen loaded (a late pass of runtime/erim_plt.c), on the view that
 * dl_iterate_phdr gives: ld.so's link map, ordinary writable memory.
 * Untrusted code pointed the executable's l_phdr at a forged program-header
 * table -- the page of a trusted entry's PLT stub as an executable segment,
 * a dynamic section whose DT_JMPREL names that stub's target (liberim's
 * sealed slot copy) as a lazy slot, and megabytes of "executable" 0xff bytes
 * to make the pass slow -- and called dlopen(NULL).  liberim rewrote the
 * TRUSTED stub to a fresh copy arena, writable while it scanned, and another
 * thread stored the address of its own function there (pltforge); or
 * liberim opened the trusted code page read-write while another thread
 * stored `jmp evil' over the trusted entry (pltcode).  Either way the entry
 * ran the attacker's function with the trusted rights, which read and wrote
 * the secret: under mpk on 6.1 and 6.12, and natively under mprotect.  Now
 * liberim writes no code page after erim_init.
 *
 *   rt_dlforge --backend=mpk|mprotect|none MODULE.so [--under-tem]
 *
 * Dynamic only: the wrapper is liberim.so's (liberim.a interposes no
 * dlopen).  The trusted entry "work" calls getppid() through the
 * executable's PLT; it is placed in .text.unlikely, right after the PLT, so
 * that it shares the stub's page (what pltcode needs).  Tests, each in a
 * child:
 *  - forged_view_slot_race (pltforge): the forged view with 2 MiB of 0xff; a
 *    thread stores the attacker's function, over and over, where liberim put
 *    a copy arena for the stub (below the stub's page);
 *  - forged_view_code_race (pltcode): the forged view without the 0xff
 *    bytes; a thread stores `jmp evil' over the entry's first bytes, over and
 *    over.
 *   In each, ROUNDS times: the view forged, dlopen(NULL) and dlopen(MODULE),
 *   the view put back.  Then the stub's displacement and the entry's first
 *   16 bytes must be as erim_init left them, byte for byte; the entry still
 *   returns getppid(); a trusted read of the secret's second word still
 *   gives what setup stored; the attacker's function never ran; and none of
 *   the thread's stores landed.  Controls in the same child: before each
 *   dlopen, dl_iterate_phdr reports the forged table for the executable (the
 *   view a late pass would use), and the thread stored before and after each
 *   round's dlopens (every store counted, each fault skipped by a SIGSEGV
 *   handler; its code on pages of its own, off the stub's page that a late
 *   pass made non-executable for a while).
 *  - control_landed_stores_hijack_the_entry: what the races would buy -- the
 *    same stores, landed with the test's own mprotect (an arena mapped where
 *    liberim put its copies, the stub pointed at it; `jmp evil' over the
 *    entry): the entry runs the attacker's function, which reads the
 *    secret.  Not under erim-tem (--under-tem), which refuses that mprotect.
 *
 * Against liberim with the late pass (red team 60's build) both races fail,
 * natively under none and mprotect: the stub is rewritten in every run, and
 * the attacker's function runs whenever the thread wins (it did in each). */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

#define SECRET 0x5ec7e7c0b1e5ul
#define CANARY 0x1111111111111111ul
#define ROUNDS 4        /* forged dlopen(NULL) + dlopen(MODULE) pairs */
#define FF_MB 2         /* the slot race's 0xff "code": the late pass's window */
#define ARENA (4 * 4096) /* erim_plt.c's copy arena, mapped below the object */
#define NCAND 8
#define ENTRY_BYTES 16

enum race { SLOT, CODE };

static ERIM_TRUSTED volatile unsigned long secret[8];
static unsigned id_setup, id_work, id_check;
static int ready, found, under_tem;
static const char *module;

static long e_setup(void *p)
{
	(void)p;
	secret[0] = SECRET;
	secret[1] = CANARY;
	return 0;
}

/* trusted code calling the C library through the executable's PLT; first in
 * .text (see the top) */
__attribute__((noinline, section(".text.unlikely.rt_dlforge")))
static long e_work(void *p)
{
	(void)p;
	return (long)getppid();
}

static long e_check(void *p)
{
	(void)p;
	return (long)secret[1];
}

static const struct erim_entry entries[] = {
	{ "rt_dlforge", "setup", e_setup, ERIM_ENTRY_PUBLIC },
	{ "rt_dlforge", "work", e_work, ERIM_ENTRY_PUBLIC },
	{ "rt_dlforge", "check", e_check, ERIM_ENTRY_PUBLIC },
};

/* ---- the attacker's function: the stub's getppid(), or the entry itself ---- */
static volatile unsigned long leak;
static volatile int evil_ran;

static pid_t evil(void)
{
	leak = secret[0];                 /* read trusted memory */
	secret[1] = 0xbadc0ffee0ddf00dul; /* write it */
	evil_ran = 1;
	return 4242;
}

/* ---- what erim_init left, found in main ---- */
static uint8_t *stub;        /* the entry's PLT stub: ff 25 rel32 */
static uint8_t stub_init[6], entry_init[ENTRY_BYTES];
static uintptr_t page;       /* the stub's page */
static uintptr_t exe_base;
static const ElfW(Phdr) *exe_phdr;
static ElfW(Half) exe_phnum;
static uintptr_t cand[NCAND];   /* where a late pass mapped its copy arena */
static int ncand;

static uintptr_t stub_target(void)
{
	int32_t d;

	memcpy(&d, stub + 2, 4);
	return (uintptr_t)(stub + 6) + (uintptr_t)(intptr_t)d;
}

/* the ff 25 stub that FN's first call (e8) goes to, or NULL */
static uint8_t *first_call_stub(const void *fn)
{
	const uint8_t *f = fn;

	for (int i = 0; i < 32; i++)
		if (f[i] == 0xe8) {
			int32_t d;
			uint8_t *s;

			memcpy(&d, f + i + 1, 4);
			s = (uint8_t *)(f + i + 5 + d);
			if (s[0] == 0xf3 && s[1] == 0x0f && s[2] == 0x1e && s[3] == 0xfa)
				s += 4;   /* endbr64 */
			if (s[0] == 0xf2)
				s++;      /* bnd */
			return s[0] == 0xff && s[1] == 0x25 ? s : NULL;
		}
	return NULL;
}

static int first_object(struct dl_phdr_info *i, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	exe_base = i->dlpi_addr;
	exe_phdr = i->dlpi_phdr;
	exe_phnum = i->dlpi_phnum;
	return 1;
}

static int mapped(uintptr_t a)
{
	return msync((void *)(a & ~4095ul), 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

/* 0, or -1 with a message */
static int find_targets(void)
{
	dl_iterate_phdr(first_object, NULL);
	stub = first_call_stub((const void *)e_work);
	if (!stub) {
		printf("no ff 25 PLT stub behind the entry's first call\n");
		return -1;
	}
	page = (uintptr_t)stub & ~4095ul;
	memcpy(stub_init, stub, sizeof stub_init);
	memcpy(entry_init, (const void *)e_work, sizeof entry_init);
	/* where the late pass's copy_slot (erim_plt.c) mapped an arena: below
	 * the object, in 1 MiB steps; the forged object starts at the stub's page */
	for (long k = 0; k < 16 && ncand < NCAND; k++) {
		uintptr_t a = page - ARENA - (uintptr_t)k * (1ul << 20);

		if (!mapped(a) && !mapped(a + ARENA - 4096))
			cand[ncand++] = a;
	}
	printf("entry 'work' at %p, its getppid stub at %p (page %#lx) -> slot %#lx; "
	       "%d arena places from %#lx down\n", (void *)e_work, (void *)stub,
	       (unsigned long)page, (unsigned long)stub_target(), ncand,
	       ncand ? (unsigned long)cand[0] : 0ul);
	return 0;
}

/* ---- the forged view of the executable (red team 60's) ---- */
static ElfW(Phdr) fph[3];
static ElfW(Half) nfph;
static ElfW(Dyn) fdyn[4];
static ElfW(Rela) frela[1];
static uint8_t ffbuf[FF_MB << 20];
static const ElfW(Phdr) **l_phdr;
static ElfW(Half) *l_phnum;

/* the executable's l_phdr and l_phnum (16 bytes on) in ld.so's link map,
 * found by value */
static int find_link_map_fields(void)
{
	char *lm = (char *)_r_debug.r_map;

	for (size_t off = 0; lm && off < 1400; off += 8) {
		const ElfW(Phdr) **pp = (const ElfW(Phdr) **)(lm + off);

		if (*pp == exe_phdr && *(ElfW(Half) *)(lm + off + 16) == exe_phnum) {
			l_phdr = pp;
			l_phnum = (ElfW(Half) *)(lm + off + 16);
			return 0;
		}
	}
	printf("the executable's l_phdr not found in its link map\n");
	return -1;
}

static void forge_build(enum race r)
{
	nfph = 0;
	fph[nfph++] = (ElfW(Phdr)){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
	                            .p_vaddr = page - exe_base, .p_filesz = 4096, .p_memsz = 4096 };
	fph[nfph++] = (ElfW(Phdr)){ .p_type = PT_DYNAMIC, .p_flags = PF_R,
	                            .p_vaddr = (uintptr_t)fdyn - exe_base,
	                            .p_filesz = sizeof fdyn, .p_memsz = sizeof fdyn };
	if (r == SLOT) {
		memset(ffbuf, 0xff, sizeof ffbuf);
		fph[nfph++] = (ElfW(Phdr)){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		                            .p_vaddr = (uintptr_t)ffbuf - exe_base,
		                            .p_filesz = sizeof ffbuf, .p_memsz = sizeof ffbuf };
	}
	fdyn[0] = (ElfW(Dyn)){ .d_tag = DT_JMPREL, .d_un.d_ptr = (uintptr_t)frela };
	fdyn[1] = (ElfW(Dyn)){ .d_tag = DT_PLTRELSZ, .d_un.d_val = sizeof frela };
	fdyn[2] = (ElfW(Dyn)){ .d_tag = DT_PLTREL, .d_un.d_val = DT_RELA };
	fdyn[3] = (ElfW(Dyn)){ .d_tag = DT_NULL };
	frela[0].r_info = ELF64_R_INFO(0, R_X86_64_IRELATIVE);   /* r_offset: forge_on */
}

static int forged_seen;

static int see_forged(struct dl_phdr_info *i, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	forged_seen = i->dlpi_phdr == fph && i->dlpi_phnum == nfph;
	return 1;
}

/* the view forged: the slot is wherever the stub points now */
static void forge_on(void)
{
	frela[0].r_offset = stub_target() - exe_base;
	*l_phdr = fph;
	*l_phnum = nfph;
}

static void forge_off(void)
{
	*l_phdr = exe_phdr;
	*l_phnum = exe_phnum;
}

/* ---- the racer: plain stores, each fault skipped; its code off the stub's
 * page (which holds much of .text), which a late pass made non-executable
 * while it checked it ---- */
#define RACER_TEXT __attribute__((section("rt_dlforge_racer"), aligned(4096)))
extern char rt_dlforge_store[] __attribute__((visibility("hidden")));
extern char rt_dlforge_stored[] __attribute__((visibility("hidden")));

__attribute__((noinline, noclone)) RACER_TEXT static void try_store(uintptr_t a, uint64_t v)
{
	__asm__ volatile(".globl rt_dlforge_store\nrt_dlforge_store:\n\tmovq %1, (%0)\n"
	                 ".globl rt_dlforge_stored\nrt_dlforge_stored:\n"
	                 : : "r"(a), "r"(v) : "memory");
}

static volatile long attempts, faults;

RACER_TEXT static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	if (uc->uc_mcontext.gregs[REG_RIP] == (greg_t)(uintptr_t)rt_dlforge_store) {
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)rt_dlforge_stored;
		faults++;
		return;
	}
	dprintf(1, "unexpected SIGSEGV at %p (pc %#lx)\n", si->si_addr,
	        (unsigned long)uc->uc_mcontext.gregs[REG_RIP]);
	_exit(3);
}

static struct { uintptr_t at; uint64_t val; } tgt[NCAND];
static int ntgt;
static volatile int stop;

RACER_TEXT static void *racer(void *unused)
{
	(void)unused;
	while (!stop)
		for (int i = 0; i < ntgt; i++) {
			try_store(tgt[i].at, tgt[i].val);
			attempts++;
		}
	return NULL;
}

/* wait for the racer's next store (control: it runs); exits after 60 s */
static void racer_stores(void)
{
	long a = attempts;
	time_t t0 = time(NULL);

	while (attempts == a) {
		if (time(NULL) - t0 > 60) {
			printf("CONTROL: the racer made no store in 60 s\n");
			_exit(5);
		}
		sched_yield();
	}
}

/* `jmp evil' over the entry's first 5 bytes, as one 8-byte store */
static uint64_t jmp_evil(void)
{
	uint8_t b[8];
	int32_t rel = (int32_t)((intptr_t)evil - ((intptr_t)e_work + 5));
	uint64_t v;

	memcpy(b, (const void *)e_work, 8);
	b[0] = 0xe9;
	memcpy(b + 1, &rel, 4);
	memcpy(&v, b, 8);
	return v;
}

/* ---- the verdict: exits ---- */
static void verdict(long landed)
{
	long want = syscall(SYS_getppid);   /* not through the stub */
	long got, chk;
	int stub_same = memcmp(stub, stub_init, sizeof stub_init) == 0;
	int entry_same = memcmp((const void *)e_work, entry_init, sizeof entry_init) == 0;

	got = erim_gate_call(id_work, NULL);
	chk = erim_gate_call(id_check, NULL);
	printf("stub %s (-> %#lx), entry %s; 'work' returned %ld (getppid %ld), "
	       "'check' %#lx; stores landed: %ld\n", stub_same ? "unchanged" : "REWRITTEN",
	       (unsigned long)stub_target(), entry_same ? "unchanged" : "REWRITTEN", got, want, (unsigned long)chk, landed);
	if (evil_ran) {
		printf("EVIL RAN inside the trusted entry: it read %#lx (%s) and wrote the "
		       "secret's second word\n", leak, leak == SECRET ? "the secret" : "not the secret");
		_exit(leak == SECRET ? 10 : 11);
	}
	if (!stub_same || !entry_same) {
		printf("TRUSTED CODE REWRITTEN after erim_init: the %s\n",
		       !stub_same ? "entry's PLT stub" : "entry's first bytes");
		_exit(6);
	}
	if (got != want || chk != (long)CANARY) {
		printf("the trusted entries no longer work\n");
		_exit(7);
	}
	if (landed) {
		printf("STORES LANDED where the racer stored (a copy arena or the trusted "
		       "code page was writable)\n");
		_exit(8);
	}
	printf("trusted stub and entry as erim_init left them; the entries work; "
	       "the attacker's function never ran\n");
	_exit(0);
}

static void child_race(void *arg)
{
	enum race r = (enum race)(uintptr_t)arg;
	struct sigaction sa;
	pthread_t th;
	long during = 0;

	if (find_link_map_fields() != 0)
		_exit(2);
	if (r == CODE && ((uintptr_t)e_work & ~4095ul) != page) {
		printf("CONTROL: the entry (%p) is not in its stub's page %#lx: the race "
		       "could not reach it\n", (void *)e_work, (unsigned long)page);
		_exit(4);
	}
	forge_build(r);
	if (r == SLOT) {
		for (ntgt = 0; ntgt < ncand; ntgt++) {
			tgt[ntgt].at = cand[ntgt];
			tgt[ntgt].val = (uintptr_t)evil;
		}
	} else {
		tgt[0].at = (uintptr_t)e_work;
		tgt[0].val = jmp_evil();
		ntgt = 1;
	}
	if (!ntgt) {
		printf("no free place for a copy arena below the stub\n");
		_exit(2);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &sa, NULL) != 0 || pthread_create(&th, NULL, racer, NULL) != 0)
		_exit(2);
	for (int i = 0; i < ROUNDS; i++) {
		long a0;
		void *self, *mod;

		forge_on();
		forged_seen = 0;
		dl_iterate_phdr(see_forged, NULL);
		if (!forged_seen) {
			forge_off();
			printf("CONTROL: dl_iterate_phdr does not report the forged table\n");
			_exit(4);
		}
		racer_stores();
		a0 = attempts;
		self = dlopen(NULL, RTLD_NOW);
		mod = dlopen(module, RTLD_LAZY);
		during += attempts - a0;
		racer_stores();
		forge_off();
		if (!self || !mod) {
			printf("dlopen(%s): %s\n", self ? module : "NULL", dlerror());
			_exit(2);
		}
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("%d rounds of dlopen(NULL) and dlopen(%s) with the forged view, seen by "
	       "dl_iterate_phdr; the racer stored before and after each round's dlopens: "
	       "%ld stores, %ld faulted, %ld while the dlopens ran\n",
	       ROUNDS, module, (long)attempts, (long)faults, during);
	verdict(attempts - faults);
}

/* the stores landed with the test's own mprotect */
static void child_control(void *arg)
{
	enum race r = (enum race)(uintptr_t)arg;
	int32_t d;
	uint64_t v = jmp_evil();

	if (mprotect((void *)page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
		printf("mprotect: %s\n", strerror(errno));
		_exit(2);
	}
	if (r == SLOT) {
		void *a = mmap((void *)cand[0], ARENA, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (!ncand || a != (void *)cand[0])
			_exit(2);
		*(uintptr_t *)a = (uintptr_t)evil;
		d = (int32_t)((intptr_t)a - (intptr_t)(stub + 6));
		memcpy(stub + 2, &d, 4);
	} else {
		memcpy((void *)e_work, &v, 8);
	}
	if (mprotect((void *)page, 4096, PROT_READ | PROT_EXEC) != 0)
		_exit(2);
	verdict(0);
}

static const char *const race_what[] = {
	[SLOT] = "pltforge: a forged view names the trusted stub's slot, a thread stores the "
	         "attacker's function where a copy arena went; dlopen(NULL) and dlopen(MODULE) "
	         "rewrite nothing",
	[CODE] = "pltcode: a forged view names the trusted code page, a thread stores `jmp "
	         "evil' over the trusted entry; dlopen(NULL) and dlopen(MODULE) never make "
	         "the page writable",
};

static void race(enum race r)
{
	if (!ready)
		SKIP("erim_init failed");
	REQUIRE(found);
	CHECK_EXITS(race_what[r], child_race, r, 0, "never ran");
}

TEST(forged_view_slot_race)
{
	race(SLOT);
}

TEST(forged_view_code_race)
{
	race(CODE);
}

TEST(control_landed_stores_hijack_the_entry)
{
	if (!ready)
		SKIP("erim_init failed");
	REQUIRE(found);
	if (under_tem)
		SKIP("erim-tem refuses the test's mprotect of the trusted code page");
	CHECK_EXITS("control: the arena store landed (the stub pointed at it with the test's "
	            "own mprotect): the entry runs the attacker's function",
	            child_control, SLOT, 10, "EVIL RAN.*the secret");
	CHECK_EXITS("control: `jmp evil' landed over the entry (the test's own mprotect): "
	            "the entry runs the attacker's function",
	            child_control, CODE, 10, "EVIL RAN.*the secret");
}

int main(int argc, char **argv)
{
	struct erim_config c = { 0 };
	const char *be;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3 || strncmp(argv[1], "--backend=", 10) != 0) {
		fprintf(stderr, "usage: %s --backend=mpk|mprotect|none MODULE.so [--under-tem]\n",
		        argv[0]);
		return 2;
	}
	be = argv[1] + 10;
	module = argv[2];
	under_tem = argc > 3 && strcmp(argv[3], "--under-tem") == 0;
	if (erim_register_entries(entries, 3, &id_setup) != 0)
		return 1;
	id_work = id_setup + 1;
	id_check = id_setup + 2;
	c.backend = strcmp(be, "mpk") == 0        ? ERIM_BACKEND_MPK
	          : strcmp(be, "mprotect") == 0 ? ERIM_BACKEND_MPROTECT : ERIM_BACKEND_NONE;
	c.require_mpk = c.backend == ERIM_BACKEND_MPK;
	c.quiet = 1;
	check_child_timeout = 300;
	printf("rt_dlforge: %s back end%s\n", be, under_tem ? ", under erim-tem" : "");
	if (erim_init(&c) != 0)
		printf("erim_init: %s\n", erim_strerror());
	else
		ready = erim_gate_call(id_setup, NULL) == 0;
	found = ready && find_targets() == 0;
	RUN(forged_view_slot_race);
	RUN(forged_view_code_race);
	RUN(control_landed_stores_hijack_the_entry);
	return check_done("rt_dlforge");
}
