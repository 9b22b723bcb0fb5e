/* SPDX-License-Identifier: MIT */
/* erim_internal.h: the runtime core's private layout, shared by its C files and
 * the gate in erim_gate.S.  Two kinds of runtime state exist:
 *
 *  - struct erim_ro, one page in liberim's own data that untrusted code may
 *    read but (after erim_init) not write: the PKRU constants, the back-end
 *    mode, where the slot and entry tables are, and the sorted range registry.
 *    The gate reads it before and after WRPKRU; erim_overlaps_trusted() reads
 *    it from either domain without a switch.
 *  - struct erim_rt, at the start of the "runtime" region that carries the
 *    trusted key: the entry table, the per-thread trusted-stack slots, the heap
 *    metadata.  Only trusted code reads or writes it.
 *
 * The *_OFF constants are the byte offsets the assembly uses; the C side checks
 * them with _Static_assert so the two cannot drift apart. */
#ifndef ERIM_INTERNAL_H
#define ERIM_INTERNAL_H

/* back-end modes as stored in erim_ro.mode */
#define ERIM_MODE_DIRECT   0   /* before erim_init / after erim_fini: direct calls */
#define ERIM_MODE_MPK      1
#define ERIM_MODE_MPROTECT 2
#define ERIM_MODE_NONE     3

/* erim_ro.fs_mode: how the gate gives trusted code its own thread block */
#define ERIM_FS_OFF      0     /* none back end without FSGSBASE: caller's %fs */
#define ERIM_FS_FSGSBASE 1     /* RDFSBASE/WRFSBASE (AT_HWCAP2 FSGSBASE, Linux >= 5.9) */
#define ERIM_FS_PRCTL    2     /* arch_prctl(ARCH_GET_FS/ARCH_SET_FS): mprotect back end */

/* vector-register scrub kinds (erim_ro.vec) */
#define ERIM_VEC_SSE    0      /* pxor xmm0-15 */
#define ERIM_VEC_AVX    1      /* vzeroupper + vpxor xmm0-15 (VEX.128 zeroes to MAXVL) */
#define ERIM_VEC_AVX512 2      /* the same + vpxord xmm16-31 (EVEX.128) + k0-k7 */

/* slot states */
#define ERIM_SLOT_FREE     0
#define ERIM_SLOT_IDLE     1
#define ERIM_SLOT_BUSY     2
#define ERIM_SLOT_CALLBACK 3
#define ERIM_SLOT_DEAD     4   /* an idle slot claimed by erim_fini's trusted wipe */

/* struct erim_keys offsets: the PKRU values every checked WRPKRU compares
 * with, in a page of their own (erim__keys_page, erim_ro.c) */
#define ERIM_KEYS_PKRU_T 0
#define ERIM_KEYS_PKRU_U 4
/* what they hold whenever no mpk back end runs (before erim_init, after
 * erim_fini or a failed erim_init, the mprotect and none back ends): every
 * key but key 0 denied, so a checked WRPKRU can load nothing that opens one */
#define ERIM_PKRU_CLOSED 0xfffffffcu

/* struct erim_ro offsets */
#define ERIM_RO_MODE     0
#define ERIM_RO_VEC      4
#define ERIM_RO_NSLOTS   8
#define ERIM_RO_NENTRIES 12
#define ERIM_RO_SLOTS    16
#define ERIM_RO_ENTRIES  24
/* liberim's signal stacks (erim_sigstack.c; erim_sigentry.S reads them) */
#define ERIM_RO_SIGSTK_LO    1696
#define ERIM_RO_SIGSTK_N     1704
#define ERIM_RO_SIGSTK_OWNER 1712
#define ERIM_SIGSTK_SHIFT 16                 /* 64 KiB per stack, its guard page included */
#define ERIM_SIGSTK_STRIDE (1 << ERIM_SIGSTK_SHIFT)
#define ERIM_SIGSTK_GUARD 4096               /* PROT_NONE, at the bottom of each */

/* struct erim_slot offsets (128 bytes, two cache lines each) */
#define ERIM_SLOT_SIZE_SHIFT 7
#define ERIM_SLOT_STATE   0
#define ERIM_SLOT_RELEASE 4
#define ERIM_SLOT_STACK   8
#define ERIM_SLOT_USP     16
#define ERIM_SLOT_CBRSP   24
#define ERIM_SLOT_DEPTH   48   /* slot 0: threads in the trusted signal relay */
#define ERIM_SLOT_TCB     56   /* the slot's trusted thread block (%fs), 0: none */
#define ERIM_SLOT_UFS     64   /* the innermost gate entry's caller %fs base */

