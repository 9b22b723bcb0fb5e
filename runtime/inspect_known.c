/* inspect_known.c: the table of WRPKRU sites that system libraries contain on
 * purpose (see inspect.h).  Each entry pins the exact bytes from the symbol's
 * start through the WRPKRU, taken from the shipped binary and checked against
 * its disassembly, so a match proves the WRPKRU is a real instruction start.
 * A library update that changes the bytes simply stops matching, and the
 * site is then treated like any other unsafe WRPKRU (fail closed). */
#include "config.h"

#include <string.h>

#include "inspect.h"

/* Debian 12 glibc 2.36 (libc6 2.36-9+deb12u*), pkey_set:
 *   cmp edi,15; ja; cmp esi,3; ja; xor r8d,r8d; add edi,edi; mov ecx,r8d;
 *   rdpkru; mov edx,3; mov ecx,edi; mov r9d,eax; shl edx,cl; shl esi,cl;
 *   mov ecx,r8d; mov eax,edx; mov edx,r8d; not eax; and eax,r9d; or eax,esi;
 *   wrpkru                                                                   */
static const uint8_t inspect_glibc236_pkey_set[] = {
	0x83, 0xff, 0x0f, 0x77, 0x3b, 0x83, 0xfe, 0x03, 0x77, 0x36, 0x45, 0x31,
	0xc0, 0x01, 0xff, 0x44, 0x89, 0xc1, 0x0f, 0x01, 0xee, 0xba, 0x03, 0x00,
	0x00, 0x00, 0x89, 0xf9, 0x41, 0x89, 0xc1, 0xd3, 0xe2, 0xd3, 0xe6, 0x44,
	0x89, 0xc1, 0x89, 0xd0, 0x44, 0x89, 0xc2, 0xf7, 0xd0, 0x44, 0x21, 0xc8,
	0x09, 0xf0, 0x0f, 0x01, 0xef,
};

static const struct inspect_known_site inspect_known_sites[] = {
	{ "libc.so.6", "pkey_set",
	  "glibc pkey_set() writes PKRU for any key; untrusted code must never reach it",
	  inspect_glibc236_pkey_set, sizeof inspect_glibc236_pkey_set },
};

const struct inspect_known_site *inspect_known_site(const char *object, const char *symbol,
                                                    uint64_t sym_off, const uint8_t *sym_code,
                                                    size_t sym_avail)
{
	if (!object || !symbol || !sym_code)
		return NULL;
	const char *base = strrchr(object, '/');
	base = base ? base + 1 : object;
	for (size_t i = 0; i < sizeof inspect_known_sites / sizeof *inspect_known_sites; i++) {
		const struct inspect_known_site *k = &inspect_known_sites[i];
		if (strcmp(base, k->object) != 0 || strcmp(symbol, k->symbol) != 0)
			continue;
		if (sym_off + 3 != k->len || sym_avail < k->len)
			continue;
		if (memcmp(sym_code, k->bytes, k->len) == 0)
			return k;
	}
	return NULL;
}
