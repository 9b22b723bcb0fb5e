/* SPDX-License-Identifier: MIT */
/* rt_plt.c: no PLT stub reads a writable slot once erim_init ran
 * (runtime/erim_plt.c).  One program for every back end: `rt_plt BACKEND
 * [MODULE.so]`; natively under none and mprotect, in the PKU guest under mpk
 * (dynamic and static) with the control runs in the same program.
 *
 *  - every `jmp *rel32(%rip)` (ff 25, with or without a bnd prefix) in the
 *    executable segments of every loaded object is decoded, and its target
 *    looked up in /proc/self/maps: none may be writable after erim_init
 *    (control: before erim_init the same walk finds the executable's lazy
 *    .got.plt and libc's writable IRELATIVE slots, dynamic build only);
 *  - got_hijack: untrusted code stores its own function into the executable's
 *    JUMP_SLOT of erim_malloc, which a trusted entry then calls; it must not
 *    run (control: the stub's displacement put back to that slot, as without
 *    the retargeting: it runs, under mpk with the trusted PKRU, and reads the
 *    trusted secret; then the retargeting is put back);
 *  - libc_got: the same with libc's own internal slot (explicit_bzero ->
 *    memset through libc's PLT, the keyvault red-team path), and the copy
 *    the stub now reads faults on a store;
 *  - lazy binding semantics for untrusted code: libm calls, threads, a
 *    module dlopened lazily (RTLD_LAZY, linked -z lazy) and calls into it,
 *    one through its own PLT; after that dlopen the walk of the objects
 *    loaded at erim_init still finds no stub reading a writable slot, and
 *    the module's own stubs are NOT retargeted: after erim_init liberim
 *    writes no code page, a later object keeps its lazy .got.plt as ld.so
 *    made it (trusted code never runs its stubs; red team 60, rt_dlforge);
 *  - under erim-tem (--under-tem), untrusted code can neither put a stub
 *    back nor make a slot copy writable or unmap it;
 *  - static: erim_init accepted the program (its IRELATIVE slots are in
 *    RELRO with -z relro -z now), the walk finds nothing writable. */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <math.h>
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
#include "erim_hooks.h"
#include "erim_check.h"

#define SECRET 0x5ec7e75ec7e7L
static ERIM_TRUSTED volatile long secret_global[8] = { SECRET };
static enum erim_backend backend;
static unsigned id_alloc, id_bzero;
static const char *module;
static int under_tem;      /* --under-tem: erim-tem must refuse the undo */
static int stub_point(uint8_t *stub, void **slot);

/* Under erim-tem untrusted code can neither rewrite the stub back (frozen
 * code) nor unprotect the slot copy (frozen, trusted range): checked here
 * instead of the control, which ran without erim-tem. */
static void tem_refuses_undo(uint8_t *stub, void **old_slot, void **copy)
{
	uintptr_t pg = (uintptr_t)copy & ~4095UL;

	CHECK(stub_point(stub, old_slot) != 0, "erim-tem let untrusted code rewrite the PLT stub");
	CHECK(mprotect((void *)pg, 4096, PROT_READ | PROT_WRITE) != 0,
	      "erim-tem let untrusted code make the slot copy writable");
	CHECK(munmap((void *)pg, 4096) != 0, "erim-tem let untrusted code unmap the slot copy");
}

/* ---- the walk ----------------------------------------------------------------- */

static int writable(uintptr_t a)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int w = 0;

	if (!f)
		return 1;
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 && a >= s && a < e) {
			w = p[1] == 'w';
			break;
		}
	}
	fclose(f);
	return w;
}

/* which objects a walk looks at */
enum walk_of { WALK_ALL, WALK_INIT, WALK_BASE };

struct walk {
	int bad, stubs;
	int verbose;
	enum walk_of of;
	uintptr_t base;   /* WALK_BASE: the object loaded there */
};

/* the objects loaded at erim_init, by load address */
#define MAX_INIT_OBJ 64
static uintptr_t init_obj[MAX_INIT_OBJ];
static size_t ninit_obj;

