#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_gen_split.sh: the gates erimgen --split-ocalls writes (gentest, with an
# allow list whose trusted base lives in the ocalls file; issue 15's
# regressions with five callbacks) with real protection keys (mpk back end)
# inside the PKU guest; one boot.
exec "$ERIM_VM_RUN" --name vm_gen_split --cpu max --env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk \
	-- "$builddir/gen/test_gen_gates_split" vm_gen_split_gates_mpk \
	";;" "$builddir/gen/test_gen_regress_split" vm_gen_split_regress_mpk
