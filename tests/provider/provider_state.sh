#!/bin/sh
# SPDX-License-Identifier: MIT
# provider_state.sh: the library state of the provider's trusted closure is
# trusted memory (provider/local.am, erim-trusted-link).  ep_statewrite loads
# erim.so through OPENSSL_CONF, as a server does, and has untrusted code
# write the closure's copy of libsodium's _misuse_handler (a function pointer
# sodium_misuse() calls with trusted rights) and of BearSSL's
# br_sha256_vtable (whose function pointers the signing code follows): both
# stopped under mprotect, with erim's report.  Controls: the same writes
# succeed under none, and under mprotect a write to the untrusted side's own
# counter in erim.so (ep_gate_calls, .bss) succeeds.  Before the closure,
# libsodium's state was the shared libsodium's, untrusted memory.  (The mpk
# half: vm_provider_state.sh.)
. "$srcdir/lib/sh_check.sh"
. "$srcdir/provider/tls_lib.sh"
prog=$builddir/provider/ep_statewrite
[ -x "$prog" ] || sh_abort provider_state "$prog not built"
[ -r "$EP_MODULE" ] || sh_abort provider_state "$EP_MODULE not built"
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-pstate.XXXXXX") || exit 99
trap 'rm -rf "$t"' EXIT
sed "s|^module = .*|module = $EP_MODULE|" "$top_srcdir/provider/openssl-erim.cnf" >"$t/erim.cnf"
sym() { nm "$EP_MODULE" | awk -v t="$1" -v s="$2" '$2 == t && $3 == s { print $1 }'; }
mh=$(sym d _misuse_handler)
vt=$(sym d br_sha256_vtable)
gc=$(sym b ep_gate_calls)
[ "$(echo "$mh" | grep -c .)" = 1 ] && [ "$(echo "$vt" | grep -c .)" = 1 ] && [ "$(echo "$gc" | grep -c .)" = 1 ] ||
	sh_abort provider_state "nm $EP_MODULE: _misuse_handler '$mh', br_sha256_vtable '$vt', ep_gate_calls '$gc'"
range=$(readelf -SW "$EP_MODULE" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '$1 == "erim_trusted" { print $3, $5 }')
inside() {   # inside OFFSET: in erim.so's erim_trusted section
	[ -n "$range" ] || { echo "no erim_trusted section"; return 1; }
	a=$((0x$1)); lo=$((0x${range% *})); hi=$((lo + 0x${range#* }))
	echo "0x$1, erim_trusted 0x${range% *} + 0x${range#* }"
	[ "$a" -ge "$lo" ] && [ "$a" -lt "$hi" ]
}
sh_check "the closure's _misuse_handler is in erim.so's erim_trusted" inside "$mh"
sh_check "the closure's br_sha256_vtable is in erim.so's erim_trusted" inside "$vt"
outside() { ! inside "$1"; }
sh_check "control: the untrusted side's ep_gate_calls is not" outside "$gc"
run() {   # run NAME BACKEND EXPECT OFFSET [MESSAGE]
	name=$1 be=$2 exp=$3 off=$4 msg=${5:-}
	OPENSSL_CONF=$t/erim.cnf LD_LIBRARY_PATH=$EP_LIBDIR ERIM_BACKEND=$be ERIM_QUIET=1 \
		"$prog" "$exp" "$off" >"$t/out" 2>&1
	rc=$?
	sed 's/^/    /' "$t/out"
	if [ -n "$msg" ]; then
		sh_check "$name" sh -c "[ $rc -eq 0 ] && grep -q -- '$msg' '$t/out'"
	else
		sh_result "$name" $rc
	fi
}
run "untrusted write to the closure's libsodium _misuse_handler stopped under mprotect, with erim's report" \
	mprotect stopped "$mh" violation
run "untrusted write to the closure's BearSSL br_sha256_vtable stopped under mprotect, with erim's report" \
	mprotect stopped "$vt" violation
run "control: the write to _misuse_handler succeeds under none" none written "$mh"
run "control: the write to br_sha256_vtable succeeds under none" none written "$vt"
run "control: under mprotect, a write to the untrusted side's ep_gate_calls succeeds" mprotect written "$gc"
sh_done provider_state
