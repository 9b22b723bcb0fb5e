/* SPDX-License-Identifier: MIT */
/* erim_init.c: start-up and tear-down of the runtime core -- configuration
 * (struct erim_config and the ERIM_* environment), back-end choice, the
 * regions reserved up front (runtime state, heap, trusted stacks), the trusted
 * globals, the range registry, and the switch of the caller to the untrusted
 * domain.
 *
 * erim_init fails closed: every protection step is recorded and undone on any
 * failure, and the mode in the read-only page only changes from "direct" once
 * everything else stands.  The order is the one runtime.md asks for: key,
 * regions, tagging, registry, violation handler, then inspection and the TEM
 * hand-shake (which see the final trusted ranges), then the read-only page is
 * sealed and the caller leaves the trusted domain. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "erim_arch.h"
#include "erim_internal.h"
#include "erim_signal.h"
#include "erim_sys.h"

/* erim_init registered with erim-tem (erim_fini then refuses). */
static int tem_attached;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static enum erim_backend cur_backend = ERIM_BACKEND_AUTO;
static char errbuf[512];
static int require_mlock;   /* ERIM_REQUIRE=mlock (apply_env) */

static const char *const backend_names[] = {
	[ERIM_BACKEND_AUTO] = "auto",
	[ERIM_BACKEND_MPK] = "mpk",
	[ERIM_BACKEND_MPROTECT] = "mprotect",
	[ERIM_BACKEND_NONE] = "none",
};

static const char *const inspect_names[] = {
	[ERIM_INSPECT_REFUSE] = "refuse",
	[ERIM_INSPECT_NOEXEC] = "noexec",
	[ERIM_INSPECT_PATCH] = "patch",
	[ERIM_INSPECT_OFF] = "off",
};

__attribute__((format(printf, 1, 2)))
static void set_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
}

const char *erim_strerror(void)
{
	return errbuf;
}

enum erim_backend erim_backend(void)
{
	return erim_initialized() ? cur_backend : ERIM_BACKEND_AUTO;
}

const char *erim_backend_name(enum erim_backend b)
{
	if ((unsigned)b < sizeof backend_names / sizeof backend_names[0])
		return backend_names[b];
	return "unknown";
}

/* the registry's entries of one kind (erim_ro.c holds the registry) */
static void ranges_remove_kind_what(const char *what)
{
	uint32_t j = 0;

	for (uint32_t i = 0; i < erim__ro.nranges; i++)
		if (strcmp(erim__ro.ranges[i].what, what) != 0)
			erim__ro.ranges[j++] = erim__ro.ranges[i];
	erim__ro.nranges = j;
}

/* ---- regions reserved up front (erim_reserve.c) ----------------------------- */

static int slots_in_use(void)
{
	for (size_t i = 1; i <= erim__layout.max_threads; i++)
		if (erim__ro.slots[i].state != ERIM_SLOT_FREE)
			return 1;
	return 0;
}

/* ---- configuration ----------------------------------------------------------- */

static int lookup(const char *v, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcasecmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

static int env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0;
}

/* Fold the environment into C.  The environment can choose a back end only
 * where the program left it to AUTO, and can add requirements, never drop one. */
static int apply_env(struct erim_config *c, int explicit_cfg)
{
	const char *v;
	int i;

	v = getenv("ERIM_BACKEND");
	if (v && *v) {
		i = lookup(v, backend_names, sizeof backend_names / sizeof backend_names[0]);
		if (i < 0) {
			set_err("ERIM_BACKEND=%s: expected mpk, mprotect, none or auto", v);
			return -EINVAL;
		}
		if (!explicit_cfg || c->backend == ERIM_BACKEND_AUTO)
			c->backend = (enum erim_backend)i;
	}
	require_mlock = 0;
	v = getenv("ERIM_REQUIRE");
	if (v && *v) {
		char buf[128], *save = NULL;

		snprintf(buf, sizeof buf, "%s", v);
		for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (strcasecmp(t, "mpk") == 0) {
				c->require_mpk = 1;
			} else if (strcasecmp(t, "tem") == 0) {
				c->require_tem = 1;
			} else if (strcasecmp(t, "mlock") == 0) {
				require_mlock = 1;
			} else {
				set_err("ERIM_REQUIRE=%s: expected a list of mpk, tem and mlock", v);
				return -EINVAL;
			}
		}
	}
	v = getenv("ERIM_INSPECT");
	if (v && *v) {
		i = lookup(v, inspect_names, sizeof inspect_names / sizeof inspect_names[0]);
		if (i < 0) {
			set_err("ERIM_INSPECT=%s: expected refuse, noexec, patch or off", v);
			return -EINVAL;
		}
		c->inspect = (enum erim_inspect_policy)i;
	}
	if (env_flag("ERIM_QUIET"))
		c->quiet = 1;
	return 0;
}

