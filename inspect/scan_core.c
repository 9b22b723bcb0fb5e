/* SPDX-License-Identifier: MIT */
/* scan_core.c: finds WRPKRU and XRSTOR byte sequences at every offset of a
 * range and classifies them (see scan.h).  The search is memchr-driven (look
 * for 0x0F, then check the two bytes after it) with an AVX2 path that tests
 * 32 offsets per compare; both must report exactly the same offsets, which the
 * unit tests check on random and crafted data.  Everything here is
 * allocation-free so in-process inspection can run it at erim_init. */
#include "config.h"

#include <string.h>
#include <immintrin.h>

#include "erim_x86.h"
#include "scan.h"

static const char *const scan_kind_names[] = {
	[SCAN_WRPKRU] = "wrpkru",
	[SCAN_XRSTOR] = "xrstor",
	[SCAN_XRSTOR64] = "xrstor64",
};

static const char *const scan_class_names[] = {
	[SCAN_UNSAFE] = "unsafe",
	[SCAN_RUNTIME_GATE] = "runtime-gate",
	[SCAN_CHECKED_XRSTOR] = "checked-xrstor",
};

const char *scan_kind_name(enum scan_kind k)
{
	return (unsigned)k < sizeof scan_kind_names / sizeof *scan_kind_names ? scan_kind_names[k] : "?";
}

const char *scan_class_name(enum scan_class c)
{
	return (unsigned)c < sizeof scan_class_names / sizeof *scan_class_names ? scan_class_names[c] : "?";
}

/* ---- the byte test ---------------------------------------------------------- */

/* 0F AE /5 with mod != 3 is XRSTOR; with mod == 3 it is LFENCE (harmless). */
static inline int scan_is_xrstor_modrm(uint8_t m)
{
	return ((m >> 3) & 7) == ERIM_X86_XRSTOR_REG && (m >> 6) != 3;
}

/* P points at a 0F byte with two more bytes readable.  Returns 1 + kind, or 0. */
static inline int scan_match(const uint8_t *p)
{
	if (p[1] == ERIM_X86_WRPKRU_1 && p[2] == ERIM_X86_WRPKRU_2)
		return 1 + SCAN_WRPKRU;
	if (p[1] == ERIM_X86_XRSTOR_1 && scan_is_xrstor_modrm(p[2]))
		return 1 + SCAN_XRSTOR;
	return 0;
}

int scan_search_memchr(const uint8_t *buf, size_t from, size_t to, size_t avail,
                       scan_found_fn found, void *arg)
{
	/* a match needs three bytes, so no start beyond avail - 3 */
	if (avail < 3)
		return 0;
	if (to > avail - 2)
		to = avail - 2;
	const uint8_t *p = buf + from, *end = buf + to;
	while (p < end) {
		p = memchr(p, 0x0F, (size_t)(end - p));
		if (!p)
			break;
		int m = scan_match(p);
		if (m) {
			int rc = found((size_t)(p - buf), (enum scan_kind)(m - 1), arg);
			if (rc)
				return rc;
		}
		p++;
	}
	return 0;
}

/* 64 offsets per iteration: a byte is a candidate when it is 0x0F and the
 * next one is 0x01 or 0xAE; candidates are rare in real code, so the scalar
 * check of the third byte costs nothing. */
__attribute__((target("avx2")))
int scan_search_avx2(const uint8_t *buf, size_t from, size_t to, size_t avail,
                     scan_found_fn found, void *arg)
{
	if (avail < 3)
		return 0;
	if (to > avail - 2)
		to = avail - 2;
	size_t i = from;
	const __m256i v0f = _mm256_set1_epi8(ERIM_X86_WRPKRU_0);   /* = ERIM_X86_XRSTOR_0 */
	const __m256i v01 = _mm256_set1_epi8(ERIM_X86_WRPKRU_1);
	const __m256i vae = _mm256_set1_epi8((char)ERIM_X86_XRSTOR_1);
	/* loads reach i + 64 (second byte of offset i + 63); keep them in avail */
	while (i + 64 <= to && i + 65 <= avail) {
		const __m256i a0 = _mm256_loadu_si256((const void *)(buf + i));
		const __m256i b0 = _mm256_loadu_si256((const void *)(buf + i + 1));
		const __m256i a1 = _mm256_loadu_si256((const void *)(buf + i + 32));
		const __m256i b1 = _mm256_loadu_si256((const void *)(buf + i + 33));
		__m256i c0 = _mm256_and_si256(_mm256_cmpeq_epi8(a0, v0f),
		                              _mm256_or_si256(_mm256_cmpeq_epi8(b0, v01),
		                                              _mm256_cmpeq_epi8(b0, vae)));
		__m256i c1 = _mm256_and_si256(_mm256_cmpeq_epi8(a1, v0f),
		                              _mm256_or_si256(_mm256_cmpeq_epi8(b1, v01),
		                                              _mm256_cmpeq_epi8(b1, vae)));
		if (!_mm256_testz_si256(_mm256_or_si256(c0, c1), _mm256_or_si256(c0, c1))) {
			uint64_t mask = (uint32_t)_mm256_movemask_epi8(c0) |
			                ((uint64_t)(uint32_t)_mm256_movemask_epi8(c1) << 32);
			while (mask) {
				size_t k = i + (size_t)__builtin_ctzll(mask);
				mask &= mask - 1;
				int m = scan_match(buf + k);
				if (m) {
					int rc = found(k, (enum scan_kind)(m - 1), arg);
					if (rc)
						return rc;
				}
			}
		}
		i += 64;
	}
	return scan_search_memchr(buf, i, to, avail, found, arg);
}

