/* SPDX-License-Identifier: MIT */
/* inspect_known.c: the table of WRPKRU sites that system libraries contain on
 * purpose (see inspect.h).  Each entry pins the exact bytes from the symbol's
 * start through the WRPKRU, taken from the shipped binary and checked against
 * its disassembly, so a match proves the WRPKRU is a real instruction start.
 * A library update that changes the bytes simply stops matching, and the
 * site is then treated like any other unsafe WRPKRU (fail closed). */
#include "config.h"

#include <string.h>

#include "inspect.h"
#include "scan.h"

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

/* ---- XRSTOR sites ------------------------------------------------------------
 *
 * glibc 2.26 .. 2.38 (Debian 12: 2.36), sysdeps/x86_64/dl-trampoline.h, the
 * end of _dl_runtime_resolve_xsave and _dl_runtime_resolve_xsavec (both in
 * ld.so, and the copy static glibc links for dlopen):
 *
 *   call _dl_fixup; mov r11, rax; mov eax, 0xee; xor edx, edx;
 *   xrstor [rsp+0x40];                              <- the site
 *   mov r9,[rsp+0x30]; mov r8,[rsp+0x28]; mov rdi,[rsp+0x20];
 *   mov rsi,[rsp+0x18]; mov rdx,[rsp+0x10]; mov rcx,[rsp+8]; mov rax,[rsp];
 *   mov rsp, rbx; mov rbx, [rsp]; add rsp, 0x18; jmp r11
 *
 * Rewritten in the same 53 bytes: the XRSTOR, the check, the seven loads as
 * pops (the save area starts at [rsp], in push order), the same epilogue, and
 * int3 up to the end.  Lazy binding keeps working (EAX is 0xee there); a jump
 * onto the XRSTOR with bit 9 set ends the process. */
static const uint8_t inspect_glibc_resolve_before[] = {
	0x49, 0x89, 0xc3,                   /* mov r11, rax */
	0xb8, 0xee, 0x00, 0x00, 0x00,       /* mov eax, 0xee */
	0x31, 0xd2,                         /* xor edx, edx */
};
static const uint8_t inspect_glibc_resolve_at[] = {
	0x0f, 0xae, 0x6c, 0x24, 0x40,       /* xrstor [rsp+0x40] */
	0x4c, 0x8b, 0x4c, 0x24, 0x30,       /* mov r9, [rsp+0x30] */
	0x4c, 0x8b, 0x44, 0x24, 0x28,       /* mov r8, [rsp+0x28] */
	0x48, 0x8b, 0x7c, 0x24, 0x20,       /* mov rdi, [rsp+0x20] */
	0x48, 0x8b, 0x74, 0x24, 0x18,       /* mov rsi, [rsp+0x18] */
	0x48, 0x8b, 0x54, 0x24, 0x10,       /* mov rdx, [rsp+0x10] */
	0x48, 0x8b, 0x4c, 0x24, 0x08,       /* mov rcx, [rsp+8] */
	0x48, 0x8b, 0x04, 0x24,             /* mov rax, [rsp] */
	0x48, 0x89, 0xdc,                   /* mov rsp, rbx */
	0x48, 0x8b, 0x1c, 0x24,             /* mov rbx, [rsp] */
	0x48, 0x83, 0xc4, 0x18,             /* add rsp, 0x18 */
	0x41, 0xff, 0xe3,                   /* jmp r11 */
};
static const uint8_t inspect_glibc_resolve_replace[] = {
	0x0f, 0xae, 0x6c, 0x24, 0x40,       /* xrstor [rsp+0x40] */
	SCAN_XRSTOR_CHECK_BYTES,            /* EAX bit 9 set: exit_group */
	0x58, 0x59, 0x5a, 0x5e, 0x5f,       /* pop rax, rcx, rdx, rsi, rdi */
	0x41, 0x58, 0x41, 0x59,             /* pop r8, r9 */
	0x48, 0x89, 0xdc,                   /* mov rsp, rbx */
	0x48, 0x8b, 0x1c, 0x24,             /* mov rbx, [rsp] */
	0x48, 0x83, 0xc4, 0x18,             /* add rsp, 0x18 */
	0x41, 0xff, 0xe3,                   /* jmp r11 */
	0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, /* never reached */
};
_Static_assert(sizeof inspect_glibc_resolve_at == sizeof inspect_glibc_resolve_replace,
               "the rewrite must keep the length");

static const struct inspect_known_xrstor inspect_known_xrstors[] = {
	{ "glibc's lazy-binding trampoline (_dl_runtime_resolve_xsave/xsavec): its only guard is the mov before it",
	  inspect_glibc_resolve_before, sizeof inspect_glibc_resolve_before,
	  inspect_glibc_resolve_at, inspect_glibc_resolve_replace, sizeof inspect_glibc_resolve_at },
};

const struct inspect_known_xrstor *inspect_known_xrstor(const uint8_t *p, size_t nbefore,
                                                        size_t nafter)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < sizeof inspect_known_xrstors / sizeof *inspect_known_xrstors; i++) {
		const struct inspect_known_xrstor *k = &inspect_known_xrstors[i];
		if (nbefore < k->nbefore || nafter < k->len)
			continue;
		if (memcmp(p - k->nbefore, k->before, k->nbefore) == 0 &&
		    memcmp(p, k->at, k->len) == 0)
			return k;
	}
	return NULL;
}
