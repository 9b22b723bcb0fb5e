/* SPDX-License-Identifier: MIT */
/* inspect_disp.c: neutralising a WRPKRU (or XRSTOR) that a compiler never
 * meant: bytes 0f 01 ef inside the rel32 of a direct branch.  Debian 12's
 * libcrypto.so.3 has one (`call ERR_set_mark@plt`, e8 0f 01 ef ff): a jump
 * into the displacement executes WRPKRU, so it is a real gadget, but the
 * branch itself can be moved.
 *
 * The instruction boundary is PROVEN, never guessed: the enclosing function's
 * start and end come from the object's unwind table (.eh_frame_hdr, present
 * for static functions too) or from a sized ELF symbol (dladdr1), and the
 * function is decoded linearly with Zydis from that start; the occurrence
 * must then lie inside the 4 displacement bytes of a call/jmp rel32 or
 * jcc rel32 that the decoding reached.  Any failure (no FDE or sized symbol,
 * undecodable byte, the decoding stepping over the occurrence in another
 * instruction) means "not proven" and the caller treats the occurrence as
 * before.  The branch is then pointed at a trampoline `jmp [rip+0]; .quad
 * target` on an anonymous page mapped within +-2 GiB, at a slot chosen so
 * that the new rel32 forms no WRPKRU/XRSTOR with the code around it; the
 * trampoline page is scanned before it is made RX.  The caller writes the
 * new rel32 (inspect_process.c, its writer) and re-scans.
 *
 * Zydis is referenced weakly and linked into liberim.so only: a static
 * program without it gets "not proven" (fail closed). */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "inspect_disp.h"
#include "scan.h"

#ifdef HAVE_ZYDIS_RUNTIME
#include <Zydis/Zydis.h>
#pragma weak ZydisDecoderInit
#pragma weak ZydisDecoderDecodeInstruction
#endif

#define DISP_ARENA 4096u
#define DISP_SLOT 16u
#define DISP_REACH 0x7fff0000L

/* ---- the enclosing function, from .eh_frame_hdr ----------------------------- */

struct disp_obj {
	uint64_t pc;
	uint64_t lo, hi;        /* the object's executable PT_LOAD holding pc */
	const uint8_t *hdr;     /* PT_GNU_EH_FRAME, or NULL */
};

static int disp_phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct disp_obj *o = arg;
	const uint8_t *hdr = NULL;
	int found = 0;
	(void)size;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uint64_t a = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && o->pc >= a && o->pc < a + ph->p_memsz) {
			o->lo = a;
			o->hi = a + ph->p_memsz;
			found = 1;
		}
		if (ph->p_type == PT_GNU_EH_FRAME)
			hdr = (const uint8_t *)(uintptr_t)a;
	}
	if (found)
		o->hdr = hdr;
	return found;
}

static uint64_t disp_uleb(const uint8_t **p, const uint8_t *end, int *bad)
{
	uint64_t v = 0;
	for (unsigned sh = 0; *p < end && sh < 64; sh += 7) {
		uint8_t b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80))
			return v;
	}
	*bad = 1;
	return 0;
}

/* The size of a DW_EH_PE value format, or 0 for one not handled. */
static unsigned disp_enc_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x00: case 0x04: case 0x0c: return 8;
	case 0x02: case 0x0a: return 2;
	case 0x03: case 0x0b: return 4;
	}
	return 0;
}

static int64_t disp_read(const uint8_t *p, uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x02: { uint16_t v; memcpy(&v, p, 2); return v; }
	case 0x0a: { int16_t v; memcpy(&v, p, 2); return v; }
	case 0x03: { uint32_t v; memcpy(&v, p, 4); return v; }
	case 0x0b: { int32_t v; memcpy(&v, p, 4); return v; }
	default: { int64_t v; memcpy(&v, p, 8); return v; }
	}
}

