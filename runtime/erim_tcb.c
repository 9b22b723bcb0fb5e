/* SPDX-License-Identifier: MIT */
/* erim_tcb.c: trusted thread blocks (trusted code's own %fs).
 *
 * The thread control block and static TLS a thread's %fs names are untrusted
 * memory, and the thread may point %fs anywhere (arch_prctl, WRFSBASE).  libc
 * called by trusted code reads control data through it: cancellation state
 * and cleanup handlers (function pointer + argument), the pointer guard, the
 * stack canary, errno's address, the dtv.  So every slot owns a block in
 * trusted memory, carved from the top of its trusted stack, and the gate runs
 * trusted code with %fs at that block (erim_gate_fs.h):
 *
 *   [rseq proof area, 64][static TLS copy, tls_size][TCB header, hdr_size]
 *                                                   ^ tcb = %fs inside
 *
 * The header follows the x86-64 TLS ABI: tcb (0x0) and self (0x10) point to
 * the block, stack_guard (0x28) and pointer_guard (0x30) are fresh random
 * values of this process, multiple_threads is 1 and the slot owner's tid is
 * set when a thread reserves the slot (field list below), everything else
 * is zero (no cancellation, no
 * cleanup handlers, dtv NULL: dynamic TLS (__tls_get_addr) in trusted code
 * faults, fail-closed).  glibc's rseq area inside it says cpu_id -1, so
 * sched_getcpu falls back to the system call.  Static TLS: each module's
 * initialisation image is copied to its offset from the thread pointer (read
 * off the initialising thread with dl_iterate_phdr), then glibc's
 * __ctype_init fills its ctype pointers; the size is the largest such
 * offset, rounded up, plus one page of margin for modules dlopened later
 * into glibc's static TLS surplus (their TLS reads as zeros in trusted code).
 *
 * The rseq proof area below each block is erim_rseq.c's.
 *
 * glibc's struct pthread in the block (x86-64 glibc 2.36; the block is the
 * zeroed header above plus the fields below; nothing is copied from the
 * caller's untrusted block):
 *   tid (0x2d0)        the slot owner's kernel tid, written by the gate's slow
 *                      path when a thread reserves the slot (erim_slots.c, from
 *                      gettid: a system call, not memory).  Recursive and
 *                      error-checking mutexes, rwlock writers and
 *                      pthread_mutex_consistent compare owners with it; zero
 *                      (an unlocked mutex's owner) let every thread "own" every
 *                      lock (red-team round 10, tcb_tid).  Offset known for
 *                      glibc 2.17..2.41 and proved at erim_init on the caller's
 *                      own block; other glibcs are refused (tid_offset).
 *                      Binding: a slot is reserved on the slow path by the
 *                      thread that runs it; a thread whose forged TLS hint
 *                      names another thread's IDLE slot can enter on it by the
 *                      fast path (no system call there) and then runs as that
 *                      slot's owner -- but only while the owner is outside
 *                      trusted code (the slot is BUSY, and the owner's own next
 *                      call on it is refused and stops the process), and a
 *                      CALLBACK slot is entered only by the thread its
 *                      callback frame recorded (gettid).  So no two threads
 *                      inside trusted code at one time ever carry one tid: a
 *                      lock taken and released within trusted code excludes
 *                      correctly.  A lock held across a return to untrusted
 *                      code belongs to the slot, not the thread: trusted code
 *                      must not keep owner-keyed locks across returns
 *                      (erim(3), security.md).
 *   pid_ununsed        zero: getpid/raise/pthread_kill(self) use system calls.
 *   robust_head        zero: a robust mutex locked in trusted code links itself
 *                      through a NULL list head and faults -- the process stops
 *                      (fail closed; the kernel walks only the untrusted
 *                      block's list, so owner death would not be reported).
 *   cleanup_jmp_buf,   zero: no cancellation, no cleanup handlers, not
 *   cancelhandling,    cancelled (pthread_cancel signals the real thread; a
 *   cancelstate/type   signal in trusted code stops the process).
 *   flags, lock,       zero: no attributes; setxid and the per-thread lock are
 *   setxid_futex       only used by other threads on the real block.
 *   specific_1stblock, zero: thread-specific data in trusted code starts empty
 *   specific[],        per slot; keys >= 32 allocate their second level with
 *   specific_used      libc malloc (untrusted memory): trusted code keeps no
 *                      secret in pthread_setspecific; destructors never run.
 *   stackblock,        zero: __libc_alloca_cutoff falls back to 256 KiB; a
 *   stackblock_size,   larger alloca than the trusted stack left runs into
 *   guardsize          the 1 MiB guard gap (PROT_NONE, stops the process);
 *                      pthread_getattr_np(self) reports no stack.
 *   res, tls_state,    zero: resolver state and strerror/strsignal buffers
 *   exit_lock, etc.    start empty per slot (they point into libc malloc when
 *                      used: trusted code does not call them with secrets).
 *   rseq_area          cpu_id -1 (above): not registered, sched_getcpu falls
 *                      back to the system call.
 *   header             tcb/self: the block; stack_guard/pointer_guard: fresh
 *                      random values of this process.  multiple_threads
 *                      (0x18): 1, always -- x86 glibc's catomic_* skip the
 *                      LOCK prefix when it is 0 (glibc 2.36's libc.so: five
 *                      `cmpl $0,%fs:0x18; je; lock cmpxchg/dec` sites, e.g.
 *                      malloc's arena counters), so a zero block made trusted
 *                      code's read-modify-writes on shared libc data
 *                      non-atomic against other threads.
 *                      gscope_flag: zero (ld.so sets it around a symbol lookup
 *                      made in trusted code; dlclose waits only for real
 *                      blocks: no dlclose while trusted code binds lazily).
 *                      feature_1 (CET), dtv: zero (dynamic TLS faults). */
