#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_sig_native.sh: rt_sig natively -- the mprotect back end (every signal
# whose frame has trusted rights stops the process before the program's
# handler runs; the gate drops a pending x87 exception) and none (the
# control: the same handler redirect reads the secret), dynamic and static.
# Then rt_xmmleak under mprotect, dynamic and static-PIE: an erimgen entry's
# copy-out to an unmapped out pointer faults inside trusted code, liberim
# stops the process, and the kernel's frame on the attacker's MAP_SHARED
# sigaltstack holds no AES round-key word; the control, built from the same
# gates without erim_scrub_registers(), finds the round keys in that frame.
# rt_siginstall under mprotect: every name of glibc's that installs a handler
# or a signal stack reaches liberim's interposer (red team 51).
. "$srcdir/lib/sh_check.sh"
b=$builddir/harden
while read -r line; do
	sh_run $line
done <<EOF2
$b/rt_sig mprotect
$b/rt_sig none
$b/rt_sig_static mprotect
$b/rt_sig_static none
$b/rt_xmmleak mprotect
$b/rt_xmmleak_static mprotect
$b/rt_xmmleak_noscrub mprotect
$b/rt_xmmleak_noscrub_static mprotect
$b/rt_siginstall mprotect
EOF2
sh_done rt_sig_native
