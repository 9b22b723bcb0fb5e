/* SPDX-License-Identifier: MIT */
/* disp_crafted.S: a call whose rel32 holds the bytes of WRPKRU, as in
 * Debian 12's libcrypto.so.3 (`call ERR_set_mark@plt` = e8 0f 01 ef ff).
 * disp_caller sits 0x10feeb bytes after disp_target, so the call's rel32 is
 * -0x10fef1 = 0f 01 ef ff.  The byte after the call is e3 (jrcxz, harmless
 * when run in order), so a jump to disp_call+1 executes WRPKRU and then
 * ff e3 = jmp rbx: the caller of that jump picks where it lands.  Both
 * functions have unwind info (FDEs), like compiled code: inspection proves
 * the call's boundary from the FDE's start. */
	.section .text.erim_disp, "ax", @progbits
	.balign 4096
	.globl disp_target
	.type disp_target, @function
disp_target:
.Ldisp_target:
	.cfi_startproc
	movl $42, %eax
	ret
	.cfi_endproc
	.size disp_target, . - disp_target

	.org 0x10feeb, 0xcc
	.globl disp_caller
	.type disp_caller, @function
disp_caller:
	.cfi_startproc
	pushq %rbx
	.cfi_def_cfa_offset 16
	.globl disp_call
disp_call:
	call .Ldisp_target              /* e8 0f 01 ef ff */
	.byte 0xe3, 0x00                /* jrcxz .+2 */
	popq %rbx
	.cfi_def_cfa_offset 8
	ret
	.cfi_endproc
	.size disp_caller, . - disp_caller
	.balign 4096, 0xcc

	.section .note.GNU-stack, "", @progbits
