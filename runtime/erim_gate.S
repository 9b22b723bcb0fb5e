/* SPDX-License-Identifier: MIT */
/* erim_gate.S: the call gates -- the only WRPKRU instructions of a process.
 *
 * Three instantiations of the same code: erim__gate_mpk switches PKRU with a
 * checked WRPKRU; erim__gate_none is byte-for-byte the same path with each
 * WRPKRU replaced by a 3-byte NOP (the functional twin and the benchmark's
 * honest "gate minus WRPKRU"); erim__gate_mprot calls the mprotect switch hooks
 * where mpk writes PKRU.  erim_gate_call() dispatches on the back-end mode,
 * which lives in the read-only page erim__ro_page.
 *
 * Order inside a gate (runtime.md): checked WRPKRU to PKRU_T (a jump straight
 * onto the WRPKRU with a hostile EAX ends at the check); cld; validate the
 * entry id and the per-thread slot index read from TLS (untrusted code owns
 * %fs, so the index is checked against the slot table and the slot claimed
 * with a CAS idle->busy); switch to the slot's trusted stack; call the entry;
 * release the slot; scrub caller-saved GPRs and all vector registers; checked
 * WRPKRU to PKRU_U; return on the untrusted stack.  Everything unusual (first
 * call of a thread, re-entry during a callback, refusals) goes to the C slow
 * path erim__gate_slow (erim_slots.c), which runs on the boot stack (slot 0's
 * trusted stack) under a spin lock, so no trusted code ever runs on an
 * untrusted stack.
 *
 * Layering: the gate calls down only -- the slow path, the direct path
 * (erim_direct.c), the mprotect hooks (erim_mp.c), the thread-exit key
 * (erim_thread.c), the abort paths (erim_abort.S) -- and nothing it calls
 * calls the gate; the entry table and erim_callback_call sit above it.
 *
 * PKRU constants are loaded from erim__ro_page, which erim_init makes
 * read-only and reports as a trusted range (so erim-tem keeps it read-only).
 * ABI facts: WRPKRU needs ECX=EDX=0 and reads EAX; SysV: rdi, rsi, rdx, rcx,
 * r8-r11, rax and all vector registers are caller-saved. */
#include "erim_internal.h"
#include "erim_gate.h"
#include "erim_x86.h"
#include "erim_gate_fs.h"

#define RO(off) erim__ro_page+(off)(%rip)
#define KEYS(off) erim__keys_page+(off)(%rip)

/* 0f 01 ef = wrpkru; 0f 1f 00 = nopl (%rax), the same length */
.macro WRPKRU_OR_NOP kind
	.ifc \kind,mpk
	.byte ERIM_X86_WRPKRU_BYTES
	.else
	.byte 0x0f,0x1f,0x00
	.endif
.endm

/* Hook calls of the mprotect back end: save every caller-saved register. */
.macro MP_HOOK kind, fn
	.ifc \kind,mprot
	cld
	call \fn
	.endif
.endm

/* Drop a pending unmasked x87 exception (FSW.ES set) before the first
 * waiting x87 instruction after a WRPKRU: EMMS would raise #MF there, and the
 * SIGFPE's frame would carry the trusted PKRU (red team 7, gate_fpe;
 * runtime/erim_signal.c stops such a signal anyway).  FNSTSW and FNCLEX are
 * non-waiting and cannot fault; FNCLEX (microcoded, ~25 cycles here) runs
 * only when ES is set, i.e. when the caller left an exception pending.
 * Clobbers eax. */
.macro NO_PENDING_X87
	fnstsw %ax
	testb $0x80, %al
	jz .Lx87_clear_\@
	fnclex
.Lx87_clear_\@:
.endm

/* Enter the trusted domain; clobbers eax, ecx, edx. */
.macro ENTER_T kind, site
	MP_HOOK \kind, erim__mp_open_regs
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl KEYS(ERIM_KEYS_PKRU_T), %eax
\site:
	WRPKRU_OR_NOP \kind
	cmpl KEYS(ERIM_KEYS_PKRU_T), %eax
	jne erim__gate_abort
