/* SPDX-License-Identifier: MIT */
/* atk_frozen.c: after registration, untrusted code changes code or tables
 * that trusted code runs through.  Variants (any one accepted = success):
 *  - a function's page (trusted code: it lives in the program image mapped
 *    at registration) is replaced by mmap(MAP_FIXED), a patched copy written
 *    and mprotect(RX) asked for: the copy holds no WRPKRU, so inspection alone
 *    would grant it, and the function now returns what the attacker wants;
 *  - the program's RELRO (its GOT) is made writable again by mprotect;
 *  - libc's code page is unmapped, madvised away or moved (mremap);
 *  - a library dlopen'ed after registration gets its RELRO writable again;
 *  - the vDSO's data page ([vvar]) is unmapped, so a page of the attacker's
 *    could take its place under trusted code's clock_gettime. */
#include <dlfcn.h>
#include <link.h>

#include "atk_common.h"

/* A whole page of its own, so replacing it disturbs nothing else. */
__asm__(".pushsection .text.atk_frozen,\"ax\",@progbits\n"
        ".balign 4096\n"
        ".globl atk_frozen_fn\n"
        "atk_frozen_fn: mov $7, %eax\n"
        "ret\n"
        ".balign 4096\n"
        ".popsection\n");
int atk_frozen_fn(void);

struct relro { const char *want; uint64_t start, end; };

static int find_relro(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct relro *r = arg;
	int i;

	(void)size;
	if (r->want ? !strstr(info->dlpi_name, r->want) : info->dlpi_name[0] != 0)
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
			r->start = (info->dlpi_addr + info->dlpi_phdr[i].p_vaddr) & ~4095ull;
			r->end = (info->dlpi_addr + info->dlpi_phdr[i].p_vaddr + info->dlpi_phdr[i].p_memsz) & ~4095ull;
			return r->end > r->start;
		}
	return 0;
}

static int relro_writable(const char *want, const char *what)
{
	struct relro r = { want, 0, 0 };

	if (!dl_iterate_phdr(find_relro, &r)) {
		atk_say("%s: no RELRO found", what);
		return 0;
	}
	if (mprotect((void *)(uintptr_t)r.start, r.end - r.start, PROT_READ | PROT_WRITE) == 0) {
		atk_say("%s: RELRO [0x%llx, 0x%llx) made writable again", what, (unsigned long long)r.start,
		        (unsigned long long)r.end);
		return 1;
	}
	atk_say("%s: mprotect(RW) of the RELRO: %s", what, strerror(errno));
	return 0;
}

static int replace_function(void)
{
	uint8_t *page = (uint8_t *)((uintptr_t)&atk_frozen_fn & ~4095ul);
	uint8_t copy[4096];
	size_t off = (uint8_t *)(uintptr_t)&atk_frozen_fn - page;

	memcpy(copy, page, sizeof copy);
	copy[off + 1] = 42;   /* mov $42, %eax */
	if (mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		atk_say("mmap(MAP_FIXED) over a code page: %s", strerror(errno));
		return 0;
	}
	memcpy(page, copy, sizeof copy);
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0) {
		atk_say("mprotect(RX) of the patched copy: %s", strerror(errno));
		return 0;
	}
	atk_say("code page replaced: the function now returns %d", atk_frozen_fn());
	return atk_frozen_fn() == 42;
}

static int unmap_vvar(void)
{
	char line[256];
	unsigned long s = 0, e = 0;
	FILE *f = fopen("/proc/self/maps", "re");

	while (f && fgets(line, sizeof line, f))
		if (strstr(line, "[vvar]") && sscanf(line, "%lx-%lx", &s, &e) == 2)
			break;
	if (f)
		fclose(f);
	if (!e) {
		atk_say("no [vvar] mapping here");
		return 0;
	}
	if (munmap((void *)s, e - s) == 0) {
		atk_say("munmap of [vvar] accepted");
		return 1;
	}
	atk_say("munmap of [vvar]: %s", strerror(errno));
	return 0;
}

static enum atk_result atk_attack(void)
{
	uint8_t *libc_page = (uint8_t *)((uintptr_t)&getppid & ~4095ul);
	void *lib;
	int won = 0, all = 1, r;

	if (atk_frozen_fn() != 7)
		return ATK_ERROR;
#define VARIANT(x) (r = (x), won |= r, all &= r)
	VARIANT(replace_function());
	VARIANT(relro_writable(NULL, "the program"));
	lib = dlopen("libm.so.6", RTLD_NOW);
	if (!lib)   /* the PKU guest carries it in /t */
		lib = dlopen("/t/libm.so.6", RTLD_NOW);
	if (lib)
		VARIANT(relro_writable("libm", "dlopen'ed libm"));
	else
		atk_say("dlopen(libm.so.6): %s", dlerror()), all = 0;
	VARIANT(unmap_vvar());   /* no clock_gettime after this */
	VARIANT(madvise(libc_page, 4096, MADV_DONTNEED) == 0);
	atk_say("madvise(DONTNEED) of libc code: %s", r ? "accepted" : strerror(errno));
	if (mremap(libc_page, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, libc_page + (64ul << 20)) != MAP_FAILED)
		_exit(all ? ATK_SUCCEEDED : ATK_ERROR);   /* libc's getppid moved: leave at once */
	atk_say("mremap of libc code: %s", strerror(errno));
	/* the control run (without erim-tem) shows every variant works */
	if (atk_expect == ATK_SUCCEEDED && won && !all)
		return ATK_ERROR;
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_frozen";
static int atk_needs_pku = 0;
