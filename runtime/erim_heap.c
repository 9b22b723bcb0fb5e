/* SPDX-License-Identifier: MIT */
/* erim_heap.c: the trusted heap -- erim_malloc and friends over a region
 * reserved up front and tagged with the trusted key.
 *
 * Design: a page allocator plus size classes.  Every page of the region has
 * one 32-bit entry in a page map that lives in the runtime region (trusted
 * memory, never next to user data), saying whether the page belongs to a
 * small-object page of class C, starts or continues a large allocation, or is
 * free.  Small objects (<= 2 KiB) are carved from single pages of one class,
 * and free objects are chained through their first word -- inside trusted
 * memory, so untrusted code can corrupt neither the map nor the chains.  Every
 * small page also has a 256-bit map (one bit per object, in the runtime
 * region) saying which objects are allocated: a free of an object whose bit is
 * clear is a double free, and an object popped from a free chain must have its
 * bit clear and sit in a page of the right class, so two live allocations can
 * never share one block through a double free -- unless the block was handed
 * out again between the two frees, when the second free is indistinguishable
 * from the new owner's.  Free chains are FIFO, so a freed block is reused only
 * after every other free block of its class, which makes that window as
 * small as the class's free list allows.  Large objects are runs of whole pages, first fit
 * over a list of free runs with boundary tags for coalescing.  One spin lock
 * (erim_lock.h, in trusted memory) guards it all: trusted code is rarely
 * allocation-heavy, and a gate never allocates.
 *
 * Trusted memory only: this code runs with the trusted PKRU, so it takes no
 * control data from memory untrusted code can write.  The pointer to the
 * metadata lives in the sealed read-only page (erim__ro.heap_meta), the
 * metadata in the runtime region; it calls no libc function (no PLT/GOT, no
 * errno: errno is found through %fs, which untrusted code sets), only
 * erim_sys.h's inline copies and erim__fatal.  So the erim_malloc family does
 * NOT set errno; a NULL return means out of trusted memory (or EINVAL for a
 * bad alignment).
 *
 * Invalid frees (outside the heap, into the middle of an object, of a free
 * block or run, twice) stop the process with a message: they are bugs in
 * trusted code or an attack. */
#include "config.h"

#include <stdint.h>

#include "erim_internal.h"
#include "erim_lock.h"
#include "erim_sys.h"

enum { PM_NONE = 0, PM_FREE = 1, PM_LARGE = 2, PM_LARGE_IN = 3, PM_SMALL = 4, PM_FREE_IN = 5 };
#define PM_KIND(v) ((v) & 0xffu)
#define PM_ARG(v) ((v) >> 8)
#define PM(kind, arg) ((uint32_t)(kind) | ((uint32_t)(arg) << 8))

/* size classes: all powers of two up to 2 KiB are classes, so aligned_alloc
 * of a small power-of-two alignment can use them */
static const uint16_t class_size[] = {
	16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
	640, 768, 896, 1024, 1280, 1536, 1792, 2048,
};
#define NCLASSES (sizeof class_size / sizeof class_size[0])
#define SMALL_MAX 2048

struct run {
	struct run *next, *prev;
	size_t start, len;     /* in pages */
};

struct heap_meta {
	erim_lock_t lock;
	uintptr_t base;
	size_t npages, top;     /* pages [0, top) have been handed out at least once */
	size_t live;            /* allocations not yet freed */
	void *free_obj[NCLASSES];   /* FIFO of free objects per class: head ... */
	void *free_tail[NCLASSES];  /* ... and tail (a freed block is reused last) */
	struct run *runs;
	uint64_t (*live_map)[4];   /* per page: which small objects are allocated */
	uint32_t pm[];
};

/* Not a static in liberim's .bss (untrusted code could point it at a forged
 * heap_meta): the sealed read-only page holds it. */
#define H ((struct heap_meta *)erim__ro.heap_meta)

/* The runtime region holds the metadata (erim_reserve.c sizes it with
 * erim_heap_meta_size, erim_internal.h, which counts the header as
 * ERIM_HEAP_META_HDR bytes). */
