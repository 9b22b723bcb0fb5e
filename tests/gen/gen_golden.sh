#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_golden.sh: erimgen on every tests/gen/golden/*.erim must reproduce the
# expected files in tests/gen/golden/NAME/ byte for byte (regenerate them on
# purpose with golden/regen.sh), and every output must compile warning-free
# with gcc and clang -Wall -Wextra -Werror -std=c11.
set -u
suite=gen_golden

srcdir=${srcdir:-.}
. "$srcdir/lib/sh_check.sh"
top_srcdir=${top_srcdir:-$srcdir/..}
top_builddir=${top_builddir:-..}
erimgen=$top_builddir/generator/erimgen
gold=$srcdir/gen/golden
work=$(mktemp -d "${TMPDIR:-/tmp}/gen_golden.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

for erim in "$gold"/*.erim; do
	stem=$(basename "$erim" .erim)
	mkdir -p "$work/$stem"
	t=golden_${stem}_output_matches
	# run from the golden directory so #line names the file as the goldens do
	if (cd "$gold" && "$erimgen" -o "$work/$stem" "$stem.erim") >"$work/$stem.log" 2>&1; then
		if diff -ru "$gold/$stem" "$work/$stem" >"$work/$stem.diff"; then sh_pass $t
		else head -n 60 "$work/$stem.diff"; sh_fail $t "output differs from $gold/$stem (diff above)"; fi
	else
		cat "$work/$stem.log"; sh_fail $t "erimgen failed"; continue
	fi
	for cc in gcc clang; do
		t=golden_${stem}_compiles_warning_free_with_$cc
		if ! command -v $cc >/dev/null 2>&1; then sh_skip $t "$cc not installed"; continue; fi
		okc=1
		for src in "$work/$stem"/*_gates.c; do
			i=$(basename "$src" _gates.c)
			printf '#include "%s_erim.h"\n#include "%s_trusted.h"\nint erim__test_dummy;\n' $i $i >"$work/both.c"
			for f in "$src" "$work/both.c"; do
				$cc -Wall -Wextra -Werror -std=c11 -I"$work/$stem" -I"$srcdir/gen" -I"$top_srcdir/runtime" \
					-c "$f" -o "$work/out.o" >>"$work/$stem.$cc.log" 2>&1 || okc=0
			done
		done
		[ $okc = 1 ] && sh_pass $t || { cat "$work/$stem.$cc.log"; sh_fail $t "compiler diagnostics above"; }
	done
done

sh_done "$suite"
