/* SPDX-License-Identifier: MIT */
/* crafted.S: WRPKRU/XRSTOR byte sequences in every disguise the inspector
 * must see through, each at a global label so tests can name the expected
 * address (label + offset) and class.  The whole object sits in its own
 * page-aligned, page-padded section, so dropping execute permission on these
 * pages (NOEXEC policy tests) never touches the test program's own code.
 *
 * Expected hits (label: offset of the 0F byte, kind, class) are listed in
 * crafted_expect.h, which the tests share; keep both in step. */
	.section .text.erim_crafted, "ax", @progbits
	.balign 4096
	.globl crafted_begin
crafted_begin:

/* a real WRPKRU instruction at a function entry (PATCH can prove it) */
	.globl crafted_wrpkru_insn
	.type crafted_wrpkru_insn, @function
crafted_wrpkru_insn:
	.byte 0x0f, 0x01, 0xef          /* wrpkru */
	ret
	.size crafted_wrpkru_insn, . - crafted_wrpkru_insn

/* inside an immediate: mov eax, 0xef010f90 = b8 90 0f 01 ef */
	.globl crafted_in_imm
	.type crafted_in_imm, @function
crafted_in_imm:
	movl $0xef010f90, %eax
	ret
	.size crafted_in_imm, . - crafted_in_imm

/* inside a displacement: mov ecx, [rax + 0x00ef010f] = 8b 88 0f 01 ef 00 */
	.globl crafted_in_disp
	.type crafted_in_disp, @function
crafted_in_disp:
	movl 0xef010f(%rax), %ecx
	ret
	.size crafted_in_disp, . - crafted_in_disp

/* spanning two instructions: mov al, 0x0f (b0 0f); add edi, ebp (01 ef) */
	.globl crafted_span_insns
	.type crafted_span_insns, @function
crafted_span_insns:
	movb $0x0f, %al
	addl %ebp, %edi
	ret
	.size crafted_span_insns, . - crafted_span_insns

/* the gate shape erim once accepted by its bytes (rel8 and rel32 jne forms):
 * unsafe, since a jump onto it with EAX = the compared value loads that PKRU
 * (red-team round 4, "gengate_accept") */
	.globl crafted_gate8
	.type crafted_gate8, @function
crafted_gate8:
	xorl %ecx, %ecx
	.byte 0x31, 0xd2
	.byte 0xb8
	.long 0x55555550
	.byte 0x0f, 0x01, 0xef
	.byte 0x3d
	.long 0x55555550
	.byte 0x75, 0x01
	ret
	ud2
	.size crafted_gate8, . - crafted_gate8

	.globl crafted_gate32
	.type crafted_gate32, @function
crafted_gate32:
	xorl %ecx, %ecx
	.byte 0x31, 0xd2
	.byte 0xb8
	.long 0x55555550
	.byte 0x0f, 0x01, 0xef
	.byte 0x3d
	.long 0x55555550
	.byte 0x0f, 0x85
	.long 1
	ret
	ud2
	.size crafted_gate32, . - crafted_gate32

/* a gate whose check compares another value: unsafe */
	.globl crafted_gate_bad
	.type crafted_gate_bad, @function
crafted_gate_bad:
	xorl %ecx, %ecx
	.byte 0x31, 0xd2
	.byte 0xb8
	.long 0x55555550
	.byte 0x0f, 0x01, 0xef
	.byte 0x3d
	.long 0x00000000
	.byte 0x75, 0x01
	ret
	ud2
	.size crafted_gate_bad, . - crafted_gate_bad

/* XRSTOR as ld.so does it: EAX = 0xee (bit 9 clear), xor edx, edx.  Still
 * unsafe: a jump lands on the XRSTOR itself, past the mov */
	.globl crafted_xrstor_benign
	.type crafted_xrstor_benign, @function
crafted_xrstor_benign:
	movl $0xee, %eax
	xorl %edx, %edx
	xrstor 0x40(%rsp)
	ret
	.size crafted_xrstor_benign, . - crafted_xrstor_benign

/* EAX bit 9 (PKRU) set: unsafe */
	.globl crafted_xrstor_pkru
	.type crafted_xrstor_pkru, @function
