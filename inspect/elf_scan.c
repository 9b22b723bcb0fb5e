/* SPDX-License-Identifier: MIT */
/* elf_scan.c: the libelf side of erim-inspect (see elf_scan.h), in the
 * elfutils manner: elf_version once, elf_begin(ELF_C_READ_MMAP), dispatch on
 * elf_kind, counts from elf_getphdrnum/elf_getshdrstrndx, caller-owned GElf
 * storage, every libelf failure reported with elf_errmsg(-1).  Segment and
 * section bytes are taken from elf_rawfile() after checking offset + size
 * against the file size ourselves, so the scanner never reads past the file. */
#include "config.h"

#include <errno.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_scan.h"
#include "inspect.h"

struct es_sym {
	uint64_t value, size;
	size_t shndx;
	const char *name;
};

#define ES_PAGE 4096ull   /* the loader maps whole pages (x86-64) */

struct es_ctx {
	Elf *elf;
	const char *name;
	const uint8_t *raw;
	size_t rawsize;
	int rel;
	size_t shstrndx;
	int have_shstr;
	struct es_sym *syms;
	size_t nsyms;
	int has_gate_table;        /* the object defines erim__gate_sites: it is liberim */
	/* the region being scanned */
	uint64_t reg_vaddr, reg_off, reg_size;
	size_t reg_shndx;
	const char *reg_name;
	elf_scan_fn fn;
	void *arg;
	struct elf_scan_result *res;
};

static int es_fail(char *err, size_t n, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int es_fail(char *err, size_t n, const char *name, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(err, n, "%s: ", name);
	if (k < 0 || (size_t)k >= n)
		k = 0;
	va_start(ap, fmt);
	vsnprintf(err + k, n - (size_t)k, fmt, ap);
	va_end(ap);
	return ELF_SCAN_ERROR;
}

static int es_in_file(const struct es_ctx *c, uint64_t off, uint64_t size)
{
	return off <= c->rawsize && size <= c->rawsize - off;
}

/* Symbols from .symtab, else .dynsym: functions and untyped labels that are
 * defined.  Names point into libelf's data (valid until elf_end). */
static int es_load_syms(struct es_ctx *c, char *err, size_t errlen, const char *name)
{
	Elf_Scn *scn = NULL, *pick = NULL;
	GElf_Shdr shdr_mem, *shdr;
	while ((scn = elf_nextscn(c->elf, scn)) != NULL) {
		if (!(shdr = gelf_getshdr(scn, &shdr_mem)))
			return es_fail(err, errlen, name, "cannot read section header: %s", elf_errmsg(-1));
		if (shdr->sh_type == SHT_SYMTAB)
			pick = scn;
		else if (shdr->sh_type == SHT_DYNSYM && !pick)
			pick = scn;
	}
	if (!pick)
		return 0;
	shdr = gelf_getshdr(pick, &shdr_mem);
	if (!shdr)
		return es_fail(err, errlen, name, "cannot read section header: %s", elf_errmsg(-1));
	if (shdr->sh_type == SHT_NOBITS || !es_in_file(c, shdr->sh_offset, shdr->sh_size))
		return es_fail(err, errlen, name, "symbol table lies outside the file");
	Elf_Data *data = elf_getdata(pick, NULL);
	if (!data)
		return es_fail(err, errlen, name, "cannot read symbol table: %s", elf_errmsg(-1));
	size_t entsize = gelf_fsize(c->elf, ELF_T_SYM, 1, EV_CURRENT);
	if (entsize == 0)
		return es_fail(err, errlen, name, "bad symbol size: %s", elf_errmsg(-1));
	size_t n = data->d_size / entsize;
	c->syms = calloc(n ? n : 1, sizeof *c->syms);
	if (!c->syms)
		return es_fail(err, errlen, name, "out of memory");
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym_mem, *sym = gelf_getsym(data, (int)i, &sym_mem);
		if (!sym)
			return es_fail(err, errlen, name, "cannot read symbol %zu: %s", i, elf_errmsg(-1));
		int t = GELF_ST_TYPE(sym->st_info);
		if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= SHN_LORESERVE)
			continue;
		const char *nm = elf_strptr(c->elf, shdr->sh_link, sym->st_name);
		if (!nm)
			continue;
		if (strcmp(nm, "erim__gate_sites") == 0)
			c->has_gate_table = 1;
		if (t != STT_FUNC && t != STT_NOTYPE && t != STT_GNU_IFUNC)
			continue;
		if (!*nm)
			continue;
		c->syms[c->nsyms++] = (struct es_sym){ sym->st_value, sym->st_size, sym->st_shndx, nm };
	}
	return 0;
}

