/* SPDX-License-Identifier: MIT */
/* rt_pltrace.c: red team 58 (pltrace) -- another thread's stores into the
 * PLT page of a module dlopened after erim_init.
 *
 * liberim.so's dlopen wrapper used to retarget the PLT stubs of a newly
 * loaded module that jump through writable (lazy) .got.plt slots: it made
 * each page read-write, wrote the displacements and made it executable
 * again -- while the program's other threads ran.  A thread that stored
 * "wrpkru; ret" into the page during that window (plain stores, a SIGSEGV
 * handler skipping the faults; or pread from a memfd) had its bytes made
 * executable by liberim, and a call to them with EAX = ECX = EDX = 0 opened
 * every key: the red team read the trusted secret on 6.1 and 6.12.  The
 * window was then closed by a check before execute came back; now there is
 * no window: after erim_init liberim writes no code page, and a module
 * loaded later keeps its PLT as ld.so made it (trusted code never runs its
 * stubs; red team 60, rt_dlforge.c).
 *
 *   rt_pltrace --backend=B DEP.so WIDE.so [--stores]
 *
 * WIDE.so (pltwide.c): 600 lazily bound PLT stubs, more than a page;
 * DEP.so (pltwide_dep.c) defines what they call.  Tests:
 *  - no_store_lands_in_a_dlopened_plt: dlopen/dlclose WIDE.so ITERS times
 *    while a thread stores the gadget, over and over, into a PLT page's
 *    "push" byte (the module comes back at the same address, as a rule);
 *    none of its stores may land (the page is never writable), and after
 *    each load every stub of that page still jumps through its own
 *    .got.plt slot (liberim rewrote none); a gadget found in the page is
 *    called and the test fails if the secret is read.  Control: the thread
 *    ran (its stores counted).  The same in every back end, so the native
 *    runs under none and mprotect show it too;
 *  - dlopen_dlclose_cycles_do_not_run_out: an honest program that loads,
 *    calls and unloads WIDE.so 1500 times keeps running (the slot copies
 *    liberim once made for each load were never unmapped: about 1000 cycles
 *    used up the addresses within 2 GiB and the process was stopped);
 *  - control_the_gadget_opens_the_key (mpk): the same bytes written with the
 *    test's own mprotect (the system-call class, not covered without
 *    erim-tem) and called: the secret is read -- what a landed store would
 *    buy. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

#define SECRET 0x5ec7e7c0b1e5ul
#define CYCLES 1500  /* the slot copies near the module ran out after ~1000 */
#define ITERS 400    /* loads raced: no window; 3000 at most when there was one */

static ERIM_TRUSTED volatile unsigned long secret_global[8];
static unsigned id_setup;
static int ready, backend_mpk, use_stores;
static const char *dep_path, *wide_path;

static long e_setup(void *p)
{
	(void)p;
	secret_global[0] = SECRET;
	return 0;
}

static const struct erim_entry entries[] = {
	{ "rt_pltrace", "setup", e_setup, ERIM_ENTRY_PUBLIC },
};

/* wrpkru; ret -- made at run time: no immediate of this program holds it */
static unsigned char gadget[4];
static volatile unsigned char ef_less_one = 0xee;
static volatile uintptr_t target;
static volatile int stop;
static volatile long attempts, stores_landed;
static int gadget_fd;
static sigjmp_buf racer_jb;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(racer_jb, 1);
}

static void *racer(void *unused)
{
	(void)unused;
	while (!stop) {
		uintptr_t t = target;

		if (!t)
			continue;
		attempts++;
		if (use_stores) {
			if (sigsetjmp(racer_jb, 1) == 0) {
				*(volatile uint32_t *)t = *(volatile uint32_t *)gadget;
				stores_landed++;
			}
		} else if (pread(gadget_fd, (void *)t, 4, 0) == 4) {
			stores_landed++;
		}
	}
	return NULL;
}

static int holds_gadget(uintptr_t t)
{
	return memcmp((const void *)t, gadget, 4) == 0;
}

/* call the bytes at G with EAX = ECX = EDX = 0, then read the trusted global */
static void use_gadget(uintptr_t g, const char *how)
{
	unsigned long v;

	__asm__ volatile("xorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\txorl %%eax, %%eax\n\tcall *%0"
	                 : : "r"(g) : "rax", "rcx", "rdx", "memory");
	v = secret_global[0];
	if (v == SECRET) {
		printf("SECRET READ (%#lx) through a WRPKRU %s\n", v, how);
		_exit(10);
	}
	printf("read %#lx, not the secret\n", v);
	_exit(11);
}

/* The address and size of section NAME in the file at PATH: the section
 * headers, read; 0 if not found */
