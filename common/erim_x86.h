/* SPDX-License-Identifier: MIT */
/* erim_x86.h: the x86-64 protection-key facts that liberim (runtime/), the
 * inspector (inspect/) and erim-tem (tem/) share, in one place (as the
 * kernel's selftests keep theirs in pkey-x86.h): the bytes of the
 * instructions that read or write PKRU, the PKRU bit layout, the CPUID bits
 * and the XSAVE component number.  Not installed.  Usable from assembly
 * (the byte lists) and C.
 *
 * ABI facts relied on: RDPKRU needs ECX=0 and writes EAX (EDX zeroed);
 * WRPKRU needs ECX=EDX=0 and reads EAX; both fault with #UD (SIGILL) when
 * CR4.PKE is clear.  XRSTOR (0F AE /5, memory operand) loads PKRU when bit
 * ERIM_XFEATURE_PKRU of EDX:EAX (and XCR0) is set. */
#ifndef ERIM_X86_H
#define ERIM_X86_H

/* ---- instruction bytes ------------------------------------------------------ */
#define ERIM_X86_WRPKRU_0 0x0F
#define ERIM_X86_WRPKRU_1 0x01
#define ERIM_X86_WRPKRU_2 0xEF
#define ERIM_X86_WRPKRU_BYTES 0x0F, 0x01, 0xEF     /* wrpkru */
#define ERIM_X86_RDPKRU_BYTES 0x0F, 0x01, 0xEE     /* rdpkru */
#define ERIM_X86_RDPKRU_ASM ".byte 0x0f,0x01,0xee" /* for inline asm */
#define ERIM_X86_WRPKRU_ASM ".byte 0x0f, 0x01, 0xef"
/* XRSTOR/XRSTOR64: 0F AE, then a ModRM byte with reg = 5 and mod != 3 */
#define ERIM_X86_XRSTOR_0 0x0F
#define ERIM_X86_XRSTOR_1 0xAE
#define ERIM_X86_XRSTOR_REG 5
#define ERIM_X86_UD2_BYTES 0x0F, 0x0B              /* ud2: the trap */

/* ---- PKRU ------------------------------------------------------------------ */
/* Two bits per key k: bit 2k access-disable (AD), bit 2k+1 write-disable (WD). */
#define ERIM_PKRU_AD(k) (1u << (2 * (k)))
#define ERIM_PKRU_WD(k) (1u << (2 * (k) + 1))
#define ERIM_PKRU_KEY_BITS(k) (ERIM_PKRU_AD(k) | ERIM_PKRU_WD(k))

/* PKRU is XSAVE state component 9 (XRSTOR loads it when EAX bit 9 is set). */
#define ERIM_XFEATURE_PKRU 9

/* CPUID.(EAX=7,ECX=0):ECX bit 3 = PKU (CPU has it), bit 4 = OSPKE (OS enabled it). */
#define ERIM_CPUID7_ECX_PKU   (1u << 3)
#define ERIM_CPUID7_ECX_OSPKE (1u << 4)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <sys/syscall.h>

/* The one raw system call in-process inspection and the PLT protection issue
 * by hand.  While a page of some object is being patched or stripped of
 * execute permission, code on that page must not run -- and glibc's
 * mprotect() wrapper may well live on it (in Debian 12 pkey_set sits next to
 * pkey_mprotect).  So mprotect is issued inline from the caller's own code.
 * x86-64 syscall ABI: number in RAX, arguments in RDI, RSI, RDX; the kernel
 * clobbers RCX and R11; the result (or -errno) comes back in RAX. */
static inline __attribute__((always_inline)) long erim_x86_raw_mprotect(void *addr, size_t len, int prot)
{
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"((long)SYS_mprotect), "D"(addr), "S"(len), "d"((long)prot)
	                 : "rcx", "r11", "memory");
	return ret;
}
#endif /* !__ASSEMBLER__ */

#endif /* ERIM_X86_H */
