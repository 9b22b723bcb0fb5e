#!/bin/sh
# SPDX-License-Identifier: MIT
# import_graph.sh: no import circles between the product files of any
# product folder (runtime/, tem/, inspect/, idl/, generator/, provider/), and
# no folder includes another's private header (issue 16).  Runs tools/import-graph over the built objects: module A depends on B
# when A uses a symbol B defines; a circle is A -> ... -> A.
# Controls: the same tool finds a circle and a "../" include in two crafted
# files, and a circle put back into the runtime's real objects, so a clean
# result means something.
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

# --- control: the runtime's own objects with one circle put back.  A
# thread-exit key that calls the gate itself (as the entry table's hook did
# before issue 16) closes gate -> erim_thread -> gate; the same objects with
# the real erim_thread must pass, so the check sees real code, not just
# crafted files.
rtobjs="$top_builddir/runtime/.libs"
if ls "$rtobjs"/*erim_thread.o >/dev/null 2>&1; then
	mkdir -p "$tmp/real/runtime" "$tmp/back/runtime"
	cp -p "$rtobjs"/*.o "$tmp/real/runtime/" && cp -p "$rtobjs"/*.o "$tmp/back/runtime/"
	rm -f "$tmp/back/runtime/"*erim_thread.o
	printf '%s\n' 'long erim_gate_call(unsigned, void *);' \
		'void erim__note_thread(void);' 'void erim__thread_exit_init(void (*)(void *));' \
		'void erim__note_thread(void) { erim_gate_call(0, 0); }' \
		'void erim__thread_exit_init(void (*d)(void *)) { (void)d; }' >"$tmp/thread.c"
	${CC:-cc} -c -o "$tmp/back/runtime/liberim_la-erim_thread.o" "$tmp/thread.c"
	"$tool" --fail-on runtime "$tmp/real/runtime" >"$tmp/real.out" 2>&1
	sh_check "control: the runtime's objects as built pass" test "$?" -eq 0
	"$tool" --fail-on runtime "$tmp/back/runtime" >"$tmp/back.out" 2>&1
	sh_check "control: one circle put back into the runtime fails the run" test "$?" -eq 1
	sh_check "control: the circle put back names the gate and the thread-exit key" \
		grep -q "^circle: .*runtime/erim_gate <-> runtime/erim_thread" "$tmp/back.out"
else
	sh_skip "control: a circle put back into the runtime" "runtime/.libs/*erim_thread.o not built"
fi

# --- the product: every folder of shipped code that was built.  No circle is
# allowed anywhere (no list of known ones): each folder alone, and all of
# them in one graph (circles across folders).  provider/ included: its
# generated code is two files (erimgen --split-ocalls), the gates and entries
# above the trusted side, the ocall proxies below it.
comps=
for c in runtime tem inspect idl generator provider; do
	if find "$top_builddir/$c" -maxdepth 2 -name '*.o' 2>/dev/null | grep -q .; then
		comps="$comps $c"
	elif [ "$c" = provider ]; then
		sh_skip "provider/" "not built (configure found no OpenSSL 3 development files)"
	else
		sh_check "$c/: objects found (build it first)" false
	fi
done
all_args=
for c in $comps; do
	"$tool" --fail-on "$c" --includes "$top_srcdir" "$top_builddir/$c" >"$tmp/$c.out" 2>&1
	echo "rc=$?" >>"$tmp/$c.out"
	cat "$tmp/$c.out"
	sh_check "$c/: objects found" grep -q "^modules: [1-9]" "$tmp/$c.out"
	sh_check "$c/: no circle, no private include of another folder" grep -qx "rc=0" "$tmp/$c.out"
	all_args="$all_args --fail-on $c $top_builddir/$c"
done
# shellcheck disable=SC2086 # word splitting wanted: the folders and their flags
"$tool" --includes "$top_srcdir" $all_args >"$tmp/all.out" 2>&1
echo "rc=$?" >>"$tmp/all.out"
cat "$tmp/all.out"
sh_check "all checked folders together: no circle across folders" grep -qx "rc=0" "$tmp/all.out"
sh_done import_graph
