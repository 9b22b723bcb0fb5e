/* SPDX-License-Identifier: MIT */
/* erim_plt.c: no PLT stub reads a writable slot.
 *
 * Trusted code calls through PLT stubs (`jmp *slot(%rip)`, ff 25, or the
 * bnd form f2 ff 25) -- its own, the executable's, and libc's internal ones
 * (libc calls its own memset/memcpy/strlen through IRELATIVE slots).  A slot
 * outside an object's PT_GNU_RELRO stays writable for the whole run: a lazy
 * .got.plt, or a partial-RELRO library such as Debian 12's libc.so.6, whose
 * .got.plt shares a page with .data.  One store by untrusted code there and
 * trusted code jumps to the attacker's function with the trusted PKRU.
 *
 * erim__plt_protect() closes the class for every loaded object: it finds the
 * JUMP_SLOT/IRELATIVE slots of DT_JMPREL that lie outside RELRO, the stubs
 * that jump through them (every ff 25 rel32 in executable segments whose
 * target is exactly such a slot), resolves slots still lazy (pointing at
 * their own PLT push) to the definition ld.so would bind (by the relocation's
 * symbol name and version: dlvsym/dlsym, checked against a walk of the
 * objects in load order, so that an unversioned interposer wins as it does
 * for ld.so), writes the targets into "slot copy" pages mapped within +-2 GiB
 * of the object, seals those read-only, and rewrites each stub's 4-byte
 * displacement to its copy (same instruction, same length).  Code pages are
 * written like load-time inspection writes them (private copy-on-write text,
 * raw mprotect RW, write, back; signals blocked; the writer in the section
 * inspection never patches), and the changed bytes are scanned for a
 * WRPKRU/XRSTOR the new displacement could form before anything is written.
 *
 * It also refuses (fail closed) an object whose GOT slots for -fno-plt calls
 * (GLOB_DAT of non-data symbols) are writable, and a static program whose
 * IRELATIVE slots (glibc's memcpy/strlen... in .got.plt/.got.iplt) are
 * writable (linked without -z relro -z now).
 *
 * Called by erim_init only, the process's only thread (copies reported as
 * read-only trusted ranges, which erim-tem keeps from being remapped or made
 * writable).  Objects loaded later are left as ld.so made them: trusted code
 * never runs their stubs (a module with trusted globals or entries cannot be
 * loaded after erim_init), and rewriting them meant liberim changing code
 * pages while other threads run, on a view of the objects (ld.so's link map)
 * that untrusted code writes -- red team 58 (pltrace) raced the write window,
 * red team 60 (pltforge, pltcode) forged the view and had liberim rewrite a
 * trusted entry's own stub and code page.  After erim_init liberim writes no
 * code page. */
#include "config.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "erim_internal.h"
#include "erim_procline.h"
#include "erim_plt_sym.h"
#include "erim_x86.h"
#include "scan.h"

#define PG 4096UL
#define MAX_OBJ 256
#define MAX_ARENAS 16
#define ARENA_SIZE (4 * PG)            /* 2048 copy slots per arena */
#define REACH 0x7fff0000L              /* a little under 2 GiB */

extern const ElfW(Rela) __rela_iplt_start[] __attribute__((weak, visibility("hidden")));
extern const ElfW(Rela) __rela_iplt_end[] __attribute__((weak, visibility("hidden")));

struct pobj {
	uintptr_t base;
	const ElfW(Phdr) *phdr;
	int phnum;
	int vdso;            /* the vDSO: in the link map, not in any lookup scope */
	int prog;            /* the executable (no name in the link map) */
	char name[160];
};

struct slot {            /* a writable JMPREL slot with at least one stub */
	uintptr_t addr;
	size_t rel;          /* index into DT_JMPREL */
	uintptr_t copy;      /* its slot in a copy page */
};

struct patch {
	uintptr_t disp;      /* address of the rel32 */
	int32_t val;
};