static int scan_forced;

void scan_force_impl(int which)
{
	scan_forced = which;
}

int scan_have_avx2(void)
{
	static int have = -1;
	if (have < 0) {
		__builtin_cpu_init();
		have = __builtin_cpu_supports("avx2") ? 1 : 0;
	}
	return have;
}

int scan_search(const uint8_t *buf, size_t from, size_t to, size_t avail,
                scan_found_fn found, void *arg)
{
	if (scan_forced == 1 || (scan_forced == 0 && !scan_have_avx2()))
		return scan_search_memchr(buf, from, to, avail, found, arg);
	return scan_search_avx2(buf, from, to, avail, found, arg);
}

/* ---- classification ------------------------------------------------------- */

size_t scan_modrm_len(const uint8_t *p, size_t avail)
{
	if (avail < 1)
		return 0;
	uint8_t mod = p[0] >> 6, rm = p[0] & 7;
	size_t n = 1;
	if (mod == 3)
		return 1;
	if (rm == 4) {                      /* SIB */
		if (avail < 2)
			return 0;
		n = 2;
		if (mod == 0 && (p[1] & 7) == 5)
			n += 4;             /* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		n += 4;                     /* RIP-relative disp32 */
	}
	if (mod == 1)
		n += 1;
	else if (mod == 2)
		n += 4;
	return n <= avail ? n : 0;
}

/* Is the XRSTOR whose 0F byte is W[OFF] followed by the check? */
static int scan_is_checked_xrstor(const uint8_t *w, size_t off, size_t hi)
{
	static const uint8_t check[SCAN_XRSTOR_CHECK_LEN] = { SCAN_XRSTOR_CHECK_BYTES };
	if (off + 3 > hi)
		return 0;
	size_t m = scan_modrm_len(w + off + 2, hi - off - 2);
	if (!m)
		return 0;
	size_t at = off + 2 + m;
	return at + sizeof check <= hi && memcmp(w + at, check, sizeof check) == 0;
}

enum scan_class scan_classify(const uint8_t *win, size_t off, size_t lo, size_t hi,
                              enum scan_kind kind)
{
	if (kind == SCAN_WRPKRU)
		return SCAN_UNSAFE;   /* see scan.h: no WRPKRU is safe by its bytes */
	(void)lo;
	return scan_is_checked_xrstor(win, off, hi) ? SCAN_CHECKED_XRSTOR : SCAN_UNSAFE;
}

/* ---- streams ------------------------------------------------------------------ */

void scan_init(struct scan_stream *s, scan_hit_fn fn, void *arg,
               const uint64_t *gates, size_t ngates)
{
	memset(s, 0, sizeof *s);
	s->fn = fn;
	s->arg = arg;
	s->gates = gates;
	s->ngates = ngates;
}

