#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_sig_native.sh: rt_sig natively -- the mprotect back end (every signal
# whose frame has trusted rights stops the process before the program's
# handler runs; the gate drops a pending x87 exception) and none (the
# control: the same handler redirect reads the secret), dynamic and static.
. "$srcdir/lib/sh_check.sh"
b=$builddir/harden
while read -r line; do
	sh_run $line
done <<EOF2
$b/rt_sig mprotect
$b/rt_sig none
$b/rt_sig_static mprotect
$b/rt_sig_static none
EOF2
sh_done rt_sig_native