.endm

/* Leave to the untrusted domain; clobbers eax, ecx, edx. */
.macro EXIT_U kind, site
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl KEYS(ERIM_KEYS_PKRU_U), %eax
\site:
	WRPKRU_OR_NOP \kind
	cmpl KEYS(ERIM_KEYS_PKRU_U), %eax
	jne erim__gate_abort
	MP_HOOK \kind, erim__mp_close_regs
.endm

/* Zero every vector register (AES round keys live there) and, with AVX-512,
 * the opmask registers k0-k7 (kxorw zeroes all 64 bits of its destination).
 * A VEX.128 VPXOR or an EVEX.128 VPXORD zeroes every bit of its register up
 * to the widest vector length (SDM: bits MAXVL-1:128 of the destination are
 * cleared), and both are zeroing idioms that need no execution unit; VZEROALL
 * is microcoded and ~2 cycles slower per gate here.  VZEROUPPER first leaves
 * the upper-state tracking clean, so the caller's legacy-SSE code pays no
 * transition penalty. */
.macro SCRUB_VEC kind=none
	cmpl $ERIM_VEC_AVX, RO(ERIM_RO_VEC)
	jb 1f
	vzeroupper
	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vpxor %xmm\r, %xmm\r, %xmm\r
	.endr
	je 2f
	.irp r,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vpxord %xmm\r, %xmm\r, %xmm\r
	.endr
	.ifnc \kind,bench
	ERIM_SCRUB_OPMASK
	.endif
	jmp 2f
1:	pxor %xmm0, %xmm0
	pxor %xmm1, %xmm1
	pxor %xmm2, %xmm2
	pxor %xmm3, %xmm3
	pxor %xmm4, %xmm4
	pxor %xmm5, %xmm5
	pxor %xmm6, %xmm6
	pxor %xmm7, %xmm7
	pxor %xmm8, %xmm8
	pxor %xmm9, %xmm9
	pxor %xmm10, %xmm10
	pxor %xmm11, %xmm11
	pxor %xmm12, %xmm12
	pxor %xmm13, %xmm13
	pxor %xmm14, %xmm14
	pxor %xmm15, %xmm15
2:
	.ifnc \kind,bench
	ERIM_SCRUB_X87
	.endif
.endm

/* This thread's slot index from TLS, read BEFORE entering the trusted domain:
 * a %fs that untrusted code pointed into trusted memory faults here instead of
 * being read with trusted rights.  The value is only a hint (checked below).
 * Clobbers rax. */
.macro TLS_HINT reg
	movq erim__tls_slot@gottpoff(%rip), %rax
	movl %fs:(%rax), \reg
.endm

/* Turn the hint in r8d into a slot pointer in r9; jumps to BAD unless it is a
 * thread slot 1..nslots.  Clobbers rax, rcx. */
.macro SLOT_FROM_HINT bad
	leal -1(%r8), %ecx
	cmpl RO(ERIM_RO_NSLOTS), %ecx
	jae \bad
	movl %r8d, %eax
	shlq $ERIM_SLOT_SIZE_SHIFT, %rax
	movq RO(ERIM_RO_SLOTS), %r9
	addq %rax, %r9
.endm

/* long erim__gate_KIND(unsigned id, void *args)
 * Trusted-stack frame of a gate entry (from the slot's stack top down):
 * untrusted rsp, the outer entry's usp, exit state, slot. */
.macro GATE kind
	.globl erim__gate_\kind
	.hidden erim__gate_\kind
	.type erim__gate_\kind, @function
	.p2align 4
