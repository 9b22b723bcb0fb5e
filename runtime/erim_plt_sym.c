/* SPDX-License-Identifier: MIT */
/* erim_plt_sym.c: a symbol lookup in one loaded object's dynamic symbol table
 * through its own hash table (DT_GNU_HASH, else DT_HASH), with the dynamic
 * linker's version rule.  erim_plt.c walks the objects in load order with it
 * to find where ld.so would bind a lazy PLT slot: dlvsym() alone does not
 * say, since it refuses a definition without a version in an object that has
 * version information (glibc: dlvsym's version is "hidden"), which ld.so
 * accepts for a versioned reference -- an unversioned interposer (LD_PRELOAD,
 * an earlier library) would be skipped.  Start-up code: runs before the
 * first switch to untrusted code, or from liberim's dlopen wrapper. */
#include "config.h"

#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

#include "erim_plt_sym.h"

struct symtab {
	const ElfW(Sym) *sym;
	const char *str;
	const ElfW(Half) *versym;
	const ElfW(Verdef) *verdef;
	size_t nverdef;
	const uint32_t *gnu_hash, *hash;
};

static uintptr_t dptr(uintptr_t base, uintptr_t v)
{
	return v && v < base ? v + base : v;   /* ld.so relocates most d_ptr in place */
}

static int read_tab(uintptr_t base, const ElfW(Phdr) *phdr, int phnum, struct symtab *t)
{
	const ElfW(Dyn) *dy = NULL;

	memset(t, 0, sizeof *t);
	for (int i = 0; i < phnum; i++)
		if (phdr[i].p_type == PT_DYNAMIC)
			dy = (const ElfW(Dyn) *)(base + phdr[i].p_vaddr);
	if (!dy)
		return 0;
	for (; dy->d_tag != DT_NULL; dy++) {
		uintptr_t p = dptr(base, dy->d_un.d_ptr);

		switch (dy->d_tag) {
		case DT_SYMTAB: t->sym = (const ElfW(Sym) *)p; break;
		case DT_STRTAB: t->str = (const char *)p; break;
		case DT_VERSYM: t->versym = (const ElfW(Half) *)p; break;
		case DT_VERDEF: t->verdef = (const ElfW(Verdef) *)p; break;
		case DT_VERDEFNUM: t->nverdef = dy->d_un.d_val; break;
		case DT_GNU_HASH: t->gnu_hash = (const uint32_t *)p; break;
		case DT_HASH: t->hash = (const uint32_t *)p; break;
		default: break;
		}
	}
	return t->sym && t->str && (t->gnu_hash || t->hash);
}

/* The name of version index NDX defined by the object, or NULL. */
static const char *verdef_name(const struct symtab *t, unsigned ndx)
{
	const ElfW(Verdef) *vd = t->verdef;

	for (size_t i = 0; vd && i < t->nverdef; i++) {
		if (vd->vd_ndx == ndx && vd->vd_cnt > 0)
			return t->str + ((const ElfW(Verdaux) *)((const char *)vd + vd->vd_aux))->vda_name;
		if (!vd->vd_next)
			break;
		vd = (const ElfW(Verdef) *)((const char *)vd + vd->vd_next);
	}
	return NULL;
}

/* Symbol I, named NAME: is it a definition ld.so accepts for NAME@VER? */
static enum erim_sym_match judge(const struct symtab *t, size_t i, const char *ver)
{
	const ElfW(Sym) *s = &t->sym[i];
	unsigned type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);
	unsigned v, ndx;
	const char *vn;

	if (s->st_shndx == SHN_UNDEF || (s->st_value == 0 && s->st_shndx != SHN_ABS && type != STT_TLS))
		return ERIM_SYM_NONE;
	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
		return ERIM_SYM_NONE;
	if (type != STT_NOTYPE && type != STT_OBJECT && type != STT_FUNC && type != STT_COMMON &&
	    type != STT_TLS && type != STT_GNU_IFUNC)
		return ERIM_SYM_NONE;
	if (!t->versym)
		return ERIM_SYM_VERSIONED;        /* no version information: any reference */
	v = t->versym[i];
	ndx = v & 0x7fff;
	if (ndx < 2)                          /* VER_NDX_LOCAL/GLOBAL: no version */
		return (v & 0x8000) ? ERIM_SYM_NONE : ERIM_SYM_UNVERSIONED;
	if (!ver)                             /* an unversioned reference: as ld.so, */
		return (v & 0x8000) ? ERIM_SYM_NONE : ERIM_SYM_VERSIONED;   /* not hidden */
	vn = verdef_name(t, ndx);
	return vn && strcmp(vn, ver) == 0 ? ERIM_SYM_VERSIONED : ERIM_SYM_NONE;
}

static uint32_t gnu_hash(const char *s)
{
	uint32_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

static unsigned long sysv_hash(const char *s)
{
	unsigned long h = 0, g;

	for (; *s; s++) {
		h = (h << 4) + (unsigned char)*s;
		g = h & 0xf0000000;
		if (g)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

/* The best match among the definitions of NAME (an object may define
 * several versions of one name): an exact one first. */
static enum erim_sym_match better(enum erim_sym_match a, enum erim_sym_match b)
{
	return a > b ? a : b;
}

enum erim_sym_match erim__sym_match(uintptr_t base, const ElfW(Phdr) *phdr, int phnum,
                                    const char *name, const char *ver)
{
	struct symtab t;
	enum erim_sym_match m = ERIM_SYM_NONE;

	if (!read_tab(base, phdr, phnum, &t))
		return ERIM_SYM_NONE;
	if (t.gnu_hash) {
		uint32_t nb = t.gnu_hash[0], off = t.gnu_hash[1], nbloom = t.gnu_hash[2];
		const ElfW(Addr) *bloom = (const ElfW(Addr) *)(t.gnu_hash + 4);
		const uint32_t *buckets = (const uint32_t *)(bloom + nbloom);
		const uint32_t *chain = buckets + nb;
		uint32_t h = gnu_hash(name), i;

		if (nb == 0 || (i = buckets[h % nb]) < off)
			return ERIM_SYM_NONE;
		for (;; i++) {
			uint32_t c = chain[i - off];

			if ((c | 1) == (h | 1) && strcmp(t.str + t.sym[i].st_name, name) == 0)
				m = better(m, judge(&t, i, ver));
			if (c & 1)
				break;
		}
		return m;
	}
	{
		uint32_t nb = t.hash[0];
		const uint32_t *buckets = t.hash + 2, *chain = buckets + nb;

		if (nb == 0)
			return ERIM_SYM_NONE;
		for (uint32_t i = buckets[sysv_hash(name) % nb]; i != STN_UNDEF; i = chain[i])
			if (strcmp(t.str + t.sym[i].st_name, name) == 0)
				m = better(m, judge(&t, i, ver));
	}
	return m;
}
