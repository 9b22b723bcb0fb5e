/* SPDX-License-Identifier: MIT */
/* tem_inspect.c: the byte check TEM applies before it grants PROT_EXEC, on
 * top of the project's scanner (inspect/scan.h, linked into erim-tem): every
 * WRPKRU and XRSTOR/XRSTOR64 at every byte offset.  Nothing is accepted:
 * memory made executable at run time holds no WRPKRU and no XRSTOR at all,
 * whatever the bytes around it.  Code before an XRSTOR proves nothing (a jump
 * lands on the XRSTOR itself: `mov eax, 0; xrstor` granted, then jumped past
 * the mov, loads PKRU), and runtime gates and checked
 * XRSTORs live only in code inspected at erim_init. */
#include "config.h"

#include "scan.h"
#include "tem.h"

const char *tem_inspect_impl(void)
{
	return "the project scanner (inspect/scan_core.c); no WRPKRU or XRSTOR accepted";
}

struct tem_hit {
	uint64_t addr;
	const char *what;
};

static int on_hit(const struct scan_hit *h, void *arg)
{
	struct tem_hit *th = arg;

	th->addr = h->addr;
	th->what = h->kind == SCAN_WRPKRU ? "WRPKRU" : "XRSTOR";
	return 1;
}

int tem_inspect(const uint8_t *buf, size_t len, uint64_t addr,
                uint64_t *hit_addr, const char **what)
{
	struct tem_hit th = { 0, "" };

	if (scan_buffer(buf, len, addr, on_hit, &th) == 0)
		return 0;
	*hit_addr = th.addr;
	*what = th.what;
	return 1;
}