erim__gate_\kind:
	TLS_HINT %r8d
	ENTER_T \kind, .Lsite_gate_enter_\kind
	cld
	NO_PENDING_X87                          /* EMMS cannot raise #MF */
	emms                                    /* x87 stack empty (below) */
	movl %edi, %edi                         /* id: zero-extend */
	cmpl RO(ERIM_RO_NENTRIES), %edi
	jae 8f
	movq RO(ERIM_RO_ENTRIES), %r10
	movq %rdi, %r11
	shlq $ERIM_IENTRY_SHIFT, %r11
	addq %r11, %r10
	testb $1, ERIM_IENTRY_FLAGS(%r10)       /* ERIM_ENTRY_PUBLIC */
	jz 8f
	movq ERIM_IENTRY_FN(%r10), %r10
	SLOT_FROM_HINT 8f
	movl $ERIM_SLOT_IDLE, %eax
	movl $ERIM_SLOT_BUSY, %ecx
	lock cmpxchgl %ecx, ERIM_SLOT_STATE(%r9)
	jne 8f
	movq ERIM_SLOT_STACK(%r9), %r8
	movl $ERIM_SLOT_IDLE, %r11d
7:	/* r8 trusted rsp, r9 slot, r10 fn, r11 state on exit, rsi args */
	movq %rsp, %rax
	movq %r8, %rsp
	pushq %rax                              /* untrusted rsp */
	pushq ERIM_SLOT_USP(%r9)                /* outer gate's untrusted rsp */
	pushq %r11
	pushq %r9
	FS_ENTER \kind                          /* trusted code's own %fs (erim_gate_fs.h) */
	movq 40(%rsp), %rax                     /* the untrusted rsp again */
	/* The caller's FP environment, saved on the trusted stack (only this
	 * thread writes it: the slot is ours).  Trusted code runs with the
	 * default control bits (MXCSR 0x1f80: all exceptions masked, round to
	 * nearest, no FTZ/DAZ; x87 CW 0x037f): an attacker's rounding mode,
	 * flush-to-zero or unmasked exception (a SIGFPE inside trusted code)
	 * never reaches it.  LDMXCSR/FLDCW run only when a control bit differs
	 * (a compare and a predictable branch instead; the decision is made
	 * from the registers themselves, stored where no other thread can
	 * write, after the switch, so jumping past it gains nothing).  The
	 * MXCSR status flags stay the caller's, as in any call (SysV: status
	 * bits are caller-owned state); nothing trusted goes out through them,
	 * see the exit. */
	subq $16, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movl (%rsp), %ecx
	andl $~0x3f, %ecx                       /* control bits only */
	cmpl $0x1f80, %ecx
	jne 18f
	cmpw $0x037f, 4(%rsp)
	jne 18f
19:	movq %rax, ERIM_SLOT_USP(%r9)
	movq %rsi, %rdi
	call *%r10
	movq %rax, %rsi                         /* the result survives in rsi */
	/* x87 status: 1.0 > 0.0 sets C0-C3 = 0 and points FIP/FDP/FOP into the
	 * gate; FNCLEX (~20 cycles, serialising) only when an exception flag,
	 * SF or ES is set -- the status word leaves with none either way.
	 * Before the caller's CW is back, so no unmasked exception can fire. */
	fld1
	fcomps erim__fp_zero(%rip)
	fnstsw %ax
	testb %al, %al
	jnz 16f
17:	/* The caller's MXCSR back, always: its own status flags, none of
	 * trusted code's, and its control bits (the entry may have loaded the
	 * defaults).  One LDMXCSR of the value STMXCSR saved costs less than a
	 * second STMXCSR and a compare (~10 cycles a gate here); it changes
	 * MXCSR only when trusted code or the entry did, so the next entry's
	 * STMXCSR meets no assist in the common case.  The CW: loaded again if
	 * the caller's was not the default (the entry loaded it) or trusted
	 * code changed it. */
	ldmxcsr (%rsp)
	cmpw $0x037f, 4(%rsp)
	jne 11f
	fnstcw 8(%rsp)
	cmpw $0x037f, 8(%rsp)                   /* the caller's CW is the default */
	jne 11f
