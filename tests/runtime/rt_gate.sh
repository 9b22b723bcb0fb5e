#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_gate.sh: the gate's own state under attack with real protection keys (one
# guest boot): runtime/rt_gate.c under mpk, dynamically and statically linked, and
# the control run under none in the same guest.
exec "$ERIM_VM_RUN" --name rt_gate --cpu max --smp 2 --env ERIM_QUIET=1 -- \
	"$builddir/runtime/rt_gate" mpk ';;' "$builddir/runtime/rt_gate_static" mpk ';;' \
	"$builddir/runtime/rt_gate" none
