#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz_gates_check.sh: the `make check` slice of the marshaller fuzzer:
# every regression interface in fuzz-gates/regress/ and FZ_GATES_COUNT
# (default 4) fresh interfaces from seed FZ_GATES_SEED (default 1), each
# through erimgen, gcc/clang -Werror, `none` + ASan/UBSan and `mprotect`.
# Any finding fails the suite (and names the class and the interface).
: "${srcdir:=$(dirname "$0")/..}"
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (the interface generator is a Python script)"
	exit 77
fi
if ! command -v gcc >/dev/null 2>&1; then
	echo "skipped: gcc is not installed"
	exit 77
fi
command -v clang >/dev/null 2>&1 || echo "note: clang not installed: generated code checked with gcc only"
exec python3 "$srcdir/fuzz-gates/fzrun.py" check --seed "${FZ_GATES_SEED:-1}" --count "${FZ_GATES_COUNT:-4}" \
	--rounds 5 --race 3 "$srcdir"/fuzz-gates/regress/*.json
