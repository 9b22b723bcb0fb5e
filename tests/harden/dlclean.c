/* SPDX-License-Identifier: MIT */
/* dlclean.c: a module without trusted globals, dlopened by rt_harden.c after
 * erim_init (must load). */
int dlclean_answer(void);

int dlclean_answer(void)
{
	return 42;
}
