/* SPDX-License-Identifier: MIT */
/* atk_arch_prctl.c: arch_prctl requests that reach past what erim-tem's
 * other rows see (red team 31c).
 *  - ARCH_MAP_VDSO_64 maps a vDSO, executable, where the caller asks: new
 *    executable memory with no inspected mmap (the process's own vDSO
 *    unmapped first, as the kernel maps only one);
 *  - ARCH_ENABLE_TAGGED_ADDR turns on x86 linear address masking, after
 *    which a tagged copy of a trusted address passes every check that
 *    compares numbers (atk31_lam_tag; neither guest CPU nor kernel has LAM,
 *    so without erim-tem the kernel answers EINVAL there: reported, and the
 *    vDSO map decides the outcome).
 * SUCCEEDED when the vDSO is mapped (or LAM turned on); REFUSED when
 * erim-tem refuses both requests with EPERM. */
#include <sys/auxv.h>

#include "atk_common.h"

#define ARCH_ENABLE_TAGGED_ADDR_ 0x4002
#define ARCH_MAP_VDSO_64_ 0x2003

/* unmap [vvar*] and [vdso]; the number of mappings unmapped, -1 on a refusal */
static int unmap_vdso(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long a[8], b[8];
	int n = 0, i;

	if (!f)
		return -1;
	while (n < 8 && fgets(line, sizeof line, f))
		if ((strstr(line, "[vdso]") || strstr(line, "[vvar")) && sscanf(line, "%lx-%lx", &a[n], &b[n]) == 2)
			n++;
	fclose(f);
	for (i = 0; i < n; i++)
		if (munmap((void *)a[i], b[i] - a[i]) != 0) {
			atk_say("munmap of the vDSO at %#lx: %s", a[i], strerror(errno));
			return -1;
		}
	return n;
}

static enum atk_result atk_attack(void)
{
	long r;
	int lam_on, e;

	errno = 0;
	r = syscall(SYS_arch_prctl, ARCH_ENABLE_TAGGED_ADDR_, 6UL);
	e = errno;
	lam_on = r == 0;
	atk_say("arch_prctl(ARCH_ENABLE_TAGGED_ADDR, 6): %s%s", r == 0 ? "accepted" : strerror(e),
	        e == EINVAL ? " (no LAM on this CPU or kernel)" : "");
	if (atk_under_tem && r != 0 && e != EPERM)
		return ATK_ERROR;   /* erim-tem must answer, not the kernel */
	if (unmap_vdso() < 0 && !atk_under_tem)
		return ATK_ERROR;
	errno = 0;
	r = syscall(SYS_arch_prctl, ARCH_MAP_VDSO_64_, 0x600000000000UL);
	e = errno;
	if (r > 0) {
		atk_say("arch_prctl(ARCH_MAP_VDSO_64) mapped a vDSO: %ld bytes of executable memory at "
		        "0x600000000000, no mmap", r);
		return ATK_SUCCEEDED;
	}
	atk_say("arch_prctl(ARCH_MAP_VDSO_64): %s", strerror(e));
	if (lam_on)
		return ATK_SUCCEEDED;
	return atk_under_tem && e == EPERM ? ATK_REFUSED : ATK_ERROR;
}

static const char *atk_name = "atk_arch_prctl";
static int atk_needs_pku = 0;