static void notice(const struct erim_config *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void notice(const struct erim_config *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Linux 6.12 and later write signal frames with every protection key enabled
 * ("x86/pkeys: Update PKRU to enable all pkeys before XSAVE"); only used when
 * erim_sigstack.c's probe cannot tell. */
static int erim__kernel_allkeys_release(void)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return -1;
	return ma > 6 || (ma == 6 && mi >= 12);
}

/* Which vector registers the gate has to scrub. */
static uint32_t vec_kind(void)
{
	uint32_t r[4], xcr0_lo, xcr0_hi;

	erim_cpuid(1, 0, r);
	if (!(r[2] & (1u << 27)) || !(r[2] & (1u << 28)))   /* OSXSAVE, AVX */
		return ERIM_VEC_SSE;
	__asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	if ((xcr0_lo & 6) != 6)
		return ERIM_VEC_SSE;
	erim_cpuid(7, 0, r);
	if ((r[1] & (1u << 16)) && (xcr0_lo & 0xe0) == 0xe0)  /* AVX-512F, opmask+ZMM state */
		return ERIM_VEC_AVX512;
	return ERIM_VEC_AVX;
}

/* ---- protection steps (recorded so a failure can undo them) ------------------ */

static int pkey_mprotect_(void *p, size_t n, int prot, int key)
{
	return syscall(SYS_pkey_mprotect, p, n, (unsigned long)prot, (long)key) == 0 ? 0 : -errno;
}

/* Tag every switched range with KEY (RW; stack guard pages PROT_NONE), and
 * every guard range (PROT_NONE: the key only says whose it is).  KEY 0
 * restores plain memory, the guards staying PROT_NONE.  Returns 0 or -errno
 * with the message set. */
static int tag_all(int key)
{
	struct erim_layout *L = &erim__layout;
	size_t stride = L->stack_size + ERIM_STACK_GAP;
	int r;

	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];

		if (rg->kind == ERIM_R_READONLY)
			continue;
		r = pkey_mprotect_((void *)rg->start, rg->end - rg->start,
		                   rg->kind == ERIM_R_GUARD ? PROT_NONE : PROT_READ | PROT_WRITE, key);
		if (r < 0) {
			set_err("pkey_mprotect of the trusted %s at %p (%zu bytes) failed: %s",
			        rg->what, (void *)rg->start, (size_t)(rg->end - rg->start), strerror(-r));
			return r;
		}
	}
	if (key == 0)
		return 0;
	for (size_t i = 0; i <= L->max_threads + 1; i++) {   /* + the gap above the last */
		r = pkey_mprotect_((char *)L->stacks + i * stride, ERIM_STACK_GAP, PROT_NONE, key);
		if (r < 0) {
			set_err("pkey_mprotect of a trusted stack guard page failed: %s", strerror(-r));
			return r;
		}
	}
	return 0;
}

/* Keep every trusted range out of core dumps: the kernel writes a dump
 * without looking at protection keys, from a thread that may be inside
 * trusted code (a fork of the process, RLIMIT_CORE raised, a default-action
 * signal), so any range left out would be readable in the core file.  The
 * regions liberim maps were marked at reservation; this covers every range,
 * modules' trusted globals included, and fails closed. */
static int dontdump_all(int protect)
{
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];

		if (madvise((void *)rg->start, rg->end - rg->start, MADV_DONTDUMP) < 0) {
			int e = errno;

			set_err("cannot keep the trusted %s at %p (%zu bytes) out of core dumps "
			        "(madvise MADV_DONTDUMP): %s", rg->what, (void *)rg->start,
			        (size_t)(rg->end - rg->start), strerror(e));
			return -e;
		}
	}
	/* Registers are not memory: a thread stopped inside trusted code by
	 * another thread's core-dumping signal has its trusted registers (key
	 * material in r12, xmm7 ...) written into the core (red-team round 6,
	 * "regdump", also under erim-tem).  So a protected process writes no core
	 * at all: soft and hard RLIMIT_CORE 1 (0 would not stop a pipe
	 * core_pattern; below one page the kernel skips a file dump, and 1 makes
	 * it skip a pipe).  Raising the hard limit again needs CAP_SYS_RESOURCE. */
	if (protect) {
		struct rlimit one = { 1, 1 };

		if (setrlimit(RLIMIT_CORE, &one) < 0) {
			int e = errno;

			set_err("cannot turn core dumps off (RLIMIT_CORE 1): %s", strerror(e));
			return -e;
		}
	}
	return 0;
}