15:	addq $16, %rsp
	FS_LEAVE \kind                          /* the caller's %fs again */
	popq %r9
	popq %r11
	popq %rcx
	popq %rdx
	movq %rcx, ERIM_SLOT_USP(%r9)
	movq $-1, %rdi                          /* TLS store after the exit: none */
	cmpl $0, ERIM_SLOT_RELEASE(%r9)
	jne 6f
	/* Scrub while still on the trusted stack: from the switch to the
	 * caller's stack until the WRPKRU below, a signal has the kernel write
	 * its frame (every register) there with trusted rights -- memory the
	 * caller chose and another thread or process may read (red team 37b,
	 * exitwin).  Then leave the stack, and only then release the slot: no
	 * other thread can claim it while this one's %rsp is on its stack. */
5:	xorl %eax, %eax
	xorl %r8d, %r8d
	xorl %r10d, %r10d
	SCRUB_VEC \kind
	movq %rdx, %rsp
	movl %r11d, ERIM_SLOT_STATE(%r9)        /* x86 stores are releases */
	xorl %r9d, %r9d
	xorl %r11d, %r11d
	EXIT_U \kind, .Lsite_gate_exit_\kind
	cmpq $-1, %rdi
	jne 4f
	movq %rsi, %rax
	xorl %esi, %esi
	xorl %edi, %edi
	ret
4:	/* untrusted again: the slot was released, forget it */
	movq erim__tls_slot@gottpoff(%rip), %rcx
	movl %edi, %fs:(%rcx)
	movq %rsi, %rax
	xorl %ecx, %ecx
	xorl %esi, %esi
	xorl %edi, %edi
	ret
6:	cmpl $ERIM_SLOT_IDLE, %r11d             /* release only the outermost entry */
	jne 5b
	movl $0, ERIM_SLOT_RELEASE(%r9)
	movl $ERIM_SLOT_FREE, %r11d
	xorl %edi, %edi                         /* TLS := 0, written after the exit */
	jmp 5b
	/* out of line: the FP environment's uncommon cases */
18:	ldmxcsr erim__fp_default(%rip)          /* caller's control bits not the defaults */
	fldcw erim__fp_default+4(%rip)
	jmp 19b
16:	fnclex                                  /* exception flags, SF, ES, B cleared */
	jmp 17b
11:	fldcw 4(%rsp)                           /* the entry or trusted code changed the CW */
	jmp 15b
8:	/* slow path: boot stack (slot 0) under the spin lock in slot 0's state */
	movq RO(ERIM_RO_SLOTS), %r9
9:	xorl %eax, %eax
	movl $1, %ecx
	lock cmpxchgl %ecx, ERIM_SLOT_STATE(%r9)
	je 10f
	pause
	jmp 9b
	/* erim_fini's trusted wipe marked the runtime dead (slot 0's release
	 * word, keyed until the gates are closed): stop here, before the boot
	 * stack.  erim_fini replaces the stacks with plain memory before it
	 * closes the gates' PKRU values, so in that window the C slow path ran
	 * with the trusted PKRU on a stack any thread could write (red team 61,
	 * finislow; tests/harden/rt_finislow.c).  The stop touches no stack. */
10:	cmpl $0, ERIM_SLOT_RELEASE(%r9)
	jne erim__gate_dead
	movq %rsp, %rax
	movq ERIM_SLOT_STACK(%r9), %rsp
	pushq %rax
	pushq %rsi
	pushq %rdi
	FS_SLOW_IN \kind                        /* slot 0's block; caller's fs pushed */
	subq $40, %rsp                          /* struct erim_slow_out */
	movl %r8d, %esi                         /* the TLS hint */
	movq %rsp, %rdx
	movq 40(%rsp), %rcx                     /* the caller's fs base */
	call erim__gate_slow                    /* refuses (does not return) on misuse */
	movq ERIM_SLOW_SLOT(%rsp), %r9
	movq ERIM_SLOW_RSP(%rsp), %r8
	movq ERIM_SLOW_FN(%rsp), %r10
	movq ERIM_SLOW_EXIT(%rsp), %r11
	movq ERIM_SLOW_TLS(%rsp), %rdx          /* first call: the reserved slot */
	addq $40, %rsp
	FS_SLOW_OUT \kind
	popq %rdi
	popq %rsi
	popq %rax
	testq %r10, %r10
	jnz 20f
	SCRUB_VEC                               /* first call: leaving, scrub on this stack */
