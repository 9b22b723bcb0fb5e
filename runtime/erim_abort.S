/* SPDX-License-Identifier: MIT */
/* erim_abort.S: how a gate stops the process -- erim__abort (drop to the
 * untrusted PKRU in a self-checking loop, report, kill with raw system calls)
 * and erim__die_msg (a refusal by trusted gate code: write its line, then the
 * same).  Below the gate and its C slow path, which both end here; it calls
 * nothing and reads only the sealed read-only page, its own code and .rodata.
 * Its WRPKRU (erim__abort_site) is one of the gate sites erim__gate_sites
 * (erim_gate.S) reports to load-time inspection.
 *
 * erim__abort is entered by a jump with r12d selecting the message: 0 the
 * gate's (erim__gate_abort), 1 the callback's (erim__cb_bad), 3 the signal
 * entry's (erim_sigentry.S: written after the drop, so a write that blocks
 * on a full stderr never holds the trusted PKRU -- red team 22), 2 none
 * (erim__die_msg wrote it), 4 a gate's slow path after erim_fini's wipe
 * (erim_gate.S), 5 the signal entry after it (erim_sigentry.S).  The PKRU in force may grant the trusted key and
 * rsp is the attacker's, so nothing here touches writable memory or the
 * stack before the drop. */
#include "erim_internal.h"
#include "erim_gate.h"
#include "erim_x86.h"

#define RO(off) erim__ro_page+(off)(%rip)
#define KEYS(off) erim__keys_page+(off)(%rip)

/* Every signal blocked: rt_sigprocmask(SIG_BLOCK, all, NULL, 8). */
.macro BLOCK_ALL
	movl $14, %eax
	xorl %edi, %edi
	leaq erim__all_set(%rip), %rsi
	xorl %edx, %edx
	movl $8, %r10d
	syscall
.endm

/* SIG's default action: rt_sigaction(SIG, SIG_DFL, NULL, 8). */
.macro SIG_DEFAULT sig
	movl $13, %eax
	movl $\sig, %edi
	leaq erim__zeros(%rip), %rsi
	xorl %edx, %edx
	movl $8, %r10d
	syscall
.endm

/* SAY: the report of the message (rsi, rdx), made by a forked child that
 * the stopping thread waits for 2 s at most (one rt_sigtimedwait for its
 * SIGCHLD, the thread's timer slack set to 1 ns first: red team 31a), so
 * that no lock untrusted code holds while asleep can hold the stop up
 * (red team 30: a
 * thread in splice() from an empty socket held stderr's pipe lock, and the
 * reopen waited for it uninterruptibly; red teams 22 and 28 held the write
 * itself).  Every signal is blocked first (the child inherits the mask; the
 * stopping thread unblocks SIGSEGV for its own kill).  No child: no report.
 * The child sends to a socket with MSG_DONTWAIT; anything else, only when
 * fd 2 is open for writing (never a read-only fd turned into a write: red
 * team 30's rt30_report), is reopened through /proc/self/fd/2 as a
 * description of its own, O_NONBLOCK|O_APPEND, and written there; then fd
 * 2's shared offset moves to the end, so that in a file the next writer
 * (the shell's "Segmentation fault") comes after the report instead of
 * over it.  Registers only (rax rcx rdx rsi rdi r8-r11 r13 r14):
 * no stack, no writable memory.  erim_sys_report (erim_sys.h) is the same
 * in C. */
.macro SAY
	movq %rsi, %r13
	movq %rdx, %r14
	BLOCK_ALL
	SIG_DEFAULT 17                          /* SIGCHLD: the exit signals */
	movl $56, %eax                          /* clone(SIGCHLD, 0, 0, 0, 0): a fork */
	movl $17, %edi
	xorl %esi, %esi
	xorl %edx, %edx
	xorl %r10d, %r10d
	xorl %r8d, %r8d
	syscall
	testq %rax, %rax
	js 9f                                   /* no child: no report */
	jnz 7f
	movl $72, %eax                          /* child: fcntl(2, F_GETFL) */
	movl $2, %edi
	movl $3, %esi
	syscall
	testl %eax, %eax
	js 8f
	testl $010000000, %eax                  /* O_PATH */
	jnz 8f
	testl $3, %eax                          /* O_RDONLY */
	jz 8f
	movl $2, %edi
	movq %r13, %rsi
	movq %r14, %rdx
	movl $0x40, %r10d                       /* MSG_DONTWAIT */
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	movl $44, %eax                          /* sendto(2, msg, len, MSG_DONTWAIT, NULL, 0) */
	syscall
	cmpq $-88, %rax                         /* -ENOTSOCK: not a socket */
	jne 8f
	movl $2, %eax                           /* open("/proc/self/fd/2", O_WRONLY|O_APPEND|O_NONBLOCK|O_NOCTTY|O_CLOEXEC) */
	leaq erim__stderr_path(%rip), %rdi
	movl $(01 | 02000 | 04000 | 0400 | 02000000), %esi
	syscall
	testl %eax, %eax
	js 8f                                   /* no description of its own: no report */
	movl %eax, %edi
	movq %r13, %rsi
	movq %r14, %rdx
	movl $1, %eax                           /* write(fd, msg, len) */
	syscall
	movl $8, %eax                           /* lseek(2, 0, SEEK_END) */
	movl $2, %edi
	xorl %esi, %esi
	movl $2, %edx
	syscall