/* ---- trusted pages kept in RAM ---------------------------------------------------
 * The kernel may write any page to swap under memory pressure, and
 * hibernation writes all of memory to storage: whoever reads the swap
 * device reads trusted memory past every protection key, and whoever writes
 * a slot changes what trusted code reads back (red team 14, rt_swap).  So
 * every trusted range is locked with mlock2(MLOCK_ONFAULT): pages are
 * locked as they are faulted in, and the large MAP_NORESERVE reservations
 * (heap, stacks) are not committed.  The stacks' guard gaps hold nothing
 * and are left out.  The kernel counts the whole locked length against
 * RLIMIT_MEMLOCK at once (VmLck), faulted in or not: without
 * CAP_IPC_LOCK the default reservations (about 97 MiB) exceed the usual
 * limit (8 MiB; often 64 KiB).  Then nothing stays locked and erim_init
 * goes on with a notice naming the limit and the size needed -- or, under
 * ERIM_REQUIRE=mlock, fails closed.  A second call unlocks (failure paths). */
static int lock_one(uintptr_t a, size_t n, int lock)
{
	if (!n)
		return 0;
	if (!lock)
		return munlock((void *)a, n) == 0 ? 0 : -errno;
	return syscall(SYS_mlock2, (void *)a, n, 1UL /* MLOCK_ONFAULT */) == 0 ? 0 : -errno;
}

/* Lock (LOCK) or unlock every trusted range; with WHAT/BYTES set to the
 * range that failed and NEED to the bytes all of them take.  0 or -errno. */
static int lock_all(int lock, const char **what, size_t *need)
{
	struct erim_layout *L = &erim__layout;
	size_t stride = L->stack_size + ERIM_STACK_GAP;
	int r = 0;

	*need = 0;
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];

		if (rg->kind == ERIM_R_GUARD)
			continue;   /* address space only */
		if (L->stacks && rg->start == (uintptr_t)L->stacks) {
			for (size_t k = 0; k <= L->max_threads; k++) {
				*need += L->stack_size;
				if (!r && (r = lock_one((uintptr_t)L->stacks + k * stride + ERIM_STACK_GAP,
				                        L->stack_size, lock)) < 0)
					*what = rg->what;
			}
			continue;
		}
		*need += rg->end - rg->start;
		if (!r && (r = lock_one(rg->start, rg->end - rg->start, lock)) < 0)
			*what = rg->what;
	}
	return r;
}

/* 1 when every trusted range is locked, 0 when locking failed and the
 * caller goes on (a notice was printed), -errno (message set) when it
 * fails closed (ERIM_REQUIRE=mlock). */
static int lock_trusted(const struct erim_config *c)
{
	const char *what = "range", *uwhat;
	size_t need, uneed;
	struct rlimit rl = { 0, 0 };
	char lim[32];
	int r = lock_all(1, &what, &need);

	if (r == 0)
		return 1;
	lock_all(0, &uwhat, &uneed);   /* nothing stays half locked */
	getrlimit(RLIMIT_MEMLOCK, &rl);
	if (rl.rlim_cur == RLIM_INFINITY)
		snprintf(lim, sizeof lim, "unlimited");
	else
		snprintf(lim, sizeof lim, "%llu KiB", (unsigned long long)rl.rlim_cur >> 10);
	if (require_mlock) {
		set_err("ERIM_REQUIRE=mlock, but the trusted %s could not be locked in RAM (mlock2 "
		        "MLOCK_ONFAULT: %s; RLIMIT_MEMLOCK %s, the trusted ranges need %zu KiB)",
		        what, strerror(-r), lim, need >> 10);
		return r;
	}
	notice(c, "erim: notice: trusted memory is not locked in RAM (mlock2 MLOCK_ONFAULT of the "
	       "trusted %s: %s; RLIMIT_MEMLOCK %s, the trusted ranges need %zu KiB): the kernel may "
	       "write trusted pages to swap; raise the limit (ulimit -l) or the sizes down "
	       "(ERIM_HEAP_SIZE, ERIM_MAX_THREADS), ERIM_REQUIRE=mlock refuses to start\n",
	       what, strerror(-r), lim, need >> 10);
	return 0;
}

