/* SPDX-License-Identifier: MIT */
/* inspect_process.c: load-time inspection of the running process, called by
 * erim_init() before the first switch to the untrusted domain.
 *
 * What is executable is taken from /proc/self/maps (every mapping with x:
 * loaded objects, anonymous code, the vDSO); dl_iterate_phdr() then proves
 * that every executable PT_LOAD of every loaded object lies inside what was
 * scanned.  Adjacent mappings are fed to one scan stream, so a WRPKRU split
 * across two mappings is found.  Unsafe hits are then handled by the policy:
 * REFUSE fails with -EPERM, NOEXEC drops execute on the page, PATCH writes a
 * trap over a WRPKRU proven to be an instruction start.  Known, deliberate
 * sites (glibc's pkey_set, see inspect_known.c) are patched under every policy
 * but OFF, so ordinary programs still start and pkey_set can never reach its
 * WRPKRU; known XRSTOR sites (glibc's lazy-binding trampolines) are rewritten
 * under every policy but OFF so that a check of EAX bit 9 follows the XRSTOR
 * (an XRSTOR is accepted only in that form, see scan.h).  Pages are changed with a raw mprotect from liberim's own code, with
 * signals blocked, because the page being changed may hold libc's wrappers. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "inspect.h"
#include "erim_x86.h"
#include "inspect_disp.h"
#include "inspect_maps.h"
#include "scan.h"


struct ip_hit {
	uint64_t addr;
	enum scan_kind kind;
	enum scan_class cls;
};

struct ip_ctx {
	struct ip_hit *hits;
	size_t n, cap;
	int oom;
};

static inspect_observe_fn ip_observer;
static void *ip_observer_arg;

void inspect_process_observe(inspect_observe_fn fn, void *arg)
{
	ip_observer = fn;
	ip_observer_arg = arg;
}

static int ip_on_hit(const struct scan_hit *h, void *arg)
{
	struct ip_ctx *c = arg;
	if (ip_observer)
		ip_observer(h->addr, (int)h->kind, (int)h->cls, ip_observer_arg);
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 64;
		struct ip_hit *nh = realloc(c->hits, ncap * sizeof *nh);
		if (!nh) {
			c->oom = 1;
			return -ENOMEM;
		}
		c->hits = nh;
		c->cap = ncap;
	}
	c->hits[c->n++] = (struct ip_hit){ h->addr, h->kind, h->cls };
	return 0;
}

static int ip_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Every executable PT_LOAD of every object must be inside a scanned range. */
struct ip_cover {
	const struct inspect_map *maps;
	size_t n;
	const char *missing;
	uint64_t missing_addr;
};

static int ip_covered(const struct ip_cover *cv, uint64_t a, uint64_t b)
{
	while (a < b) {
		size_t i;
		for (i = 0; i < cv->n; i++)
			if (cv->maps[i].start <= a && a < cv->maps[i].end)
				break;
		if (i == cv->n)
			return 0;
		a = cv->maps[i].end;
	}
	return 1;
}

static int ip_phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct ip_cover *cv = arg;
	(void)size;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) || ph->p_memsz == 0)
			continue;
		uint64_t a = info->dlpi_addr + ph->p_vaddr;
		if (!ip_covered(cv, a, a + ph->p_memsz)) {
			cv->missing = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "the main program";
			cv->missing_addr = a;
			return 1;
		}
	}
	return 0;
}

static const struct inspect_map *ip_map_of(const struct inspect_map *m, size_t n, uint64_t a)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].start <= a && a < m[i].end)
			return &m[i];
	return NULL;
}

