#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_fuzz_gates.sh: the mpk slice of the marshaller fuzzer: the regression
# interfaces and FZ_GATES_VM_COUNT (default 2) fresh ones from
# FZ_GATES_SEED, built natively and run with real protection keys
# (ERIM_BACKEND=mpk) in the PKU guest; one boot, one test per interface.
: "${srcdir:=$(dirname "$0")/..}"
: "${builddir:=.}"
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (the interface generator is a Python script)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fz-vm.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$srcdir/fuzz-gates/fzrun.py" build "$tmp" --seed "${FZ_GATES_SEED:-1}" --count "${FZ_GATES_VM_COUNT:-2}" \
	"$srcdir"/fuzz-gates/regress/*.json >"$tmp/list" || exit 99
set --
while read -r exe seed; do
	[ $# -gt 0 ] && set -- "$@" ";;"
	set -- "$@" "$exe" 3 "$seed" 2
done <"$tmp/list"
if [ $# -eq 0 ]; then
	echo "vm_fuzz_gates: no interface could be built"
	echo "vm_fuzz_gates: 0 passed, 1 failed"
	exit 1
fi
"$ERIM_VM_RUN" --name vm_fuzz_gates --cpu max --timeout 900 --env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk \
	--env ERIM_QUIET=1 -- "$@"