static int protect_switched(int prot)
{
	for (uint32_t i = 0; i < erim__ro.nranges; i++) {
		const struct erim_rrange *rg = &erim__ro.ranges[i];

		if (rg->kind != ERIM_R_SWITCHED)
			continue;
		if (mprotect((void *)rg->start, rg->end - rg->start, prot) != 0) {
			int e = errno;

			set_err("mprotect of the trusted %s at %p failed: %s", rg->what,
			        (void *)rg->start, strerror(e));
			return -e;
		}
	}
	return 0;
}

static int ro_seal(int prot)
{
	if (mprotect(&erim__ro_page, ERIM_PAGE, prot) != 0) {
		int e = errno;

		set_err("mprotect of the runtime's read-only page failed: %s", strerror(e));
		return -e;
	}
	return 0;
}

/* PKRU_T and PKRU_U (erim__keys_page, erim_ro.c): the page opened, the two
 * values stored, the page sealed and read back, with every signal blocked
 * on this thread (raw rt_sigprocmask), so that no handler of untrusted code
 * runs while it is open.  A store of another thread in that window shows in
 * the read-back and stops the process.  0, or -errno when the page could
 * not be opened (nothing changed). */
static int keys_set(uint32_t t, uint32_t u)
{
	uint64_t all = ~0ull, old = 0;
	volatile struct erim_keys *k = &erim__keys;
	long r;

	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8);
	r = erim_sys3(SYS_mprotect, (long)&erim__keys_page, ERIM_PAGE, PROT_READ | PROT_WRITE);
	if (r == 0) {
		k->pkru_t = t;
		k->pkru_u = u;
		if (erim_sys3(SYS_mprotect, (long)&erim__keys_page, ERIM_PAGE, PROT_READ) != 0)
			erim__fatal("erim: cannot make the page of liberim's PKRU values read-only "
			            "again: process stopped\n");
		if (k->pkru_t != t || k->pkru_u != u)
			erim__fatal("erim: liberim's PKRU values changed while their page was open "
			            "(a store of another thread): process stopped\n");
	}
	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8);
	if (r < 0)
		set_err("mprotect of the page of liberim's PKRU values failed: %s", strerror((int)-r));
	return (int)r;
}

/* ---- init / fini ----------------------------------------------------------------- */