struct arena {
	uintptr_t start, used;   /* used: bytes */
};

struct pctx {
	struct pobj obj[MAX_OBJ];
	size_t nobj;
	struct arena ar[MAX_ARENAS];
	size_t nar;
	struct patch *pt;
	size_t npt, cappt;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct pctx *c, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -e;
}

static int vdso_phdr(uintptr_t phdr)
{
	uintptr_t eh = (uintptr_t)getauxval(AT_SYSINFO_EHDR);

	return eh && phdr >= eh && phdr < eh + PG;
}

static int collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct pctx *c = arg;
	struct pobj *o;

	(void)size;
	if (c->nobj == MAX_OBJ)
		return 1;
	o = &c->obj[c->nobj++];
	o->base = info->dlpi_addr;
	o->phdr = info->dlpi_phdr;
	o->phnum = info->dlpi_phnum;
	o->vdso = vdso_phdr((uintptr_t)info->dlpi_phdr);
	o->prog = !info->dlpi_name || !info->dlpi_name[0];
	snprintf(o->name, sizeof o->name, "%s", info->dlpi_name && info->dlpi_name[0]
	         ? info->dlpi_name : "the executable");
	return 0;
}

/* The read-only part of O's RELRO as ld.so applies it: [start, end) rounded
 * down to pages at both ends. */
static void relro_of(const struct pobj *o, uintptr_t *s, uintptr_t *e)
{
	*s = *e = 0;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_GNU_RELRO) {
			*s = (o->base + o->phdr[i].p_vaddr) & ~(PG - 1);
			*e = (o->base + o->phdr[i].p_vaddr + o->phdr[i].p_memsz) & ~(PG - 1);
		}
}

static int in_ro(uintptr_t a, uintptr_t rs, uintptr_t re)
{
	return a >= rs && a + 8 <= re;
}

/* d_ptr values: ld.so relocates most dynamic sections in place, not all */
static uintptr_t dptr(const struct pobj *o, uintptr_t v)
{
	return v && v < o->base ? v + o->base : v;
}

struct dyn {
	const ElfW(Rela) *jmprel, *rela;
	size_t npltrel, nrela;
	const ElfW(Sym) *symtab;
	const char *strtab;
	const ElfW(Half) *versym;
	const ElfW(Verneed) *verneed;
	size_t nverneed;
	int pltrel_is_rela;
};

static int read_dyn(const struct pobj *o, struct dyn *d)
{
	const ElfW(Dyn) *dy = NULL;

	memset(d, 0, sizeof *d);
	d->pltrel_is_rela = 1;
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_DYNAMIC)
			dy = (const ElfW(Dyn) *)(o->base + o->phdr[i].p_vaddr);
	if (!dy)
		return 0;
	for (; dy->d_tag != DT_NULL; dy++) {
		uintptr_t p = dy->d_un.d_ptr;

		switch (dy->d_tag) {
		case DT_JMPREL: d->jmprel = (const ElfW(Rela) *)dptr(o, p); break;
		case DT_PLTRELSZ: d->npltrel = dy->d_un.d_val / sizeof(ElfW(Rela)); break;
		case DT_PLTREL: d->pltrel_is_rela = dy->d_un.d_val == DT_RELA; break;
		case DT_RELA: d->rela = (const ElfW(Rela) *)dptr(o, p); break;
		case DT_RELASZ: d->nrela = dy->d_un.d_val / sizeof(ElfW(Rela)); break;
		case DT_SYMTAB: d->symtab = (const ElfW(Sym) *)dptr(o, p); break;
		case DT_STRTAB: d->strtab = (const char *)dptr(o, p); break;
		case DT_VERSYM: d->versym = (const ElfW(Half) *)dptr(o, p); break;
		case DT_VERNEED: d->verneed = (const ElfW(Verneed) *)dptr(o, p); break;
		case DT_VERNEEDNUM: d->nverneed = dy->d_un.d_val; break;
		default: break;
		}
	}
	return 1;
}

