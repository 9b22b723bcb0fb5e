#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_gen.sh: the generated gentest gates and their attack tests with real
# protection keys (mpk back end) inside the PKU guest; one boot.
exec "$ERIM_VM_RUN" --name vm_gen --cpu max --env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk \
	-- "$builddir/gen/test_gen_gates" vm_gen_mpk
