/* SPDX-License-Identifier: MIT */
/* audit_space.c: mappings with protection keys from /proc/PID/smaps, and the
 * ELF symbol tables (.symtab and .dynsym) of the mapped objects. */
#include "config.h"

#include "audit_space.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int vma_push(struct audit_space *s, const struct audit_vma *v)
{
	if (s->nvma == s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 64;
		struct audit_vma *nv = realloc(s->vma, nc * sizeof *nv);

		if (!nv)
			return -ENOMEM;
		s->vma = nv;
		s->cap = nc;
	}
	s->vma[s->nvma++] = *v;
	return 0;
}

int audit_space_load_maps(struct audit_space *s, pid_t pid)
{
	char path[64], line[1024];
	struct audit_vma cur;
	int have = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	s->nvma = 0;
	memset(&cur, 0, sizeof cur);
	while (fgets(line, sizeof line, f)) {
		unsigned long long lo, hi, off, ino;
		char perms[8], dev[32];
		int pos = 0, key;

		if (sscanf(line, "%llx-%llx %7s %llx %31s %llu %n", &lo, &hi, perms, &off, dev, &ino, &pos) >= 6
		    && strchr(line, '-') && pos > 0) {
			if (have && vma_push(s, &cur) != 0) {
				fclose(f);
				return -ENOMEM;
			}
			memset(&cur, 0, sizeof cur);
			cur.start = (uintptr_t)lo;
			cur.end = (uintptr_t)hi;
			memcpy(cur.perms, perms, 4);
			cur.inode = ino;
			cur.off = off;
			line[strcspn(line, "\n")] = 0;
			snprintf(cur.path, sizeof cur.path, "%.255s", line + pos);
			snprintf(cur.line, sizeof cur.line, "%.399s", line);
			have = 1;
		} else if (sscanf(line, "ProtectionKey: %d", &key) == 1) {
			cur.pkey = key;
		}
	}
	fclose(f);
	if (have && vma_push(s, &cur) != 0)
		return -ENOMEM;
	return 0;
}

const struct audit_vma *audit_vma_find(const struct audit_space *s, uintptr_t a)
{
	size_t lo = 0, hi = s->nvma;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a < s->vma[mid].start)
			hi = mid;
		else if (a >= s->vma[mid].end)
			lo = mid + 1;
		else
			return &s->vma[mid];
	}
	return NULL;
}

static const char *pool_add(struct audit_obj *o, const char *str, size_t *at)
{
	size_t n = strlen(str) + 1;

	if (o->pool_len + n > o->pool_cap) {
		size_t nc = o->pool_cap ? 2 * o->pool_cap : 65536;
		char *np;

		while (nc < o->pool_len + n)
			nc *= 2;
		np = realloc(o->pool, nc);
		if (!np)
			return NULL;
		o->pool = np;
		o->pool_cap = nc;
	}
	memcpy(o->pool + o->pool_len, str, n);
	*at = o->pool_len;
	o->pool_len += n;
	return o->pool;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct audit_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* prefer the sized symbol, then the longer one */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return 0;
}

/* Read FUNC/IFUNC symbols of O's file; bias from the first mapping of it. */
static void obj_read(struct audit_obj *o, uintptr_t first_map)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t cap = 0, phnum = 0, *offs = NULL;
	uintptr_t minv = UINTPTR_MAX;
	Elf *e;
	int fd = open(o->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || !gelf_getehdr(e, &eh)) {
		if (e)
			elf_end(e);
		close(fd);
		return;
	}
	if (eh.e_type == ET_DYN && elf_getphdrnum(e, &phnum) == 0) {
		for (size_t i = 0; i < phnum; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_vaddr < minv)
				minv = (uintptr_t)ph.p_vaddr;
		}
		o->bias = first_map - (minv == UINTPTR_MAX ? 0 : (minv & ~(uintptr_t)4095));
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || sh.sh_entsize == 0)
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *nm;
			int t;
			size_t at;

			if (!gelf_getsym(d, (int)i, &sym) || sym.st_value == 0 || sym.st_shndx == SHN_UNDEF)
				continue;
			t = GELF_ST_TYPE(sym.st_info);
			if (t != STT_FUNC && t != STT_GNU_IFUNC && t != STT_NOTYPE && t != STT_OBJECT)
				continue;
			nm = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!nm || !*nm || nm[0] == '$' || strncmp(nm, ".L", 2) == 0)
				continue;
			if (o->nsyms == cap) {
				size_t nc = cap ? 2 * cap : 1024;
				struct audit_sym *ns = realloc(o->syms, nc * sizeof *ns);
				size_t *no = realloc(offs, nc * sizeof *no);

				if (!ns || !no) {
					free(ns ? ns : o->syms);
					free(no ? no : offs);
					o->syms = NULL;
					o->nsyms = 0;
					elf_end(e);
					close(fd);
					return;
				}
				o->syms = ns;
				offs = no;
				cap = nc;
			}
			if (!pool_add(o, nm, &at))
				break;
			offs[o->nsyms] = at;
			o->syms[o->nsyms].addr = (uintptr_t)sym.st_value + o->bias;
			o->syms[o->nsyms].size = (size_t)sym.st_size;
			o->syms[o->nsyms].ifunc = t == STT_GNU_IFUNC;
			o->syms[o->nsyms].object = t == STT_OBJECT;
			o->nsyms++;
		}
	}
	/* the pool may have moved while growing: names are set at the end */
	for (size_t i = 0; i < o->nsyms; i++)
		o->syms[i].name = o->pool + offs[i];
	free(offs);
	qsort(o->syms, o->nsyms, sizeof *o->syms, sym_cmp);
	elf_end(e);
	close(fd);
}