static const char *sym_name(const struct dyn *d, size_t si)
{
	return d->symtab && d->strtab ? d->strtab + d->symtab[si].st_name : "?";
}

static const char *sym_version(const struct dyn *d, size_t si)
{
	const ElfW(Verneed) *vn = d->verneed;
	unsigned v;

	if (!d->versym || !vn)
		return NULL;
	v = d->versym[si] & 0x7fff;
	if (v < 2)
		return NULL;
	for (size_t i = 0; i < d->nverneed; i++) {
		const ElfW(Vernaux) *a = (const ElfW(Vernaux) *)((const char *)vn + vn->vn_aux);

		for (unsigned k = 0; k < vn->vn_cnt; k++) {
			if (a->vna_other == v)
				return d->strtab + a->vna_name;
			a = (const ElfW(Vernaux) *)((const char *)a + a->vna_next);
		}
		if (!vn->vn_next)
			break;
		vn = (const ElfW(Verneed) *)((const char *)vn + vn->vn_next);
	}
	return NULL;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static struct slot *find_slot(struct slot *s, size_t n, uintptr_t a)
{
	struct slot key = { .addr = a };

	return n ? bsearch(&key, s, n, sizeof *s, cmp_slot) : NULL;
}

/* Is V (a slot's value) the lazy-binding stub of relocation REL in O's code:
 * `push $REL` (.plt) or `endbr64; push $REL` (.plt with .plt.sec)? */
static int is_lazy(const struct pobj *o, uintptr_t v, size_t rel)
{
	for (int i = 0; i < o->phnum; i++) {
		const ElfW(Phdr) *p = &o->phdr[i];
		uintptr_t s = o->base + p->p_vaddr, e = s + p->p_memsz;
		const uint8_t *b = (const uint8_t *)v;
		uint32_t imm;

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) || !(p->p_flags & PF_R) ||
		    v < s || v + 9 > e)
			continue;
		if (b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa)
			b += 4;
		if (b[0] != 0x68)
			return 0;
		memcpy(&imm, b + 1, 4);
		return imm == rel;
	}
	return 0;
}

/* The index in C's object list (load order) of the object holding the
 * definition at A, or -1. */