/* The FDE encoding a CIE's augmentation gives ('R'), absptr when none. */
static int disp_cie_fde_enc(const uint8_t *cie, uint8_t *enc)
{
	uint32_t len;
	memcpy(&len, cie, 4);
	if (len == 0 || len == 0xffffffffu)
		return -1;
	const uint8_t *p = cie + 8, *end = cie + 4 + len;
	uint8_t ver = *p++;
	const char *aug = (const char *)p;
	size_t al = strnlen(aug, (size_t)(end - p));
	if (p + al >= end)
		return -1;
	p += al + 1;
	int bad = 0;
	if (aug[0] == 'e' && aug[1] == 'h')
		return -1;
	disp_uleb(&p, end, &bad);                   /* code alignment */
	disp_uleb(&p, end, &bad);                   /* data alignment (sleb: same length) */
	if (ver == 1)
		p++;
	else
		disp_uleb(&p, end, &bad);
	*enc = 0x00;
	if (aug[0] != 'z')
		return bad || al != 0 ? -1 : 0;
	disp_uleb(&p, end, &bad);
	for (size_t i = 1; i < al && !bad && p < end; i++) {
		switch (aug[i]) {
		case 'R': *enc = *p; return 0;
		case 'L': p++; break;
		case 'P': {
			uint8_t pe = *p++;
			unsigned sz = disp_enc_size(pe);
			if (!sz)
				return -1;
			p += sz;
			break;
		}
		case 'S': case 'B': break;
		default: return -1;
		}
	}
	return bad ? -1 : 0;
}

/* [*start, *end) of the function whose FDE covers PC, from the binary search
 * table of .eh_frame_hdr (the form every toolchain writes: datarel sdata4). */
static int disp_fde_range(const struct disp_obj *o, uint64_t pc, uint64_t *start, uint64_t *end)
{
	const uint8_t *h = o->hdr;
	if (!h || h[0] != 1 || h[2] != 0x03 || h[3] != 0x3b)
		return -1;
	unsigned psz = disp_enc_size(h[1]);
	if (!psz)
		return -1;
	uint32_t cnt;
	memcpy(&cnt, h + 4 + psz, 4);
	const uint8_t *tab = h + 4 + psz + 4;
	uint64_t base = (uintptr_t)h;
	size_t lo = 0, hi = cnt;
	while (lo < hi) {                /* the last entry with initial_loc <= pc */
		size_t mid = lo + (hi - lo) / 2;
		int32_t il;
		memcpy(&il, tab + 8 * mid, 4);
		if (base + (int64_t)il <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	int32_t il, fo;
	memcpy(&il, tab + 8 * (lo - 1), 4);
	memcpy(&fo, tab + 8 * (lo - 1) + 4, 4);
	const uint8_t *fde = (const uint8_t *)(uintptr_t)(base + (int64_t)fo);
	uint32_t flen, cptr;
	memcpy(&flen, fde, 4);
	memcpy(&cptr, fde + 4, 4);
	if (flen == 0 || flen == 0xffffffffu || cptr == 0)
		return -1;
	uint8_t enc;
	if (disp_cie_fde_enc(fde + 4 - cptr, &enc) < 0)
		return -1;
	unsigned sz = disp_enc_size(enc);
	if (!sz || 8 + 2 * sz > 4 + (size_t)flen)
		return -1;
	uint64_t begin = (uint64_t)disp_read(fde + 8, enc);
	if ((enc & 0x70) == 0x10)
		begin += (uintptr_t)(fde + 8);
	else if ((enc & 0x70) != 0)
		return -1;
	uint64_t range = (uint64_t)disp_read(fde + 8 + sz, enc & 0x0f);
	if (begin != base + (int64_t)il || pc < begin || pc - begin >= range)
		return -1;
	*start = begin;
	*end = begin + range;
	return 0;
}

/* ---- the branch -------------------------------------------------------------- */

/* Decode [start, end) linearly; find the instruction holding [hit, hit+len):
 * it must be a direct rel32 branch with the occurrence inside its rel32. */
static int disp_find_branch(uint64_t start, uint64_t end, uint64_t hit, size_t len,
                            struct inspect_disp_plan *p)
{
#ifdef HAVE_ZYDIS_RUNTIME
	if (!ZydisDecoderInit || !ZydisDecoderDecodeInstruction)
		return 0;
	ZydisDecoder dec;
	if (!ZYAN_SUCCESS(ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)))
		return 0;
	for (uint64_t a = start; a < end && a <= hit;) {
		ZydisDecoderContext ctx;
		ZydisDecodedInstruction in;
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&dec, &ctx, (const void *)(uintptr_t)a,
		                                                (ZyanUSize)(end - a), &in)))
			return 0;
		uint64_t next = a + in.length;
		if (hit < next) {
			if (hit + len > next)
				return 0;        /* the occurrence spans two instructions */
			const uint8_t *b = (const uint8_t *)(uintptr_t)a;
			unsigned op = in.raw.imm[0].offset;
			int rel32 = in.raw.imm[0].is_relative && in.raw.imm[0].size == 32 &&
			            in.raw.prefix_count == 0 && op + 4 == in.length &&
			            ((op == 1 && (b[0] == 0xe8 || b[0] == 0xe9)) ||
			             (op == 2 && b[0] == 0x0f && (b[1] & 0xf0) == 0x80));
			if (!rel32 || hit < a + op)
				return 0;
			int32_t rel;
			memcpy(&rel, b + op, 4);
			p->insn = a;
			p->len = in.length;
			p->disp = a + op;
			p->target = next + (int64_t)rel;
			p->kind = b[0] == 0xe8 ? "call" : b[0] == 0xe9 ? "jmp" : "conditional jump";
			return 1;
		}
		a = next;
	}