8:	movl $231, %eax                         /* the child ends: exit_group(0) */
	xorl %edi, %edi
	syscall
	jmp 8b
7:	movl $157, %eax                         /* the stopping thread waits for the child: */
	movl $29, %edi                          /* prctl(PR_SET_TIMERSLACK, 1): untrusted code may have set 10^18 */
	movl $1, %esi
	syscall
	movl $128, %eax                         /* rt_sigtimedwait({SIGCHLD}, NULL, 2 s, 8) */
	leaq erim__chld_set(%rip), %rdi
	xorl %esi, %esi
	leaq erim__report_bound(%rip), %rdx
	movl $8, %r10d
	syscall
9:
.endm

	.text
/* void erim__die_msg(const char *msg, size_t len): a refusal by trusted code
 * (erim__gate_refuse, erim_gate_refuse.c).  The message may be in trusted memory, so
 * it is written first, with the rights in force, on the caller's trusted
 * stack (no other thread can write it; no libc, no errno, no TLS); then the
 * same drop and kill as the abort paths. */
	.globl erim__die_msg
	.hidden erim__die_msg
	.type erim__die_msg, @function
erim__die_msg:
	movq %rsi, %rdx
	movq %rdi, %rsi
	SAY
	movl $2, %r12d                          /* no second message */
	jmp erim__abort
	.size erim__die_msg, .-erim__die_msg

	.globl erim__abort
	.hidden erim__abort
	.type erim__abort, @function
erim__abort:
	cmpl $ERIM_MODE_MPK, RO(ERIM_RO_MODE)
	je 1f
	/* not the mpk back end: before erim_init, after erim_fini, mprotect or
	 * none -- or a copy of liberim that erim_init never ran in (red team
	 * 55), whose mode untrusted code may have written.  The PKRU values
	 * are ERIM_PKRU_CLOSED then, and a jump onto one of these WRPKRUs left
	 * the attacker's PKRU in force: drop too, where the CPU has protection
	 * keys at all (CPUID.(EAX=7,ECX=0):ECX.OSPKE; WRPKRU faults without) */
	movl $7, %eax
	xorl %ecx, %ecx
	cpuid
	testl $(1 << 4), %ecx
	jz 2f
1:	xorl %ecx, %ecx
	xorl %edx, %edx
	movl KEYS(ERIM_KEYS_PKRU_U), %eax
	.globl erim__abort_site
	.hidden erim__abort_site
erim__abort_site:
	.byte ERIM_X86_WRPKRU_BYTES                    /* wrpkru */
	cmpl KEYS(ERIM_KEYS_PKRU_U), %eax
	jne 1b
	xorl %ecx, %ecx
	.byte ERIM_X86_RDPKRU_BYTES                    /* rdpkru */
	cmpl KEYS(ERIM_KEYS_PKRU_U), %eax
	jne 1b
2:	/* untrusted rights from here on (mpk); report and die */
	cmpl $2, %r12d
	je 4f
	leaq erim__msg_gate(%rip), %rsi
	movl $erim__msg_gate_len, %edx
	cmpl $3, %r12d                          /* r12d: 3 for the signal entry's message */
	jne 5f
	leaq erim__msg_sigentry(%rip), %rsi
	movl $erim__msg_sigentry_len, %edx
	jmp 3f
5:	cmpl $4, %r12d                          /* r12d: 4 for a gate after erim_fini's wipe */
	jne 7f
	leaq erim__msg_dead(%rip), %rsi
	movl $erim__msg_dead_len, %edx
	jmp 3f
7:	cmpl $5, %r12d                          /* r12d: 5 for a signal entry after it */
	jne 6f
	leaq erim__msg_sigdead(%rip), %rsi
	movl $erim__msg_sigdead_len, %edx
	jmp 3f