static long obj_of(const struct pctx *c, const void *a)
{
	Dl_info info;
	struct link_map *lm = NULL;

	if (!a || !dladdr1(a, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm)
		return -1;
	for (size_t i = 0; i < c->nobj; i++)
		for (int k = 0; k < c->obj[i].phnum; k++)
			if (c->obj[i].phdr[k].p_type == PT_DYNAMIC &&
			    c->obj[i].base + c->obj[i].phdr[k].p_vaddr == (uintptr_t)lm->l_ld)
				return (long)i;
	return -1;
}

/* NAME@VER in the global scope, bound as ld.so binds a reference from a
 * DT_VERNEED entry: the first object in load order whose definition it
 * accepts.  dlvsym finds the first one with that version; an earlier one
 * defining NAME without a version (an LD_PRELOAD interposer built without a
 * version script) is what ld.so binds, and dlvsym skips it: so walk the
 * objects (erim_plt_sym.c) and take dlsym's answer when it lands in the first
 * one that accepts the reference without a version.  NULL: not found. */
static void *global_versioned(struct pctx *c, const char *name, const char *ver, int *unclear)
{
	void *b = dlvsym(RTLD_DEFAULT, name, ver), *a;
	long first = -1, ia;

	*unclear = 0;
	for (size_t i = 0; i < c->nobj && first < 0; i++) {
		enum erim_sym_match m;

		if (c->obj[i].vdso)
			continue;
		m = erim__sym_match(c->obj[i].base, c->obj[i].phdr, c->obj[i].phnum, name, ver);
		if (m == ERIM_SYM_VERSIONED)
			return b;            /* dlvsym's rule holds up to here */
		if (m == ERIM_SYM_UNVERSIONED)
			first = (long)i;
	}
	if (first < 0)
		return b;
	a = dlsym(RTLD_DEFAULT, name);
	ia = obj_of(c, a);
	if (ia == first)
		return a;                    /* the interposer, as ld.so binds it */
	if (ia >= 0 && ia < first) {
		/* an earlier object has NAME in another default version: dlsym
		 * cannot say whether the unversioned one is in the global scope */
		*unclear = (int)first + 1;
		return NULL;
	}
	return b;                            /* the unversioned one is not global
	                                      * (dlopen'ed RTLD_LOCAL) */
}

/* The address the lazy slot REL of O would be bound to. */
static int resolve(struct pctx *c, const struct pobj *o, const struct dyn *d, size_t rel,
                   uintptr_t *out)
{
	size_t si = ELF64_R_SYM(d->jmprel[rel].r_info);
	const char *name = sym_name(d, si), *ver = sym_version(d, si);
	void *v = NULL;
	int unclear = 0;

	if (!si || !d->symtab)
		return fail(c, ENOENT, "PLT slot %zu of %s is lazy and has no symbol", rel, o->name);
	dlerror();
	v = ver ? global_versioned(c, name, ver, &unclear) : dlsym(RTLD_DEFAULT, name);
	if (unclear)
		return fail(c, ENOTSUP, "cannot tell which definition of %s@%s ld.so binds for a "
		            "writable PLT slot of %s: %s defines it without a version, an earlier "
		            "object in another version; refusing to guess", name, ver, o->name,
		            c->obj[unclear - 1].name);
	if (!v && ELF64_ST_BIND(d->symtab[si].st_info) == STB_WEAK) {
		*out = 0;    /* an undefined weak function: lazy binding gives 0 too */
		return 0;
	}
	if (!v) {
		/* not in the global scope: the object's own (dlopen'ed RTLD_LOCAL
		 * with its dependencies); the C library's dlopen, not our wrapper */
		void *(*real_dlopen)(const char *, int) =
			(void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
		void *h = real_dlopen ? real_dlopen(o->name, RTLD_LAZY | RTLD_NOLOAD) : NULL;

		if (h) {
			v = ver ? dlvsym(h, name, ver) : dlsym(h, name);
			dlclose(h);
		}
	}
	if (!v)
		return fail(c, ENOENT, "cannot resolve %s%s%s, called through a writable PLT slot of %s: "
		            "refusing to leave the slot writable", name, ver ? "@" : "", ver ? ver : "",
		            o->name);
	*out = (uintptr_t)v;
	return 0;
}

static int near(uintptr_t a, uintptr_t lo, uintptr_t hi)
{
	return (long)(a + ARENA_SIZE - lo) < REACH && (long)(hi - a) < REACH &&
	       a + ARENA_SIZE > a;
}

/* A copy slot for an object spanning [LO, HI): in an arena of this pass with
 * room, or in a new one mapped near the object. */
static int copy_slot(struct pctx *c, const struct pobj *o, uintptr_t lo, uintptr_t hi,
                     uintptr_t *out)
{
	for (size_t i = 0; i < c->nar; i++)
		if (c->ar[i].used < ARENA_SIZE && near(c->ar[i].start, lo, hi)) {
			*out = c->ar[i].start + c->ar[i].used;
			c->ar[i].used += 8;
			return 0;
		}
	if (c->nar == MAX_ARENAS)
		return fail(c, ENOSPC, "too many PLT slot copy pages (at %s)", o->name);
	/* below the object first (above a PIE executable is where brk grows) */
	for (long k = 0; k < 512; k++) {
		uintptr_t hint[2] = { (lo & ~(PG - 1)) - ARENA_SIZE - (uintptr_t)k * (1UL << 20),
		                      ((hi + PG - 1) & ~(PG - 1)) + (uintptr_t)k * (1UL << 20) };

		for (int j = 0; j < 2; j++) {
			void *p;

			if (!near(hint[j], lo, hi) || hint[j] < (1UL << 20))
				continue;
			p = mmap((void *)hint[j], ARENA_SIZE, PROT_READ | PROT_WRITE,
			         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			if (p == MAP_FAILED)
				continue;
			if (!near((uintptr_t)p, lo, hi)) {   /* a kernel without NOREPLACE */
				munmap(p, ARENA_SIZE);
				continue;
			}
			c->ar[c->nar].start = (uintptr_t)p;
			c->ar[c->nar].used = 8;
			c->nar++;
			*out = (uintptr_t)p;
			return 0;
		}
	}
	return fail(c, ENOMEM, "no free address within 2 GiB of %s for its PLT slot copies", o->name);
}

static int add_patch(struct pctx *c, uintptr_t disp, int32_t val)
{
	if (c->npt == c->cappt) {
		size_t n = c->cappt ? 2 * c->cappt : 256;
		struct patch *p = realloc(c->pt, n * sizeof *p);

		if (!p)
			return -ENOMEM;
		c->pt = p;
		c->cappt = n;
	}
	c->pt[c->npt].disp = disp;
	c->pt[c->npt].val = val;
	c->npt++;
	return 0;
}

struct hits { uint64_t a[16]; size_t n; };

static int note_hit(const struct scan_hit *h, void *arg)
{
	struct hits *s = arg;

	if (h->cls == SCAN_UNSAFE && s->n < 16)
		s->a[s->n++] = h->addr;
	return 0;
}

/* Would writing VAL at DISP form a WRPKRU/XRSTOR that was not there? */
static int rescan_ok(uintptr_t disp, int32_t val, uintptr_t seg_s, uintptr_t seg_e)
{
	uint8_t buf[2 * SCAN_BEFORE + 4];
	uintptr_t s = disp - SCAN_BEFORE > seg_s && disp > SCAN_BEFORE ? disp - SCAN_BEFORE : seg_s;
	uintptr_t e = disp + 4 + SCAN_BEFORE < seg_e ? disp + 4 + SCAN_BEFORE : seg_e;
	struct hits before = { .n = 0 }, after = { .n = 0 };

	memcpy(buf, (const void *)s, e - s);
	scan_buffer(buf, e - s, s, note_hit, &before);
	memcpy(buf + (disp - s), &val, 4);
	scan_buffer(buf, e - s, s, note_hit, &after);
	for (size_t i = 0; i < after.n; i++) {
		size_t k;

		for (k = 0; k < before.n && before.a[k] != after.a[i]; k++)
			;
		if (k == before.n)
			return 0;
	}
	return 1;
}

static int check_static(struct pctx *c, const struct pobj *o)
{
	uintptr_t rs, re;
	size_t n = 0, w = 0;

	relro_of(o, &rs, &re);
	if (!__rela_iplt_start || !__rela_iplt_end)
		return 0;
	for (const ElfW(Rela) *r = __rela_iplt_start; r < __rela_iplt_end; r++, n++)
		if (!in_ro(o->base + r->r_offset, rs, re))
			w++;
	if (w)
		return fail(c, EPERM, "static program: %zu of its %zu IRELATIVE GOT slots (glibc's "
		            "memcpy, strlen... called by trusted code) are writable; link it with "
		            "-Wl,-z,relro,-z,now", w, n);
	return 0;
}

/* Plan object O: copy slots filled, patches queued. */
static int plan(struct pctx *c, const struct pobj *o)
{
	struct dyn d;
	uintptr_t rs, re, lo = UINTPTR_MAX, hi = 0;
	struct slot *sl;
	size_t ns = 0;
	int r = 0;

	if (!read_dyn(o, &d))
		return check_static(c, o);
	relro_of(o, &rs, &re);
	for (int i = 0; i < o->phnum; i++)
		if (o->phdr[i].p_type == PT_LOAD) {
			uintptr_t s = o->base + o->phdr[i].p_vaddr;

			if (s < lo)
				lo = s;
			if (s + o->phdr[i].p_memsz > hi)
				hi = s + o->phdr[i].p_memsz;
		}
	/* -fno-plt calls and function pointers: GOT slots of non-data symbols */
	for (size_t i = 0; d.rela && i < d.nrela; i++) {
		size_t si = ELF64_R_SYM(d.rela[i].r_info);
		unsigned t = d.symtab ? ELF64_ST_TYPE(d.symtab[si].st_info) : STT_NOTYPE;

		if (ELF64_R_TYPE(d.rela[i].r_info) != R_X86_64_GLOB_DAT || t == STT_OBJECT ||
		    t == STT_TLS || t == STT_COMMON)
			continue;
		if (!in_ro(o->base + d.rela[i].r_offset, rs, re))
			return fail(c, EPERM, "%s: the GOT slot of %s at %p (for calls through the GOT) "
			            "is writable (no RELRO over it): trusted code would take its "
			            "target from memory untrusted code writes; relink it with "
			            "-Wl,-z,relro,-z,now", o->name, sym_name(&d, si),
			            (void *)(o->base + d.rela[i].r_offset));
	}
	if (!d.jmprel || !d.npltrel)
		return 0;
	if (!d.pltrel_is_rela)
		return fail(c, ENOTSUP, "%s: DT_PLTREL is not RELA", o->name);
	sl = malloc(d.npltrel * sizeof *sl);
	if (!sl)
		return fail(c, ENOMEM, "out of memory");
	for (size_t i = 0; i < d.npltrel; i++) {
		uintptr_t a = o->base + d.jmprel[i].r_offset;
		unsigned t = ELF64_R_TYPE(d.jmprel[i].r_info);

		/* R_X86_64_NONE relocates nothing (ld leaves one in a static-PIE
		 * program's .rela.plt, at offset 0) */
		if (t == R_X86_64_NONE || in_ro(a, rs, re))
			continue;
		if (t != R_X86_64_JUMP_SLOT && t != R_X86_64_IRELATIVE) {
			free(sl);
			return fail(c, ENOTSUP, "%s: writable PLT relocation of type %u (%s) not "
			            "supported", o->name, t, sym_name(&d, ELF64_R_SYM(d.jmprel[i].r_info)));
		}
		sl[ns].addr = a;
		sl[ns].rel = i;
		sl[ns].copy = 0;
		ns++;
	}
	if (!ns) {
		free(sl);
		return 0;
	}
	qsort(sl, ns, sizeof *sl, cmp_slot);
	/* the stubs: ff 25 rel32 (with or without f2) whose target is such a slot */
	for (int i = 0; r == 0 && i < o->phnum; i++) {
		const ElfW(Phdr) *p = &o->phdr[i];
		uintptr_t s, e;

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X) || !(p->p_flags & PF_R))
			continue;
		s = o->base + p->p_vaddr;
		e = s + p->p_filesz;
		for (uintptr_t a = s; r == 0 && a + 6 <= e; a++) {
			const uint8_t *b = memchr((const void *)a, 0xff, e - 5 - a);
			struct slot *x;
			int32_t disp;

			if (!b)
				break;
			a = (uintptr_t)b;
			if (b[1] != 0x25)
				continue;
			memcpy(&disp, b + 2, 4);
			x = find_slot(sl, ns, a + 6 + (intptr_t)disp);
			if (!x)
				continue;
			if (!x->copy) {
				uintptr_t v = *(volatile uintptr_t *)x->addr;

				if (ELF64_R_TYPE(d.jmprel[x->rel].r_info) == R_X86_64_JUMP_SLOT &&
				    is_lazy(o, v, x->rel))
					r = resolve(c, o, &d, x->rel, &v);
				if (r == 0)
					r = copy_slot(c, o, lo, hi, &x->copy);
				if (r == 0)
					*(uintptr_t *)x->copy = v;
			}
			if (r == 0) {
				long nd = (long)x->copy - (long)(a + 6);

				if (nd != (int32_t)nd)
					r = fail(c, ERANGE, "%s: PLT slot copy out of reach", o->name);
				else if (!rescan_ok(a + 2, (int32_t)nd, s, e))
					r = fail(c, EPERM, "%s: retargeting the PLT stub at %p would form a "
					         "WRPKRU/XRSTOR", o->name, (void *)a);
				else if (add_patch(c, a + 2, (int32_t)nd) < 0)
					r = fail(c, ENOMEM, "out of memory");
			}
			a += 5;
		}
	}
	free(sl);
	return r;
}

/* The pages being written must not hold this function: the same section as
 * inspection's writer, which inspection never patches either. */
extern const char __start_erim_inspect_write[] __attribute__((visibility("hidden")));
extern const char __stop_erim_inspect_write[] __attribute__((visibility("hidden")));

/* The protection of the private mapping that holds A, from /proc/self/maps:
 * PROT_* bits, or -1 when no mapping holds A, it is shared, or the file
 * cannot be read. */
static int private_prot(uintptr_t a)
{
	char buf[8192], line[512];
	FILE *f = fopen("/proc/self/maps", "re");
	int r = -1;

	if (!f)
		return -1;
	setvbuf(f, buf, _IOFBF, sizeof buf);
	while (erim_proc_line(line, sizeof line, f)) {   /* never a tail as a line */
		unsigned long s, e;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 && a >= s && a < e) {
			if (p[3] == 'p')
				r = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
				    (p[2] == 'x' ? PROT_EXEC : 0);
			break;
		}
	}
	fclose(f);
	return r;
}

