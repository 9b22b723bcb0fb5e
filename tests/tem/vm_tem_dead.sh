#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_tem_dead.sh: a child SIGKILLed by its creator's thread before erim-tem
# saw the creator's fork event, then its pid taken (red team 38), with real
# protection keys.  An untraced process there must not be killed with the
# fd table's sharers (control: the child killed after clone returned), and
# a registered process's fork child there must not be judged as the dead
# child's process (controls: a child at another pid, a plain read of the
# trusted page).  A guest of its own: both make erim-tem judge a million
# calls of busy threads, minutes in the emulated 6.1 guest, which vm_tem.sh's
# budget does not have.
t=$builddir/tem
tem=$top_builddir/tem/erim-tem
exec "$ERIM_VM_RUN" --name vm_tem_dead --timeout 900 --env ERIM_QUIET=1 \
	--file "$tem" --file "$t/tem_dead_adopt" --file "$t/tem_dead_first" -- \
	"$t/tem_dead_adopt" driver /t/erim-tem fail ';;' "$t/tem_dead_adopt" driver /t/erim-tem ok ';;' \
	"$t/tem_dead_first" driver /t/erim-tem
