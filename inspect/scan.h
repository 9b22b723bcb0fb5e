/* SPDX-License-Identifier: MIT */
/* scan.h: the WRPKRU/XRSTOR scanner shared by in-process inspection
 * (inspect_process.c), the ELF reader (elf_scan.c) and erim-inspect.
 *
 * The scanner reports every WRPKRU (0F 01 EF) and every XRSTOR/XRSTOR64
 * (0F AE /5 with a memory operand, any prefixes) at EVERY byte offset of a
 * range, whatever the instruction boundaries, and classifies each hit.  A
 * stream (struct scan_stream) lets callers feed adjacent ranges one after the
 * other: a sequence that spans two ranges (two pages, two mappings) is found,
 * and classification sees the bytes on both sides of the seam.  Ranges that are
 * not adjacent to the previous one start a new stream automatically.
 *
 * This header is also the ONE place that defines what a safe XRSTOR looks like
 * (SCAN_XRSTOR_CHECK_*): code that emits one and the inspector must agree byte
 * for byte.  The scanner allocates nothing and calls nothing but memchr /
 * SIMD compares, so it is usable at erim_init before anything is set up. */
#ifndef ERIM_SCAN_H
#define ERIM_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "erim_x86.h"

/* ---- no WRPKRU shape is safe by its bytes --------------------------------
 *
 * A WRPKRU followed by "cmp eax, imm; jne abort" looks safe, but the compare
 * only proves that EAX equals imm: a jump onto such a WRPKRU with EAX = imm
 * loads imm, and imm may be any PKRU (0 opens every key), while jne's target
 * may be the attacker's own code.  So the scanner accepts no WRPKRU by its
 * bytes; only liberim's own gate sites, by exact address
 * (SCAN_RUNTIME_GATE), whose checks compare against the process's sealed
 * PKRU values and fall into a fail-stop abort. */

/* ---- the safe XRSTOR sequence ---------------------------------------------
 *
 * XRSTOR loads PKRU when bit 9 of EAX is set (the requested-feature bitmap is
 * XCR0 & EDX:EAX), from memory the caller chooses.  What code puts in EAX
 * BEFORE an XRSTOR proves nothing: a jump lands on the XRSTOR itself.  So an
 * XRSTOR is accepted only when the bytes right after it check what the XRSTOR
 * actually used -- EAX is not changed by XRSTOR -- and end the process without
 * touching memory when bit 9 was set:
 *
 *   XRSTOR/XRSTOR64 m      (any prefixes, any memory operand)
 *   F6 C4 02               test ah, 2          (EAX bit 9)
 *   74 0E                  jz over the next 14 bytes
 *   BF imm32               mov edi, SCAN_XRSTOR_CHECK_STATUS
 *   B8 E7 00 00 00         mov eax, 231        (exit_group)
 *   0F 05                  syscall
 *   EB FE                  jmp .               (if a seccomp filter refused it)
 *
 * Whichever way control reaches the XRSTOR, a PKRU it loaded is never seen by
 * the code after it: straight-line code, no memory access, no branch out.
 * SCAN_XRSTOR_CHECK_ASM emits the check for code that wants an XRSTOR. */
#define SCAN_XRSTOR_CHECK_STATUS 107  /* exit status of a process stopped by the check */
#define SCAN_XRSTOR_CHECK_LEN 19
#define SCAN_XRSTOR_CHECK_BYTES                                                	0xF6, 0xC4, 0x02, 0x74, 0x0E, 0xBF, SCAN_XRSTOR_CHECK_STATUS, 0x00, 0x00, 	0x00, 0xB8, 0xE7, 0x00, 0x00, 0x00, 0x0F, 0x05, 0xEB, 0xFE
#define SCAN_XRSTOR_CHECK_ASM                                                  	".byte 0xf6, 0xc4, 0x02, 0x74, 0x0e\n\t"                                 	".byte 0xbf, 107, 0, 0, 0, 0xb8, 0xe7, 0, 0, 0\n\t"                     	".byte 0x0f, 0x05, 0xeb, 0xfe\n\t"

/* Length of the ModRM (+ SIB + displacement) bytes at P (AVAIL readable), or
 * 0 when they are cut off. */