#include "config.h"


#include <errno.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>

#include "erim_internal.h"
#include "erim_sys.h"

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif
#define TCB_HDR_MIN 4096            /* >= glibc's struct pthread */
#define RSEQ_PROOF 64

_Static_assert(__builtin_offsetof(struct erim_slot, tcb) == ERIM_SLOT_TCB, "slot");
_Static_assert(__builtin_offsetof(struct erim_slot, ufs) == ERIM_SLOT_UFS, "slot");

/* glibc >= 2.35 (weak: older ones register nothing) */
extern const ptrdiff_t __rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));
extern void __ctype_init(void) __attribute__((weak));

/* long erim_getrandom: getrandom(2) as a raw system call, no libc state */
long erim_getrandom(void *buf, size_t len, unsigned flags)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r)
	                 : "0"((long)SYS_getrandom), "D"(buf), "S"(len), "d"((long)flags)
	                 : "rcx", "r11", "memory");
	return r;
}

struct tls_scan {
	uintptr_t tp;
	size_t need, align;
	char *dst_tp;                   /* NULL: measure only */
};

static size_t up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int tls_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct tls_scan *t = arg;

	(void)size;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		size_t off;

		if (ph->p_type != PT_TLS || ph->p_memsz == 0)
			continue;
		if (info->dlpi_tls_data)
			off = t->tp - (uintptr_t)info->dlpi_tls_data;
		else if (info->dlpi_tls_modid == 1 || info->dlpi_tls_modid == 0)
			off = up(ph->p_memsz, ph->p_align ? ph->p_align : 1); /* the executable */
		else
			continue;           /* dynamic TLS only: not in the static area */
		if (off > (1UL << 24) || off < ph->p_memsz)
			continue;           /* not static TLS of this thread */
		if (off > t->need)
			t->need = off;
		if (ph->p_align > t->align)
			t->align = ph->p_align;
		if (t->dst_tp && ph->p_filesz)
			memcpy(t->dst_tp - off, (const void *)(info->dlpi_addr + ph->p_vaddr),
			       ph->p_filesz);
	}
	return 0;
}

static int fs_set(uintptr_t v)
{
	return erim_sys3(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, (long)v, 0) == 0 ? 0 : -1;
}

/* Let glibc fill the block's ctype pointers, running on the block. */
static void ctype_on(uintptr_t tcb, uintptr_t mine)
{
	if (!__ctype_init || fs_set(tcb) != 0)
		return;
	__ctype_init();
	if (fs_set(mine) != 0)
		erim__fatal("erim: cannot restore the thread pointer after setting up a "
		            "trusted thread block\n");
}

static int fill_random(void *p, size_t n)
{
	return erim_getrandom(p, n, 0) == (long)n ? 0 : -1;
}

/* Where glibc keeps struct pthread.tid (the kernel tid, THREAD_SELF->tid).
 * x86-64 glibc has it right after the tcbhead_t union (0x2c0) and the list_t
 * `list` (16 bytes): 0x2d0, from 2.17 up to at least 2.41 (libthread_db's
 * _thread_db_pthread_tid says the same).  Other versions are refused rather
 * than guessed, and the known offset is proved on the calling thread: its
 * real thread block must hold its kernel tid there. */
#define GLIBC_TID_OFF 0x2d0u

static int tid_offset(uintptr_t tp, uint32_t *off, char *err, size_t errlen)
{
	const char *v = gnu_get_libc_version();
	unsigned maj = 0, min = 0;
	int32_t have;
	long tid;

	if (!v || sscanf(v, "%u.%u", &maj, &min) != 2 || maj != 2 || min < 17 || min > 41) {
		snprintf(err, errlen, "glibc %s: the offset of the thread id in its struct "
		         "pthread is not known to this liberim (known: 2.17 to 2.41), and "
		         "trusted code needs it in its own thread block (owner-keyed locks "
		         "would stop excluding threads): refused", v ? v : "(unknown)");
		return -ENOTSUP;
	}
	tid = erim_sys1(SYS_gettid, 0);
	have = *(const volatile int32_t *)(tp + GLIBC_TID_OFF);
	if (tid <= 0 || have != (int32_t)tid) {
		snprintf(err, errlen, "glibc %s: the calling thread's struct pthread holds %d, "
		         "not its thread id %ld, at offset %#x: the layout is not the one "
		         "liberim knows (or %%fs does not point at glibc's thread block): "
		         "refused", v, (int)have, tid, GLIBC_TID_OFF);
		return -ENOTSUP;
	}
	*off = GLIBC_TID_OFF;
	return 0;
}

