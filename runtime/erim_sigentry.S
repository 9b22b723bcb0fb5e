/* SPDX-License-Identifier: MIT */
/* erim_sigentry.S: where the kernel enters every signal handler of liberim's
 * when the signal stacks are on (erim_sigstack.c: kernels that write frames
 * with every key enabled, no erim-tem, mpk).
 *
 * The kernel arrives with PKRU's init value (the trusted key closed) and %rsp
 * on the thread's signal stack in trusted memory, every signal blocked.
 * Nothing touches the stack before it is checked:
 *   1. checked WRPKRU to PKRU_T (a jump onto it with another EAX ends at the
 *      check, as in every gate);
 *   2. %rsp must lie inside a stack of liberim's (above its guard page) whose
 *      owner is the calling thread's kernel id (gettid, not %fs): anyone can
 *      jump here with any %rsp (a child after fork claims its own stack
 *      first, erim_sigstack.c; a stack is never taken over here: another
 *      thread could be running on it while the kernel writes a frame for
 *      its inheritor);
 *   3. the relay (C, trusted) checks the frame, copies it to untrusted memory
 *      or stops the process;
 *   4. the frame and the relay's part of the stack are wiped, %rsp moves to
 *      the copy, checked WRPKRU to
 *      PKRU_U, and the handler continues in erim_signal.c's trampoline as if
 *      the kernel had called it there (its return address is the frame's
 *      pretcode: rt_sigreturn from the copy).
 * Both WRPKRU sites are in the gate-site table (erim_gate.S) that load-time
 * inspection accepts. */
#include "erim_internal.h"
#include "erim_gate.h"
#include "erim_x86.h"

#define RO(off) erim__ro_page+(off)(%rip)
#define KEYS(off) erim__keys_page+(off)(%rip)

/* The relay RELAY on the frame at %rsp, then the frame and the relay's stack
 * wiped and %rsp on the copy: %rbp where to continue, %r12-%r14 the
 * handler's three arguments. */
.macro RELAY_AND_SWITCH relay
	movq %rsp, %rdi                         /* the frame */
	subq $64, %rsp
	andq $-16, %rsp
	movq %rsp, %rsi                         /* struct erim_relay_out */
	call \relay                             /* stops the process on any refusal */
	movq 0(%rsp), %rbx                      /* the copy */
	movq 8(%rsp), %rbp                      /* where to continue */
	movq 16(%rsp), %r12                     /* sig, siginfo, ucontext of the copy */
	movq 24(%rsp), %r13
	movq 32(%rsp), %r14
	movq 40(%rsp), %rdi                     /* wipe the frame and the relay's stack */
	movq 48(%rsp), %rcx
	subq %rdi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	rep stosq
	movq %rbx, %rsp
.endm

	.text
	.globl erim__sig_entry
	.hidden erim__sig_entry
	.type erim__sig_entry, @function
	.p2align 4
erim__sig_entry:
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl KEYS(ERIM_KEYS_PKRU_T), %eax
	.globl erim__sig_site_enter
	.hidden erim__sig_site_enter
erim__sig_site_enter:
	.byte ERIM_X86_WRPKRU_BYTES
	cmpl KEYS(ERIM_KEYS_PKRU_T), %eax
	jne 9f
	cld
	movl $ERIM_SYS_GETTID, %eax
	syscall                                 /* clobbers rax, rcx, r11 */
	movq %rsp, %r8
	subq RO(ERIM_RO_SIGSTK_LO), %r8
	movq %r8, %r9
	shrq $ERIM_SIGSTK_SHIFT, %r8            /* which stack */
	cmpq RO(ERIM_RO_SIGSTK_N), %r8
	jae 8f
	andl $(ERIM_SIGSTK_STRIDE - 1), %r9d    /* above its guard page */
	cmpl $(ERIM_SIGSTK_GUARD + 1024), %r9d
	jb 8f
	testl %eax, %eax
	jz 8f
	movq RO(ERIM_RO_SIGSTK_OWNER), %r10
	cmpl (%r10,%r8,4), %eax                 /* the calling thread's own */
	jne 8f
	/* In the relay: counted where erim_fini's wipe looks (slot 0's depth,
	 * keyed), then the dead flag read -- a locked add and the wipe's
	 * seq-cst store are full barriers, so either the wipe sees this thread
	 * (and returns -EBUSY) or this thread sees the flag.  Then it waits for
	 * the wipe's decision (taken under the slow path's lock): cleared, go
	 * on; kept, stop without using the stack, which erim_fini is about to
	 * replace with plain memory (red team 62, sigfini). */
	movq RO(ERIM_RO_SLOTS), %r10
	lock incl ERIM_SLOT_DEPTH(%r10)
	cmpl $0, ERIM_SLOT_RELEASE(%r10)
	jne 6f
5:	RELAY_AND_SWITCH erim__sig_relay
	movq RO(ERIM_RO_SLOTS), %r10
	lock decl ERIM_SLOT_DEPTH(%r10)         /* out: on the copy, registers only until the drop */
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %ecx, %ecx
	xorl %edx, %edx
	movl KEYS(ERIM_KEYS_PKRU_U), %eax
	.globl erim__sig_site_exit
	.hidden erim__sig_site_exit
erim__sig_site_exit:
	.byte ERIM_X86_WRPKRU_BYTES
	cmpl KEYS(ERIM_KEYS_PKRU_U), %eax
	jne 9f
	movl %r12d, %edi
	movq %r13, %rsi
	movq %r14, %rdx
	xorl %eax, %eax
	jmp *%rbp
6:	pause                                   /* the wipe holds the slow path's lock */
	cmpl $0, ERIM_SLOT_STATE(%r10)
	jne 6b
	cmpl $0, ERIM_SLOT_RELEASE(%r10)
	je 5b
	movl $5, %r12d                          /* erim_fini's wipe is final: stop */
	jmp erim__abort
8:	/* not this thread's signal stack: stop; erim__abort drops to the
	 * untrusted PKRU first, then reports (no stack used) */
	movl $3, %r12d
	jmp erim__abort
9:	xorl %r12d, %r12d                       /* the gate's message */
	jmp erim__abort
	.size erim__sig_entry, .-erim__sig_entry

/* Kernels that write a frame with the interrupted PKRU (6.1): the stacks are
 * untrusted memory and so is everything here -- no WRPKRU, no owner check
 * (a jump here with any %rsp does what untrusted code may do itself); the
 * kernel arrives with its init PKRU, every signal blocked.  The relay
 * (erim__sig_relay_u) checks and copies the frame as above; then the frame
 * and the relay's stack are wiped and the handler continues on the copy in
 * the trampoline, with the same PKRU. */
	.globl erim__sig_entry_u
	.hidden erim__sig_entry_u
	.type erim__sig_entry_u, @function
	.p2align 4
erim__sig_entry_u:
	cld
	RELAY_AND_SWITCH erim__sig_relay_u
	movl %r12d, %edi
	movq %r13, %rsi
	movq %r14, %rdx
	xorl %eax, %eax
	jmp *%rbp
	.size erim__sig_entry_u, .-erim__sig_entry_u


	.section .note.GNU-stack,"",@progbits