/* The nearest symbol at or before ADDR (in section SHNDX for a .o). */
static const struct es_sym *es_symbol(const struct es_ctx *c, uint64_t addr, size_t shndx)
{
	const struct es_sym *best = NULL;
	for (size_t i = 0; i < c->nsyms; i++) {
		const struct es_sym *s = &c->syms[i];
		if (c->rel && s->shndx != shndx)
			continue;
		if (s->value <= addr && (!best || s->value > best->value ||
		                         (s->value == best->value && s->size > best->size)))
			best = s;
	}
	return best;
}

/* The allocated section containing ADDR (exec/dyn). */
static const char *es_section_of(const struct es_ctx *c, uint64_t addr)
{
	if (!c->have_shstr)
		return "";
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr_mem, *shdr;
	while ((scn = elf_nextscn(c->elf, scn)) != NULL) {
		if (!(shdr = gelf_getshdr(scn, &shdr_mem)))
			break;
		if ((shdr->sh_flags & SHF_ALLOC) && shdr->sh_addr <= addr &&
		    addr - shdr->sh_addr < shdr->sh_size && shdr->sh_type != SHT_NOBITS) {
			const char *nm = elf_strptr(c->elf, c->shstrndx, shdr->sh_name);
			return nm ? nm : "";
		}
	}
	return "";
}

static int es_on_hit(const struct scan_hit *h, void *arg)
{
	struct es_ctx *c = arg;
	struct elf_scan_hit e;
	memset(&e, 0, sizeof e);
	e.vaddr = h->addr;
	e.fileoff = c->reg_off + (h->addr - c->reg_vaddr);
	e.kind = h->kind;
	e.cls = h->cls;
	e.section = c->rel ? c->reg_name : es_section_of(c, h->addr);
	const struct es_sym *s = es_symbol(c, h->addr, c->reg_shndx);
	if (s) {
		e.symbol = s->name;
		e.symoff = h->addr - s->value;
	}
	if (e.cls == SCAN_UNSAFE && e.kind == SCAN_WRPKRU && s && s->value >= c->reg_vaddr &&
	    s->value - c->reg_vaddr <= c->reg_size) {
		/* the symbol's bytes, within this region, for the known-site table */
		uint64_t so = c->reg_off + (s->value - c->reg_vaddr);
		const struct inspect_known_site *k =
			inspect_known_site(c->name, s->name, e.symoff, c->raw + so,
			                   (size_t)(c->reg_off + c->reg_size - so));
		if (k)
			e.known = k->why;
	}
	if (e.cls == SCAN_UNSAFE && e.kind == SCAN_XRSTOR && e.fileoff >= c->reg_off &&
	    e.fileoff < c->reg_off + c->reg_size) {
		/* a known XRSTOR site (the bytes around it are pinned) */
		const struct inspect_known_xrstor *kx =
			inspect_known_xrstor(c->raw + e.fileoff, (size_t)(e.fileoff - c->reg_off),
			                     (size_t)(c->reg_off + c->reg_size - e.fileoff));
		if (kx)
			e.known = kx->why;
	}
	if (e.cls == SCAN_UNSAFE && e.kind == SCAN_WRPKRU && c->has_gate_table && s &&
	    strncmp(s->name, "erim_", 5) == 0)
		e.cls = SCAN_RUNTIME_GATE;      /* liberim's own gate: accepted by address at init */
	c->res->hits++;
	if (e.cls == SCAN_UNSAFE && !e.known)
		c->res->unsafe++;
	return c->fn(&e, c->arg);
}

