#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_sig.sh: rt_sig in the PKU guest -- the mpk back end, dynamic and static
# (a single-step trap after the gate's WRPKRU, after a jump onto it, after
# inspection's checked XRSTOR; a fault of trusted code chained to the
# program's handler: every one stops the process), and the control runs
# under none, where the same handler redirect reads the secret.
# In the same guest: rt_xmmleak under mpk, dynamic and static-PIE (an erimgen
# entry's faulting copy-out leaves no AES round key in the frame the kernel
# writes onto the attacker's shared sigaltstack; control: the gates without
# erim_scrub_registers(), where the frame holds the keys), and
# runtime/test_rt_scrub under mpk (the registers erim_scrub_registers zeroes,
# at the guest CPU's vector width).
b=$builddir/harden
exec "$ERIM_VM_RUN" --name vm_sig --cpu max --smp 2 --env ERIM_QUIET=1 -- \
	"$b/rt_sig" mpk ';;' "$b/rt_sig_static" mpk ';;' \
	"$b/rt_sig" none ';;' "$b/rt_sig_static" none ';;' \
	"$b/rt_xmmleak" mpk ';;' "$b/rt_xmmleak_static" mpk ';;' \
	"$b/rt_xmmleak_noscrub" mpk ';;' "$b/rt_xmmleak_noscrub_static" mpk ';;' \
	"$builddir/runtime/test_rt_scrub" mpk