/* struct erim_ientry offsets (32 bytes) */
#define ERIM_IENTRY_SHIFT 5
#define ERIM_IENTRY_FN    0
#define ERIM_IENTRY_FLAGS 8

/* struct erim_slow_out offsets */
#define ERIM_SLOW_SLOT  0
#define ERIM_SLOW_RSP   8
#define ERIM_SLOW_FN    16
#define ERIM_SLOW_EXIT  24
#define ERIM_SLOW_TLS   32

#ifndef __ASSEMBLER__
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "erim.h"
#include "erim_hooks.h"

#define ERIM_HIDDEN __attribute__((visibility("hidden")))
#define ERIM_PAGE 4096UL
/* The PROT_NONE gap below every trusted stack (address space only): a
 * trusted frame larger than a page must not skip it into the neighbour's
 * stack.  liberim and users' trusted code are built with
 * -fstack-clash-protection, which probes every page of a large frame. */
#define ERIM_STACK_GAP (1UL << 20)
/* The PROT_NONE gaps below and above the runtime region and the heap
 * (address space only, ranges of kind ERIM_R_GUARD): a trusted copy or scan
 * that runs off either end faults there instead of reading or writing
 * whatever untrusted code mapped next to it. */
#define ERIM_REGION_GAP (1UL << 20)
/* Re-entries through callbacks nested on one trusted stack, at most. */
#define ERIM_MAX_NEST 64
#define ERIM_MAX_RANGES 48
#define ERIM_MAX_ENTRIES 4096
#define ERIM_DEFAULT_HEAP (64UL << 20)
#define ERIM_DEFAULT_STACK (256UL << 10)
#define ERIM_DEFAULT_THREADS 128
#define ERIM_BOOT_STACK (64UL << 10)

/* the reserved regions and their layout (erim_reserve.c); lives in erim_ro */
struct erim_layout {
	void *rt;  size_t rt_size;       /* runtime region: struct erim_rt + tables */
	void *heap; size_t heap_size;
	void *stacks; size_t stacks_size;
	size_t stack_size, max_threads;  /* per slot; slots 1..max_threads */
	void *meta; size_t meta_size;    /* the heap's metadata, in the runtime region */
};

/* range kinds: how the mprotect back end treats a range at a switch.  A
 * guard is never opened: PROT_NONE (with the key under mpk) for good, in the
 * registry so that no argument may point into it and erim-tem freezes it. */
enum erim_rkind { ERIM_R_SWITCHED = 0, ERIM_R_READONLY = 1, ERIM_R_GUARD = 2 };

struct erim_rrange {
	uintptr_t start, end;
	const char *what;
	int kind;
};

/* PKRU_T (the trusted domain's PKRU) and PKRU_U (the untrusted one's) */
struct erim_keys {
	uint32_t pkru_t, pkru_u;
};

struct erim_ro {
	uint32_t mode;
	uint32_t vec;
	uint32_t nslots;                 /* thread slots are 1..nslots; 0 = boot stack */
	uint32_t nentries;
	struct erim_slot *slots;
	struct erim_ientry *entries;
	int32_t pkey;                    /* -1 unless mpk */
	uint32_t nranges;
	struct erim_rrange ranges[ERIM_MAX_RANGES]; /* sorted by start, disjoint */
	struct erim_layout layout;       /* erim__layout */
	void *heap_meta;                 /* the heap's struct heap_meta (erim_heap.c) */
	int64_t rseq_off;                /* glibc's __rseq_offset / __rseq_size, read at init */
	uint32_t rseq_size;
	uint32_t fs_mode;                /* ERIM_FS_*: how trusted code gets its own %fs */
	/* hooks: functions of an upper layer that a lower one calls with trusted
	 * rights, stored by erim_init before it seals the page */
	long (*fini_trusted)(struct erim_slot *self);   /* entry 0 -> erim_wipe.c */
	uint32_t fini_done;              /* erim_fini ran: one way, erim_init refuses (erim_wipe.c) */
	uint32_t tid_off;                /* offset of glibc's struct pthread.tid in a trusted block (erim_tcb.c); 0: no blocks */
	/* liberim's signal stacks in trusted memory (erim_sigstack.c): only on
	 * kernels that write signal frames with every key enabled, without
	 * erim-tem; sigstk_lo 0: none */
	uintptr_t sigstk_lo;             /* stack i: [lo + i*STRIDE, +STRIDE), guard page first */
	uint64_t sigstk_n;
	uint32_t *sigstk_owner;          /* trusted: the thread id each stack belongs to */
	struct erim_prog_ss *sigstk_prog; /* untrusted: the program's own sigaltstack, per stack */
	uint32_t sigstk_pkru_off;        /* PKRU's offset in the XSAVE area */
	long (*sigstack_claim)(void);    /* entry 0 -> erim_sigstack.c (trusted) */
	uintptr_t (*signal_cont)(int sig, int *onstack); /* erim_sigrelay.c -> erim_signal.c */
	/* liberim's signal stacks in UNTRUSTED memory (erim_sigstack.c): on
	 * kernels that write a frame with the interrupted PKRU (6.1), without
	 * erim-tem; sigstk_owner and sigstk_prog then point into these; 0: none */
	uintptr_t altstk_lo;
	uint64_t altstk_n;
};

