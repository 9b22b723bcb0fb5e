#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_mpk.sh: the runtime core with real protection keys (one guest boot): the
# attack rows the runtime alone must stop, the same program statically linked
# (explicit erim_init, no liberim.so), then the concurrent gate stress.
exec "$ERIM_VM_RUN" --name rt_mpk --cpu max --smp 2 --env ERIM_BACKEND=mpk --env ERIM_QUIET=1 -- \
	"$builddir/runtime/rt_mpk" ';;' "$builddir/runtime/rt_mpk_static" ';;' "$builddir/runtime/rt_mpk" --stress