size_t scan_modrm_len(const uint8_t *p, size_t avail);

/* Bytes of context the classifier may look at around a hit. */
#define SCAN_BEFORE 32
#define SCAN_AFTER 32

enum scan_kind {
	SCAN_WRPKRU = 0,     /* 0F 01 EF */
	SCAN_XRSTOR,         /* 0F AE /5, memory operand */
	SCAN_XRSTOR64,       /* the same with a REX.W byte right before */
};

enum scan_class {
	SCAN_UNSAFE = 0,
	SCAN_RUNTIME_GATE,   /* address is one of erim__gate_sites() */
	SCAN_CHECKED_XRSTOR, /* followed by the SCAN_XRSTOR_CHECK_* sequence */
};

const char *scan_kind_name(enum scan_kind k);
const char *scan_class_name(enum scan_class c);

struct scan_hit {
	uint64_t addr;           /* address (or offset) of the 0F byte */
	enum scan_kind kind;
	enum scan_class cls;
	/* Context window: win[0] is the byte at addr - win_off; bytes
	 * [win_lo, win_hi) of win are valid.  The window is only valid during
	 * the callback. */
	const uint8_t *win;
	size_t win_off, win_lo, win_hi;
};

/* Return 0 to continue, non-zero to stop the scan (the value is returned by
 * scan_feed/scan_end). */
typedef int (*scan_hit_fn)(const struct scan_hit *hit, void *arg);

struct scan_stream {
	scan_hit_fn fn;
	void *arg;
	const uint64_t *gates;   /* sorted runtime gate addresses, may be NULL */
	size_t ngates;
	int active;
	uint64_t end;            /* address just past the last byte fed */
	uint64_t next;           /* first address not yet examined */
	uint8_t tail[SCAN_BEFORE + SCAN_AFTER];
	size_t ntail;            /* tail holds [end - ntail, end) */
	uint64_t bytes;          /* statistics */
	uint64_t hits;
};

/* Start a stream.  GATES (sorted ascending, NGATES entries) lists the
 * addresses accepted as runtime gates; the caller keeps it alive. */
void scan_init(struct scan_stream *s, scan_hit_fn fn, void *arg,
               const uint64_t *gates, size_t ngates);

/* Feed LEN bytes at BUF that live at address ADDR.  If ADDR is not where the
 * previous feed ended, the pending tail of the previous range is finished
 * first (as scan_end would).  Hits whose classification needs bytes beyond
 * the end of BUF are held back until the next feed or scan_end. */
int scan_feed(struct scan_stream *s, const uint8_t *buf, size_t len, uint64_t addr);

/* Finish the current range: report what is still held back, classified with
 * the bytes available. */
int scan_end(struct scan_stream *s);

/* One-shot: scan one range.  Returns what the callback returned, or 0. */
int scan_buffer(const uint8_t *buf, size_t len, uint64_t addr,
                scan_hit_fn fn, void *arg);

/* Classify a hit at WIN[off] given valid bytes WIN[lo, hi) (no gate table). */
enum scan_class scan_classify(const uint8_t *win, size_t off, size_t lo, size_t hi,
                              enum scan_kind kind);

/* Lowest-level search: offsets of candidate starts in BUF[from, to) where the
 * three bytes BUF[i..i+3) (all below AVAIL) are a WRPKRU/XRSTOR.  Calls FOUND
 * for each; used by the stream and exposed for the benchmark and the tests.
 * scan_impl selects the implementation: "memchr" (portable), "avx2", or NULL
 * for the best available. */
typedef int (*scan_found_fn)(size_t off, enum scan_kind kind, void *arg);
int scan_search(const uint8_t *buf, size_t from, size_t to, size_t avail,
                scan_found_fn found, void *arg);
int scan_search_memchr(const uint8_t *buf, size_t from, size_t to, size_t avail,
                       scan_found_fn found, void *arg);
int scan_search_avx2(const uint8_t *buf, size_t from, size_t to, size_t avail,
                     scan_found_fn found, void *arg);
int scan_have_avx2(void);
/* Force an implementation (tests, benchmark): 0 best, 1 memchr, 2 avx2. */
void scan_force_impl(int which);

#endif /* ERIM_SCAN_H */