_Static_assert(sizeof(struct heap_meta) <= ERIM_HEAP_META_HDR, "heap_meta header");

/* Set the heap up, empty, over the regions in erim__layout (none reserved:
 * no heap).  Called before erim_init (the read-only page is still writable):
 * by erim_init, by the first allocation before it, and by erim_fini once the
 * regions are plain memory again. */
void erim__heap_setup(void)
{
	const struct erim_layout *L = &erim__layout;
	struct heap_meta *h = L->meta;
	size_t np = L->heap_size / ERIM_PAGE;
	uintptr_t lm;

	if (!h || !L->heap) {
		erim__ro.heap_meta = NULL;
		return;
	}
	lm = (uintptr_t)h + sizeof(struct heap_meta) + np * sizeof(uint32_t);
	erim_fill(h, 0, sizeof *h);
	h->base = (uintptr_t)L->heap;
	h->npages = np;
	h->live_map = (uint64_t (*)[4])((lm + 31) & ~(uintptr_t)31);
	erim__ro.heap_meta = h;
}

int erim__heap_ready(void)
{
	return H != NULL;
}

static void live_set(uintptr_t a, size_t pg, size_t sz)
{
	size_t i = (a & (ERIM_PAGE - 1)) / sz;

	H->live_map[pg][i / 64] |= 1ull << (i % 64);
}

/* Clear the bit of a live object; 0 if it was not live. */
static int live_clear(uintptr_t a, size_t pg, size_t sz)
{
	size_t i = (a & (ERIM_PAGE - 1)) / sz;
	uint64_t b = 1ull << (i % 64);

	if (!(H->live_map[pg][i / 64] & b))
		return 0;
	H->live_map[pg][i / 64] &= ~b;
	return 1;
}

static int live_test(uintptr_t a, size_t pg, size_t sz)
{
	size_t i = (a & (ERIM_PAGE - 1)) / sz;

	return (H->live_map[pg][i / 64] >> (i % 64)) & 1;
}

/* erim_fini's trusted wipe (erim_wipe.c): zero, with plain stores, every
 * heap page ever handed out, and their page-map and live-map entries, then
 * the metadata header (erim_fini sets the heap up again once it is plain
 * memory).  Runs with trusted rights while no other thread is in trusted
 * code, so the lock is free. */
void erim__heap_wipe(void)
{
	struct heap_meta *h = H;
	size_t top;

	if (!h)
		return;
	top = h->top;
	if (top > h->npages)
		top = h->npages;
	erim__zero_dirty(h->base, h->base + top * ERIM_PAGE);
	erim__zero_dirty((uintptr_t)h->pm, (uintptr_t)(h->pm + top));
	erim__zero_dirty((uintptr_t)h->live_map, (uintptr_t)(h->live_map + top));
	erim_fill(h, 0, sizeof *h);
}

int erim__heap_used(void)
{
	return H && H->top > 0;
}

static void *page_addr(size_t pg)
{
	return (void *)(H->base + pg * ERIM_PAGE);
}

static int class_of(size_t n)
{
	for (size_t c = 0; c < NCLASSES; c++)
		if (n <= class_size[c])
			return (int)c;
	return -1;
}

static void run_unlink(struct run *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		H->runs = r->next;
	if (r->next)
		r->next->prev = r->prev;
}

/* Mark [start, start+len) free, coalescing with free neighbours. */
static void run_free(size_t start, size_t len)
{
	struct run *r;

	if (start > 0 && PM_KIND(H->pm[start - 1]) == PM_FREE) {
		size_t plen = PM_ARG(H->pm[start - 1]);
		struct run *pr = page_addr(start - plen);

		run_unlink(pr);
		start -= plen;
		len += plen;
	}
	if (start + len < H->top && PM_KIND(H->pm[start + len]) == PM_FREE) {
		struct run *nr = page_addr(start + len);

		run_unlink(nr);
		len += nr->len;
	}
	for (size_t i = start; i < start + len; i++)
		H->pm[i] = PM(PM_FREE_IN, 0);
	H->pm[start] = PM(PM_FREE, len);
	H->pm[start + len - 1] = PM(PM_FREE, len);
	r = page_addr(start);
	r->start = start;
	r->len = len;
	r->prev = NULL;
	r->next = H->runs;
	if (H->runs)
		H->runs->prev = r;
	H->runs = r;
}