/* Writes the displacements with the page read-write, then gives it its old
 * protection back.  erim_init is the only thread: nothing else runs that
 * could write the page meanwhile. */
__attribute__((section("erim_inspect_write"), noinline))
static long write_page(uintptr_t pg, const struct patch *pt, size_t n, int prot)
{
	long rc = erim_x86_raw_mprotect((void *)pg, PG, PROT_READ | PROT_WRITE), rc2;

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 4; k++)
			((volatile uint8_t *)pt[i].disp)[k] = (uint8_t)((uint32_t)pt[i].val >> (8 * k));
	rc2 = erim_x86_raw_mprotect((void *)pg, PG, prot);
	return rc2 ? -1000 + rc2 : 0;
}

static int cmp_patch(const void *a, const void *b)
{
	const struct patch *x = a, *y = b;

	return x->disp < y->disp ? -1 : x->disp > y->disp;
}

static int apply(struct pctx *c)
{
	sigset_t all, old;
	int r = 0;
	size_t i = 0;

	if (c->npt)	/* qsort(NULL, 0, ...) is undefined (UBSan: nonnull) */
		qsort(c->pt, c->npt, sizeof *c->pt, cmp_patch);
	while (r == 0 && i < c->npt) {
		uintptr_t pg = c->pt[i].disp & ~(PG - 1);
		size_t j = i;
		int prot;
		long rc;

		/* a displacement crossing a page is written in two page steps */
		while (j < c->npt && (c->pt[j].disp & ~(PG - 1)) == pg &&
		       ((c->pt[j].disp + 3) & ~(PG - 1)) == pg)
			j++;
		if (j == i) {
			return fail(c, ENOTSUP, "a PLT stub's displacement at %p crosses a page",
			            (void *)c->pt[i].disp);
		}
		prot = private_prot(pg);
		if (prot < 0 || (prot & PROT_WRITE))
			return fail(c, EPERM, "PLT page %p: not a private read-only code mapping",
			            (void *)pg);
		if (pg < (uintptr_t)__stop_erim_inspect_write &&
		    (uintptr_t)__start_erim_inspect_write < pg + PG)
			return fail(c, EPERM, "PLT page %p holds liberim's code writer", (void *)pg);
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = write_page(pg, c->pt + i, j - i, prot);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc <= -1000) {
			dprintf(2, "erim: cannot restore the protection of PLT page %p; stopping\n",
			        (void *)pg);
			abort();
		}
		if (rc)
			r = fail(c, (int)-rc, "cannot write the PLT page %p: %s", (void *)pg,
			         strerror((int)-rc));
		i = j;
	}
	return r;
}

