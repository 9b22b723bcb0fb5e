#!/bin/sh
# rt_plt_native.sh: no PLT stub reads a writable slot after erim_init
# (vm/rt_plt.c) natively -- none and mprotect, dynamic (with a module
# dlopened after init) and static; a static program linked without
# -z relro -z now is refused.  The GOT-hijack controls run inside each
# program (the retargeting undone: the hijack runs the attacker's function).
m=$builddir/harden/.libs/dlclean.so
p=0 f=0 s=0
export ERIM_QUIET=1
while read -r line; do
	echo "== $line"
	out=$($line 2>&1); rc=$?
	echo "$out"
	c=$(echo "$out" | grep -E '^rt_plt[a-z_]*: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$c" ]; then
		echo "   (no closing line, exit $rc: one failure)"; f=$((f + 1)); continue
	fi
	set -- $(echo "$c" | sed 's/^[^:]*://; s/[^0-9 ]//g')
	p=$((p + $1)); f=$((f + $2)); s=$((s + ${3:-0}))
	[ "$rc" -eq 0 ] || [ "$2" -gt 0 ] || { echo "   (exit $rc)"; f=$((f + 1)); }
done <<EOF2
$builddir/vm/rt_plt none $m
$builddir/vm/rt_plt mprotect $m
$builddir/vm/rt_plt_static none
$builddir/vm/rt_plt_static mprotect
$builddir/vm/rt_plt_lazy_static none --refused
EOF2
echo "rt_plt_native: $p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