/* Take LEN pages: first fit over free runs, else from the untouched top. */
static long run_alloc(size_t len)
{
	for (struct run *r = H->runs; r; r = r->next) {
		if (r->len < len)
			continue;
		size_t start = r->start, rlen = r->len;

		run_unlink(r);
		for (size_t i = start; i < start + len; i++)
			H->pm[i] = PM(PM_NONE, 0);
		if (rlen > len)
			run_free(start + len, rlen - len);
		return (long)start;
	}
	if (len > H->npages - H->top)
		return -1;
	H->top += len;
	return (long)(H->top - len);
}

static void *large_alloc_locked(size_t n, size_t align_pages)
{
	size_t len = (n + ERIM_PAGE - 1) / ERIM_PAGE, extra = 0, start;
	long s;

	if (len == 0)
		len = 1;
	if (align_pages > 1)
		extra = align_pages - 1;
	s = run_alloc(len + extra);
	if (s < 0)
		return NULL;
	start = (size_t)s;
	if (extra) {
		uintptr_t a = (uintptr_t)page_addr(start), mask = align_pages * ERIM_PAGE - 1;
		size_t head = (((a + mask) & ~mask) - a) / ERIM_PAGE;

		if (head)
			run_free(start, head);
		if (extra - head)
			run_free(start + head + len, extra - head);
		start += head;
	}
	H->pm[start] = PM(PM_LARGE, len);
	for (size_t i = start + 1; i < start + len; i++)
		H->pm[i] = PM(PM_LARGE_IN, 0);
	H->live++;
	return page_addr(start);
}

static void *small_alloc_locked(int c)
{
	void *p = H->free_obj[c];

	if (!p) {
		long pg = run_alloc(1);
		size_t sz = class_size[c], cnt = ERIM_PAGE / sz;
		char *base;

		if (pg < 0)
			return NULL;
		H->pm[pg] = PM(PM_SMALL, c);
		erim_fill(H->live_map[pg], 0, sizeof H->live_map[pg]);
		live_set((uintptr_t)page_addr((size_t)pg), (size_t)pg, sz);
		base = page_addr((size_t)pg);
		/* chain objects 1..cnt-1; object 0 is returned */
		for (size_t i = 1; i < cnt; i++)
			*(void **)(base + i * sz) = i + 1 < cnt ? base + (i + 1) * sz : NULL;
		H->free_obj[c] = cnt > 1 ? base + sz : NULL;
		H->free_tail[c] = cnt > 1 ? base + (cnt - 1) * sz : NULL;
		H->live++;
		return base;
	}
	/* the chain lives in trusted memory; check each link anyway, so that no
	 * corruption can ever hand out a block twice */
	{
		uintptr_t a = (uintptr_t)p;
		size_t pg = (a - H->base) / ERIM_PAGE, sz = class_size[c];

		if (a < H->base || pg >= H->top || H->pm[pg] != PM(PM_SMALL, c) ||
		    (a & (ERIM_PAGE - 1)) % sz != 0 || live_test(a, pg, sz))
			erim__fatal("erim: heap: free chain of size class %u corrupted at %p "
			            "(trusted heap metadata overwritten)\n", (unsigned)sz, p);
		H->free_obj[c] = *(void **)p;
		if (!H->free_obj[c])
			H->free_tail[c] = NULL;
		live_set(a, pg, sz);
	}
	H->live++;
	return p;
}

static void *heap_alloc(size_t n, size_t align)
{
	void *p;

	if (!H) {
		/* before erim_init only (the page holding H is sealed after it) */
		if (erim__ro.mode != ERIM_MODE_DIRECT || erim__reserve_default() < 0)
			return NULL;
		erim__heap_setup();
		if (!H)
			return NULL;
	}
	if (n == 0)
		n = 1;
	if (n > H->npages * ERIM_PAGE)
		return NULL;
	erim_lock(&H->lock);
	if (align <= 16 && n <= SMALL_MAX) {
		p = small_alloc_locked(class_of(n));
	} else if (align <= SMALL_MAX && n <= SMALL_MAX) {
		/* a power-of-two class >= align: objects sit at multiples of it */
		size_t sz = 16;

		while (sz < n || sz < align)
			sz <<= 1;
		p = small_alloc_locked(class_of(sz));
	} else {
		p = large_alloc_locked(n, align > ERIM_PAGE ? align / ERIM_PAGE : 1);
	}
	erim_unlock(&H->lock);
	return p;
}

