#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_edl.sh: Intel SGX SampleEnclave-style EDL files (tests/idl/good/edl)
# go through erimgen and the generated code compiles warning-free with gcc and
# clang -std=c11 -Wall -Wextra -Werror (SDK types come from sgx_include/),
# also as erimgen --split-ocalls writes it.
. "$srcdir/lib/sh_check.sh"
erimgen=$top_builddir/generator/erimgen
edl=$top_srcdir/tests/idl/good/edl
w=$(mktemp -d "${TMPDIR:-/tmp}/erim-edl.XXXXXX") || exit 99
trap 'rm -rf "$w"' EXIT
compilers=gcc
command -v clang >/dev/null 2>&1 && compilers="gcc clang"
for f in "$edl"/*.edl "$edl"/*/*.edl; do
	n=$(basename "$f" .edl)
	mkdir -p "$w/$n"
	sh_check "$n.edl: erimgen succeeds" "$erimgen" -I "$edl" -o "$w/$n" "$f"
	for cc in $compilers; do
		for g in "$w/$n"/*_gates.c; do
			sh_check "$n.edl: generated gates compile with $cc" \
				$cc -std=c11 -Wall -Wextra -Werror -I "$top_srcdir/runtime" -I "$w/$n" \
				-I "$top_srcdir/tests/gen/sgx_include" -I "$top_srcdir/generator/include" -c "$g" -o "$w/$n/gates-$cc.o"
		done
	done
	# --abi=sgx / --abi=oe: edger8r's and oeedger8r's files with their
	# signatures compile too
	for abi in sgx oe; do
		mkdir -p "$w/$n/$abi"
		sh_check "$n.edl: erimgen --abi=$abi succeeds" "$erimgen" --abi=$abi -I "$edl" -o "$w/$n/$abi" "$f"
		for cc in $compilers; do
			for g in "$w/$n/$abi"/*_u.c "$w/$n/$abi"/*_t.c; do
				sh_check "$n.edl: --abi=$abi $(basename "$g") compiles with $cc" \
					$cc -std=c11 -Wall -Wextra -Werror -I "$top_srcdir/runtime" -I "$w/$n/$abi" \
					-I "$top_srcdir/tests/gen/sgx_include" -I "$top_srcdir/generator/include" \
					-c "$g" -o "$g-$cc.o"
			done
		done
	done
	# functions the file says must (not) be generated, imported ones included
	for fn in $(sed -n 's|.*expect-generated: \(.*\) \*/|\1|p' "$f"); do
		sh_check "$n.edl: $fn is generated" grep -q "[^a-z_]$fn(" "$w/$n/${n}_erim.h"
	done
	for fn in $(sed -n 's|.*expect-absent: \(.*\) \*/|\1|p' "$f"); do
		sh_check "$n.edl: $fn is not imported" sh -c "! grep -q '[^a-z_]$fn(' '$w/$n/${n}_erim.h'"
	done
	# --split-ocalls with edger8r's files: the gates, the ocalls file and the
	# SGX wrappers over them compile (gcc)
	mkdir -p "$w/$n/split"
	sh_check "$n.edl: erimgen --split-ocalls --abi=sgx succeeds" \
		"$erimgen" --split-ocalls --abi=sgx -I "$edl" -o "$w/$n/split" "$f"
	for g in "$w/$n/split"/*.c; do
		sh_check "$n.edl: --split-ocalls --abi=sgx $(basename "$g") compiles" \
			gcc -std=c11 -Wall -Wextra -Werror -I "$top_srcdir/runtime" -I "$w/$n/split" \
			-I "$top_srcdir/tests/gen/sgx_include" -I "$top_srcdir/generator/include" -c "$g" -o "$g.o"
	done
done
# --print-link-flags names the imported functions too
sh_check "imports.edl: --print-link-flags wraps imported functions" \
	sh -c "'$erimgen' --print-link-flags '$edl/issue13/imports.edl' 2>/dev/null | grep -q -- '--wrap=lib_deep_ocall'"
# `import NAME` naming no function of the imported file is an error
bad=$w/bad-import.edl
mkdir -p "$w/lib" && cp "$edl/issue13/lib/pick.edl" "$w/lib/"
printf 'enclave {\n    from "lib/pick.edl" import pick_none;\n};\n' >"$bad"
sh_check "bad-import.edl: erimgen refuses an import of a missing function" \
	sh -c "! '$erimgen' -o '$w' '$bad' 2>'$w/bad.err' && grep -q \"'pick_none' is not a function\" '$w/bad.err'"
# --cpp: preprocessor lines; -D reaches #ifdef; diagnostics keep the original line
pre=$edl/issue13/cpp/Pre.edl
mkdir -p "$w/cpp"
sh_check "Pre.edl: without --cpp, # lines are refused by name" \
	sh -c "! '$erimgen' -o '$w/cpp' '$pre' 2>'$w/cpp.err' && grep -q 'run erimgen --cpp' '$w/cpp.err'"
sh_check "Pre.edl: erimgen --cpp -DWITH_EXTRA succeeds" "$erimgen" --cpp -DWITH_EXTRA -o "$w/cpp" "$pre"
sh_check "Pre.edl: -DWITH_EXTRA generates extra_call" grep -q "extra_call(" "$w/cpp/Pre_erim.h"
for cc in $compilers; do
	sh_check "Pre.edl: generated gates compile with $cc" \
		$cc -std=c11 -Wall -Wextra -Werror -I "$top_srcdir/runtime" -I "$w/cpp" \
		-I "$top_srcdir/generator/include" -c "$w/cpp/Pre_gates.c" -o "$w/cpp/gates-$cc.o"
done
sh_check "Pre.edl: a diagnostic after --cpp names the original line 14" \
	sh -c "! '$erimgen' --cpp -DWITH_BAD -o '$w/cpp' '$pre' 2>'$w/cpp2.err' && grep -q 'Pre.edl:14:22: error:.*bad_one.*pointer-direction' '$w/cpp2.err'"
sh_done gen_edl
