#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_low_native.sh: rt_low natively (no protection keys here): the mprotect
# back end initialises a non-PIE static program (no WRPKRU to reach; the mpk
# refusal is vm_low.sh's), refuses erim_init while another thread or CLONE_VM
# task lives (control: none, and a thread joined before init), and trusted
# code's mutexes know their owner (tcb_tid), dynamic and static.
. "$srcdir/lib/sh_check.sh"
b=$builddir/harden
while read -r prog args; do
	sh_check "$(basename "$prog") $args" "$prog" $args
done <<EOF2
$b/rt_low sites mprotect
$b/rt_low_static sites mprotect
$b/rt_low_nopie sites mprotect
$b/rt_low_nopie sites none
$b/rt_low threads mprotect
$b/rt_low threads none
$b/rt_low_static threads mprotect
$b/rt_low tid mprotect
$b/rt_low tid none
$b/rt_low_static tid mprotect
EOF2
sh_done rt_low_native