static int init_locked(const struct erim_config *cfg)
{
	struct erim_config c = { 0 };
	enum erim_backend be;
	long key = -1;
	int r, tagged = 0, handler = 0, sealed = 0, locked = 0, pku, allkeys = 0;
	struct erim_grange g[16];
	size_t ng = 0, heap_size, stack_size, max_threads;

	if (erim_initialized()) {
		set_err("erim_init called twice");
		return -EALREADY;
	}
	errbuf[0] = 0;
	if (cfg)
		c = *cfg;
	r = apply_env(&c, cfg != NULL);
	if (r < 0)
		return r;
	if ((unsigned)c.backend > ERIM_BACKEND_NONE || (unsigned)c.inspect > ERIM_INSPECT_OFF) {
		set_err("invalid struct erim_config (backend %d, inspect %d)", (int)c.backend,
		        (int)c.inspect);
		return -EINVAL;
	}
	heap_size = erim_page_round(c.heap_size ? c.heap_size
	                                        : erim__env_size("ERIM_HEAP_SIZE", ERIM_DEFAULT_HEAP));
	stack_size = erim_page_round(c.stack_size ? c.stack_size
	                                          : erim__env_size("ERIM_STACK_SIZE", ERIM_DEFAULT_STACK));
	if (stack_size < 4 * ERIM_PAGE)
		stack_size = 4 * ERIM_PAGE;
	max_threads = erim__env_size("ERIM_MAX_THREADS", ERIM_DEFAULT_THREADS);
	if (max_threads > 4096)
		max_threads = 4096;

	/* back end */
	be = c.backend;
	pku = erim_cpu_has_pku();
	if (be == ERIM_BACKEND_AUTO || be == ERIM_BACKEND_MPK || c.require_mpk) {
		if (pku) {
			key = syscall(SYS_pkey_alloc, 0UL, 0UL);
			if (key < 0 && (be == ERIM_BACKEND_MPK || c.require_mpk)) {
				set_err("the mpk back end is required but pkey_alloc failed: %s",
				        strerror(errno));
				return -ENOTSUP;
			}
		} else if (be == ERIM_BACKEND_MPK || c.require_mpk) {
			set_err("the mpk back end is required (%s) but this CPU has no protection "
			        "keys (CPUID PKU/OSPKE clear)",
			        c.require_mpk ? "ERIM_REQUIRE=mpk" : "ERIM_BACKEND=mpk");
			return -ENOTSUP;
		}
		if (be == ERIM_BACKEND_AUTO) {
			if (key >= 0) {
				be = ERIM_BACKEND_MPK;
			} else {
				be = ERIM_BACKEND_MPROTECT;
				if (pku)
					notice(&c, "erim: notice: protection keys unavailable (pkey_alloc "
					       "failed); using the mprotect back end (isolation between "
					       "switches only, process-wide)\n");
				else
					notice(&c, "erim: notice: no protection keys on this CPU; using "
					       "the mprotect back end (isolation between switches only, "
					       "process-wide)\n");
			}
		}
	}
	if (c.require_mpk && be != ERIM_BACKEND_MPK) {
		set_err("ERIM_REQUIRE=mpk, but the %s back end was chosen", erim_backend_name(be));
		if (key >= 0)
			syscall(SYS_pkey_free, (unsigned long)key);
		return -ENOTSUP;
	}
	if (be != ERIM_BACKEND_MPK && key >= 0) {
		syscall(SYS_pkey_free, (unsigned long)key);
		key = -1;
	}

	/* before anything changes (erim_precheck.c): the caller is the only task
	 * in this address space (PKRU is per thread), and under mpk no WRPKRU or
	 * XRSTOR lies below 4 GiB, where 32-bit compatibility-mode code reaches */
	if (be != ERIM_BACKEND_NONE) {
		r = erim__precheck_alone(errbuf, sizeof errbuf);
		if (r < 0)
			goto fail;
	}
	if (be == ERIM_BACKEND_MPK) {
		r = erim__precheck_low_sites(errbuf, sizeof errbuf);
		if (r < 0)
			goto fail;
	}

	/* regions: keep an earlier reservation unless it is unused and sized differently */
	if (erim__layout.rt && !erim__heap_used() && !slots_in_use() && erim__ro.nentries <= 1 &&
	    (erim__layout.heap_size != heap_size || erim__layout.stack_size != stack_size ||
	     erim__layout.max_threads != max_threads)) {
		erim__unreserve();
		erim__heap_setup();     /* no heap until the regions exist again */
	}
	if (!erim__layout.rt) {
		r = erim__reserve(heap_size, stack_size, max_threads);
		if (r < 0) {
			set_err("cannot reserve trusted memory: %s", strerror(-r));
			goto fail;
		}
	}
	/* the heap sets itself up from the layout (unless start-up allocations
	 * already did) */
	if (!erim__heap_ready())
		erim__heap_setup();
	r = erim__entries_init();
	if (r < 0)
		goto fail;

	/* trusted globals of every module */
	ranges_remove_kind_what("globals");
	r = erim__globals_find(g, sizeof g / sizeof g[0], &ng, errbuf, sizeof errbuf);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < ng; i++) {
		r = erim__ranges_add(g[i].start, g[i].end, "globals", ERIM_R_SWITCHED);
		if (r < 0) {
			set_err("too many trusted ranges");
			goto fail;
		}
	}

	/* the entries' names into trusted memory, for refusals (erim_entries.c) */
	erim__entries_names();

	/* no PLT stub of any loaded object reads a writable slot (erim_plt.c);
	 * the slot copies join the registry as read-only ranges */
	r = erim__plt_protect(errbuf, sizeof errbuf);
	if (r < 0)
		goto fail;

	/* trusted thread blocks: trusted code's own %fs (erim_tcb.c) */
	r = erim__tcb_setup(be == ERIM_BACKEND_MPK, be == ERIM_BACKEND_MPROTECT, errbuf,
	                    sizeof errbuf);
	if (r < 0)
		goto fail;

	ranges_remove_kind_what("signal stacks");
	erim__ro.sigstk_lo = 0;
	erim__ro.altstk_lo = 0;
	erim__ro.altstk_n = 0;
	erim__ro.sigstack_claim = NULL;
	erim__ro.vec = vec_kind();
	/* entry 0's way to erim_fini's trusted wipe: stored here, every time,
	 * before the page is sealed (erim_entries.c calls nothing above it) */
	erim__ro.fini_trusted = erim__fini_trusted;
	erim__ro.pkey = (int32_t)key;
	r = dontdump_all(be != ERIM_BACKEND_NONE);
	if (r < 0)
		goto fail;
	if (be == ERIM_BACKEND_MPK) {
		uint32_t cur = erim_rdpkru();
		uint32_t bits = ERIM_PKRU_AD((uint32_t)key) | ERIM_PKRU_WD((uint32_t)key);

		r = keys_set(cur & ~bits, cur | bits);
		if (r < 0)
			goto fail;
		tagged = 1;
		r = tag_all((int)key);
		if (r < 0)
			goto fail;

	}

	erim__signal_init(be == ERIM_BACKEND_MPK || be == ERIM_BACKEND_MPROTECT, (uintptr_t)erim__gate_code_start,
	                  (uintptr_t)erim__gate_code_end, erim__mp_is_open); /* erim_signal.c */
	r = erim__violation_install();
	if (r < 0) {
		set_err("cannot install the SIGSEGV handler: %s", strerror(-r));
		goto fail;
	}
	handler = 1;

	/* Seal before inspection and the TEM hand-shake: once erim-tem knows the
	 * trusted ranges it refuses mprotect on them (the read-only page is one),
	 * and erim_pkey()/erim_backend() must already answer during the attach. */
	cur_backend = be;
	erim__ro.mode = be == ERIM_BACKEND_MPK ? ERIM_MODE_MPK
	              : be == ERIM_BACKEND_MPROTECT ? ERIM_MODE_MPROTECT : ERIM_MODE_NONE;
	erim__mp_reset();
	r = ro_seal(PROT_READ);
	if (r < 0) {
		erim__ro.mode = ERIM_MODE_DIRECT;
		goto fail;
	}
	sealed = 1;

	r = erim__inspect_process(c.inspect, c.quiet);
	if (r < 0) {
		if (!errbuf[0] && erim__inspect_refusal()[0])
			set_err("load-time inspection refused to start: %s", erim__inspect_refusal());
		else if (!errbuf[0])
			set_err("load-time inspection refused to start: %s", strerror(-r));
		goto fail;
	}
	/* trusted pages locked in RAM, where the limit allows (above); before
	 * the hand-shake, so that ERIM_REQUIRE=mlock can still fail closed
	 * (erim-tem gives the lock back to the mappings it replaces) */
	if (be != ERIM_BACKEND_NONE) {
		r = lock_trusted(&c);
		if (r < 0)
			goto fail;
		locked = r > 0;
	}
	r = erim__tem_attach(c.require_tem, c.quiet);
	tem_attached = r > 0;
	if (r < 0) {
		if (!errbuf[0])
			set_err("%s: %s", c.require_tem ? "erim-tem is required (ERIM_REQUIRE=tem) "
			        "but the process does not run under it" : "attaching to erim-tem failed",
			        strerror(-r));
		goto fail;
	}
	/* no rseq area in any thread, ever (erim_rseq.c); erim-tem does it itself */
	if (!tem_attached && be != ERIM_BACKEND_NONE) {
		r = erim__rseq_seal(errbuf, sizeof errbuf);
		if (r < 0)
			goto fail;
	}
	/* Kernels that write signal frames with every key enabled (Linux 6.12+),
	 * without erim-tem (which stops such frames itself; nothing new under
	 * it): liberim's signal stacks in trusted memory, every handler entered
	 * there (erim_sigstack.c).  The page is opened for the registry entry. */
	if (be == ERIM_BACKEND_MPK && !tem_attached) {
		allkeys = erim__sigstack_probe();
		if (allkeys < 0) {
			/* the probe could not tell (every key in use, say): the
			 * release decides -- 6.12 brought the change */
			allkeys = erim__kernel_allkeys_release();
			if (allkeys < 0) {
				set_err("cannot tell whether this kernel writes signal frames with "
				        "every protection key enabled (probe and uname failed)");
				r = -ENOTSUP;
				goto fail;
			}
			notice(&c, "erim: notice: the signal-frame probe failed; Linux %s frames "
			       "with every protection key enabled by its release\n",
			       allkeys ? "writes" : "does not write");
		}
	}
	/* Kernels that write a frame with the interrupted PKRU (6.1): the
	 * hardware refuses a frame in trusted memory -- except right after a
	 * jump onto a gate's WRPKRU loaded an open PKRU, before the check (red
	 * team 49, gatewin): so no frame is written below the interrupted %rsp
	 * there either; every handler of liberim's runs on a signal stack of
	 * liberim's in untrusted memory (erim_sigstack.c) */
	if (be == ERIM_BACKEND_MPK && !tem_attached) {
		r = ro_seal(PROT_READ | PROT_WRITE);
		if (r < 0)
			goto fail;
		r = allkeys ? erim__sigstack_setup(max_threads + 1, (int)key, errbuf, sizeof errbuf)
		            : erim__altstack_setup(max_threads + 1, errbuf, sizeof errbuf);
		if (ro_seal(PROT_READ) < 0 && r >= 0)
			r = -EPERM;
		if (r >= 0)
			r = erim__sigstack_activate();
		if (r < 0) {
			if (!errbuf[0])
				set_err("cannot give this thread its signal stack%s: %s",
				        allkeys ? " in trusted memory" : "", strerror(-r));
			goto fail;
		}
	}
	if (allkeys) {
		/* the signal stacks hold frames of signals that interrupted
		 * trusted code: locked in RAM like the other trusted ranges
		 * (registered after lock_trusted ran: the last range) */
		if (locked) {
			const struct erim_rrange *rg = &erim__ro.ranges[erim__ro.nranges - 1];

			r = lock_one(rg->start, rg->end - rg->start, 1);
			if (r < 0 && require_mlock) {
				set_err("ERIM_REQUIRE=mlock, but the trusted %s could not be locked in RAM "
				        "(mlock2 MLOCK_ONFAULT: %s)", rg->what, strerror(-r));
				goto fail;
			}
			if (r < 0)
				notice(&c, "erim: notice: the trusted %s are not locked in RAM (mlock2 "
				       "MLOCK_ONFAULT: %s); the other trusted ranges are\n", rg->what,
				       strerror(-r));
		}
		/* what the signal stacks cannot cover (doc/security.md): a thread
		 * untrusted code makes or races while it is made has none */
		notice(&c, "erim: notice: this kernel writes signal frames with every protection "
		       "key enabled; a thread that untrusted code creates (or races while it is "
		       "created) can make it write into trusted memory -- run under erim-tem "
		       "(ERIM_REQUIRE=tem) to close that\n");
	}
	if (c.inspect == ERIM_INSPECT_OFF)
		notice(&c, "erim: notice: load-time inspection is off (ERIM_INSPECT=off)\n");

	/* leave the trusted domain */
	if (be == ERIM_BACKEND_MPROTECT) {
		r = protect_switched(PROT_NONE);
		if (r < 0) {
			protect_switched(PROT_READ | PROT_WRITE);
			goto fail;
		}
	} else if (be == ERIM_BACKEND_MPK) {
		erim__drop_mpk();
	}
	return 0;