static uintptr_t section_of(const char *path, const char *name, size_t *size)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh[128], str;
	char names[4096];
	uintptr_t r = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || pread(fd, &eh, sizeof eh, 0) != sizeof eh || eh.e_shnum > 128 ||
	    eh.e_shstrndx >= eh.e_shnum ||
	    pread(fd, sh, eh.e_shnum * sizeof *sh, (off_t)eh.e_shoff) != (ssize_t)(eh.e_shnum * sizeof *sh))
		goto out;
	str = sh[eh.e_shstrndx];
	if (pread(fd, names, sizeof names - 1, (off_t)str.sh_offset) <= 0)
		goto out;
	names[sizeof names - 1] = 0;
	for (int i = 0; i < eh.e_shnum; i++)
		if (sh[i].sh_name < sizeof names - 1 && strcmp(names + sh[i].sh_name, name) == 0) {
			r = sh[i].sh_addr;
			*size = sh[i].sh_size;
		}
out:
	if (fd >= 0)
		close(fd);
	return r;
}

/* WIDE.so loaded: where it is, its second .plt page (whole entries, ff 25
 * rel32 | 68 imm32 | e9 rel32) and its .got.plt */
struct wide {
	void *h;
	uintptr_t base, pg, plt_end, got, got_end;
};

static void load_wide(struct wide *w)
{
	struct link_map *lm;
	size_t psize = 0, gsize = 0;
	uintptr_t plt = section_of(wide_path, ".plt", &psize);
	uintptr_t got = section_of(wide_path, ".got.plt", &gsize);

	w->h = dlopen(wide_path, RTLD_LAZY | RTLD_LOCAL);
	if (!w->h || dlinfo(w->h, RTLD_DI_LINKMAP, &lm) != 0) {
		printf("dlopen(%s): %s\n", wide_path, dlerror());
		_exit(2);
	}
	w->base = lm->l_addr;
	w->pg = w->base + ((plt + 4095) & ~4095ul);
	w->plt_end = w->base + plt + psize;
	w->got = w->base + got;
	w->got_end = w->got + gsize;
	if (!plt || !got || w->pg + 16 > w->plt_end) {
		printf("%s: no .plt page of whole entries, or no .got.plt\n", wide_path);
		_exit(2);
	}
}

/* Every whole entry of W's second .plt page still jumps through a slot of
 * W's own .got.plt (its three reserved slots excepted): 0, or -1 with a
 * message */
static int stubs_as_ld_made_them(const struct wide *w)
{
	for (uintptr_t e = w->pg; e < w->pg + 4096 && e + 16 <= w->plt_end; e += 16) {
		const uint8_t *b = (const uint8_t *)e;
		int32_t d;
		uintptr_t slot;

		memcpy(&d, b + 2, 4);
		slot = e + 6 + (uintptr_t)(intptr_t)d;
		if (b[0] != 0xff || b[1] != 0x25 || slot < w->got + 24 || slot + 8 > w->got_end) {
			printf("REWRITTEN: the stub at %#lx of %s jumps through %#lx, not its own "
			       ".got.plt [%#lx, %#lx)\n", (unsigned long)e, wide_path,
			       (unsigned long)slot, (unsigned long)w->got, (unsigned long)w->got_end);
			return -1;
		}
	}
	return 0;
}

static void child_race(void *unused)
{
	struct wide w;
	uintptr_t base;
	pthread_t th;
	int moved = 0;

	(void)unused;
	if (!dlopen(dep_path, RTLD_NOW | RTLD_GLOBAL)) {
		printf("dlopen(%s): %s\n", dep_path, dlerror());
		_exit(2);
	}
	gadget_fd = memfd_create("gadget", 0);
	if (gadget_fd < 0 || write(gadget_fd, gadget, 4) != 4)
		_exit(2);
	if (use_stores) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_segv;
		sa.sa_flags = SA_NODEFER;
		if (sigaction(SIGSEGV, &sa, NULL) != 0)
			_exit(2);
	}
	load_wide(&w);
	target = w.pg + 6;
	if (pthread_create(&th, NULL, racer, NULL) != 0)
		_exit(2);
	for (int i = 0; i < ITERS; i++) {
		/* the racer keeps storing at the old address while the module
		 * is unloaded and loaded again */
		base = w.base;
		dlclose(w.h);
		load_wide(&w);
		moved += w.base != base;
		target = w.pg + 6;
		if (holds_gadget(target)) {
			stop = 1;
			printf("iteration %d: the racer's bytes are in the executable PLT page\n", i);
			use_gadget(target, "stored into a dlopened module's PLT page");
		}
		if (stubs_as_ld_made_them(&w) != 0) {
			stop = 1;
			_exit(4);
		}
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("%d loads of %s (%d at another address), every stub of its PLT page as "
	       "ld.so made it; the racer: %ld %s, %ld landed\n", ITERS, wide_path, moved,
	       (long)attempts, use_stores ? "plain stores" : "preads", (long)stores_landed);
	if (stores_landed) {
		printf("STORES LANDED: the PLT page was writable\n");
		_exit(5);
	}
	if (!attempts) {
		printf("CONTROL: the racer made no store\n");
		_exit(6);
	}
	_exit(0);
}