20:	movq %rax, %rsp
	movq RO(ERIM_RO_SLOTS), %rcx
	movl $0, ERIM_SLOT_STATE(%rcx)          /* unlock, off the boot stack */
	testq %r10, %r10
	jnz 7b
	/* A thread's first call: the slow path reserved slot rdx for it.  Leave,
	 * record the index in TLS and the thread-exit hook with untrusted rights,
	 * and start over (the fast path then claims the slot). */
	movq %rdx, %r8
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	EXIT_U \kind, .Lsite_gate_first_\kind
	movq erim__tls_slot@gottpoff(%rip), %rax
	movl %r8d, %fs:(%rax)
	pushq %rdi
	pushq %rsi
	subq $8, %rsp
	call erim__note_thread
	addq $8, %rsp
	popq %rsi
	popq %rdi
	jmp erim__gate_\kind
	.size erim__gate_\kind, .-erim__gate_\kind
.endm

/* long erim__cb_KIND(erim_entry_fn fn, void *args, size_t size,
 *                    struct erim_slot *slot, void *dest, uint32_t tid)
 * Called by erim_callback_call on slot's trusted stack (slot is BUSY), with a
 * copy destination DEST it validated (outside trusted memory) and the caller's
 * kernel thread id TID.  Pushes a callback frame (callee-saved registers, the
 * slot's previous frame, TID, the x87 control word) -- slot->cb_rsp is the
 * head of a chain of such frames on the trusted stack -- copies ARGS to DEST,
 * leaves the trusted domain, runs FN there on the stack below DEST, and comes
 * back through a checked WRPKRU.  The way back takes nothing from untrusted
 * memory but the TLS hint: the slot must be in CALLBACK state (claimed by
 * CAS), and the kernel thread id (gettid, which no untrusted code can forge)
 * must be the one recorded in the innermost frame; then that frame is popped
 * off the chain and resumed, so it resumes exactly once, on its own thread. */
.macro CALLBACK kind
	.globl erim__cb_\kind
	.hidden erim__cb_\kind
	.type erim__cb_\kind, @function
	.p2align 4
