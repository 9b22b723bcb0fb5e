/* SPDX-License-Identifier: MIT */
/* erim_pku.c: protection-key detection.  PKU counts as available only when
 * CPUID reports both the feature and the OS enabling it (OSPKE) *and* the
 * kernel hands out a key: containers and old kernels can report the CPUID bits
 * while pkey_alloc() still fails. */
#include "config.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"

int erim_cpu_has_pku(void)
{
	uint32_t r[4];

	erim_cpuid(0, 0, r);
	if (r[0] < 7)
		return 0;
	erim_cpuid(7, 0, r);
	return (r[2] & ERIM_CPUID7_ECX_PKU) && (r[2] & ERIM_CPUID7_ECX_OSPKE);
}

int erim_pku_available(void)
{
	long key;

	if (!erim_cpu_has_pku())
		return 0;
	key = syscall(SYS_pkey_alloc, 0UL, 0UL);
	if (key < 0)
		return 0;
	syscall(SYS_pkey_free, (unsigned long)key);
	return 1;
}