static int note_obj(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	if (ninit_obj < MAX_INIT_OBJ)
		init_obj[ninit_obj++] = info->dlpi_addr;
	return 0;
}

static int walked(const struct walk *w, uintptr_t base)
{
	if (w->of == WALK_BASE)
		return base == w->base;
	for (size_t i = 0; w->of == WALK_INIT && i < ninit_obj; i++)
		if (init_obj[i] == base)
			return 1;
	return w->of == WALK_ALL;
}

#ifdef RT_STATIC
extern const ElfW(Rela) __rela_iplt_start[] __attribute__((weak));
extern const ElfW(Rela) __rela_iplt_end[] __attribute__((weak));
#endif

static int cmp_u(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Every address the dynamic loader (or static start-up) writes in the
 * object: the targets of DT_JMPREL and DT_RELA, sorted; malloc'ed. */
static size_t reloc_targets(struct dl_phdr_info *info, uintptr_t **out)
{
	uintptr_t base = info->dlpi_addr, rel[2] = { 0, 0 };
	size_t sz[2] = { 0, 0 }, n = 0;
	const ElfW(Dyn) *d = NULL;
	uintptr_t *t;

	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			d = (const ElfW(Dyn) *)(base + info->dlpi_phdr[i].p_vaddr);
	for (; d && d->d_tag != DT_NULL; d++) {
		uintptr_t v = d->d_un.d_ptr;

		if (d->d_tag == DT_JMPREL) rel[0] = v < base ? v + base : v;
		if (d->d_tag == DT_PLTRELSZ) sz[0] = d->d_un.d_val / sizeof(ElfW(Rela));
		if (d->d_tag == DT_RELA) rel[1] = v < base ? v + base : v;
		if (d->d_tag == DT_RELASZ) sz[1] = d->d_un.d_val / sizeof(ElfW(Rela));
	}
#ifdef RT_STATIC
	if (!d && __rela_iplt_start && !info->dlpi_name[0]) {
		rel[0] = (uintptr_t)__rela_iplt_start;
		sz[0] = (size_t)(__rela_iplt_end - __rela_iplt_start);
	}
#endif
	t = malloc((sz[0] + sz[1] + 1) * sizeof *t);
	for (int k = 0; t && k < 2; k++)
		for (size_t i = 0; rel[k] && i < sz[k]; i++)
			t[n++] = base + ((const ElfW(Rela) *)rel[k])[i].r_offset;
	if (t)
		qsort(t, n, sizeof *t, cmp_u);
	*out = t;
	return n;
}

/* Every `jmp *rel32(%rip)` (ff 25, any prefix) in the object's executable
 * segments whose target is a slot the loader fills: none may be writable. */
static int walk_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct walk *w = arg;
	uintptr_t *tg;
	size_t ntg;

	(void)size;
	if (!walked(w, info->dlpi_addr))
		return 0;
	ntg = reloc_targets(info, &tg);
	for (int i = 0; ntg && i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t s = info->dlpi_addr + p->p_vaddr, e = s + p->p_filesz;

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) || !(p->p_flags & PF_R))
			continue;
		for (uintptr_t a = s; a + 6 <= e; a++) {
			const uint8_t *b = (const uint8_t *)a;
			int32_t d;
			uintptr_t t;

			if (b[0] != 0xff || b[1] != 0x25)
				continue;
			memcpy(&d, b + 2, 4);
			t = a + 6 + (intptr_t)d;
			if (!bsearch(&t, tg, ntg, sizeof *tg, cmp_u))
				continue;
			w->stubs++;
			if (writable(t)) {
				if (w->verbose && w->bad < 5)
					printf("  %s: jmp *%#lx at %#lx reads a writable slot\n",
					       info->dlpi_name[0] ? info->dlpi_name : "(executable)",
					       (unsigned long)t, (unsigned long)a);
				w->bad++;
			}
		}
	}
	free(tg);
	return 0;
}

static struct walk walk(int verbose, enum walk_of of, uintptr_t base)
{
	struct walk w = { 0, 0, verbose, of, base };

	dl_iterate_phdr(walk_cb, &w);
	return w;
}

