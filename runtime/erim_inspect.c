/* SPDX-License-Identifier: MIT */
/* erim_inspect.c: liberim's side of load-time inspection.  The inspector
 * (inspect/, linked in as liberiminspect.la) knows nothing of the runtime;
 * this hook hands it the runtime's own WRPKRU sites (the gate table of
 * erim_gate.S), which are accepted by exact address and nowhere else. */
#include "config.h"

#include "erim_hooks.h"
#include "inspect.h"

int erim__inspect_process(enum erim_inspect_policy policy, int quiet)
{
	const uintptr_t *sites = NULL;
	size_t n = erim__gate_sites(&sites);

	return inspect_process_run(policy, quiet, 0, sites, n, NULL);
}

const char *erim__inspect_refusal(void)
{
	return inspect_process_refusal();
}
