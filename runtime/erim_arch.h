/* erim_arch.h: every x86-64 instruction the runtime issues by hand, in one
 * place.  ABI facts relied on: RDPKRU needs ECX=0 and writes EAX (EDX zeroed);
 * WRPKRU needs ECX=EDX=0 and reads EAX; both fault with #UD (SIGILL) when
 * CR4.PKE is clear, i.e. when the kernel did not enable protection keys. */
#ifndef ERIM_ARCH_H
#define ERIM_ARCH_H

#include <stdint.h>

static inline void erim_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(subleaf));
}

static inline uint32_t erim_rdpkru(void)
{
	uint32_t eax, edx;
	__asm__ volatile(".byte 0x0f,0x01,0xee" /* rdpkru */
	                 : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* PKRU: two bits per key k: bit 2k access-disable (AD), bit 2k+1 write-disable (WD). */
#define ERIM_PKRU_AD(k) (1u << (2 * (k)))
#define ERIM_PKRU_WD(k) (1u << (2 * (k) + 1))

/* CPUID.(EAX=7,ECX=0):ECX bit 3 = PKU (CPU has it), bit 4 = OSPKE (OS enabled it). */
#define ERIM_CPUID7_ECX_PKU   (1u << 3)
#define ERIM_CPUID7_ECX_OSPKE (1u << 4)

/* Implemented in erim_pku.c. */
int erim_cpu_has_pku(void);   /* CPUID says PKU and OSPKE */

#endif /* ERIM_ARCH_H */
