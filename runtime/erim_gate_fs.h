/* SPDX-License-Identifier: MIT */
/* erim_gate_fs.h: the gate's %fs switch (assembly macros for erim_gate.S).
 *
 * Trusted code never runs on the caller's %fs: the thread control block and
 * static TLS it names are untrusted memory (glibc reads cancellation state,
 * cleanup handlers, the pointer guard, the stack canary and errno through
 * it), and the caller may point %fs anywhere.  Each slot has a trusted thread
 * block in trusted memory (erim_tcb.c, slot->tcb); once the gate is on the
 * slot's trusted stack with the slot claimed, it saves the caller's fs base
 * in slot->ufs (the outer entry's value on the trusted stack) and loads the
 * block; every way out to untrusted code (return, callback) loads slot->ufs
 * again, the way back from a callback loads the block.  slot->tcb == 0 means
 * "no switch" (none back end without FSGSBASE).
 *
 * Kinds: mpk, none and bench use RDFSBASE/WRFSBASE (erim_init refuses mpk
 * without FSGSBASE); mprot uses arch_prctl through erim__fs_get_sys /
 * erim__fs_set_sys, which keep every register but rax.  The value travels in
 * rax.  Numeric labels 70-79 are reserved for these macros. */
#ifndef ERIM_GATE_FS_H
#define ERIM_GATE_FS_H
#ifdef __ASSEMBLER__

/* rax := this thread's fs base */
.macro FS_GET kind
	.ifc \kind,mprot
	call erim__fs_get_sys
	.else
	rdfsbase %rax
	.endif
.endm

/* fs base := rax */
.macro FS_SET kind
	.ifc \kind,mprot
	call erim__fs_set_sys
	.else
	wrfsbase %rax
	.endif
.endm

/* Gate entry, on the trusted stack, slot in r9: push the outer entry's ufs
 * and a pad (16 bytes), record the caller's fs base, load the slot's block.
 * Clobbers rax. */
.macro FS_ENTER kind
	pushq ERIM_SLOT_UFS(%r9)
	pushq $0
	cmpq $0, ERIM_SLOT_TCB(%r9)
	je 70f
	FS_GET \kind
	movq %rax, ERIM_SLOT_UFS(%r9)
	movq ERIM_SLOT_TCB(%r9), %rax
	FS_SET \kind
70:
.endm

/* Gate exit, rsp at FS_ENTER's 16 bytes with the slot pushed just above:
 * back to the caller's fs base, pop the outer entry's ufs.  Keeps rax
 * (the result); clobbers rcx, rdi. */
.macro FS_LEAVE kind
	movq 16(%rsp), %rcx
	movq %rax, %rdi
	cmpq $0, ERIM_SLOT_TCB(%rcx)
	je 71f
	movq ERIM_SLOT_UFS(%rcx), %rax
	FS_SET \kind
71:	movq %rdi, %rax
	addq $8, %rsp
	popq ERIM_SLOT_UFS(%rcx)
.endm

/* A callback leaves (slot in \slot): the caller's fs.  Clobbers rax. */
.macro FS_TO_CALLER kind, slot
	cmpq $0, ERIM_SLOT_TCB(\slot)
	je 72f
	movq ERIM_SLOT_UFS(\slot), %rax
	FS_SET \kind
72:
.endm

/* Back from a callback (slot in \slot): the block again.  Clobbers rax. */
.macro FS_TO_TRUSTED kind, slot
	movq ERIM_SLOT_TCB(\slot), %rax
	testq %rax, %rax
	je 73f
	FS_SET \kind
73:
.endm

/* Slow path, on the boot stack, slot 0 in r9: push the caller's fs base
 * twice (16 bytes; 0 if no switch) and load slot 0's block.  Clobbers rax. */
.macro FS_SLOW_IN kind
	xorl %eax, %eax
	cmpq $0, ERIM_SLOT_TCB(%r9)
	je 74f
	FS_GET \kind
74:	pushq %rax
	pushq %rax
	movq ERIM_SLOT_TCB(%r9), %rax
	testq %rax, %rax
	je 75f
	FS_SET \kind
75:
.endm

/* Slow path done: pop the 16 bytes, back to the caller's fs base.
 * Clobbers rax, rcx. */
.macro FS_SLOW_OUT kind
	movq erim__ro_page+ERIM_RO_SLOTS(%rip), %rcx
	popq %rax
	popq %rax
	cmpq $0, ERIM_SLOT_TCB(%rcx)
	je 76f
	FS_SET \kind
76:
.endm

/* The arch_prctl helpers of the mprotect kind (every register but rax kept). */
.macro FS_SYS_HELPERS
	.type erim__fs_set_sys, @function
	.p2align 4
erim__fs_set_sys:
	pushq %rdi
	pushq %rsi
	pushq %rcx
	pushq %r11
	movq %rax, %rsi
	movl $0x1002, %edi                      /* ARCH_SET_FS */
	movl $158, %eax                         /* arch_prctl */
	syscall
	testq %rax, %rax
	jnz erim__gate_abort                    /* a gate that cannot switch stops */
	popq %r11
	popq %rcx
	popq %rsi
	popq %rdi
	ret
	.size erim__fs_set_sys, .-erim__fs_set_sys

	.type erim__fs_get_sys, @function
	.p2align 4
erim__fs_get_sys:
	pushq %rdi
	pushq %rsi
	pushq %rcx
	pushq %r11
	subq $8, %rsp
	movq %rsp, %rsi
	movl $0x1003, %edi                      /* ARCH_GET_FS */
	movl $158, %eax
	syscall
	testq %rax, %rax
	jnz erim__gate_abort
	popq %rax
	popq %r11
	popq %rcx
	popq %rsi
	popq %rdi
	ret
	.size erim__fs_get_sys, .-erim__fs_get_sys
.endm

#endif /* __ASSEMBLER__ */
#endif /* ERIM_GATE_FS_H */
