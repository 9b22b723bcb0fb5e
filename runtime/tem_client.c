/* SPDX-License-Identifier: MIT */
/* tem_client.c: liberim's side of TEM.  At erim_init, during trusted
 * start-up, erim__tem_attach() tells an erim-tem supervisor (if the process
 * runs under one) the trusted key and the trusted ranges, through the
 * one-shot registration call of tem/tem_proto.h.  Why that channel cannot be
 * forged: the supervisor accepts only the FIRST registration of a process
 * image, erim_init makes it before any untrusted code has run (everything
 * before erim_init returns is trusted start-up in erim's threat model), a
 * registration can only add protection, and under erim-tem nobody can
 * install another seccomp filter that could answer in the supervisor's name.
 * The answer tells where we run: TEM_REPLY = accepted; -ENOSYS = no erim-tem
 * (a notice, or -ENOTSUP when TEM is required); anything else under erim-tem
 * (someone registered first, malformed) fails closed with -EPERM.
 *
 * The key comes from erim_pkey(): erim_init publishes the back end and key
 * (in its sealed read-only page) before it calls this function. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim_hooks.h"
#include "tem_proto.h"

/* more ranges than the registry holds: a region with its guards and the rest */
#define TEM_CLIENT_RANGES 64

int erim__tem_attach(int require, int quiet)
{
	struct erim_range r[TEM_CLIENT_RANGES];
	struct tem_registration reg;
	const char *env = getenv("ERIM_REQUIRE");
	size_t n, i;
	long rc;

	if (env && strstr(env, "tem"))
		require = 1;
	n = erim__trusted_ranges(r, TEM_CLIENT_RANGES);
	if (n > TEM_CLIENT_RANGES)
		return -E2BIG;
	memset(&reg, 0, sizeof reg);
	reg.version = TEM_VERSION;
	reg.pkey = erim_pkey();   /* published by erim_init before the attach; -1 without mpk */
	/* sorted and disjoint: ranges that touch (a region and its guards) are
	 * one range to erim-tem, which freezes them all alike */
	for (i = 0; i < n; i++) {
		if (reg.nranges && reg.range[reg.nranges - 1].end == r[i].start) {
			reg.range[reg.nranges - 1].end = r[i].end;
			continue;
		}
		if (reg.nranges == TEM_MAX_RANGES)
			return -E2BIG;   /* fail closed: TEM would not know every range */
		reg.range[reg.nranges].start = r[i].start;
		reg.range[reg.nranges].end = r[i].end;
		reg.nranges++;
	}
	rc = syscall(TEM_NR_REGISTER, TEM_MAGIC, &reg, sizeof reg);
	if (rc == TEM_REPLY)
		return 1;   /* registered: erim-tem now freezes these ranges */
	if (rc == -1 && errno == ENOSYS) {
		if (require)
			return -ENOTSUP;
		if (!quiet)
			fprintf(stderr, "erim: notice: not running under erim-tem: executable memory "
			        "and the kernel-as-deputy rows are not enforced (run under erim-tem, "
			        "or set ERIM_REQUIRE=tem to refuse to start)\n");
		return 0;
	}
	if (!quiet)
		fprintf(stderr, "erim: erim-tem refused the registration (%s): failing closed\n",
		        rc == -1 ? strerror(errno) : "unexpected answer");
	return -EPERM;
}
