/* SPDX-License-Identifier: MIT */
/* dlclean.c: a module without trusted globals, dlopened by rt_harden.c,
 * rt_plt.c and rt_dlforge.c after erim_init (must load).  Linked -z lazy:
 * dlclean_pid calls the C library through the module's own PLT and
 * writable .got.plt, which liberim leaves as ld.so made them (rt_plt.c). */
#include <unistd.h>

int dlclean_answer(void);
int dlclean_pid(void);

int dlclean_answer(void)
{
	return 42;
}

int dlclean_pid(void)
{
	return (int)getpid();
}
