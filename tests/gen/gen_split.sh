#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_split.sh: the gates erimgen --split-ocalls writes (NAME_gates.c with
# the gates and entries, NAME_ocalls.c with the callback proxies, linked
# together) run the same as the one-file gates: the gentest suite (an allow
# list, so the trusted base crosses from the gates' constructor into the
# ocalls file) and issue 15's regressions (five callbacks), each under the
# none and mprotect back ends.  Every split program must pass and print
# line for line what its one-file twin prints (test_gen_gates and
# test_gen_regress, which other suites run); a twin that fails makes the
# comparison fail too, so a broken split cannot hide behind a broken twin.
set -u
. "$srcdir/lib/sh_check.sh"
w=$(mktemp -d "${TMPDIR:-/tmp}/gen_split.XXXXXX") || exit 99
trap 'rm -rf "$w"' EXIT

for prog in test_gen_gates test_gen_regress; do
	for be in none mprotect; do
		t="${prog}_split_${be}"
		ERIM_BACKEND=$be ERIM_QUIET=1 "$builddir/gen/$prog" "$t" >"$w/one" 2>&1
		one_rc=$?
		ERIM_BACKEND=$be ERIM_QUIET=1 "$builddir/gen/${prog}_split" "$t" >"$w/split" 2>&1
		split_rc=$?
		cat "$w/split"
		sh_check "$t: the split program passes" test "$split_rc" -eq 0
		sh_check "$t: it ran tests" grep -q "^$t: [1-9][0-9]* passed, 0 failed" "$w/split"
		sh_check "$t: the one-file twin passes" test "$one_rc" -eq 0
		sh_check "$t: same output as the one-file twin" cmp -s "$w/one" "$w/split"
	done
done
sh_done gen_split
