#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_xmmleak_native.sh: rt_xmmleak natively under mprotect, dynamic and
# static-PIE -- an erimgen entry's copy-out to an unmapped out pointer faults
# inside trusted code; liberim stops the process, the kernel's frame on the
# attacker's MAP_SHARED sigaltstack holds no AES round-key word -- and the
# control built from the same gates without erim_scrub_registers(), whose
# frame holds the round keys.
. "$srcdir/lib/sh_check.sh"
b=$builddir/harden
while read -r line; do
	sh_run $line
done <<EOF2
$b/rt_xmmleak mprotect
$b/rt_xmmleak_static mprotect
$b/rt_xmmleak_noscrub mprotect
$b/rt_xmmleak_noscrub_static mprotect
EOF2
sh_done rt_xmmleak_native
