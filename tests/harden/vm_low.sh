#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_low.sh: rt_low in the PKU guest under mpk.  sites: the non-PIE static
# program is refused (its gates lie below 4 GiB, where 32-bit compatibility
# mode reaches them) and says to link with -static-pie; the control, the same
# source as static-PIE and dynamic, initialises and runs a gate.  threads:
# a live pthread or CLONE_VM task makes erim_init refuse (control: joined
# thread; none).  tid: owner-keyed mutexes exclude in trusted code.
b=$builddir/harden
exec "$ERIM_VM_RUN" --name vm_low --cpu max --smp 2 --env ERIM_QUIET=1 -- \
	"$b/rt_low_nopie" sites mpk ';;' "$b/rt_low_static" sites mpk ';;' "$b/rt_low" sites mpk ';;' \
	"$b/rt_low" threads mpk ';;' "$b/rt_low_static" threads mpk ';;' "$b/rt_low" threads none ';;' \
	"$b/rt_low" tid mpk ';;' "$b/rt_low_static" tid mpk
