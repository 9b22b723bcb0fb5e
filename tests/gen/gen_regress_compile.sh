#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_regress_compile.sh: erimgen on every gen/regress/*.erim (the shapes of
# issue 15 class 7 and the other classes' regressions) exits 0, and what it
# writes compiles with gcc and clang -Wall -Wextra -Werror -std=c11 at -O0
# and -O2 (erimgen must never exit 0 for C that fails -Werror); the same
# with --split-ocalls (NAME_gates.c and NAME_ocalls.c).
set -u
suite=gen_regress_compile

builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/lib/sh_check.sh"
top_srcdir=${top_srcdir:-$srcdir/..}
erimgen=${top_builddir:-$builddir/..}/generator/erimgen
work=$(mktemp -d "${TMPDIR:-/tmp}/gen_regress.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

for split in "" --split-ocalls; do
for erim in "$srcdir"/gen/regress/*.erim; do
	stem=$(basename "$erim" .erim)${split:+_split}
	t=erimgen_accepts_$stem
	mkdir -p "$work/$stem"
	# shellcheck disable=SC2086 # $split: no word or one
	if "$erimgen" $split -o "$work/$stem" "$erim" >"$work/$stem.log" 2>&1; then sh_pass $t; else
		sh_fail $t "erimgen exited non-zero: $(cat "$work/$stem.log")"; continue; fi
	for cc in gcc clang; do
		if ! command -v $cc >/dev/null 2>&1; then sh_skip "${stem}_$cc" "$cc is not installed"; continue; fi
		for opt in -O0 -O2; do
			t=${stem}_compiles_with_${cc}${opt}
			bad=
			for g in "$work/$stem"/*_gates.c "$work/$stem"/*_ocalls.c; do
				[ -f "$g" ] || continue
				$cc $opt -Wall -Wextra -Werror -std=c11 -I"$work/$stem" -I"$top_srcdir/runtime" \
					-c "$g" -o "$work/out.o" >"$work/cc.log" 2>&1 || bad="$bad $(basename "$g")"
			done
			[ -z "$bad" ] && sh_pass $t || sh_fail $t "$cc $opt -Werror fails on:$bad: $(head -5 "$work/cc.log")"
		done
	done
done
done
sh_done "$suite"