static void ip_describe(const struct ip_hit *h, const struct inspect_map *m, char *buf, size_t n)
{
	Dl_info di;
	const char *obj = m && m->path[0] ? m->path : "anonymous memory";
	if (dladdr((void *)(uintptr_t)h->addr, &di) && di.dli_sname && di.dli_saddr)
		snprintf(buf, n, "%s at %#llx in %s (%s+%#llx)", scan_kind_name(h->kind),
		         (unsigned long long)h->addr, obj, di.dli_sname,
		         (unsigned long long)(h->addr - (uintptr_t)di.dli_saddr));
	else
		snprintf(buf, n, "%s at %#llx in %s (no symbol)", scan_kind_name(h->kind),
		         (unsigned long long)h->addr, obj);
}

/* Is a WRPKRU at H a site from the known table?  Then it is a proven
 * instruction start. */
static const struct inspect_known_site *ip_known(const struct ip_hit *h,
                                                 const struct inspect_map *maps, size_t n)
{
	Dl_info di;
	if (h->kind != SCAN_WRPKRU || !dladdr((void *)(uintptr_t)h->addr, &di) ||
	    !di.dli_sname || !di.dli_saddr || !di.dli_fname)
		return NULL;
	uint64_t sa = (uintptr_t)di.dli_saddr;
	const struct inspect_map *m = ip_map_of(maps, n, sa);
	if (!m || !(m->prot & PROT_READ) || h->addr < sa)
		return NULL;
	return inspect_known_site(di.dli_fname, di.dli_sname, h->addr - sa,
	                          (const uint8_t *)(uintptr_t)sa, (size_t)(m->end - sa));
}

/* A WRPKRU at the very start of a function symbol is an instruction start. */
static int ip_at_symbol_start(const struct ip_hit *h)
{
	Dl_info di;
	return h->kind == SCAN_WRPKRU && dladdr((void *)(uintptr_t)h->addr, &di) &&
	       di.dli_saddr && (uintptr_t)di.dli_saddr == h->addr;
}

/* The executable range holding liberim's own code: never touched. */
static int ip_is_own(const struct inspect_map *own, uint64_t page, uint64_t psz)
{
	return own && page < own->end && own->start < page + psz;
}

/* Is liberim linked into the program itself (a static link)?  Then its
 * mapping is the program's code, where glibc's own sites live too. */
static int ip_own_is_program(const struct inspect_map *own)
{
	extern int main(int, char **) __attribute__((weak));
	uintptr_t m = (uintptr_t)(void *)main;  /* not visible from liberim.so: 0 */
	return own && m && own->start <= m && m < own->end;
}

/* Does any word of this thread's live stack above FROM (the frame of
 * inspect_process_run: everything below it is liberim's own) point into
 * [page, page+psz)?  If so a return address may lead there and dropping
 * execute would crash the program when erim_init returns.  Conservative: a
 * stale value that happens to point there also counts.  It reads every word,
 * the redzones AddressSanitizer puts between other functions' locals too:
 * not instrumented (an --enable-asan build reported each as an underflow). */
__attribute__((no_sanitize_address))
static int ip_stack_refers(uint64_t page, uint64_t psz, uintptr_t from)
{
	pthread_attr_t at;
	void *lo;
	size_t sz;
	if (pthread_getattr_np(pthread_self(), &at) != 0)
		return 1;
	int rc = pthread_attr_getstack(&at, &lo, &sz);
	pthread_attr_destroy(&at);
	if (rc != 0)
		return 1;
	uintptr_t p = from & ~(uintptr_t)7, top = (uintptr_t)lo + sz;
	if (p < (uintptr_t)lo || p >= top)
		return 1;
	for (; p + 8 <= top; p += 8) {
		uint64_t w = *(const uint64_t *)p;
		if (w >= page && w < page + psz)
			return 1;
	}
	return 0;
}

static uint64_t ip_psz(void)
{
	long p = sysconf(_SC_PAGESIZE);
	return p > 0 ? (uint64_t)p : 4096;
}

/* ip_write lives in a section of its own: while a page is writable and not
 * executable only ip_write's body runs, so only ITS pages must never be
 * changed -- not the whole mapping holding liberim, which in a static program
 * is the program's entire code, glibc's trampolines included. */
