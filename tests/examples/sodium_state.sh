#!/bin/sh
# SPDX-License-Identifier: MIT
# sodium_state.sh: libsodium's writable state in the trusted closure
# (erim-trusted-link) is trusted memory.  tl_sodium_state links libsodium.a
# into its trusted side and the shared libsodium into its untrusted side; an
# untrusted write to the closure's _misuse_handler (the function pointer
# sodium_misuse() calls with trusted rights) is stopped under mprotect.
# Controls: the same write succeeds under none, and a write to the shared
# libsodium's state succeeds under mprotect (what the closure changes).
# (The mpk half is tests/examples/vm_sodium_state.sh.)
. "$srcdir/lib/sh_check.sh"
prog=$builddir/examples/tl_sodium_state
if [ ! -x "$prog" ]; then
	sh_skip all "tests/examples/tl_sodium_state not built: no libsodium.a (configure: kv closure)"
	sh_done sodium_state
fi
tgt=$(nm "$prog" | awk '$3 == "_misuse_handler" { print $1 }')
main=$(nm "$prog" | awk '$2 == "T" && $3 == "main" { print $1 }')
[ "$(echo "$tgt" | grep -c .)" = 1 ] && [ -n "$main" ] || sh_abort sodium_state "nm: _misuse_handler '$tgt', main '$main'"
inside() {
	range=$(readelf -SW "$prog" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '$1 == "erim_trusted" { print $3, $5 }')
	[ -n "$range" ] || { echo "no erim_trusted section"; return 1; }
	a=$((0x$tgt)); lo=$((0x${range% *})); hi=$((lo + 0x${range#* }))
	echo "_misuse_handler 0x$tgt, erim_trusted 0x${range% *} + 0x${range#* }"
	[ "$a" -ge "$lo" ] && [ "$a" -lt "$hi" ]
}
sh_check "the closure's _misuse_handler is in erim_trusted" inside
run() {   # run NAME BACKEND ARGS...
	name=$1 be=$2; shift 2
	ERIM_QUIET=1 ERIM_BACKEND=$be "$prog" "$@" >"$builddir/examples/sodium_state.out" 2>&1
	rc=$?
	sed 's/^/    /' "$builddir/examples/sodium_state.out"
	sh_result "$name" $rc
}
run "untrusted write to the closure's libsodium state stopped under mprotect" mprotect closure stopped "$tgt" "$main"
run "control: the same write succeeds under none" none closure written "$tgt" "$main"
run "control: a write to the shared libsodium's state succeeds under mprotect" mprotect shared written
rm -f "$builddir/examples/sodium_state.out"
sh_done sodium_state