6:	cmpl $1, %r12d                          /* r12d: 1 for the callback message */
	jne 3f
	leaq erim__msg_cb(%rip), %rsi
	movl $erim__msg_cb_len, %edx
3:	SAY
4:	jmp erim__die_now
	.size erim__abort, .-erim__abort

/* void erim__die_now(void): the kill every stop ends with.  A signal the
 * program can catch is no kill: another thread re-installed a SIGSEGV
 * handler between SIG_DFL and the tgkill of the first version, and the
 * handler longjmp'd the stopped thread back into the program (red team
 * 32a, rt32_abortrace, 6.1 and 6.12, with and without erim-tem).  So no
 * handler can run on this thread at all: every signal blocked, this
 * thread's alternate signal stack disabled (only the thread itself can set
 * it) and %rsp made non-canonical, so that no signal frame can be written;
 * then a load through %rsp faults (#GP) with SIGSEGV blocked, which makes
 * the kernel reset SIGSEGV to its default action and deliver it.  A
 * handler installed in between cannot get a frame: the kernel then kills
 * with a SIGSEGV no handler may take (force_sigsegv).  RLIMIT_CORE is 1
 * first (a core dump would hold trusted memory; 0 would not stop a
 * core_pattern pipe).  Reached only from erim__abort, after the drop to
 * the untrusted PKRU (liberim's C stops jump there too: erim__die).
 * Registers only. */
	.type erim__die_now, @function
erim__die_now:
	BLOCK_ALL
	movl $302, %eax                         /* prlimit64(0, RLIMIT_CORE, {1,1}, NULL): no core */
	xorl %edi, %edi
	movl $4, %esi
	leaq erim__rlim_one(%rip), %rdx
	xorl %r10d, %r10d
	syscall
	SIG_DEFAULT 11                          /* SIGSEGV */
	movabsq $0x8000000000000000, %rsp       /* non-canonical: no frame can be written below it */
	movl $131, %eax                         /* sigaltstack(SS_DISABLE, NULL): off %rsp now, so allowed */
	leaq erim__ss_disable(%rip), %rdi
	xorl %esi, %esi
	syscall
	movq (%rsp), %rax                       /* #GP: SIGSEGV, forced past the block */
	movl $39, %eax                          /* not reached: getpid, SIGKILL */
	syscall
	movl %eax, %edi
	movl $9, %esi
	movl $62, %eax
	syscall
	movl $231, %eax                         /* exit_group(139) */
	movl $139, %edi
	syscall
	ud2
	.size erim__die_now, .-erim__die_now

	.section .rodata
erim__stderr_path:
	.asciz "/proc/self/fd/2"
erim__msg_gate:
	.ascii "erim: violation: a WRPKRU gate site was reached with an unexpected PKRU value (jump onto a WRPKRU?); process stopped\n"
	.set erim__msg_gate_len, .-erim__msg_gate
erim__msg_sigentry:
	.ascii "erim: violation: liberim's signal entry reached with %rsp outside the calling thread's signal stack of liberim's (a jump to the entry, or a signal on a thread without one); process stopped\n"
	.set erim__msg_sigentry_len, .-erim__msg_sigentry
erim__msg_cb:
	.ascii "erim: violation: return from a callback that no frame of this thread waits for (forged return, TLS tampered with, or another thread); process stopped\n"
	.set erim__msg_cb_len, .-erim__msg_cb
erim__msg_dead:
	.ascii "erim: refused: a gate was called after erim_fini has wiped the trusted domain: no trusted code runs any more (stopped before the gate touched a stack); process stopped\n"
	.set erim__msg_dead_len, .-erim__msg_dead
erim__msg_sigdead:
	.ascii "erim: refused: a signal reached liberim's trusted signal entry after erim_fini has wiped the trusted domain (stopped before the relay used the signal stack); process stopped\n"
	.set erim__msg_sigdead_len, .-erim__msg_sigdead
	.p2align 5
erim__zeros:
	.zero 32                                /* SIG_DFL sigaction */
erim__rlim_one:
	.quad 1, 1                              /* RLIMIT_CORE {1, 1} */
erim__ss_disable:
	.quad 0                                 /* stack_t: ss_sp */
	.long 2, 0                              /* ss_flags SS_DISABLE, padding */
	.quad 0                                 /* ss_size */
erim__all_set:
	.quad -1
erim__chld_set:
	.quad 1 << (17 - 1)
erim__report_bound:
	.quad 2, 0                              /* 2 s */
	.text

	.section .note.GNU-stack,"",@progbits