fail:
	if (locked) {
		const char *what;
		size_t need;

		lock_all(0, &what, &need);
	}
	if (sealed) {
		ro_seal(PROT_READ | PROT_WRITE);
		erim__ro.mode = ERIM_MODE_DIRECT;
	}
	if (handler)
		erim__violation_uninstall();
	if (tagged)
		tag_all(0);
	/* no checked WRPKRU may open the key once it is freed (and perhaps handed
	 * to the next pkey_alloc): close the gates' values first */
	if ((erim__keys.pkru_t != ERIM_PKRU_CLOSED || erim__keys.pkru_u != ERIM_PKRU_CLOSED) &&
	    keys_set(ERIM_PKRU_CLOSED, ERIM_PKRU_CLOSED) < 0)
		erim__fatal("erim: erim_init failed and the PKRU values of its gates could not be "
		            "reset: process stopped\n");
	if (key >= 0)
		syscall(SYS_pkey_free, (unsigned long)key);
	erim__ro.pkey = -1;
	cur_backend = ERIM_BACKEND_AUTO;
	return r < 0 ? r : -EINVAL;
}

int erim_init(const struct erim_config *cfg)
{
	int r;

	pthread_mutex_lock(&init_lock);
	if (erim__ro.fini_done) {
		/* the tables erim_init would trust were plain memory since erim_fini */
		set_err("%s", ERIM_FINI_REFUSAL);
		pthread_mutex_unlock(&init_lock);
		return -EPERM;
	}
	r = init_locked(cfg);
	pthread_mutex_unlock(&init_lock);
	return r;
}