extern const char __start_erim_inspect_write[] __attribute__((visibility("hidden")));
extern const char __stop_erim_inspect_write[] __attribute__((visibility("hidden")));

static int ip_is_writer(uint64_t page, uint64_t psz)
{
	uint64_t lo = (uintptr_t)__start_erim_inspect_write & ~(psz - 1);
	uint64_t hi = (uintptr_t)__stop_erim_inspect_write;
	return page < hi + psz && lo < page + psz;
}

/* Write LEN bytes (at most a page) over ADDR, which may straddle two pages.
 * OWN (liberim's mapping) is refused unless it is also the mapping of the
 * program (static link); ip_write's own pages always are. */
__attribute__((section("erim_inspect_write"), noinline))
static int ip_write(uint64_t addr, const uint8_t *bytes, size_t len, const struct inspect_map *maps,
                    size_t n, const struct inspect_map *own)
{
	uint64_t psz = ip_psz();
	if (len == 0 || len > psz)
		return -EINVAL;
	uint64_t pg[2] = { addr & ~(psz - 1), (addr + len - 1) & ~(psz - 1) };
	const struct inspect_map *pm[2];
	int npg = pg[1] != pg[0] ? 2 : 1;
	for (int i = 0; i < npg; i++) {
		pm[i] = ip_map_of(maps, n, pg[i]);
		/* shared mappings would write through to the file; the vDSO is the kernel's */
		if (!pm[i] || !pm[i]->private_ || ip_is_writer(pg[i], psz) ||
		    (ip_is_own(own, pg[i], psz) && !ip_own_is_program(own)) ||
		    strcmp(pm[i]->path, "[vdso]") == 0)
			return -EPERM;
	}
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	long rc = 0;
	int i;
	for (i = 0; i < npg; i++) {
		rc = erim_x86_raw_mprotect((void *)(uintptr_t)pg[i], psz, PROT_READ | PROT_WRITE);
		if (rc)
			break;
	}
	if (!rc)
		for (size_t k = 0; k < len; k++)
			((volatile uint8_t *)(uintptr_t)addr)[k] = bytes[k];
	long rc2 = 0;
	for (int j = 0; j < i; j++) {
		long r = erim_x86_raw_mprotect((void *)(uintptr_t)pg[j], psz, (int)pm[j]->prot & ~PROT_WRITE);
		if (r && !rc2)
			rc2 = r;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc2) {
		/* a page may be left without execute (safe) or writable (not):
		 * this is a security failure, stop. */
		dprintf(2, "erim: load-time inspection: cannot restore protection of %#llx (%ld); stopping\n",
		        (unsigned long long)addr, rc2);
		abort();
	}
	return (int)rc;
}

/* Write the trap over the 3 bytes at ADDR. */
static int ip_patch(uint64_t addr, const struct inspect_map *maps, size_t n,
                    const struct inspect_map *own)
{
	static const uint8_t trap[3] = INSPECT_TRAP_BYTES;
	return ip_write(addr, trap, sizeof trap, maps, n, own);
}

/* A known XRSTOR site (inspect_known.c) whose XRSTOR is at H, inside one
 * readable mapping, or NULL. */
static const struct inspect_known_xrstor *ip_known_xrstor(const struct ip_hit *h,
                                                          const struct inspect_map *m)
{
	if (h->kind != SCAN_XRSTOR || !m || !(m->prot & PROT_READ))
		return NULL;
	return inspect_known_xrstor((const uint8_t *)(uintptr_t)h->addr, (size_t)(h->addr - m->start),
	                            (size_t)(m->end - h->addr));
}

/* The scan after a rewrite of [ADDR, ADDR+LEN) in mapping M: the bytes
 * rewritten with SCAN_BEFORE/SCAN_AFTER of context, within M. */