static int es_scan_region(struct es_ctx *c, struct scan_stream *st, uint64_t off,
                          uint64_t size, uint64_t vaddr, size_t shndx, const char *rname)
{
	c->reg_off = off;
	c->reg_size = size;
	c->reg_vaddr = vaddr;
	c->reg_shndx = shndx;
	c->reg_name = rname;
	c->res->regions++;
	c->res->bytes += size;
	return scan_feed(st, c->raw + off, (size_t)size, vaddr);
}

/* Text relocations (DT_TEXTREL, DF_TEXTREL): the loader writes into
 * executable code at load time, so the file's bytes are not the bytes that
 * run (red team 21, insp_textrel: 0F 01 00 completed to WRPKRU; RET).  Read
 * from PT_DYNAMIC, as the loader reads it.  Counted as unsafe: 0, or -1 with
 * ERR on a malformed dynamic segment. */
static int es_textrel(struct es_ctx *c, Elf *elf, size_t phnum, char *err, size_t errlen, const char *name)
{
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr phdr_mem, *ph = gelf_getphdr(elf, (int)i, &phdr_mem);

		if (!ph || ph->p_type != PT_DYNAMIC || ph->p_filesz == 0)
			continue;
		if (!es_in_file(c, ph->p_offset, ph->p_filesz))
			return es_fail(err, errlen, name, "dynamic segment (offset %#llx, size %#llx) lies outside the file (%zu bytes)",
			               (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz, c->rawsize);
		size_t dsz = gelf_fsize(elf, ELF_T_DYN, 1, EV_CURRENT);
		for (uint64_t o = 0; dsz && o + dsz <= ph->p_filesz; o += dsz) {
			uint64_t tag, val;

			if (gelf_getclass(elf) == ELFCLASS64) {
				Elf64_Dyn d;
				memcpy(&d, c->raw + ph->p_offset + o, sizeof d);
				tag = (uint64_t)d.d_tag;
				val = d.d_un.d_val;
			} else {
				Elf32_Dyn d;
				memcpy(&d, c->raw + ph->p_offset + o, sizeof d);
				tag = (uint64_t)(int64_t)d.d_tag;
				val = d.d_un.d_val;
			}
			if (tag == DT_NULL)
				break;
			if (tag == DT_TEXTREL || (tag == DT_FLAGS && (val & DF_TEXTREL))) {
				c->res->textrel = 1;
				c->res->unsafe++;
				return 0;
			}
		}
	}
	return 0;
}

static int es_scan_elf(Elf *elf, const char *name, elf_scan_fn fn, void *arg,
                       struct elf_scan_result *res, char *err, size_t errlen)
{
	struct es_ctx c;
	memset(&c, 0, sizeof c);
	c.elf = elf;
	c.name = name;
	c.fn = fn;
	c.arg = arg;
	c.res = res;
	int rc = ELF_SCAN_OK;

	char *raw = elf_rawfile(elf, &c.rawsize);
	if (!raw)
		return es_fail(err, errlen, name, "cannot read file: %s", elf_errmsg(-1));
	c.raw = (const uint8_t *)raw;
	GElf_Ehdr ehdr_mem, *ehdr = gelf_getehdr(elf, &ehdr_mem);
	if (!ehdr)
		return es_fail(err, errlen, name, "cannot read ELF header: %s", elf_errmsg(-1));
	if (ehdr->e_machine != EM_X86_64 && ehdr->e_machine != EM_386)
		return es_fail(err, errlen, name, "not an x86 object (e_machine %u)", ehdr->e_machine);
	if (elf_getshdrstrndx(elf, &c.shstrndx) == 0)
		c.have_shstr = 1;
	switch (ehdr->e_type) {
	case ET_EXEC: res->type = "exec"; break;
	case ET_DYN: res->type = "dyn"; break;
	case ET_REL: res->type = "rel"; c.rel = 1; break;
	default:
		return es_fail(err, errlen, name, "ELF type %u is not an executable, shared or relocatable object",
		               ehdr->e_type);
	}
	/* A bad section table only costs names and symbols for exec/dyn. */
	if (c.have_shstr && es_load_syms(&c, err, errlen, name) != 0) {
		if (c.rel) {
			free(c.syms);
			return ELF_SCAN_ERROR;
		}
		c.nsyms = 0;
		c.have_shstr = 0;
	}

