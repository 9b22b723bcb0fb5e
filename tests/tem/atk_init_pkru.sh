#!/bin/sh
# SPDX-License-Identifier: MIT
# atk_init_pkru.sh (runs in the guest, from /t): debugfs mounted first, as a
# Debian system has it, then the attack under erim-tem and without it.
mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -e /sys/kernel/debug/x86/init_pkru ] || echo "note: no /sys/kernel/debug/x86/init_pkru here"
./erim-tem ./atk_init_pkru --expect refused
a=$?
./atk_init_pkru --expect succeeded
b=$?
for r in $a $b; do
	[ "$r" = 0 ] || [ "$r" = 77 ] || exit 1
done
# a control that could not run proves nothing: either one skipped, the test skips
[ "$a" = 77 ] || [ "$b" = 77 ] && exit 77
exit 0