static void ip_rescan(const struct inspect_map *m, uint64_t addr, uint64_t len,
                      scan_hit_fn hit, void *arg)
{
	uint64_t lo = addr - m->start > SCAN_BEFORE ? addr - SCAN_BEFORE : m->start;
	uint64_t hi = m->end - (addr + len) > SCAN_AFTER ? addr + len + SCAN_AFTER : m->end;

	scan_buffer((const uint8_t *)(uintptr_t)lo, (size_t)(hi - lo), lo, hit, arg);
}

/* After a rewrite of [addr, addr+len): the only WRPKRU/XRSTOR there (at any
 * offset, with the neighbours as context) must be a checked XRSTOR at ADDR. */
struct ip_verify { uint64_t addr, end; int bad; };

static int ip_verify_hit(const struct scan_hit *h, void *arg)
{
	struct ip_verify *v = arg;
	if (h->addr >= v->addr && h->addr < v->end &&
	    (h->addr != v->addr || h->cls != SCAN_CHECKED_XRSTOR))
		v->bad = 1;
	return 0;
}

static int ip_rewrite_xrstor(const struct ip_hit *h, const struct inspect_known_xrstor *k,
                             const struct inspect_map *m, const struct inspect_map *maps,
                             size_t n, const struct inspect_map *own)
{
	int rc = ip_write(h->addr, k->replace, k->len, maps, n, own);
	if (rc)
		return rc;
	struct ip_verify v = { h->addr, h->addr + k->len, 0 };
	ip_rescan(m, h->addr, k->len, ip_verify_hit, &v);
	if (v.bad) {
		dprintf(2, "erim: load-time inspection: the rewritten XRSTOR at %#llx does not scan as checked; stopping\n",
		        (unsigned long long)h->addr);
		abort();
	}
	return 0;
}

/* After retargeting a branch (inspect_disp.c): no WRPKRU/XRSTOR may overlap
 * it any more, with the neighbours as context, or the process stops. */
struct ip_touch { uint64_t lo, hi; int bad; };

static int ip_touch_hit(const struct scan_hit *h, void *arg)
{
	struct ip_touch *t = arg;
	if (h->addr < t->hi && h->addr + 3 > t->lo)
		t->bad = 1;
	return 0;
}

static int ip_retarget(const struct inspect_disp_plan *dp, const struct inspect_map *m,
                       const struct inspect_map *maps, size_t n, const struct inspect_map *own)
{
	uint8_t nb[4];
	memcpy(nb, &dp->val, 4);
	int rc = ip_write(dp->disp, nb, sizeof nb, maps, n, own);
	if (rc)
		return rc;
	struct ip_touch t = { dp->insn, dp->insn + dp->len, 0 };
	ip_rescan(m, dp->insn, dp->len, ip_touch_hit, &t);
	if (t.bad || memcmp((const void *)(uintptr_t)dp->disp, nb, 4) != 0) {
		dprintf(2, "erim: load-time inspection: the retargeted branch at %#llx does not scan clean; stopping\n",
		        (unsigned long long)dp->insn);
		abort();
	}
	return 0;
}

/* Is the occurrence H gone (an earlier retargeting rewrote its bytes)? */
static int ip_gone(const struct ip_hit *h, const struct inspect_map *m)
{
	static const uint8_t wrpkru[3] = { 0x0f, 0x01, 0xef }, xrstor[2] = { 0x0f, 0xae };
	if (!m || !(m->prot & PROT_READ) || h->addr + 3 > m->end)
		return 0;
	const void *p = (const void *)(uintptr_t)h->addr;
	return h->kind == SCAN_WRPKRU ? memcmp(p, wrpkru, 3) != 0 : memcmp(p, xrstor, 2) != 0;
}

static const char *ip_base(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : *path ? path : "anonymous memory";
}