/* the program's own sigaltstack request, recorded per liberim signal stack */
struct erim_prog_ss {
	uintptr_t sp;
	uint64_t size;                   /* 0: none (SS_DISABLE) */
};

union erim_ro_page {
	struct erim_ro ro;
	char page[ERIM_PAGE];
};

struct erim_slot {
	uint32_t state;                  /* ERIM_SLOT_* (slot 0: the boot-stack spinlock) */
	uint32_t release;                /* free the slot when the outermost call returns */
	uintptr_t stack_top;             /* 16-byte aligned top of this slot's trusted stack */
	uintptr_t usp;                   /* untrusted rsp of the innermost gate entry */
	uintptr_t cb_rsp;                /* trusted rsp saved while in a callback */
	const unsigned *allow;           /* non-public ids the running callback may enter */
	size_t nallow;
	uint32_t depth;                  /* gate entries active on this slot */
	uint32_t used;                   /* ever handed to a thread (its stack may hold data) */
	uintptr_t tcb;                   /* trusted thread block: %fs inside trusted code (erim_tcb.c) */
	uintptr_t ufs;                   /* caller's %fs base of the innermost gate entry */
	uintptr_t rseq_dummy;            /* 32-byte struct rseq for the no-rseq proof */
} __attribute__((aligned(64)));

struct erim_ientry {
	erim_entry_fn fn;
	uint64_t flags;
	const char *iface, *name;        /* the program's strings (untrusted memory) */
};

/* An entry's names, copied by erim_init into the runtime region (the pages
 * between the entry and the slot table), NUL-terminated, cut to fit (ending
 * in "..."): a refusal prints them with the trusted PKRU and reads nothing
 * of the program's (red team 63, namefault).  All zero: not copied. */
#define ERIM_INAME_IFACE 48
#define ERIM_INAME_NAME 80
struct erim_iname {
	char iface[ERIM_INAME_IFACE];
	char name[ERIM_INAME_NAME];
};

struct erim_slow_out {
	struct erim_slot *slot;
	uintptr_t rsp;
	erim_entry_fn fn;
	uint64_t exit_state;
	uint64_t tls;                    /* slot index to store in TLS after the exit, or -1 */
};

extern union erim_ro_page erim__ro_page ERIM_HIDDEN;
#define erim__ro (erim__ro_page.ro)
union erim_keys_page {
	struct erim_keys k;
	char page[ERIM_PAGE];
};
extern union erim_keys_page erim__keys_page ERIM_HIDDEN;
#define erim__keys (erim__keys_page.k)
extern __thread uint32_t erim__tls_slot ERIM_HIDDEN __attribute__((tls_model("initial-exec")));

/* the reserved regions and their layout: in the sealed read-only page, since
 * trusted code reads it (see erim_statics.h) */
#define erim__layout (erim__ro.layout)

/* gate (erim_gate.S) */
long erim__gate_mpk(unsigned id, void *args) ERIM_HIDDEN;
long erim__gate_none(unsigned id, void *args) ERIM_HIDDEN;
long erim__gate_mprot(unsigned id, void *args) ERIM_HIDDEN;
long erim__cb_mpk(erim_entry_fn fn, void *args, size_t size, struct erim_slot *s, void *dest,
                  uint32_t tid) ERIM_HIDDEN;
long erim__cb_none(erim_entry_fn fn, void *args, size_t size, struct erim_slot *s, void *dest,
                   uint32_t tid) ERIM_HIDDEN;
long erim__cb_mprot(erim_entry_fn fn, void *args, size_t size, struct erim_slot *s, void *dest,
                    uint32_t tid) ERIM_HIDDEN;
void erim__drop_mpk(void) ERIM_HIDDEN;

