/* SPDX-License-Identifier: MIT */
/* hd_sigvec.h: glibc's installer names no header declares -- __sigaction,
 * and sigvec's compatibility version, bound as an old binary binds it
 * (libc_sigvec here).  For rt_gatewin and rt_siginstall (red team 51). */
#ifndef HD_SIGVEC_H
#define HD_SIGVEC_H

#include <signal.h>

extern int __sigaction(int, const struct sigaction *, struct sigaction *);
struct old_sigvec {
	void (*sv_handler)(int);
	int sv_mask, sv_flags;
};
int libc_sigvec(int, const struct old_sigvec *, struct old_sigvec *);
__asm__(".symver libc_sigvec, sigvec@GLIBC_2.2.5");

#endif