	struct scan_stream st;
	scan_init(&st, es_on_hit, &c, NULL, 0);
	if (!c.rel) {
		size_t phnum;
		if (elf_getphdrnum(elf, &phnum) != 0) {
			rc = es_fail(err, errlen, name, "cannot count program headers: %s", elf_errmsg(-1));
			goto out;
		}
		/* libelf clamps a table cut short by the end of the file; a
		 * truncated table is an error here, not an empty one */
		if (ehdr->e_phnum != PN_XNUM && phnum < ehdr->e_phnum)
			phnum = ehdr->e_phnum;
		size_t phsize = gelf_fsize(elf, ELF_T_PHDR, phnum, EV_CURRENT);
		if ((phnum && phsize == 0) || !es_in_file(&c, ehdr->e_phoff, phsize)) {
			rc = es_fail(err, errlen, name, "program header table (%zu entries at %#llx) lies outside the file (%zu bytes)",
			             phnum, (unsigned long long)ehdr->e_phoff, c.rawsize);
			goto out;
		}
		for (size_t i = 0; i < phnum && rc == 0; i++) {
			GElf_Phdr phdr_mem, *ph = gelf_getphdr(elf, (int)i, &phdr_mem);
			if (!ph) {
				rc = es_fail(err, errlen, name, "cannot read program header %zu: %s", i, elf_errmsg(-1));
				break;
			}
			if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) || ph->p_filesz == 0)
				continue;
			if (!es_in_file(&c, ph->p_offset, ph->p_filesz)) {
				rc = es_fail(err, errlen, name,
				             "executable segment %zu (offset %#llx, size %#llx) lies outside the file (%zu bytes)",
				             i, (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz, c.rawsize);
				break;
			}
			if (ph->p_vaddr + ph->p_filesz < ph->p_vaddr) {
				rc = es_fail(err, errlen, name, "executable segment %zu wraps the address space", i);
				break;
			}
			/* what the loader makes executable: whole pages of the file
			 * around [p_offset, p_offset + p_filesz), as far as the file
			 * goes (red team 21, insp_tail: a gadget after p_filesz in
			 * the segment's last page ran) */
			uint64_t lo = ph->p_offset & ~(ES_PAGE - 1), hi = ph->p_offset + ph->p_filesz;
			hi = hi > UINT64_MAX - (ES_PAGE - 1) ? UINT64_MAX : (hi + ES_PAGE - 1) & ~(ES_PAGE - 1);
			if (hi > c.rawsize)
				hi = c.rawsize;
			if (ph->p_vaddr < ph->p_offset - lo) {
				rc = es_fail(err, errlen, name, "executable segment %zu starts below address 0 when page-aligned", i);
				break;
			}
			if (es_scan_region(&c, &st, lo, hi - lo, ph->p_vaddr - (ph->p_offset - lo), 0, "") < 0)
				rc = es_fail(err, errlen, name, "out of memory");
		}
		if (rc == 0 && es_textrel(&c, elf, phnum, err, errlen, name) < 0)
			rc = ELF_SCAN_ERROR;
	} else {
		/* the sections are the code of a .o: a table cut short or outside
		 * the file is an error (libelf would just show fewer sections) */
		size_t shnum;
		if (elf_getshdrnum(elf, &shnum) != 0) {
			rc = es_fail(err, errlen, name, "cannot count sections: %s", elf_errmsg(-1));
			goto out;
		}
		if (ehdr->e_shnum != 0 && shnum < ehdr->e_shnum)
			shnum = ehdr->e_shnum;
		size_t shsize = gelf_fsize(elf, ELF_T_SHDR, shnum, EV_CURRENT);
		if (shnum == 0 || shsize == 0 || !es_in_file(&c, ehdr->e_shoff, shsize)) {
			rc = es_fail(err, errlen, name, "section header table (%zu entries at %#llx) lies outside the file (%zu bytes)",
			             shnum, (unsigned long long)ehdr->e_shoff, c.rawsize);
			goto out;
		}
		if (!c.have_shstr) {
			rc = es_fail(err, errlen, name, "cannot find section names: %s", elf_errmsg(-1));
			goto out;
		}
		Elf_Scn *scn = NULL;
		while (rc == 0 && (scn = elf_nextscn(elf, scn)) != NULL) {
			GElf_Shdr shdr_mem, *shdr = gelf_getshdr(scn, &shdr_mem);
			if (!shdr) {
				rc = es_fail(err, errlen, name, "cannot read section header: %s", elf_errmsg(-1));
				break;
			}
			if (!(shdr->sh_flags & SHF_EXECINSTR) || shdr->sh_type == SHT_NOBITS || shdr->sh_size == 0)
				continue;
			const char *sn = elf_strptr(elf, c.shstrndx, shdr->sh_name);
			if (!es_in_file(&c, shdr->sh_offset, shdr->sh_size)) {
				rc = es_fail(err, errlen, name, "section %s (offset %#llx, size %#llx) lies outside the file (%zu bytes)",
				             sn ? sn : "?", (unsigned long long)shdr->sh_offset,
				             (unsigned long long)shdr->sh_size, c.rawsize);
				break;
			}
			/* sections of a .o are not adjacent code: one stream each */
			scan_end(&st);
			if (es_scan_region(&c, &st, shdr->sh_offset, shdr->sh_size, shdr->sh_addr,
			                   elf_ndxscn(scn), sn ? sn : "?") < 0)
				rc = es_fail(err, errlen, name, "out of memory");
		}
	}
	if (rc == 0 && scan_end(&st) < 0)
		rc = es_fail(err, errlen, name, "out of memory");
