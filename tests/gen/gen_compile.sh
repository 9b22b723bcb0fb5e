#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_compile.sh: the back ends' output, generated from hand-built trees
# (gen_handgen: language.md's keyvault interface and the gentest interface of
# the attack tests), in both modes (plain and --interpose): banner, #line
# directives, the documented names, and warning-free compilation with gcc and
# clang -Wall -Wextra -Werror -std=c11 (headers alone, both headers together,
# the gates file).
set -u
suite=gen_compile

builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/lib/sh_check.sh"
top_srcdir=${top_srcdir:-$srcdir/..}
work=$(mktemp -d "${TMPDIR:-/tmp}/gen_compile.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plain" "$work/wrap"
"$builddir/gen/gen_handgen" "$work/plain" || sh_abort "$suite" "gen_handgen failed"
"$builddir/gen/gen_handgen" "$work/wrap" --interpose || sh_abort "$suite" "gen_handgen --interpose failed"

t=every_output_starts_with_the_banner
bad=
for f in "$work"/plain/* "$work"/wrap/*; do
	head -n 1 "$f" | grep -q '^/\* generated from [a-z]*\.erim by erimgen [^ ]* — do not edit \*/$' || bad="$bad $f"
done
[ -z "$bad" ] && sh_pass $t || sh_fail $t "no banner in:$bad"

t=headers_declare_the_documented_names
e=$work/plain/keyvault_erim.h tr=$work/plain/keyvault_trusted.h
if grep -qx 'int kv_sign(const uint8_t \*msg, size_t len, uint8_t \*sig);' "$e" &&
   grep -qx 'void kv_log(const char \*line);' "$e" &&
   grep -qx 'int kv_sign_impl(const uint8_t \*msg, size_t len, uint8_t \*sig);' "$tr" &&
   grep -qx 'void kv_log_ocall(const char \*line);' "$tr" &&
   grep -qx 'int kv_confirm_ocall(void);' "$tr"; then sh_pass $t; else sh_fail $t "prototypes missing"; fi

t=interposition_uses_wrap_and_real
e=$work/wrap/keyvault_erim.h tr=$work/wrap/keyvault_trusted.h g=$work/wrap/keyvault_gates.c
if grep -qx 'int __wrap_kv_sign(const uint8_t \*msg, size_t len, uint8_t \*sig);' "$e" &&
   grep -qx 'int __real_kv_sign(const uint8_t \*msg, size_t len, uint8_t \*sig);' "$tr" &&
   grep -qx 'void __wrap_kv_log(const char \*line);' "$tr" &&
   grep -q '__real_kv_log(' "$g" && ! grep -q '_impl(' "$g"; then sh_pass $t; else sh_fail $t "wrap/real names"; fi

t=line_directives_point_back_to_the_erim
if grep -B1 -x 'int kv_sign(const uint8_t \*msg, size_t len, uint8_t \*sig);' "$work/plain/keyvault_erim.h" | grep -qx '#line 12 "keyvault.erim"' &&
   grep -B1 -x 'struct kv_blob {' "$work/plain/keyvault_erim.h" | grep -qx '#line 5 "keyvault.erim"'; then sh_pass $t; else sh_fail $t "#line"; fi

t=line_directives_return_to_the_generated_file
# after each #line back to the header, the next line's real number must match
bad=$(awk -v f=keyvault_erim.h '/^#line [0-9]+ "keyvault_erim.h"$/ { if ($2 != NR + 1) print NR }' "$work/plain/keyvault_erim.h")
[ -z "$bad" ] && sh_pass $t || sh_fail $t "wrong #line back at lines $bad"

for cc in gcc clang; do
	for mode in plain wrap; do
		t=${mode}_output_compiles_warning_free_with_$cc
		if ! command -v $cc >/dev/null 2>&1; then sh_skip $t "$cc not installed"; continue; fi
		log=$work/$cc.$mode.log
		: >"$log"
		okc=1
		for i in keyvault gentest; do
			d=$work/$mode
			printf '#include "%s_erim.h"\n#include "%s_trusted.h"\n#include "%s_erim.h"\nint erim__test_dummy;\n' $i $i $i >"$d/both_$i.c"
			for src in "$d/both_$i.c" "$d/${i}_gates.c"; do
				$cc -Wall -Wextra -Werror -std=c11 -I"$d" -I"$srcdir/gen" -I"$top_srcdir/runtime" \
					-c "$src" -o "$work/out.o" >>"$log" 2>&1 || okc=0
			done
		done
		[ $okc = 1 ] && sh_pass $t || { cat "$log"; sh_fail $t "compiler diagnostics above"; }
	done
done

sh_done "$suite"
