#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_sodium_state.sh: sodium_state.sh with real protection keys (QEMU guest,
# ERIM_REQUIRE=mpk): an untrusted write to the trusted closure's copy of
# libsodium's _misuse_handler is stopped; the control, a write to the shared
# libsodium's writable state, succeeds.
prog=${top_builddir:?}/tests/examples/tl_sodium_state
if [ ! -x "$prog" ]; then
	echo "vm_sodium_state: skipped: tests/examples/tl_sodium_state not built (no libsodium.a)"
	exit 77
fi
tgt=$(nm "$prog" | awk '$3 == "_misuse_handler" { print $1 }')
main=$(nm "$prog" | awk '$2 == "T" && $3 == "main" { print $1 }')
exec "$ERIM_VM_RUN" --name vm_sodium_state --cpu max \
	--env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk --env ERIM_QUIET=1 -- \
	"$prog" closure stopped "$tgt" "$main" ';;' \
	"$prog" shared written