/* an honest program: load and unload the module, call it each time */
static void child_cycles(void *unused)
{
	struct wide w;

	(void)unused;
	if (!dlopen(dep_path, RTLD_NOW | RTLD_GLOBAL))
		_exit(2);
	for (int i = 0; i < CYCLES; i++) {
		int (*call)(int);

		load_wide(&w);
		call = (int (*)(int))dlsym(w.h, "pltwide_call");
		if (!call || call(100 + i % 600) != 2 * (100 + i % 600)) {
			printf("cycle %d: pltwide_call gave the wrong answer\n", i);
			_exit(1);
		}
		dlclose(w.h);
	}
	printf("%d cycles of dlopen, a call, dlclose\n", CYCLES);
	_exit(0);
}

static void child_control(void *unused)
{
	struct wide w;

	(void)unused;
	if (!dlopen(dep_path, RTLD_NOW | RTLD_GLOBAL))
		_exit(2);
	load_wide(&w);
	if (mprotect((void *)w.pg, 4096, PROT_READ | PROT_WRITE) != 0)
		_exit(2);
	memcpy((void *)(w.pg + 6), gadget, 4);
	if (mprotect((void *)w.pg, 4096, PROT_READ | PROT_EXEC) != 0)
		_exit(2);
	use_gadget(w.pg + 6, "written with the test's own mprotect");
}

TEST(no_store_lands_in_a_dlopened_plt)
{
	if (!ready)
		SKIP("erim_init failed");
	CHECK_EXITS(use_stores ? "a thread's plain stores into the PLT page of a module "
	                         "dlopened and dlclosed in a loop: none lands, liberim "
	                         "rewrites no stub"
	                       : "a thread's pread into the PLT page of a module dlopened "
	                         "and dlclosed in a loop: none lands, liberim rewrites no stub",
	            child_race, 0, 0, " 0 landed");
}

TEST(dlopen_dlclose_cycles_do_not_run_out)
{
	if (!ready)
		SKIP("erim_init failed");
	CHECK_EXITS("an honest program loading and unloading a lazily bound module keeps "
	            "running (liberim makes no PLT slot copies for it)",
	            child_cycles, 0, 0, "cycles of dlopen");
}

TEST(control_the_gadget_opens_the_key)
{
	if (!ready)
		SKIP("erim_init failed");
	if (!backend_mpk)
		SKIP("the gadget is a WRPKRU: mpk only");
	CHECK_EXITS("control: the gadget written with the test's own mprotect (the system-call "
	            "class) and called reads the secret", child_control, 0, 10, "SECRET READ");
}

int main(int argc, char **argv)
{
	struct erim_config c = { 0 };
	const char *be;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 4 || strncmp(argv[1], "--backend=", 10) != 0) {
		fprintf(stderr, "usage: %s --backend=mpk|mprotect|none DEP.so WIDE.so [--stores]\n",
		        argv[0]);
		return 2;
	}
	be = argv[1] + 10;
	dep_path = argv[2];
	wide_path = argv[3];
	use_stores = argc > 4 && strcmp(argv[4], "--stores") == 0;
	gadget[0] = 0x0f;
	gadget[1] = 0x01;
	gadget[2] = (unsigned char)(ef_less_one + 1);
	gadget[3] = 0xc3;
	backend_mpk = strcmp(be, "mpk") == 0;
	if (erim_register_entries(entries, 1, &id_setup) != 0)
		return 1;
	c.backend = backend_mpk ? ERIM_BACKEND_MPK
	          : strcmp(be, "mprotect") == 0 ? ERIM_BACKEND_MPROTECT : ERIM_BACKEND_NONE;
	c.require_mpk = backend_mpk;
	c.quiet = 1;
	printf("rt_pltrace: %s back end, racer: %s\n", be, use_stores ? "plain stores" : "pread");
	if (erim_init(&c) != 0)
		printf("erim_init: %s\n", erim_strerror());
	else
		ready = erim_gate_call(id_setup, NULL) == 0;
	RUN(no_store_lands_in_a_dlopened_plt);
	RUN(dlopen_dlclose_cycles_do_not_run_out);
	RUN(control_the_gadget_opens_the_key);
	return check_done("rt_pltrace");
}