out:
	free(c.syms);
	return rc;
}

static int es_version_ok(char *err, size_t errlen, const char *name)
{
	static int done;
	if (!done) {
		if (elf_version(EV_CURRENT) == EV_NONE)
			return es_fail(err, errlen, name, "libelf is out of date: %s", elf_errmsg(-1));
		done = 1;
	}
	return 0;
}

static int es_dispatch(Elf *elf, const char *name, elf_scan_fn fn, void *arg,
                       struct elf_scan_result *res, char *err, size_t errlen)
{
	int rc;
	if (!elf)
		return es_fail(err, errlen, name, "cannot open: %s", elf_errmsg(-1));
	switch (elf_kind(elf)) {
	case ELF_K_ELF:
		rc = es_scan_elf(elf, name, fn, arg, res, err, errlen);
		break;
	default:
		rc = ELF_SCAN_NOT_ELF;   /* archives, scripts, data: not code we map */
		break;
	}
	elf_end(elf);
	return rc;
}

int elf_scan_fd(int fd, const char *name, elf_scan_fn fn, void *arg,
                struct elf_scan_result *res, char *err, size_t errlen)
{
	memset(res, 0, sizeof *res);
	if (es_version_ok(err, errlen, name))
		return ELF_SCAN_ERROR;
	return es_dispatch(elf_begin(fd, ELF_C_READ_MMAP, NULL), name, fn, arg, res, err, errlen);
}

int elf_scan_mem(const void *data, size_t size, const char *name, elf_scan_fn fn,
                 void *arg, struct elf_scan_result *res, char *err, size_t errlen)
{
	memset(res, 0, sizeof *res);
	if (es_version_ok(err, errlen, name))
		return ELF_SCAN_ERROR;
	return es_dispatch(elf_memory((char *)(uintptr_t)data, size), name, fn, arg, res, err, errlen);
}