int erim__tcb_setup(int mpk, int mprot, char *err, size_t errlen)
{
	struct erim_layout *L = &erim__layout;
	struct erim_slot *s = erim__ro.slots;
	size_t stride = L->stack_size + ERIM_STACK_GAP;
	struct tls_scan t = { .tp = (uintptr_t)__builtin_thread_pointer(), .align = 64 };
	uint64_t guards[2];
	size_t hdr, tls, blk;
	int fsgs = (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) != 0;

	erim__ro.rseq_off = &__rseq_offset ? (int64_t)__rseq_offset : 0;
	erim__ro.rseq_size = &__rseq_size ? __rseq_size : 0;
	if (mprot)
		erim__ro.fs_mode = ERIM_FS_PRCTL;
	else if (fsgs)
		erim__ro.fs_mode = ERIM_FS_FSGSBASE;
	else if (mpk) {
		snprintf(err, errlen, "the mpk back end needs FSGSBASE (AT_HWCAP2 bit 1, Linux >= "
		         "5.9) to run trusted code on its own thread block (%%fs); this "
		         "kernel/CPU does not offer it: refused");
		return -ENOTSUP;
	} else
		erim__ro.fs_mode = ERIM_FS_OFF;

	erim__ro.tid_off = 0;
	if (erim__ro.fs_mode != ERIM_FS_OFF) {
		uint32_t off;
		int r = tid_offset(t.tp, &off, err, errlen);

		if (r < 0)
			return r;
		erim__ro.tid_off = off;
	}
	dl_iterate_phdr(tls_cb, &t);
	if (t.align > 4096)
		t.align = 4096;
	tls = up(t.need, t.align) + ERIM_PAGE;
	hdr = TCB_HDR_MIN;
	if (erim__ro.rseq_off > 0 && (size_t)erim__ro.rseq_off + 64 > hdr)
		hdr = up((size_t)erim__ro.rseq_off + 64, 64);
	blk = RSEQ_PROOF + tls + hdr;
	if (blk > L->stack_size / 2) {
		snprintf(err, errlen, "trusted thread blocks of %zu bytes (static TLS %zu) do not "
		         "fit in trusted stacks of %zu bytes: raise ERIM_STACK_SIZE", blk, t.need,
		         L->stack_size);
		return -ENOSPC;
	}
	if (fill_random(guards, sizeof guards) != 0) {
		snprintf(err, errlen, "getrandom for the trusted thread blocks' guards failed");
		return -EIO;
	}
	for (size_t i = 0; i <= L->max_threads; i++) {
		uintptr_t top = ((uintptr_t)L->stacks + i * stride + stride) & ~(uintptr_t)15;
		uintptr_t tcb = (top - hdr) & ~(uintptr_t)(t.align - 1);
		char *lo = (char *)(tcb - tls - RSEQ_PROOF);

		s[i].stack_top = (uintptr_t)lo & ~(uintptr_t)63;
		if (erim__ro.fs_mode == ERIM_FS_OFF) {
			s[i].tcb = 0;
			s[i].stack_top = top;
			continue;
		}
		memset(lo, 0, top - (uintptr_t)lo);
		t.dst_tp = (char *)tcb;
		t.need = 0;
		dl_iterate_phdr(tls_cb, &t);
		((uintptr_t *)tcb)[0] = tcb;                 /* tcbhead_t.tcb */
		((uintptr_t *)tcb)[2] = tcb;                 /* tcbhead_t.self */
		((int32_t *)tcb)[6] = 1;                     /* tcbhead_t.multiple_threads */
		((uint64_t *)tcb)[5] = guards[0] & ~(uint64_t)0xff; /* stack_guard */
		((uint64_t *)tcb)[6] = guards[1];            /* pointer_guard */
		if (erim__ro.rseq_off > 0)                   /* cpu_id: not registered */
			*(int32_t *)(tcb + (size_t)erim__ro.rseq_off + 4) = -1;
		if (i == 0)
			ctype_on(tcb, t.tp);
		else if (__ctype_init)       /* same pointers: copy slot 0's TLS */
			memcpy(lo + RSEQ_PROOF, (char *)s[0].tcb - tls, tls);
		s[i].tcb = tcb;
		s[i].ufs = 0;
		s[i].rseq_dummy = (uintptr_t)lo;
	}
	return 0;
}