erim__cb_\kind:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq ERIM_SLOT_CBRSP(%rcx)             /* ERIM_CBF_PREV */
	pushq %r9                               /* ERIM_CBF_TID */
	pushq $0                                /* ERIM_CBF_FPENV */
	stmxcsr (%rsp)                          /* trusted code's MXCSR, x87 CW */
	fnstcw 4(%rsp)
	movq %rcx, %r9                          /* slot */
	movq %rsp, ERIM_SLOT_CBRSP(%r9)
	movq %rdi, %r11                         /* fn */
	/* Trusted code's registers are saved above; clear them BEFORE the copy
	 * to untrusted memory, which can fault (DEST unmapped by another
	 * thread): the kernel writes the interrupted registers into the signal
	 * frame, wherever the handler's stack is (red team 12, gate_xmmleak). */
	xorl %ebx, %ebx
	xorl %ebp, %ebp
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	xorl %eax, %eax
	xorl %r10d, %r10d
	SCRUB_VEC
	movq %rdx, %rcx
	xorl %edx, %edx
	movq %r8, %rdi
	rep movsb                               /* DF is clear: the gate ran cld */
	movl $ERIM_SLOT_CALLBACK, ERIM_SLOT_STATE(%r9)
	FS_TO_CALLER \kind, %r9                 /* the callback runs on the caller's %fs */
	movq %r8, %rdi
	movq %r8, %rsp
	xorl %esi, %esi
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	ldmxcsr erim__fp_default(%rip)          /* no trusted FP status or control */
	fninit
	EXIT_U \kind, .Lsite_cb_exit_\kind
	call *%r11
	movq %rax, %rbx                         /* FN's value (rbx: kept by syscall) */
	TLS_HINT %r8d
	ENTER_T \kind, .Lsite_cb_enter_\kind
	cld
	SLOT_FROM_HINT erim__cb_bad
	movl $ERIM_SLOT_CALLBACK, %eax
	movl $ERIM_SLOT_BUSY, %ecx
	lock cmpxchgl %ecx, ERIM_SLOT_STATE(%r9)
	jne erim__cb_bad
	movq ERIM_SLOT_CBRSP(%r9), %r10         /* innermost waiting frame */
	movl $ERIM_SYS_GETTID, %eax
	syscall                                 /* clobbers rax, rcx, r11 only */
	cmpl ERIM_CBF_TID(%r10), %eax
	jne erim__cb_bad
	movq %r10, %rsp
	FS_TO_TRUSTED \kind, %r9                /* trusted code's block again */
	NO_PENDING_X87                          /* the callback's pending x87 exception */
	emms                                    /* none of the callback's x87 stack */
	fldcw ERIM_CBF_FPENV+4(%rsp)            /* trusted code's own control word */
	ldmxcsr ERIM_CBF_FPENV(%rsp)            /* trusted code's own MXCSR back */
	movq ERIM_CBF_PREV(%rsp), %rax
	movq %rax, ERIM_SLOT_CBRSP(%r9)         /* pop the frame off the chain */
	addq $ERIM_CBF_REGS, %rsp
	movq %rbx, %rax
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	.size erim__cb_\kind, .-erim__cb_\kind
.endm

	.text
	.globl erim__gate_code_start            /* erim_signal.c: a signal in here under mprotect */
	.hidden erim__gate_code_start
erim__gate_code_start:

	.globl erim_gate_call
	.type erim_gate_call, @function
	.p2align 4
erim_gate_call:
	movl RO(ERIM_RO_MODE), %eax
	cmpl $ERIM_MODE_MPK, %eax
	je erim__gate_mpk
	cmpl $ERIM_MODE_NONE, %eax
	je erim__gate_none
	cmpl $ERIM_MODE_MPROTECT, %eax
	je erim__gate_mprot
	jmp erim__gate_direct
	.size erim_gate_call, .-erim_gate_call

	GATE mpk
	GATE none
	GATE mprot
/* erim__gate_bench: the none gate without the x87/MMX and opmask scrub, so
 * bench/gate_roundtrip can report that scrub's cost in the same run.  Never
 * dispatched to; like the none gate it has no WRPKRU. */
	GATE bench
	CALLBACK mpk
	CALLBACK none
	CALLBACK mprot

/* void erim__drop_mpk(void): erim_init's switch of the calling thread to the
 * untrusted domain; the same checked pattern as a gate exit. */
	.globl erim__drop_mpk
	.hidden erim__drop_mpk
	.type erim__drop_mpk, @function
	.p2align 4
erim__drop_mpk:
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl KEYS(ERIM_KEYS_PKRU_U), %eax
.Lsite_drop:
	.byte ERIM_X86_WRPKRU_BYTES
	cmpl KEYS(ERIM_KEYS_PKRU_U), %eax
	jne erim__gate_abort
	ret
	.size erim__drop_mpk, .-erim__drop_mpk

/* void erim_scrub_registers(void): zero every caller-saved general register
 * and every vector register (XMM/YMM/ZMM; the x87/MMX and opmask registers,
 * where key material is rare, are left to the gate's exit, whose scrub of
 * them costs ~10 cycles more).  Generated entries call it
 * after the implementation returns and before the copy-out: the stores to
 * untrusted memory that follow can fault (a read-only or unmapped out
 * pointer), and the kernel then writes the interrupted registers -- the
 * implementation's residue, AES round keys in XMM registers -- into the
 * signal frame, wherever the handler's stack is (red team 12,
 * gate_xmmleak).  Callee-saved registers hold the caller's own values
 * again after any call, so they are not touched. */
	.globl erim_scrub_registers
	.type erim_scrub_registers, @function
	.p2align 4
