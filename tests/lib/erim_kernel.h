/* SPDX-License-Identifier: MIT */
/* erim_kernel.h: what the running kernel does that tests must expect. */
#ifndef ERIM_KERNEL_H
#define ERIM_KERNEL_H

#include <stdio.h>
#include <sys/utsname.h>

/* 1 when the kernel writes signal frames with every protection key enabled
 * (Linux 6.12+, "x86/pkeys: Update PKRU to enable all pkeys before XSAVE"),
 * 0 when not, -1 when the release cannot be read */
static inline int erim_kernel_allkeys_frames(void)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return -1;
	return ma > 6 || (ma == 6 && mi >= 12);
}

#endif