static int ip_noexec(uint64_t addr, const struct inspect_map *maps, size_t n,
                     const struct inspect_map *own, uintptr_t stack_from)
{
	uint64_t psz = ip_psz(), page = addr & ~(psz - 1);
	const struct inspect_map *m = ip_map_of(maps, n, page);
	if (!m || ip_is_own(own, page, psz) || strcmp(m->path, "[vdso]") == 0 ||
	    ip_stack_refers(page, psz, stack_from))
		return -EPERM;
	long rc = erim_x86_raw_mprotect((void *)(uintptr_t)page, psz, (int)m->prot & ~PROT_EXEC);
	return (int)rc;
}

/* An execute-only mapping M (--x) is scanned by making it readable for the
 * scan and execute-only again after, with the protection key it had: with
 * protection keys, execute-only memory is an access-disabled key (the
 * kernel's, or one the program chose), so the readable view takes key 0
 * and the old key comes back with pkey_mprotect (the kernel's through a
 * plain mprotect, checked in smaps after).  Not through
 * /proc/self/mem: erim-tem refuses that file to everyone, start-up
 * included, since an fd of it would outlive start-up (doc/tem.md).  The
 * code stays executable throughout; for a moment it is also readable,
 * which hides nothing (it is the program's own code). */
static int ip_scan_xonly(struct scan_stream *s, const struct inspect_map *m)
{
	void *p = (void *)(uintptr_t)m->start;
	size_t len = m->end - m->start;
	int key = inspect_map_pkey(m->start), rc;

	if (key < 0 && key != -ENOENT) {
		dprintf(2, "erim: load-time inspection: cannot read the protection key of execute-only %s at %#llx "
		        "from /proc/self/smaps: %s\n", m->path[0] ? m->path : "memory",
		        (unsigned long long)m->start, strerror(-key));
		return key;
	}
	rc = key < 0 ? (int)erim_x86_raw_mprotect(p, len, PROT_READ | PROT_EXEC)
	             : (syscall(SYS_pkey_mprotect, p, len, PROT_READ | PROT_EXEC, 0L) == 0 ? 0 : -errno);
	if (rc) {
		dprintf(2, "erim: load-time inspection: cannot make execute-only %s at %#llx readable to inspect it: %s\n",
		        m->path[0] ? m->path : "memory", (unsigned long long)m->start, strerror(-rc));
		return rc;
	}
	rc = scan_feed(s, (const uint8_t *)p, len, m->start);
	int back = key < 0 ? (int)erim_x86_raw_mprotect(p, len, PROT_EXEC)
	                   : (syscall(SYS_pkey_mprotect, p, len, PROT_EXEC, (long)key) == 0 ? 0 : -errno);
	if (back == -EINVAL && key > 0) {
		/* the kernel's own execute-only key, which pkey_mprotect does
		 * not take: a plain mprotect to execute-only gives it back */
		back = (int)erim_x86_raw_mprotect(p, len, PROT_EXEC);
		int now = back ? key : inspect_map_pkey(m->start);
		if (!back && now != key)
			back = now < 0 ? now : -EPROTO;
	}
	if (back) {
		dprintf(2, "erim: load-time inspection: cannot make %s at %#llx execute-only again: %s\n",
		        m->path[0] ? m->path : "memory", (unsigned long long)m->start, strerror(-back));
		return rc ? rc : back;
	}
	return rc;
}

static uint64_t ip_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *ip_policy_name(enum erim_inspect_policy p)
{
	switch (p) {
	case ERIM_INSPECT_REFUSE: return "refuse";
	case ERIM_INSPECT_NOEXEC: return "noexec";
	case ERIM_INSPECT_PATCH: return "patch";
	case ERIM_INSPECT_OFF: return "off";
	}
	return "?";
}

/* the first occurrence the last run refused ("" when none) */
static char ip_refusal[512];

const char *inspect_process_refusal(void)
{
	return ip_refusal;
}