crafted_xrstor_pkru:
	movl $0x2ee, %eax
	xorl %edx, %edx
	xrstor (%rsp)
	ret
	.size crafted_xrstor_pkru, . - crafted_xrstor_pkru

/* no EAX set-up at all: unsafe */
	.globl crafted_xrstor_bare
	.type crafted_xrstor_bare, @function
crafted_xrstor_bare:
	xrstor (%rdi)
	ret
	.size crafted_xrstor_bare, . - crafted_xrstor_bare

/* XRSTOR64 (REX.W) after mov eax, 0xee: unsafe as well; bare: unsafe */
	.globl crafted_xrstor64_benign
	.type crafted_xrstor64_benign, @function
crafted_xrstor64_benign:
	movl $0xee, %eax
	xorl %edx, %edx
	xrstor64 (%rsp)
	ret
	.size crafted_xrstor64_benign, . - crafted_xrstor64_benign

	.globl crafted_xrstor64_bare
	.type crafted_xrstor64_bare, @function
crafted_xrstor64_bare:
	xrstor64 (%rdi)
	ret
	.size crafted_xrstor64_bare, . - crafted_xrstor64_bare

/* mov r8d, 0xee (41 b8 ...) does not clear EAX bit 9: unsafe */
	.globl crafted_xrstor_r8
	.type crafted_xrstor_r8, @function
crafted_xrstor_r8:
	movl $0xee, %r8d
	xrstor (%rsp)
	ret
	.size crafted_xrstor_r8, . - crafted_xrstor_r8

/* followed by the check of EAX bit 9 (scan.h): checked, accepted */
	.globl crafted_xrstor_checked
	.type crafted_xrstor_checked, @function
crafted_xrstor_checked:
	xrstor 0x40(%rsp)
	.byte 0xf6, 0xc4, 0x02, 0x74, 0x0e
	.byte 0xbf, 107, 0, 0, 0, 0xb8, 0xe7, 0, 0, 0
	.byte 0x0f, 0x05, 0xeb, 0xfe
	ret
	.size crafted_xrstor_checked, . - crafted_xrstor_checked

/* XRSTOR64 with a SIB + disp32 operand, then the check: checked */
	.globl crafted_xrstor64_checked
	.type crafted_xrstor64_checked, @function
crafted_xrstor64_checked:
	xrstor64 0x1000(%rdi,%rcx,8)
	.byte 0xf6, 0xc4, 0x02, 0x74, 0x0e
	.byte 0xbf, 107, 0, 0, 0, 0xb8, 0xe7, 0, 0, 0
	.byte 0x0f, 0x05, 0xeb, 0xfe
	ret
	.size crafted_xrstor64_checked, . - crafted_xrstor64_checked

/* the check with one byte changed (exit_group became exit): unsafe */
	.globl crafted_xrstor_check_bad
	.type crafted_xrstor_check_bad, @function
crafted_xrstor_check_bad:
	xrstor (%rsp)
	.byte 0xf6, 0xc4, 0x02, 0x74, 0x0e
	.byte 0xbf, 107, 0, 0, 0, 0xb8, 0x3c, 0, 0, 0
	.byte 0x0f, 0x05, 0xeb, 0xfe
	ret
	.size crafted_xrstor_check_bad, . - crafted_xrstor_check_bad

/* look-alikes that are NOT hits: lfence (0f ae e8), rdpkru (0f 01 ee),
 * fxrstor (0f ae /1) */
	.globl crafted_lookalikes
	.type crafted_lookalikes, @function
crafted_lookalikes:
	lfence
	.byte 0x0f, 0x01, 0xee
	fxrstor (%rsp)
	ret
	.size crafted_lookalikes, . - crafted_lookalikes

/* spanning a page boundary: 0f is the last byte of a page, 01 ef open the next */
	.balign 4096
	.fill 4095, 1, 0x90
	.globl crafted_span_page
crafted_span_page:
	.byte 0x0f
	.byte 0x01, 0xef
	ret

	.balign 4096
	.globl crafted_end
crafted_end:
	.section .note.GNU-stack, "", @progbits