/* The layers below the gate's C users, bottom up (tests/arch/import_graph.sh
 * keeps them free of circles): erim_abort.S; erim_gate_refuse.c; the slots
 * and slow path, the direct path, the mprotect hooks, the thread-exit key;
 * the signal entry and its relay (erim_sigentry.S, erim_sigrelay.c: their
 * WRPKRU sites are in the gate's table); the gate (erim_gate.S); the entry
 * table and callbacks above it; erim_sigstack.c above those. */

/* abort paths (erim_abort.S) */
__attribute__((noreturn)) void erim__die_msg(const char *msg, size_t len) ERIM_HIDDEN;

/* refusals by trusted gate code, no libc (erim_gate_refuse.c) */
__attribute__((noreturn, format(printf, 3, 4)))
void erim__gate_refuse(const struct erim_ientry *e, const char *what, const char *fmt, ...) ERIM_HIDDEN;
const struct erim_ientry *erim__entry_or_refuse(unsigned id) ERIM_HIDDEN;

static inline int erim__id_allowed(unsigned id, const unsigned *allow, size_t nallow)
{
	for (size_t i = 0; i < nallow; i++)
		if (allow[i] == id)
			return 1;
	return 0;
}

/* slots and the slow path (erim_slots.c) */
void erim__gate_slow(unsigned id, uint32_t hint, struct erim_slow_out *out,
                     uintptr_t ufs) ERIM_HIDDEN;
void erim__slots_init(void) ERIM_HIDDEN;
struct erim_slot *erim__my_slot(void) ERIM_HIDDEN;

/* direct mode (erim_direct.c) */
long erim__gate_direct(unsigned id, void *args) ERIM_HIDDEN;
long erim__callback_direct(erim_entry_fn fn, void *args, const unsigned *allow,
                           size_t nallow) ERIM_HIDDEN;

/* the mprotect back end's switch hooks (erim_mp.c) */
void erim__mp_open(void) ERIM_HIDDEN;
void erim__mp_close(void) ERIM_HIDDEN;
int erim__mp_is_open(void) ERIM_HIDDEN;
int erim__mp_probe(void) ERIM_HIDDEN;
void erim__mp_reset(void) ERIM_HIDDEN;

/* the thread-exit hook's key (erim_thread.c) */
void erim__thread_exit_init(void (*dtor)(void *)) ERIM_HIDDEN;
void erim__note_thread(void) ERIM_HIDDEN;

/* the entry table (erim_entries.c) */
int erim__entries_init(void) ERIM_HIDDEN;
void erim__entries_names(void) ERIM_HIDDEN;
void erim__slot_thread_exit(void *unused) ERIM_HIDDEN;

/* trusted thread blocks (erim_tcb.c) */
int erim__tcb_setup(int mpk, int mprot, char *err, size_t errlen) ERIM_HIDDEN;

/* rseq closed process-wide (erim_rseq.c) */
int erim__rseq_seal(char *err, size_t errlen) ERIM_HIDDEN;
/* erim_precheck.c: refusals before erim_init changes anything */
int erim__precheck_low_sites(char *err, size_t errlen) ERIM_HIDDEN;
int erim__precheck_alone(char *err, size_t errlen) ERIM_HIDDEN;
const char *erim__rseq_close(struct erim_slot *s, uintptr_t ufs) ERIM_HIDDEN;
/* threads of this process from /proc/self/task, or -1 when /proc cannot
 * tell (erim_proc.c; erim_rseq.c and erim_precheck.c count with it) */
int erim__thread_count(void) ERIM_HIDDEN;

static inline size_t erim_page_round(size_t n)
{
	return (n + ERIM_PAGE - 1) & ~(ERIM_PAGE - 1);
}

/* the runtime region starts with the entry table, then the name table
 * (erim__reserve), each page-rounded */
static inline size_t erim__entry_tab_size(void)
{
	return erim_page_round(ERIM_MAX_ENTRIES * sizeof(struct erim_ientry));
}

static inline size_t erim__name_tab_size(void)
{
	return erim_page_round(ERIM_MAX_ENTRIES * sizeof(struct erim_iname));
}

/* entry id's names */
static inline struct erim_iname *erim__iname(uint32_t id)
{
	return (struct erim_iname *)((char *)erim__ro.entries + erim__entry_tab_size()) + id;
}

/* heap (erim_heap.c).  Its metadata: a header of at most ERIM_HEAP_META_HDR
 * bytes (checked there), a 32-bit page-map entry and a 32-byte live map per
 * page. */