static int scan_is_runtime_gate(const struct scan_stream *s, uint64_t addr)
{
	size_t lo = 0, hi = s->ngates;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->gates[mid] == addr)
			return 1;
		if (s->gates[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int scan_report(struct scan_stream *s, const uint8_t *w, size_t off, size_t lo,
                       size_t hi, uint64_t addr, enum scan_kind kind)
{
	struct scan_hit h;
	if (kind == SCAN_XRSTOR && off > lo && (w[off - 1] & 0xF8) == 0x48)
		kind = SCAN_XRSTOR64;
	h.addr = addr;
	h.kind = kind;
	if (kind == SCAN_WRPKRU && scan_is_runtime_gate(s, addr))
		h.cls = SCAN_RUNTIME_GATE;
	else
		h.cls = scan_classify(w, off, lo, hi, kind == SCAN_XRSTOR64 ? SCAN_XRSTOR : kind);
	h.win = w;
	h.win_off = off;
	h.win_lo = lo;
	h.win_hi = hi;
	s->hits++;
	return s->fn(&h, s->arg);
}

/* Hits found in the joint buffer (tail + start of the new range). */
struct scan_joint {
	struct scan_stream *s;
	const uint8_t *w;
	size_t n;          /* valid bytes of w */
	uint64_t base;     /* address of w[0] */
};

static int scan_joint_found(size_t off, enum scan_kind kind, void *arg)
{
	struct scan_joint *j = arg;
	size_t lo = off > SCAN_BEFORE ? off - SCAN_BEFORE : 0;
	size_t hi = off + SCAN_AFTER < j->n ? off + SCAN_AFTER : j->n;
	return scan_report(j->s, j->w, off, lo, hi, j->base + off, kind);
}

/* Hits found directly in the caller's buffer. */
struct scan_direct {
	struct scan_stream *s;
	const uint8_t *buf;
	size_t len;
	uint64_t addr;
};

static int scan_direct_found(size_t off, enum scan_kind kind, void *arg)
{
	struct scan_direct *d = arg;
	struct scan_stream *s = d->s;
	if (off >= SCAN_BEFORE || s->ntail == 0) {
		size_t lo = off >= SCAN_BEFORE ? off - SCAN_BEFORE : 0;
		size_t hi = off + SCAN_AFTER < d->len ? off + SCAN_AFTER : d->len;
		return scan_report(s, d->buf, off, lo, hi, d->addr + off, kind);
	}
	/* near the start: glue the previous range's tail in front */
	uint8_t w[sizeof s->tail + SCAN_BEFORE + SCAN_AFTER];
	size_t nt = s->ntail, take = d->len < off + SCAN_AFTER ? d->len : off + SCAN_AFTER;
	memcpy(w, s->tail, nt);
	memcpy(w + nt, d->buf, take);
	size_t o = nt + off;
	size_t lo = o > SCAN_BEFORE ? o - SCAN_BEFORE : 0;
	return scan_report(s, w, o, lo, nt + take, d->addr + off, kind);
}

static void scan_keep_tail(struct scan_stream *s, const uint8_t *buf, size_t len)
{
	const size_t cap = sizeof s->tail;
	if (len >= cap) {
		memcpy(s->tail, buf + len - cap, cap);
		s->ntail = cap;
		return;
	}
	size_t keep = s->ntail + len > cap ? cap - len : s->ntail;
	memmove(s->tail, s->tail + s->ntail - keep, keep);
	memcpy(s->tail + keep, buf, len);
	s->ntail = keep + len;
}

int scan_end(struct scan_stream *s)
{
	int rc = 0;
	if (s->active && s->next < s->end) {
		struct scan_joint j = { s, s->tail, s->ntail, s->end - s->ntail };
		rc = scan_search(s->tail, (size_t)(s->next - j.base), s->ntail, s->ntail,
		                 scan_joint_found, &j);
	}
	s->active = 0;
	s->ntail = 0;
	s->next = s->end;
	return rc;
}

int scan_feed(struct scan_stream *s, const uint8_t *buf, size_t len, uint64_t addr)
{
	int rc;
	if (len == 0)
		return 0;
	if (s->active && addr != s->end && (rc = scan_end(s)) != 0)
		return rc;
	if (!s->active) {
		s->active = 1;
		s->ntail = 0;
		s->next = s->end = addr;
	}
	s->bytes += len;
	/* offsets that can be classified now: a full SCAN_AFTER window ahead */
	uint64_t limit = addr + len >= s->next + SCAN_AFTER ? addr + len - SCAN_AFTER : s->next;
	if (s->next < addr && s->next < limit) {
		/* held-back starts in the tail of the previous range */
		uint8_t w[sizeof s->tail + SCAN_AFTER];
		size_t take = len < SCAN_AFTER ? len : SCAN_AFTER;
		memcpy(w, s->tail, s->ntail);
		memcpy(w + s->ntail, buf, take);
		struct scan_joint j = { s, w, s->ntail + take, addr - s->ntail };
		uint64_t stop = limit < addr ? limit : addr;
		rc = scan_search(w, (size_t)(s->next - j.base), (size_t)(stop - j.base), j.n,
		                 scan_joint_found, &j);
		if (rc)
			return rc;
		s->next = stop;
	}
	if (limit > addr && limit > s->next) {
		struct scan_direct d = { s, buf, len, addr };
		uint64_t from = s->next > addr ? s->next : addr;
		rc = scan_search(buf, (size_t)(from - addr), (size_t)(limit - addr), len,
		                 scan_direct_found, &d);
		if (rc)
			return rc;
		s->next = limit;
	}
	scan_keep_tail(s, buf, len);
	s->end = addr + len;
	return 0;
}

int scan_buffer(const uint8_t *buf, size_t len, uint64_t addr, scan_hit_fn fn, void *arg)
{
	struct scan_stream s;
	scan_init(&s, fn, arg, NULL, 0);
	int rc = scan_feed(&s, buf, len, addr);
	return rc ? rc : scan_end(&s);
}
