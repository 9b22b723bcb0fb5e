/* tem_inspect.c: the byte check TEM applies before it grants PROT_EXEC, on
 * top of the project's scanner (runtime/scan.h, linked into erim-tem): every
 * WRPKRU and XRSTOR at every byte offset.  The only occurrence accepted is an
 * XRSTOR the scanner proves benign (EAX bit 9 clear, so PKRU is not
 * restored).  A generated-gate pattern is NOT accepted here: in memory that
 * untrusted code creates, the code after the gate is the attacker's, so the
 * compare after WRPKRU protects nothing; and runtime gates live only in
 * liberim, never in memory made executable at run time. */
#include "config.h"

#include "scan.h"
#include "tem.h"

const char *tem_inspect_impl(void)
{
	return "the project scanner (runtime/scan_core.c); only benign XRSTOR accepted";
}

struct tem_hit {
	uint64_t addr;
	const char *what;
};

static int on_hit(const struct scan_hit *h, void *arg)
{
	struct tem_hit *th = arg;

	if (h->cls == SCAN_BENIGN_XRSTOR)
		return 0;
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
