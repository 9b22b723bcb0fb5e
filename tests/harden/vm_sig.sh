#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_sig.sh: rt_sig in the PKU guest -- the mpk back end, dynamic and static
# (a single-step trap after the gate's WRPKRU, after a jump onto it, after
# inspection's checked XRSTOR; a fault of trusted code chained to the
# program's handler: every one stops the process), and the control runs
# under none, where the same handler redirect reads the secret.
b=$builddir/harden
exec "$ERIM_VM_RUN" --name vm_sig --cpu max --smp 2 --env ERIM_QUIET=1 -- \
	"$b/rt_sig" mpk ';;' "$b/rt_sig_static" mpk ';;' \
	"$b/rt_sig" none ';;' "$b/rt_sig_static" none
