#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_provider_state.sh: provider_state.sh with real protection keys (QEMU
# guest, ERIM_REQUIRE=mpk): untrusted writes to the provider's trusted
# closure's copies of libsodium's _misuse_handler and BearSSL's
# br_sha256_vtable are stopped; the control, a write to the untrusted side's
# ep_gate_calls in the same erim.so, succeeds.
set -u
. "$srcdir/provider/tls_lib.sh"
prog=$builddir/provider/ep_statewrite
sym() { nm "$EP_MODULE" | awk -v t="$1" -v s="$2" '$2 == t && $3 == s { print $1 }'; }
mh=$(sym d _misuse_handler) vt=$(sym d br_sha256_vtable) gc=$(sym b ep_gate_calls)
if [ -z "$mh" ] || [ -z "$vt" ] || [ -z "$gc" ] || [ ! -x "$prog" ]; then
	echo "vm_provider_state: $prog or the symbols of $EP_MODULE missing (_misuse_handler '$mh', br_sha256_vtable '$vt', ep_gate_calls '$gc')"
	echo "vm_provider_state: 0 passed, 1 failed"
	exit 1
fi
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-vmpstate.XXXXXX") || exit 99
trap 'rm -rf "$t"' EXIT
cp "$EP_MODULE" "$t/erim.so"
sed "s|^module = .*|module = /t/erim.so|" "$top_srcdir/provider/openssl-erim.cnf" >"$t/erim.cnf"
LD_LIBRARY_PATH=$EP_LIBDIR; export LD_LIBRARY_PATH
exec "$ERIM_VM_RUN" --name vm_provider_state --cpu max \
	--env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk --env ERIM_QUIET=1 \
	--env OPENSSL_CONF=/t/erim.cnf --env LD_LIBRARY_PATH="$EP_LIBDIR" \
	--file "$t/erim.so" --file "$t/erim.cnf" -- \
	"$prog" stopped "$mh" ';;' \
	"$prog" stopped "$vt" ';;' \
	"$prog" written "$gc"
