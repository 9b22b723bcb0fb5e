#!/bin/sh
# SPDX-License-Identifier: MIT
# import_graph.sh: no import circles between the product files of runtime/,
# tem/, inspect/, idl/ and generator/, and no folder includes another's
# private header (issue 16; generator/ uses idl/ through idl/idl.h only).  Runs tools/import-graph over the built objects: module A depends on B
# when A uses a symbol B defines; a circle is A -> ... -> A.
# Controls: the same tool finds a circle and a "../" include in two crafted
# files, so a clean result means something.
. "$srcdir/lib/sh_check.sh"
tool="$top_srcdir/tools/import-graph"
if ! command -v python3 >/dev/null || ! command -v nm >/dev/null; then
	sh_skip "all" "python3 or nm (binutils) not installed"
	sh_done import_graph
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-imports.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# --- controls: a crafted circle and a crafted include that leaves its folder
mkdir -p "$tmp/ctl"
printf 'int ctl_b(int);\nint ctl_a(int x) { return x ? ctl_b(x - 1) : 0; }\n' >"$tmp/ctl/a.c"
printf '#include "../ctl/b.h"\nint ctl_a(int);\nint ctl_b(int x) { return x ? ctl_a(x - 1) : 1; }\n' >"$tmp/ctl/b.c"
: >"$tmp/ctl/b.h"
${CC:-cc} -c -o "$tmp/ctl/a.o" "$tmp/ctl/a.c" && ${CC:-cc} -c -I"$tmp/ctl" -o "$tmp/ctl/b.o" "$tmp/ctl/b.c"
"$tool" --fail-on ctl --includes "$tmp" "$tmp/ctl" >"$tmp/ctl.out" 2>&1
ctl_rc=$?
sh_check "control: a crafted circle fails the run" test "$ctl_rc" -eq 1
sh_check "control: the circle names both files" grep -q "^circle: ctl/a <-> ctl/b" "$tmp/ctl.out"
sh_check "control: the '../' include is reported" grep -q "^include ctl/b.c:1: \"../ctl/b.h\"" "$tmp/ctl.out"

# --- the product.  Known circle (the list may only shrink; the tool fails when
# it is gone): liberim's gate and its C slow path call each other
# (erim_gate.S <-> erim_entries.c), the heap and the entry table reserve the
# trusted regions lazily when used before erim_init (erim__reserve_default),
# and erim_fini's trusted wipe is internal entry 0 of the entry table and uses
# the heap (erim_wipe.c <-> erim_entries.c, erim_heap.c).
KNOWN="runtime/erim_entries runtime/erim_gate runtime/erim_heap runtime/erim_init runtime/erim_inspect runtime/erim_wipe"
for c in runtime tem inspect idl generator; do
	known=
	[ "$c" = runtime ] && known=$KNOWN
	"$tool" --fail-on "$c" ${known:+--known "$known"} --includes "$top_srcdir" "$top_builddir/$c" \
		>"$tmp/$c.out" 2>&1
	echo "rc=$?" >>"$tmp/$c.out"
	cat "$tmp/$c.out"
done
# circles are found across folders too: all three in one graph
"$tool" --fail-on runtime --fail-on tem --fail-on inspect --known "$KNOWN" --includes "$top_srcdir" \
	"$top_builddir/runtime" "$top_builddir/tem" "$top_builddir/inspect" >"$tmp/all.out" 2>&1
echo "rc=$?" >>"$tmp/all.out"
cat "$tmp/all.out"
for c in runtime tem inspect idl generator; do
	sh_check "$c/: objects found" grep -q "^modules: [1-9]" "$tmp/$c.out"
	sh_check "$c/: no circle but the known one, no private include of another folder" grep -qx "rc=0" "$tmp/$c.out"
done
sh_check "runtime/ + tem/ + inspect/ together: no circle across folders" grep -qx "rc=0" "$tmp/all.out"
sh_done import_graph