#define ERIM_HEAP_META_HDR 512
static inline size_t erim_heap_meta_size(size_t heap_size)
{
	size_t np = heap_size / ERIM_PAGE;
	size_t n = ERIM_HEAP_META_HDR + np * sizeof(uint32_t);

	n = (n + 31) & ~(size_t)31;
	n += np * 4 * sizeof(uint64_t);
	return erim_page_round(n);
}
void erim__heap_setup(void) ERIM_HIDDEN;
int erim__heap_ready(void) ERIM_HIDDEN;
int erim__heap_used(void) ERIM_HIDDEN;

/* violations (erim_violation.c) */
int erim__violation_install(void) ERIM_HIDDEN;
void erim__violation_uninstall(void) ERIM_HIDDEN;
__attribute__((noreturn)) void erim__die(void) ERIM_HIDDEN;
void erim__write_str(const char *s) ERIM_HIDDEN;
size_t erim__vfmt(char *buf, size_t size, const char *fmt, va_list ap) ERIM_HIDDEN; /* erim_fmt.c */
__attribute__((noreturn, format(printf, 1, 2))) void erim__fatal(const char *fmt, ...) ERIM_HIDDEN;

/* erim_fini's wipe (erim_wipe.c).  Slot 0 is no thread's slot (its state is
 * the slow path's lock): its `release` word is the runtime's "dead" flag,
 * set in trusted memory by the trusted wipe; the slow path refuses every call
 * once it is set. */
#define erim__rt_dead (erim__ro.slots[0].release)
/* Slot 0's `depth` word: how many threads are in liberim's trusted signal
 * entry (erim_sigentry.S), with the trusted PKRU on a signal stack in trusted
 * memory.  The entry counts itself in, then reads the dead flag; the wipe
 * sets the flag, then reads the count (both full barriers), and returns
 * -EBUSY while any thread is in: erim_fini replaced the signal stacks with
 * plain memory under a relay that held the trusted PKRU (red team 62,
 * sigfini). */
#define erim__rt_inrelay (erim__ro.slots[0].depth)
/* Slot 0's `used` word: rseq is refused process-wide (erim_rseq.c); set at
 * erim_init in trusted memory, read by the slow path. */
#define erim__rseq_sealed (erim__ro.slots[0].used)
#define ERIM_INTERNAL_FINI ((void *)1)   /* argument of internal entry 0: the wipe */
#define ERIM_INTERNAL_SIGSTACK ((void *)2) /* ... and: the calling thread's signal stack */
long erim__sigstack_call(void) ERIM_HIDDEN;        /* erim_entries.c: gate call of entry 0 */
long erim__fini_trusted(struct erim_slot *self) ERIM_HIDDEN;
long erim__fini_call(void) ERIM_HIDDEN;            /* erim_entries.c: gate call of entry 0 */
int erim__fini_probe(uint32_t mode) ERIM_HIDDEN;
int erim__fini_wipe(void) ERIM_HIDDEN;
void erim__fini_reset(void) ERIM_HIDDEN;
int erim__fini_remap(uint32_t mode, int runtime) ERIM_HIDDEN;
int erim__fini_latch(void) ERIM_HIDDEN;
#define ERIM_FINI_REFUSAL "erim_init after erim_fini: refused, nothing untrusted code could " \
	"write after erim_fini is trusted again"
__attribute__((noreturn)) void erim__fini_halfway(const char *step, int err) ERIM_HIDDEN;
void erim__heap_wipe(void) ERIM_HIDDEN;             /* erim_heap.c, trusted */
void erim__zero_dirty(uintptr_t start, uintptr_t end) ERIM_HIDDEN;  /* erim_zero.c, trusted */

/* globals (erim_globals.c) */
struct erim_grange { uintptr_t start, end; char module[96]; };
int erim__globals_find(struct erim_grange *out, size_t max, size_t *n, char *err, size_t errlen) ERIM_HIDDEN;

/* registry (erim_ro.c) */
int erim__ranges_add(uintptr_t start, uintptr_t end, const char *what, int kind) ERIM_HIDDEN;

/* reservation (erim_reserve.c) */
int erim__reserve(size_t heap_size, size_t stack_size, size_t max_threads) ERIM_HIDDEN;
int erim__reserve_default(void) ERIM_HIDDEN;
void erim__unreserve(void) ERIM_HIDDEN;
size_t erim__env_size(const char *name, size_t dflt) ERIM_HIDDEN;

/* PLT stubs of the objects loaded at erim_init retargeted to sealed slot
 * copies, added to the range registry (erim_plt.c); erim_init only */
int erim__plt_protect(char *err, size_t errlen) ERIM_HIDDEN;

#endif /* !__ASSEMBLER__ */
#endif /* ERIM_INTERNAL_H */