int inspect_process_run(enum erim_inspect_policy policy, int quiet, int dry_run,
                        const uintptr_t *sites, size_t nsites,
                        struct inspect_stats *st)
{
	struct inspect_stats local;
	struct inspect_map *maps = NULL;
	struct ip_ctx ctx = { 0 };
	uint64_t *gates = NULL;
	int rc = 0;
	ip_refusal[0] = 0;
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	uint64_t t0 = ip_now();

	/* OFF: nothing is inspected; erim_init reports that it is off */
	if (policy == ERIM_INSPECT_OFF)
		return 0;

	/* runtime gate addresses, sorted for the scanner's binary search */
	if (nsites && sites) {
		gates = malloc(nsites * sizeof *gates);
		if (!gates)
			return -ENOMEM;
		for (size_t i = 0; i < nsites; i++)
			gates[i] = sites[i];
		qsort(gates, nsites, sizeof *gates, ip_cmp_u64);
	}

	long nmaps = inspect_maps_exec(0, &maps);
	if (nmaps < 0) {
		rc = (int)nmaps;
		dprintf(2, "erim: load-time inspection: cannot read /proc/self/maps: %s\n", strerror(-rc));
		goto out;
	}
	size_t n = (size_t)nmaps;
	struct ip_cover cv = { maps, n, NULL, 0 };
	dl_iterate_phdr(ip_phdr_cb, &cv);
	if (cv.missing) {
		dprintf(2, "erim: load-time inspection: executable segment of %s at %#llx is not an executable mapping in /proc/self/maps\n",
		        cv.missing, (unsigned long long)cv.missing_addr);
		rc = -EPROTO;
		goto out;
	}

	/* Inspected bytes must stay the inspected bytes: an executable mapping
	 * that is also writable (a JIT area, an executable stack from -z
	 * execstack), shared (another mapping or process writes its pages) or
	 * backed by a memfd (written through its descriptor or a second view)
	 * can be changed after this scan without any system call that anyone
	 * judges (red-team round 9).  Refuse to start, whatever the policy. */
	for (size_t i = 0; i < n && !dry_run; i++) {
		const struct inspect_map *m = &maps[i];
		const char *why = (m->prot & PROT_WRITE) ? "writable and executable (W+X: a JIT area, "
		                                            "or an executable stack from -z execstack)"
		                : !m->private_ ? "a shared executable mapping (another mapping or "
		                                 "process writes its pages)"
		                : strncmp(m->path, "/memfd:", 7) == 0 ? "an executable memfd (its "
		                                 "descriptor or a second mapping writes the bytes)"
		                : NULL;

		if (!why || strcmp(m->path, "[vsyscall]") == 0)
			continue;
		snprintf(ip_refusal, sizeof ip_refusal, "executable memory %#llx-%#llx (%s) is %s: "
		         "its bytes could change after inspection; map code read-only "
		         "(write, then mprotect to read+execute, under erim-tem for JIT code)",
		         (unsigned long long)m->start, (unsigned long long)m->end,
		         m->path[0] ? m->path : "anonymous", why);
		dprintf(2, "erim: refusing to start: %s\n", ip_refusal);
		rc = -EPERM;
		goto out;
	}