/* ---- stub decoding for the attacks ---------------------------------------------- */

/* a rel32 of the code (unaligned: read byte-wise, not as an int32_t) */
static int32_t rel32_at(const uint8_t *p)
{
	int32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* The ff 25 stub that FN's first direct call (e8) goes to, or NULL. */
static uint8_t *first_call_stub(const void *fn)
{
	const uint8_t *f = fn;

	for (int i = 0; f && i < 64; i++)
		if (f[i] == 0xe8) {
			uint8_t *stub = (uint8_t *)(f + i + 5 + rel32_at(f + i + 1));

			if (stub[0] == 0xf3 && stub[1] == 0x0f && stub[2] == 0x1e && stub[3] == 0xfa)
				stub += 4;
			if (stub[0] == 0xf2)
				stub++;
			if (stub[0] == 0xff && stub[1] == 0x25)
				return stub;
			return NULL;
		}
	return NULL;
}

static void **stub_slot(const uint8_t *stub)
{
	return (void **)(stub + 6 + rel32_at(stub + 2));
}

/* Point STUB's displacement at SLOT: back to the writable slot, the program
 * as it was without the retargeting (control), or to the copy again. */
static int stub_point(uint8_t *stub, void **slot)
{
	uintptr_t pg = (uintptr_t)stub & ~4095UL;
	int32_t d = (int32_t)((intptr_t)slot - (intptr_t)(stub + 6));

	if (mprotect((void *)pg, 8192, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		return -1;
	memcpy(stub + 2, &d, 4);
	return mprotect((void *)pg, 8192, PROT_READ | PROT_EXEC);
}

static inline uint32_t pkru(void)
{
	uint32_t eax, edx;

	if (!erim_pku_available())
		return 0;
	__asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static int trusted_pkru(uint32_t v)
{
	return backend != ERIM_BACKEND_MPK || !(v & (3u << (2 * erim_pkey())));
}

/* ---- the victim: trusted entries ---------------------------------------------------- */

static void (*bzero_fn)(void *, size_t);

static long e_alloc(void *p)
{
	(void)p;
	return erim_malloc(64) != NULL;   /* through the executable's PLT */
}

static long e_bzero(void *p)
{
	volatile char buf[64];

	(void)p;
	buf[0] = 1;
	bzero_fn((void *)buf, sizeof buf);
	return buf[0];
}

static const struct erim_entry entries[] = {
	{ "plt", "alloc", e_alloc, ERIM_ENTRY_PUBLIC },
	{ "plt", "bzero", e_bzero, ERIM_ENTRY_PUBLIC },
};

/* ---- the attacker ------------------------------------------------------------------ */

static volatile int evil_ran;
static volatile long stolen;
static volatile uint32_t evil_pkru;
static void *(*real_malloc)(size_t);
static void *(*real_memset)(void *, int, size_t);

static void *evil_malloc(size_t n)
{
	evil_ran = 1;
	evil_pkru = pkru();
	if (trusted_pkru(evil_pkru))
		stolen = secret_global[0];
	return real_malloc(n);
}

static void *evil_memset(void *d, int c, size_t n)
{
	evil_ran = 1;
	evil_pkru = pkru();
	if (trusted_pkru(evil_pkru))
		stolen = secret_global[0];
	return real_memset(d, c, n);
}

static sigjmp_buf jb;
static void on_segv(int s)
{
	(void)s;
	siglongjmp(jb, 1);
}

/* the writable slots found before erim_init (the red team's targets) */
static void **exe_malloc_slot;
static uint8_t *libc_stub;
static void **libc_slot;

struct find { const char *sym; uintptr_t slot; };

static int find_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct find *f = data;
	uintptr_t base = info->dlpi_addr, jmprel = 0, symtab = 0, strtab = 0;
	size_t pltsz = 0;
	ElfW(Dyn) *d = NULL;

	(void)size;
	if (info->dlpi_name && info->dlpi_name[0])
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			d = (ElfW(Dyn) *)(base + info->dlpi_phdr[i].p_vaddr);
	if (!d)
		return 1;
	for (; d->d_tag != DT_NULL; d++) {
		uintptr_t v = d->d_un.d_ptr;

		if (d->d_tag == DT_JMPREL) jmprel = v;
		if (d->d_tag == DT_PLTRELSZ) pltsz = d->d_un.d_val;
		if (d->d_tag == DT_SYMTAB) symtab = v;
		if (d->d_tag == DT_STRTAB) strtab = v;
	}
	if (jmprel && jmprel < base) jmprel += base;
	if (symtab && symtab < base) symtab += base;
	if (strtab && strtab < base) strtab += base;
	for (ElfW(Rela) *r = (ElfW(Rela) *)jmprel; r && (uintptr_t)(r + 1) <= jmprel + pltsz; r++) {
		ElfW(Sym) *s = (ElfW(Sym) *)symtab + ELF64_R_SYM(r->r_info);

		if (strcmp((const char *)strtab + s->st_name, f->sym) == 0)
			f->slot = base + r->r_offset;
	}
	return 1;
}

/* the stub the executable's e_alloc calls erim_malloc through */
static uint8_t *exe_stub_of(void **slot)
{
	uint8_t *f = (uint8_t *)e_alloc;

	for (int i = 0; i < 64; i++)
		if (f[i] == 0xe8) {
			uint8_t *s = f + i + 5 + rel32_at(f + i + 1);

			for (int k = 0; k < 8; k++)
				if (s[k] == 0xff && s[k + 1] == 0x25)
					return s + k;
			(void)slot;
			return NULL;
		}
	return NULL;
}

void __explicit_bzero_chk(void *, size_t, size_t);
static void bzero_chk(void *p, size_t n)
{
	__explicit_bzero_chk(p, n, n);
}

static void before_init(void)
{
	struct find f = { "erim_malloc", 0 };
#ifndef RT_STATIC
	void *h = dlsym(RTLD_DEFAULT, "__explicit_bzero_chk");
#else
	void *h = NULL;
#endif

	dl_iterate_phdr(find_cb, &f);
	exe_malloc_slot = (void **)f.slot;
	bzero_fn = explicit_bzero;
	libc_stub = first_call_stub(bzero_fn);
	if (!libc_stub && h && (libc_stub = first_call_stub(h)) != NULL)
		bzero_fn = bzero_chk;
	libc_slot = libc_stub ? stub_slot(libc_stub) : NULL;
#ifndef RT_STATIC
	real_malloc = (void *(*)(size_t))dlsym(RTLD_DEFAULT, "erim_malloc");
#else
	real_malloc = erim_malloc;
#endif
#ifndef RT_STATIC
	real_memset = (void *(*)(void *, int, size_t))dlsym(RTLD_DEFAULT, "memset");
#else
	real_memset = memset;
#endif
}

static struct walk before;

TEST(no_stub_reads_a_writable_slot)
{
	struct walk w = walk(1, WALK_ALL, 0);

	printf("  before erim_init: %d of %d ff 25 stubs read a writable slot; after: %d\n",
	       before.bad, before.stubs, w.bad);
	CHECK(w.stubs > 0, "no stubs decoded at all");
	CHECK(w.bad == 0, "%d stubs still read a writable slot", w.bad);
#ifndef RT_STATIC
	/* control: the walk finds the lazy .got.plt and libc's partial RELRO */
	CHECK(before.bad > 0, "control: the walk found no writable slot before erim_init");
#endif
}

TEST(got_hijack_executable_slot)
{
	uint8_t *stub;
	void *orig, **copy;

	if (!exe_malloc_slot)
		SKIP("no PLT slot for erim_malloc in this executable (static: a direct call)");
	stub = exe_stub_of(exe_malloc_slot);
	CHECK(stub != NULL, "erim_malloc's stub not found");
	if (!stub)
		return;
	CHECK(stub_slot(stub) != exe_malloc_slot, "the stub still reads the JUMP_SLOT");
	CHECK(erim_overlaps_trusted(stub_slot(stub), 8), "the slot copy is not in the registry");
	copy = stub_slot(stub);
	orig = *exe_malloc_slot;
	*exe_malloc_slot = (void *)evil_malloc;         /* plain store: writable */
	evil_ran = 0;
	stolen = 0;
	CHECK(erim_gate_call(id_alloc, NULL) == 1, "trusted alloc failed");
	CHECK(!evil_ran, "the attacker's function ran from trusted code (PKRU %#x)", evil_pkru);
	if (under_tem) {
		tem_refuses_undo(stub, exe_malloc_slot, stub_slot(stub));
		*exe_malloc_slot = orig;
		return;
	}
	/* control: the stub pointed back at the slot, as without the retargeting */
	CHECK(stub_point(stub, exe_malloc_slot) == 0, "control: cannot undo the retargeting");
	CHECK(erim_gate_call(id_alloc, NULL) == 1, "trusted alloc failed (control)");
	printf("  control: evil ran %d, PKRU there %#x, stolen %#lx\n", evil_ran, evil_pkru, stolen);
	CHECK(evil_ran, "control: the hijack did not run the attacker's function");
	CHECK(stolen == SECRET, "control: the attacker did not get trusted rights");
	*exe_malloc_slot = orig;
	evil_ran = 0;
	CHECK(stub_point(stub, copy) == 0, "cannot put the retargeting back");
}

TEST(libc_internal_slot)
{
	void *orig;
	void **now;
	static volatile int wrote;
	void (*old_segv)(int);

	if (!libc_slot)
		SKIP("explicit_bzero makes no call through a PLT stub in this libc");
	if (!writable((uintptr_t)libc_slot))
		SKIP("libc's slot for explicit_bzero's call is read-only here (full RELRO libc)");
	now = stub_slot(libc_stub);
	CHECK(now != libc_slot, "libc's stub still reads its writable slot");
	/* the copy is a registered (read-only) trusted range: erim-tem keeps it */
	CHECK(erim_overlaps_trusted(now, sizeof *now), "the slot copy %p is not in the registry",
	      (void *)now);
	old_segv = signal(SIGSEGV, on_segv);
	if (sigsetjmp(jb, 1) == 0) {
		*(volatile uintptr_t *)now = *(volatile uintptr_t *)now;
		wrote = 1;
	}
	signal(SIGSEGV, old_segv);
	CHECK(!wrote, "the slot copy %p the stub reads is writable", (void *)now);
	orig = *libc_slot;
	*libc_slot = (void *)evil_memset;
	evil_ran = 0;
	stolen = 0;
	CHECK(erim_gate_call(id_bzero, NULL) == 0, "trusted bzero failed");
	CHECK(!evil_ran, "the attacker's memset ran from trusted code (PKRU %#x)", evil_pkru);
	if (under_tem) {
		tem_refuses_undo(libc_stub, libc_slot, now);
		*libc_slot = orig;
		return;
	}
	CHECK(stub_point(libc_stub, libc_slot) == 0, "control: cannot undo the retargeting");
	CHECK(erim_gate_call(id_bzero, NULL) == 0, "trusted bzero failed (control)");
	printf("  control: evil ran %d, PKRU there %#x, stolen %#lx\n", evil_ran, evil_pkru, stolen);
	CHECK(evil_ran, "control: the hijack did not run the attacker's memset");
	CHECK(stolen == SECRET, "control: the attacker did not get trusted rights");
	*libc_slot = orig;
	evil_ran = 0;
	CHECK(stub_point(libc_stub, now) == 0, "cannot put the retargeting back");
}

static volatile double sink;

static void *thread_fn(void *p)
{
	volatile double x = (double)(uintptr_t)p;

	sink = cos(x) + sqrt(x + 1.0) + exp(x / 100.0);
	free(malloc(16));
	return NULL;
}

TEST(lazy_binding_semantics)
{
	pthread_t t[4];
	volatile double x = 0.5;
	int ok = 1;

	sink = cos(x) + log(x + 2.0) + pow(x, 3.0) + atan2(x, 1.0);
	CHECK(sink > 0, "libm calls");
	for (int i = 0; i < 4; i++)
		ok &= pthread_create(&t[i], NULL, thread_fn, (void *)(uintptr_t)(i + 1)) == 0;
	CHECK(ok, "pthread_create");
	for (int i = 0; ok && i < 4; i++)
		pthread_join(t[i], NULL);
#ifndef RT_STATIC
	if (module) {
		void *h = dlopen(module, RTLD_LAZY);
		int (*fn)(void), (*pid)(void);
		struct link_map *lm;
		struct walk w, m;

		CHECK(h != NULL, "dlopen(%s): %s", module, dlerror());
		if (!h || dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0)
			return;
		fn = (int (*)(void))dlsym(h, "dlclean_answer");
		pid = (int (*)(void))dlsym(h, "dlclean_pid");
		CHECK(fn && fn() == 42, "a call into the dlopened module");
		CHECK(pid && pid() == getpid(), "a lazily bound call through the module's PLT");
		w = walk(1, WALK_INIT, 0);
		m = walk(0, WALK_BASE, lm->l_addr);
		printf("  after dlopen: %d stubs of the %zu objects loaded at erim_init read "
		       "a writable slot; %d of the module's %d do (its lazy .got.plt)\n",
		       w.bad, ninit_obj, m.bad, m.stubs);
		CHECK(w.bad == 0, "after dlopen: %d stubs of the objects of erim_init read a "
		      "writable slot", w.bad);
		CHECK(m.bad > 0, "the module's stubs were retargeted: none reads its own "
		      "writable .got.plt");
	}
#endif
}

static int init_rc;

TEST(static_without_relro_refused)
{
	CHECK(init_rc < 0, "erim_init accepted writable IRELATIVE slots");
	CHECK(strstr(erim_strerror(), "IRELATIVE GOT slots") != NULL, "message: %s", erim_strerror());
	CHECK(!erim_initialized(), "erim_initialized() after a refusal");
	/* control: the slots really are writable (what the refusal is about) */
#ifdef RT_STATIC
	CHECK(__rela_iplt_start && (const void *)__rela_iplt_start != (const void *)__rela_iplt_end &&
	      writable(__rela_iplt_start->r_offset), "control: the IRELATIVE slots are not writable");
#endif
}

int main(int argc, char **argv)
{
	struct erim_config c = { 0 };
	unsigned first;
	const char *be = argc > 1 ? argv[1] : "none";
	char suite[32];
	int r;

	module = argc > 2 ? argv[2] : NULL;
	under_tem = argc > 3 && strcmp(argv[3], "--under-tem") == 0;
	if (strcmp(be, "mpk") == 0) {
		backend = ERIM_BACKEND_MPK;
		c.require_mpk = 1;
	} else if (strcmp(be, "mprotect") == 0) {
		backend = ERIM_BACKEND_MPROTECT;
	} else {
		backend = ERIM_BACKEND_NONE;
	}
#ifdef RT_STATIC
	snprintf(suite, sizeof suite, "rt_plt_static_%s", be);
#else
	snprintf(suite, sizeof suite, "rt_plt_%s", be);
#endif
	if (erim_register_entries(entries, 2, &first) != 0)
		return 1;
	id_alloc = first;
	id_bzero = first + 1;
	if (backend == ERIM_BACKEND_MPK && !erim_pku_available()) {
		printf("skipped: no protection keys here (the mpk run is for the PKU guest)\n");
		return 77;
	}
	before_init();
	before = walk(0, WALK_ALL, 0);
	c.backend = backend;
	r = erim_init(&c);
	if (module && strcmp(module, "--refused") == 0) {
		/* a static program linked without -z relro -z now: refused */
		printf("erim_init: %d: %s\n", r, r < 0 ? erim_strerror() : "accepted");
		init_rc = r;
		RUN(static_without_relro_refused);
		return check_done(suite);
	}
	if (r < 0) {
		printf("erim_init: %s\n", erim_strerror());
		return 1;
	}
	dl_iterate_phdr(note_obj, NULL);
	RUN(no_stub_reads_a_writable_slot);
	RUN(got_hijack_executable_slot);
	RUN(libc_internal_slot);
	RUN(lazy_binding_semantics);
	return check_done(suite);
}