/* Every object loaded now stays loaded (RTLD_NODELETE through the loader's
 * own dlmopen, in the object's own namespace): the slot copies and the
 * stubs name addresses in these objects, trusted entries and trusted globals
 * live in them, and untrusted code can call dlclose on any handle -- a
 * module with trusted globals dlopened before erim_init was unmapped by one
 * dlclose, its registered range left naming whatever is mapped there next. */
static int pin(struct pctx *c)
{
	typedef void *(*dlmopen_fn)(Lmid_t, const char *, int);
	/* the C library's, past liberim.so's wrapper; NULL in a static program
	 * (which loads nothing before erim_init unless it dlopens: then it
	 * fails closed below) */
	dlmopen_fn open_ = (dlmopen_fn)dlsym(RTLD_NEXT, "dlmopen");

	for (size_t i = 0; i < c->nobj; i++) {
		const struct pobj *o = &c->obj[i];
		struct link_map *lm = NULL;
		Lmid_t ns = LM_ID_BASE;
		Dl_info info;
		void *h = NULL;

		if (o->prog || o->vdso)
			continue;    /* never unloaded */
		for (int k = 0; !lm && k < o->phnum; k++)
			if (o->phdr[k].p_type == PT_LOAD &&
			    !dladdr1((const void *)(o->base + o->phdr[k].p_vaddr), &info,
			             (void **)&lm, RTLD_DL_LINKMAP))
				lm = NULL;
		if (open_ && lm && lm->l_addr == o->base && dlinfo(lm, RTLD_DI_LMID, &ns) == 0)
			h = open_(ns, lm->l_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
		if (!h || h != (void *)lm)
			return fail(c, ENOTSUP, "cannot keep %s loaded (RTLD_NODELETE): untrusted "
			            "code could unload it with dlclose while trusted code depends on it",
			            o->name);
	}
	return 0;
}

int erim__plt_protect(char *err, size_t errlen)
{
	static struct pctx ctx;   /* big; called once, by erim_init, the only thread */
	struct pctx *c = &ctx;
	int r = 0;

	memset(c, 0, sizeof *c);
	c->err = err;
	c->errlen = errlen;
	dl_iterate_phdr(collect, c);
	if (c->nobj == MAX_OBJ)
		r = fail(c, E2BIG, "more than %d loaded objects", MAX_OBJ);
	for (size_t i = 0; r == 0 && i < c->nobj; i++)
		r = plan(c, &c->obj[i]);
	/* copies are read-only before any stub points at them */
	for (size_t i = 0; i < c->nar; i++)
		if (mprotect((void *)c->ar[i].start, ARENA_SIZE, PROT_READ) != 0 && r == 0)
			r = fail(c, errno, "cannot seal a PLT slot copy page: %s", strerror(errno));
	if (r == 0)
		r = apply(c);
	if (r == 0)
		r = pin(c);
	for (size_t i = 0; r == 0 && i < c->nar; i++)
		if (erim__ranges_add(c->ar[i].start, c->ar[i].start + ARENA_SIZE, "PLT slot copies",
		                     ERIM_R_READONLY) < 0)
			r = fail(c, ENOSPC, "too many trusted ranges (PLT slot copies)");
	if (r < 0)   /* unused copies go; ones a stub may point at stay */
		for (size_t i = 0; i < c->nar && c->npt == 0; i++)
			munmap((void *)c->ar[i].start, ARENA_SIZE);
	free(c->pt);
	c->pt = NULL;
	return r;
}