#else
	(void)start; (void)end; (void)hit; (void)len; (void)p;
#endif
	return 0;
}

/* ---- the trampoline ------------------------------------------------------------ */

struct disp_any { int n; };

static int disp_count(const struct scan_hit *h, void *arg)
{
	(void)h;
	((struct disp_any *)arg)->n++;
	return 0;
}

/* Occurrences in [lo, hi) with the rel32 at DISP replaced by VAL, counting
 * only those that touch [ins, ins_end). */
struct disp_touch { uint64_t lo, hi; int n; };

static int disp_touch_hit(const struct scan_hit *h, void *arg)
{
	struct disp_touch *t = arg;
	if (h->addr < t->hi && h->addr + 3 > t->lo)
		t->n++;
	return 0;
}

static int disp_clean(const struct inspect_map *m, const struct inspect_disp_plan *p, int32_t val)
{
	uint8_t buf[SCAN_BEFORE + 16 + SCAN_AFTER];
	uint64_t lo = p->insn - m->start > SCAN_BEFORE ? p->insn - SCAN_BEFORE : m->start;
	uint64_t hi = m->end - (p->insn + p->len) > SCAN_AFTER ? p->insn + p->len + SCAN_AFTER : m->end;
	if (hi - lo > sizeof buf)
		return 0;
	memcpy(buf, (const void *)(uintptr_t)lo, (size_t)(hi - lo));
	memcpy(buf + (p->disp - lo), &val, 4);
	/* no occurrence may overlap the branch (other occurrences nearby were
	 * there before and are handled on their own) */
	struct disp_touch t = { p->insn, p->insn + p->len, 0 };
	scan_buffer(buf, (size_t)(hi - lo), lo, disp_touch_hit, &t);
	return t.n == 0;
}

struct disp_arena { uint64_t start; unsigned used; };
static struct disp_arena disp_arenas[16];
static unsigned disp_narenas;

static int disp_near(uint64_t a, uint64_t from)
{
	int64_t d = (int64_t)(a - from);
	return d > -DISP_REACH && d < DISP_REACH - (int64_t)DISP_ARENA;
}