	struct scan_stream s;
	scan_init(&s, ip_on_hit, &ctx, gates, nsites);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct inspect_map *m = &maps[i];
		/* [vsyscall]: a fixed kernel page (execute-only, unreadable) */
		if (strcmp(m->path, "[vsyscall]") == 0)
			continue;
		st->ranges++;
		if (m->prot & PROT_READ) {
			rc = scan_feed(&s, (const uint8_t *)(uintptr_t)m->start, m->end - m->start, m->start);
			continue;
		}
		/* execute-only: readable for the scan, then execute-only again */
		rc = ip_scan_xonly(&s, m);
	}
	if (!rc)
		rc = scan_end(&s);
	st->bytes = s.bytes;
	st->hits = ctx.n;
	if (rc) {
		if (ctx.oom)
			rc = -ENOMEM;
		goto out;
	}

	/* liberim's own code range: never patched nor stripped */
	const struct inspect_map *own = ip_map_of(maps, n, (uintptr_t)(void *)inspect_process_run);
	char what[512];
	int refused = 0;
	for (size_t i = 0; i < ctx.n; i++) {
		const struct ip_hit *h = &ctx.hits[i];
		if (h->cls != SCAN_UNSAFE)
			continue;
		st->unsafe++;
		const struct inspect_map *m = ip_map_of(maps, n, h->addr);
		ip_describe(h, m, what, sizeof what);
		if (dry_run) {
			if (!quiet)
				dprintf(2, "erim: load-time inspection: unsafe %s\n", what);
			continue;
		}
		const struct inspect_known_xrstor *kx = ip_known_xrstor(h, m);
		if (kx) {
			int done = ip_rewrite_xrstor(h, kx, m, maps, n, own);
			if (!done) {
				st->patched++;
				if (!quiet)
					dprintf(2, "erim: load-time inspection: rewrote %s so a check of EAX bit 9 follows it (%s)\n",
					        what, kx->why);
				continue;
			}
		}
		/* an occurrence inside the rel32 of a direct branch whose boundary
		 * is proven: the branch is moved, under every policy but OFF */
		if (ip_gone(h, m))
			continue;
		struct inspect_disp_plan dp;
		int pr = inspect_disp_plan(h->addr, 1, m, &dp);
		if (pr == 1 && ip_retarget(&dp, m, maps, n, own) == 0) {
			st->patched++;
			if (!quiet)
				dprintf(2, "erim: load-time inspection: %s displacement at %#llx in %s held %s; "
				        "retargeted through %#llx (%s)\n", dp.kind,
				        (unsigned long long)dp.disp, ip_base(m->path),
				        h->kind == SCAN_WRPKRU ? "wrpkru" : "xrstor",
				        (unsigned long long)dp.tramp, dp.proof);
			continue;
		}
		if (pr < 0)
			dprintf(2, "erim: load-time inspection: cannot retarget the branch around %s: %s\n",
			        what, strerror(-pr));
		const struct inspect_known_site *k = ip_known(h, maps, n);
		int done = -EPERM;
		if (k || (policy == ERIM_INSPECT_PATCH && ip_at_symbol_start(h))) {
			done = ip_patch(h->addr, maps, n, own);
			if (!done) {
				st->patched++;
				if (!quiet)
					dprintf(2, "erim: load-time inspection: patched %s to a trap (%s)\n",
					        what, k ? k->why : "WRPKRU at a function entry");
				continue;
			}
		}
		if (policy == ERIM_INSPECT_NOEXEC || policy == ERIM_INSPECT_PATCH) {
			done = ip_noexec(h->addr, maps, n, own, (uintptr_t)__builtin_frame_address(0));
			if (!done) {
				st->noexec++;
				if (!quiet)
					dprintf(2, "erim: load-time inspection: removed execute permission from the page of %s\n", what);
				continue;
			}
		}
		dprintf(2, "erim: load-time inspection: unsafe %s [policy %s%s]\n", what,
		        ip_policy_name(policy),
		        policy == ERIM_INSPECT_REFUSE ? "" : ": cannot neutralise it here");
		if (!refused)
			snprintf(ip_refusal, sizeof ip_refusal, "unsafe %s", what);
		refused++;
	}
	if (refused) {
		dprintf(2, "erim: refusing to start: %d unsafe WRPKRU/XRSTOR occurrence%s in executable memory "
		        "(other policies: ERIM_INSPECT=noexec|patch)\n", refused, refused == 1 ? "" : "s");
		rc = -EPERM;
	}
out:
	st->nsec = ip_now() - t0;
	free(ctx.hits);
	free(maps);
	free(gates);
	return rc;
}