size_t audit_space_load_syms(struct audit_space *s)
{
	size_t with = 0;

	elf_version(EV_CURRENT);
	for (size_t i = 0; i < s->nvma; i++) {
		const struct audit_vma *v = &s->vma[i];
		struct audit_obj *no;
		size_t j;

		if (v->path[0] != '/' || v->inode == 0)
			continue;
		for (j = 0; j < s->nobj; j++)
			if (s->obj[j].inode == v->inode && strcmp(s->obj[j].path, v->path) == 0)
				break;
		if (j < s->nobj)
			continue;
		no = realloc(s->obj, (s->nobj + 1) * sizeof *no);
		if (!no)
			break;
		s->obj = no;
		memset(&s->obj[s->nobj], 0, sizeof s->obj[s->nobj]);
		snprintf(s->obj[s->nobj].path, sizeof s->obj[s->nobj].path, "%s", v->path);
		s->obj[s->nobj].inode = v->inode;
		obj_read(&s->obj[s->nobj], v->start);   /* maps are sorted: the lowest mapping */
		if (s->obj[s->nobj].nsyms)
			with++;
		s->nobj++;
	}
	return with;
}

void audit_space_free(struct audit_space *s)
{
	for (size_t i = 0; i < s->nobj; i++) {
		free(s->obj[i].syms);
		free(s->obj[i].pool);
	}
	free(s->obj);
	free(s->vma);
	memset(s, 0, sizeof *s);
}

const struct audit_sym *audit_sym_find(const struct audit_space *s, uintptr_t a,
                                       const struct audit_obj **objp, int *exact)
{
	const struct audit_vma *v = audit_vma_find(s, a);

	*exact = 0;
	*objp = NULL;
	if (!v || v->path[0] != '/')
		return NULL;
	for (size_t j = 0; j < s->nobj; j++) {
		const struct audit_obj *o = &s->obj[j];
		size_t lo = 0, hi = o->nsyms;

		if (o->inode != v->inode || strcmp(o->path, v->path) != 0)
			continue;
		*objp = o;
		while (lo < hi) {   /* last symbol with addr <= a */
			size_t mid = lo + (hi - lo) / 2;

			if (o->syms[mid].addr <= a)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			return NULL;
		/* among equal addresses sym_cmp put the sized one first */
		{
			size_t k = lo - 1;

			while (k > 0 && o->syms[k - 1].addr == o->syms[k].addr)
				k--;
			for (size_t m = k; m < lo; m++)
				if (!o->syms[m].object && o->syms[m].size && a < o->syms[m].addr + o->syms[m].size) {
					*exact = 1;
					return &o->syms[m];
				}
			/* a sized symbol further back may still contain a (nested labels) */
			for (size_t m = k; m-- > 0 && k - m < 64;)
				if (!o->syms[m].object && o->syms[m].size && a >= o->syms[m].addr
				    && a < o->syms[m].addr + o->syms[m].size) {
					*exact = 1;
					return &o->syms[m];
				}
			while (k > 0 && o->syms[k].object)
				k--;
			if (o->syms[k].object)
				return NULL;
			*exact = o->syms[k].size == 0;   /* an unsized label: take it */
			return &o->syms[k];
		}
	}
	return NULL;
}

const char *audit_describe(const struct audit_space *s, uintptr_t a, char *buf, size_t n)
{
	const struct audit_obj *o;
	int exact;
	const struct audit_sym *sym = audit_sym_find(s, a, &o, &exact);
	const struct audit_vma *v = audit_vma_find(s, a);
	const char *base;

	if (sym) {
		base = strrchr(o->path, '/');
		snprintf(buf, n, "%s%s+0x%lx (%s)", exact ? "" : "?", sym->name,
		         (unsigned long)(a - sym->addr), base ? base + 1 : o->path);
	} else if (v) {
		snprintf(buf, n, "0x%lx (%s)", (unsigned long)a, v->path[0] ? v->path : "anonymous");
	} else {
		snprintf(buf, n, "0x%lx (unmapped)", (unsigned long)a);
	}
	return buf;
}

const char *audit_describe_data(const struct audit_space *s, uintptr_t a, char *buf, size_t n)
{
	for (size_t j = 0; j < s->nobj; j++) {
		const struct audit_obj *o = &s->obj[j];
		size_t lo = 0, hi = o->nsyms;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (o->syms[mid].addr <= a)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t m = lo; m-- > 0 && lo - m < 8;)
			if (o->syms[m].object && a >= o->syms[m].addr && a < o->syms[m].addr + o->syms[m].size) {
				const char *base = strrchr(o->path, '/');

				snprintf(buf, n, "%s+0x%lx (%s)", o->syms[m].name, (unsigned long)(a - o->syms[m].addr),
				         base ? base + 1 : o->path);
				return buf;
			}
	}
	return NULL;
}