int erim_fini(void)
{
	uint64_t all = ~0ull, old = 0;
	uint32_t mode;
	int r;

	pthread_mutex_lock(&init_lock);
	if (!erim_initialized()) {
		pthread_mutex_unlock(&init_lock);
		return -EINVAL;
	}
	/* All or nothing, and untrusted code never writes what trusted code
	 * trusts later (erim_wipe.c): nothing is unsealed or untagged before
	 * trusted code has wiped the trusted data and made sure no trusted code
	 * runs or can start; a failure after that point stops the process. */
	/* Under erim-tem the trusted ranges and the read-only page are frozen
	 * (with or without a key): erim_fini could wipe but never unseal, so it
	 * refuses before changing anything.  (The flag is untrusted memory: an
	 * attacker who clears it only gets the wipe and then the half-way stop.) */
	if (tem_attached) {
		set_err("erim_fini refused: the process runs under erim-tem, which keeps "
		        "the trusted ranges frozen; nothing changed");
		pthread_mutex_unlock(&init_lock);
		return -EPERM;
	}
	mode = erim__ro.mode;
	r = erim__fini_probe(mode);
	if (r < 0) {
		set_err("erim_fini refused: the kernel does not let the runtime's protections "
		        "change (under erim-tem, or memory sealed with mseal); nothing changed");
		pthread_mutex_unlock(&init_lock);
		return r;
	}
	/* Every signal blocked on this thread from the wipe until the handlers
	 * are back on the trampolines (raw rt_sigprocmask): a signal taken in
	 * between would enter liberim's trusted signal entry, find the runtime
	 * dead and wait for the wipe's decision under the slow path's lock --
	 * which this very thread holds while it wipes (red team 63). */
	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8);
	r = erim__fini_wipe();
	if (r < 0) {
		erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8);
		set_err("erim_fini refused: a thread is inside trusted code (busy, in a "
		        "callback, in liberim's signal relay, or stopped there); nothing changed");
		pthread_mutex_unlock(&init_lock);
		return r;
	}
	/* point of no return: the trusted data is gone */
	erim__sigstack_off();        /* handlers back to the trampolines (erim_sigstack.c) */
	erim_sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8);
	/* fresh memory in place of every trusted range, never the old pages
	 * untagged: whatever the wipe missed goes with them (erim_wipe.c).
	 * Before the read-only page is unsealed: the remap walks its range
	 * registry and every gate's WRPKRU check compares with its PKRU values,
	 * so while any trusted byte is left (the top of the caller's own trusted
	 * stack) nothing in it may be writable (red team 21, fini_window: a
	 * second thread marked the stacks' entry read-only, so the remap skipped
	 * them, set pkru_u to 0 and took liberim's own checked drop to PKRU 0).
	 * The data first (stacks, heap, globals), with the tables a gate trusts
	 * still keyed; then the gates closed: from there every gate loads "every
	 * key but 0 denied", in and out, which is what they load after erim_fini
	 * (direct calls on untagged memory) -- the page of PKRU values open for
	 * two stores with no trusted data left to read; then the runtime region
	 * (the entry table untagged, fresh slot pages): with the trusted PKRU
	 * still loaded by the gates, a thread that forged an entry and its slot
	 * there ran its own function with the trusted key open (red team 60b,
	 * finiforge).  A gate call racing this point stops the process. */
	r = erim__fini_remap(mode, 0);
	if (r < 0)
		erim__fini_halfway("replacing the trusted ranges with fresh memory", r);
	r = keys_set(ERIM_PKRU_CLOSED, ERIM_PKRU_CLOSED);
	if (r < 0)
		erim__fini_halfway("closing the gates' PKRU values", r);
	r = erim__fini_remap(mode, 1);
	if (r < 0)
		erim__fini_halfway("replacing liberim's tables with fresh memory", r);
	if (mode == ERIM_MODE_MPK)
		syscall(SYS_pkey_free, (unsigned long)erim__ro.pkey);
	r = ro_seal(PROT_READ | PROT_WRITE);
	if (r < 0)
		erim__fini_halfway("unsealing the read-only page", r);
	erim__ro.mode = ERIM_MODE_DIRECT;
	erim__fini_reset();
	erim__mp_reset();
	erim__violation_uninstall();
	erim__ro.pkey = -1;
	/* one way: erim_init refuses from now on; the page stays read-only */
	r = erim__fini_latch();
	if (r < 0)
		erim__fini_halfway("sealing the read-only page again", r);
	cur_backend = ERIM_BACKEND_AUTO;
	pthread_mutex_unlock(&init_lock);
	return 0;
}
