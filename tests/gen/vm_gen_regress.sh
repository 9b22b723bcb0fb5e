#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_gen_regress.sh: issue 15's marshaller regressions with real protection
# keys (mpk back end) inside the PKU guest.
exec "$ERIM_VM_RUN" --name vm_gen_regress --cpu max --env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk \
	-- "$builddir/gen/test_gen_regress" vm_gen_regress_mpk