static uint64_t disp_new_arena(uint64_t from)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t pg = psz > 0 ? (uint64_t)psz : 4096;
	if (disp_narenas == sizeof disp_arenas / sizeof *disp_arenas)
		return 0;
	for (uint64_t k = 1; k < 1024; k++) {
		uint64_t hint[2] = { (from & ~(pg - 1)) - k * (1ul << 20), (from & ~(pg - 1)) + k * (1ul << 20) };
		for (int j = 0; j < 2; j++) {
			if (!disp_near(hint[j], from) || hint[j] < (1ul << 20))
				continue;
			void *q = mmap((void *)(uintptr_t)hint[j], DISP_ARENA, PROT_READ | PROT_WRITE,
			               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			if (q == MAP_FAILED)
				continue;
			if (!disp_near((uintptr_t)q, from)) {
				munmap(q, DISP_ARENA);
				continue;
			}
			memset(q, 0xcc, DISP_ARENA);
			if (mprotect(q, DISP_ARENA, PROT_READ | PROT_EXEC) != 0) {
				munmap(q, DISP_ARENA);
				return 0;
			}
			disp_arenas[disp_narenas++] = (struct disp_arena){ (uintptr_t)q, 0 };
			return (uintptr_t)q;
		}
	}
	return 0;
}

/* Write `jmp [rip+0]; .quad target` at a free slot of an arena near the
 * branch whose rel32 then scans clean; the page is scanned whole before it
 * is executable again. */
static int disp_tramp(const struct inspect_map *m, struct inspect_disp_plan *p)
{
	uint64_t from = p->insn + p->len;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < disp_narenas; i++) {
			struct disp_arena *ar = &disp_arenas[i];
			if (!disp_near(ar->start, from))
				continue;
			for (unsigned s = ar->used; s + DISP_SLOT <= DISP_ARENA; s += DISP_SLOT) {
				uint64_t t = ar->start + s;
				int32_t val = (int32_t)(int64_t)(t - from);
				if (!disp_clean(m, p, val))
					continue;
				uint8_t page[DISP_ARENA];
				memcpy(page, (const void *)(uintptr_t)ar->start, DISP_ARENA);
				static const uint8_t jmp[6] = { 0xff, 0x25, 0, 0, 0, 0 };
				memcpy(page + s, jmp, 6);
				memcpy(page + s + 6, &p->target, 8);
				struct disp_any any = { 0 };
				scan_buffer(page, DISP_ARENA, ar->start, disp_count, &any);
				if (any.n)
					return -EPERM;  /* the target address itself holds the bytes */
				if (mprotect((void *)(uintptr_t)ar->start, DISP_ARENA, PROT_READ | PROT_WRITE) != 0)
					return -errno;
				memcpy((void *)(uintptr_t)t, page + s, DISP_SLOT);
				if (mprotect((void *)(uintptr_t)ar->start, DISP_ARENA, PROT_READ | PROT_EXEC) != 0)
					return -errno;
				ar->used = s + DISP_SLOT;
				p->tramp = t;
				p->val = val;
				return 0;
			}
		}
		if (pass == 0 && !disp_new_arena(from))
			return -ENOMEM;
	}
	return -ENOSPC;
}

int inspect_disp_plan(uint64_t hit, size_t len, const struct inspect_map *m,
                      struct inspect_disp_plan *p)
{
	memset(p, 0, sizeof *p);
	if (!m || !(m->prot & PROT_READ) || hit < m->start || hit + len > m->end)
		return 0;
	struct disp_obj o = { .pc = hit };
	if (!dl_iterate_phdr(disp_phdr_cb, &o))
		return 0;
	uint64_t fs, fe;
	if (disp_fde_range(&o, hit, &fs, &fe) == 0) {
		p->proof = "decoded from its function's start (unwind table)";
	} else {
		Dl_info di;
		const ElfW(Sym) *sym = NULL;
		if (!dladdr1((void *)(uintptr_t)hit, &di, (void **)&sym, RTLD_DL_SYMENT) || !sym ||
		    !di.dli_saddr || ELF64_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_size == 0)
			return 0;
		fs = (uintptr_t)di.dli_saddr;
		fe = fs + sym->st_size;
		if (hit < fs || hit + len > fe)
			return 0;
		p->proof = "decoded from its function's start (ELF symbol)";
	}
	/* the whole function must be in this object's code and readable here */
	if (fs < o.lo || fe > o.hi || fs < m->start || fe > m->end)
		return 0;
	if (disp_find_branch(fs, fe, hit, len, p) != 1)
		return 0;
	if (!disp_near(p->target, p->insn + p->len))
		return 0;
	int rc = disp_tramp(m, p);
	return rc < 0 ? rc : 1;
}