erim_scrub_registers:
	xorl %eax, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	SCRUB_VEC bench                         /* vectors only: x87/MMX, k0-k7 at the exit */
	ret
	.size erim_scrub_registers, .-erim_scrub_registers

/* Save all caller-saved GPRs around the mprotect back end's C hooks. */
.macro MP_REGS name, fn
	.type \name, @function
	.p2align 4
\name:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbp
	movq %rsp, %rbp
	andq $-16, %rsp
	call \fn
	movq %rbp, %rsp
	popq %rbp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	ret
	.size \name, .-\name
.endm
	MP_REGS erim__mp_open_regs, erim__mp_open
	FS_SYS_HELPERS
	MP_REGS erim__mp_close_regs, erim__mp_close

/* The abort paths.  Reached after a failed check: a WRPKRU ran with an EAX
 * the gate did not choose (a jump onto it), or a return from a callback that
 * no frame of this thread waits for.  The PKRU in force may grant the trusted
 * key and rsp is the attacker's, so nothing here touches writable memory or
 * the stack: first drop to PKRU_U with a self-checking loop (a jump onto this
 * WRPKRU with a hostile EAX fails the check and goes round again; RDPKRU
 * confirms), then report and kill the process with raw system calls whose
 * arguments all live in read-only memory.  Another thread can rewrite
 * anything it likes meanwhile: this path reads only the read-only page, its
 * own code and .rodata.  r12d selects the message (1: callback; 2: none,
 * erim__die_msg wrote it; 4: a gate called after erim_fini's wipe);
 * erim__abort itself is in erim_abort.S. */
	.hidden erim__abort
	.type erim__gate_abort, @function
erim__gate_abort:
	xorl %r12d, %r12d
	jmp erim__abort
	.size erim__gate_abort, .-erim__gate_abort

	.type erim__gate_dead, @function
erim__gate_dead:
	movl $4, %r12d
	jmp erim__abort
	.size erim__gate_dead, .-erim__gate_dead

	.type erim__cb_bad, @function
erim__cb_bad:
	movl $1, %r12d
	jmp erim__abort
	.size erim__cb_bad, .-erim__cb_bad

	.section .rodata
	.p2align 2
erim__fp_default:
	.long 0x1f80                            /* MXCSR: all masked, nearest, no flags */
	.long 0x037f                            /* x87 CW: all masked, nearest, 64-bit */
erim__fp_zero:
	.long 0                                 /* 0.0f */
	.text

/* size_t erim__gate_sites(const uintptr_t **sites) */
	.globl erim__gate_sites
	.type erim__gate_sites, @function
erim__gate_sites:
	leaq erim__site_table(%rip), %rax
	movq %rax, (%rdi)
	movl $(erim__site_table_end - erim__site_table) / 8, %eax
	ret
	.size erim__gate_sites, .-erim__gate_sites
	.globl erim__gate_code_end
	.hidden erim__gate_code_end
erim__gate_code_end:

	.section .data.rel.ro,"aw"
	.p2align 3
erim__site_table:
	.quad .Lsite_gate_enter_mpk
	.quad .Lsite_gate_exit_mpk
	.quad .Lsite_cb_exit_mpk
	.quad .Lsite_cb_enter_mpk
	.quad .Lsite_drop
	.quad erim__abort_site                 /* erim_abort.S */
	.quad .Lsite_gate_first_mpk
	.quad erim__sig_site_enter             /* erim_sigentry.S */
	.quad erim__sig_site_exit
erim__site_table_end:

	.section .note.GNU-stack,"",@progbits
