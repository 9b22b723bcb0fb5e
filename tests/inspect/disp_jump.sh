#!/bin/sh
# SPDX-License-Identifier: MIT
# disp_jump.sh (native): a WRPKRU inside a call's rel32 at a proven boundary
# is retargeted at erim_init (the call still works), raw bytes of that shape
# outside any function are still refused.  The jump into the displacement
# and its control need protection keys: vm_inspect.sh runs them.  Each mode
# is its own process (erim_init runs once); the counts are summed.
p=0 f=0 s=0 rc=0
for mode in "" raw; do
	out=$("$builddir/inspect/disp_jump" $mode 2>&1) || rc=1
	printf '%s\n' "$out"
	set -- $(printf '%s\n' "$out" | sed -n 's/^[a-z_]*: \([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p' | tail -n 1)
	[ $# -ge 2 ] || { echo "disp_jump $mode: no closing line"; f=$((f + 1)); continue; }
	p=$((p + $1)) f=$((f + $2)) s=$((s + ${3:-0}))
done
[ $rc -eq 0 ] || [ $f -gt 0 ] || f=1
echo "disp_jump: $p passed, $f failed, $s skipped"
[ $f -eq 0 ]
