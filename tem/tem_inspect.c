/* tem_inspect.c: the byte check TEM applies before it grants PROT_EXEC.
 *
 * TEMPORARY LOCAL CHECK: the project's scanner (runtime/scan.h) had not
 * landed when TEM was written, so this is a deliberately tiny stand-in behind
 * the one function tem_inspect(): it reports WRPKRU (0F 01 EF) and XRSTOR /
 * XRSTOR64 (0F AE with ModRM.reg = 5 and a memory operand, i.e. mod != 3;
 * mod == 3 is LFENCE) at every byte offset, whatever the instruction
 * boundaries.  Prefixes need no special handling: the search is for the
 * opcode bytes themselves at every offset.  Unlike the load-time inspector it
 * classifies nothing as safe: code that untrusted code creates at run time
 * has no business containing either instruction. */
#include "config.h"

#include <string.h>

#include "tem.h"

const char *tem_inspect_impl(void)
{
	return "local WRPKRU/XRSTOR byte check (tem_inspect.c)";
}

int tem_inspect(const uint8_t *buf, size_t len, uint64_t addr,
                uint64_t *hit_addr, const char **what)
{
	const uint8_t *p = buf, *end = buf + len;

	while (len >= 3 && (p = memchr(p, 0x0f, (size_t)(end - p) - 2)) != NULL) {
		if (p[1] == 0x01 && p[2] == 0xef) {
			*hit_addr = addr + (uint64_t)(p - buf);
			*what = "WRPKRU";
			return 1;
		}
		if (p[1] == 0xae && ((p[2] >> 3) & 7) == 5 && (p[2] >> 6) != 3) {
			*hit_addr = addr + (uint64_t)(p - buf);
			*what = "XRSTOR";
			return 1;
		}
		p++;
		if (end - p < 3)
			break;
	}
	return 0;
}
