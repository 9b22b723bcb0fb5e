/* SPDX-License-Identifier: MIT */
/* erim_arch.h: the x86-64 instructions the runtime's C code issues by hand
 * (CPUID, RDPKRU).  The instruction bytes, PKRU bits and CPUID bits
 * themselves are common/erim_x86.h, shared with the inspector and erim-tem. */
#ifndef ERIM_ARCH_H
#define ERIM_ARCH_H

#include <stdint.h>

#include "erim_x86.h"

static inline void erim_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(subleaf));
}

static inline uint32_t erim_rdpkru(void)
{
	uint32_t eax, edx;
	__asm__ volatile(ERIM_X86_RDPKRU_ASM /* rdpkru */
	                 : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* Implemented in erim_pku.c. */
int erim_cpu_has_pku(void);   /* CPUID says PKU and OSPKE */

#endif /* ERIM_ARCH_H */