/* Size of the block at P (checked), with the lock held. */
static size_t block_size_locked(void *p, size_t *pg_out)
{
	uintptr_t a = (uintptr_t)p;
	size_t pg;
	uint32_t v;

	if (!H || a < H->base || a >= H->base + H->top * ERIM_PAGE)
		erim__fatal("erim: heap: erim_free/realloc of %p, which is not in the "
		            "trusted heap\n", p);
	pg = (a - H->base) / ERIM_PAGE;
	v = H->pm[pg];
	*pg_out = pg;
	if (PM_KIND(v) == PM_SMALL) {
		size_t sz = class_size[PM_ARG(v)], off = a & (ERIM_PAGE - 1);

		if (off % sz != 0 || off / sz >= ERIM_PAGE / sz)
			erim__fatal("erim: heap: erim_free/realloc of %p, inside an object of "
			            "%u bytes\n", p, (unsigned)sz);
		if (!live_test(a, pg, sz))
			erim__fatal("erim: heap: erim_free/realloc of %p, a free block of %u bytes "
			            "(double free)\n", p, (unsigned)sz);
		return sz;
	}
	if (PM_KIND(v) == PM_LARGE && (a & (ERIM_PAGE - 1)) == 0)
		return PM_ARG(v) * ERIM_PAGE;
	erim__fatal("erim: heap: erim_free/realloc of %p, which is not an allocated "
	            "block (double free?)\n", p);
}

static void free_locked(void *p)
{
	size_t pg, sz = block_size_locked(p, &pg);
	uint32_t v = H->pm[pg];

	if (PM_KIND(v) == PM_SMALL) {
		live_clear((uintptr_t)p, pg, sz);
		/* append: the block is handed out again only after every other free
		 * block of its class, so a double free separated from the first by
		 * a few allocations still finds the block free and is caught */
		unsigned c = PM_ARG(v);

		*(void **)p = NULL;
		if (H->free_tail[c])
			*(void **)H->free_tail[c] = p;
		else
			H->free_obj[c] = p;
		H->free_tail[c] = p;
	} else {
		run_free(pg, sz / ERIM_PAGE);
	}
	H->live--;
}

void *erim_malloc(size_t n)
{
	return heap_alloc(n, 16);
}

void *erim_calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	p = heap_alloc(nmemb * size, 16);
	if (p)
		erim_fill(p, 0, nmemb * size);
	return p;
}

void *erim_aligned_alloc(size_t alignment, size_t n)
{
	if (alignment == 0 || (alignment & (alignment - 1)) != 0)
		return NULL;
	return heap_alloc(n, alignment < 16 ? 16 : alignment);
}

void erim_free(void *p)
{
	if (!p)
		return;
	if (!H)
		erim__fatal("erim: heap: erim_free(%p) without a trusted heap\n", p);
	erim_lock(&H->lock);
	free_locked(p);
	erim_unlock(&H->lock);
}

void *erim_realloc(void *p, size_t n)
{
	size_t pg, old;
	void *q;

	if (!p)
		return erim_malloc(n);
	if (n == 0) {
		erim_free(p);
		return NULL;
	}
	if (!H)
		erim__fatal("erim: heap: erim_realloc(%p) without a trusted heap\n", p);
	erim_lock(&H->lock);
	old = block_size_locked(p, &pg);
	erim_unlock(&H->lock);
	if (n <= old && (old <= SMALL_MAX || n > old / 2))
		return p;
	q = erim_malloc(n);
	if (!q)
		return NULL;
	erim_copy(q, p, n < old ? n : old);
	erim_free(p);
	return q;
}
