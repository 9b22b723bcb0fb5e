#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_cli.sh: the erimgen command line -- options, exit statuses (0 done,
# 1 interface errors, 2 bad command line), nothing written on error, atomic
# outputs, --header-only, --depfile with imports, --audit, --dump-ast,
# --interpose, --print-link-flags, -W options passed to the front end, and
# --split-ocalls (its files, what each holds, misuse).
set -u
suite=gen_cli

srcdir=${srcdir:-.}
. "$srcdir/lib/sh_check.sh"
top_builddir=${top_builddir:-..}
erimgen=$top_builddir/generator/erimgen
gold=$srcdir/gen/golden
w=$(mktemp -d "${TMPDIR:-/tmp}/gen_cli.XXXXXX") || exit 99
trap 'rm -rf "$w"' EXIT
cp "$gold/keyvault.erim" "$gold/shapes.erim" "$gold/wrapper.erim" "$w/"
cd "$w" || exit 99

# run ERIMGEN ARGS...: sets rc, out (stdout), err (stderr)
run() { "$erimgen" "$@" >"$w/stdout" 2>"$w/stderr"; rc=$?; out=$(cat "$w/stdout"); err=$(cat "$w/stderr"); }

t=version_prints_the_package_version
run --version
[ $rc = 0 ] && echo "$out" | grep -q '^erimgen (erim) [0-9]' && sh_pass $t || sh_fail $t "rc=$rc out=$out"

t=help_lists_options_and_checks
run --help
[ $rc = 0 ] && echo "$out" | grep -q -- '--print-link-flags' && echo "$out" | grep -q -- '-Wpointer-direction' \
	&& sh_pass $t || sh_fail $t "rc=$rc"

t=unknown_option_exits_2_naming_it
run --bogus keyvault.erim
[ $rc = 2 ] && echo "$err" | grep -q "unknown option '--bogus'" && sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=missing_option_argument_exits_2
run keyvault.erim -o
[ $rc = 2 ] && echo "$err" | grep -q "option '-o' needs an argument" && sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=no_input_exits_2
run -o .
[ $rc = 2 ] && echo "$err" | grep -q 'no input file' && sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=two_inputs_exit_2
run keyvault.erim shapes.erim
[ $rc = 2 ] && echo "$err" | grep -q 'more than one input file' && sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=unknown_check_exits_2
run -Wno-such-check keyvault.erim
[ $rc = 2 ] && echo "$err" | grep -q "unknown check" && sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=outputs_are_the_three_files_and_no_temporaries
mkdir -p o1
run -o o1 keyvault.erim
[ $rc = 0 ] && [ "$(ls o1 | tr '\n' ' ')" = "keyvault_erim.h keyvault_gates.c keyvault_trusted.h " ] \
	&& sh_pass $t || sh_fail $t "rc=$rc files: $(ls o1)"

t=interface_error_exits_1_and_writes_nothing
cp -r o1 o1.before
sed 's/\[in, size=len\] const uint8_t \*msg/const uint8_t *msg/' keyvault.erim >broken.erim
sed -i 's/interface keyvault/interface keyvault/' broken.erim
run -o o1 broken.erim
if [ $rc = 1 ] && echo "$err" | grep -q 'broken.erim:[0-9]*:[0-9]*: error' && diff -r o1.before o1 >/dev/null \
	&& [ "$(ls o1 | wc -l)" = 3 ]; then sh_pass $t; else sh_fail $t "rc=$rc err=$err"; fi

t=generator_error_exits_1_and_writes_nothing
mkdir -p o2
printf 'interface gx {\n struct p { int x; };\n trusted { public struct p f(int a) error(0); };\n};\n' >gx.erim
run -o o2 gx.erim
[ $rc = 1 ] && echo "$err" | grep -q "gx.erim:3:.*error() on 'f'" && [ -z "$(ls o2)" ] && sh_pass $t || sh_fail $t "rc=$rc err=$err files=$(ls o2)"

t=unwritable_output_directory_exits_1
run -o "$w/no/such/dir" keyvault.erim
[ $rc = 1 ] && echo "$err" | grep -q 'cannot write' && sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=header_only_writes_the_two_headers
mkdir -p o3
run --header-only -o o3 keyvault.erim
[ $rc = 0 ] && [ "$(ls o3 | tr '\n' ' ')" = "keyvault_erim.h keyvault_trusted.h " ] && sh_pass $t || sh_fail $t "files: $(ls o3)"

t=depfile_names_outputs_the_erim_and_every_import
mkdir -p o4 inc
printf 'interface common {\n    struct c_pt { int32_t x; int32_t y; };\n};\n' >inc/common.erim
printf 'import "common.erim";\ninterface app {\n    trusted { public int app_f([in] const struct c_pt *p); };\n};\n' >app.erim
run -I inc -o o4 --depfile o4/app.d app.erim
# each output must be a target of its own (a space-joined, escaped list would
# read as one file name to make) depending on the .erim and the import
deps_ok=1
for o in app_erim.h app_trusted.h app_gates.c; do
	grep -Eq "^o4/$o: app\.erim .*common\.erim" o4/app.d || deps_ok=0
done
if [ $rc = 0 ] && [ $deps_ok = 1 ]; then sh_pass $t
else cat o4/app.d 2>/dev/null; sh_fail $t "rc=$rc err=$err"; fi

t=imported_types_are_declared_in_the_headers
if grep -q 'struct c_pt {' o4/app_erim.h && cc -Wall -Wextra -Werror -std=c11 -I o4 -I "$top_srcdir/runtime" \
	-c o4/app_gates.c -o o4/app.o 2>"$w/cc.log"; then sh_pass $t; else cat "$w/cc.log"; sh_fail $t "imported struct"; fi

t=audit_lists_user_check_with_reason_and_writes_nothing
mkdir -p o5
run --audit -o o5 shapes.erim
[ $rc = 0 ] && echo "$out" | grep -q 'sh_lookup' && echo "$out" | grep -q 'only compared, never dereferenced' \
	&& [ -z "$(ls o5)" ] && sh_pass $t || sh_fail $t "rc=$rc out=$out"

t=dump_ast_prints_the_tree
run --dump-ast keyvault.erim
[ $rc = 0 ] && echo "$out" | grep -q 'kv_sign' && sh_pass $t || sh_fail $t "rc=$rc"

t=print_link_flags_lists_every_wrapped_function
run --print-link-flags wrapper.erim
[ $rc = 0 ] && [ "$out" = "-Wl,--wrap=ini_parse -Wl,--wrap=ini_count -Wl,--wrap=app_warn -Wl,--wrap=app_read" ] \
	&& sh_pass $t || sh_fail $t "out=$out"

t=interpose_option_switches_to_wrap_and_real
mkdir -p o6
run --interpose -o o6 keyvault.erim
[ $rc = 0 ] && grep -q '^int __wrap_kv_sign(' o6/keyvault_erim.h && grep -q '^int __real_kv_sign(' o6/keyvault_trusted.h \
	&& sh_pass $t || sh_fail $t "rc=$rc"

t=werror_turns_front_end_warnings_into_errors
mkdir -p o7 o8
printf 'interface sw {\n    trusted { public int sw_f([in, size=n] const uint8_t *p, int n); };\n};\n' >sw.erim
run -o o7 sw.erim
rc1=$rc
run -Werror -o o8 sw.erim
[ $rc1 = 0 ] && [ $rc = 1 ] && [ -z "$(ls o8)" ] && sh_pass $t || sh_fail $t "without -Werror rc=$rc1, with rc=$rc err=$err"

t=wno_silences_a_warning
run -Wno-signed-length -o o7 sw.erim
[ $rc = 0 ] && [ -z "$err" ] && sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=gates_refuse_to_compile_against_another_erim_gen_abi
# the gates call erim_gen.h's helpers: a header of another ABI (an older
# install) must stop the build with a message, never link mismatched helpers
mkdir -p o8 abi
run -o o8 keyvault.erim
sed 's/^#define ERIM_GEN_ABI .*/#define ERIM_GEN_ABI 999/' "$top_srcdir/runtime/erim_gen.h" >abi/erim_gen.h
if [ $rc = 0 ] && cc -std=c11 -I o8 -I "$top_srcdir/tests/gen" -I "$top_srcdir/runtime" -c o8/keyvault_gates.c -o o8/ok.o 2>"$w/cc.log" \
	&& ! cc -std=c11 -I o8 -I abi -I "$top_srcdir/tests/gen" -I "$top_srcdir/runtime" -c o8/keyvault_gates.c -o o8/bad.o 2>"$w/cc.log" \
	&& grep -q 'generated for erim_gen.h ABI [0-9]' "$w/cc.log"; then sh_pass $t
else cat "$w/cc.log"; sh_fail $t "rc=$rc: the ABI check did not fire (or the real header failed)"; fi

# --- --split-ocalls: the ocall side in NAME_ocalls.c (keyvault has two
# untrusted functions, one with an allow list)
t=split_ocalls_writes_the_ocalls_file_too
mkdir -p s1
run --split-ocalls -o s1 --depfile s1/kv.d keyvault.erim
[ $rc = 0 ] && [ "$(ls s1 | tr '\n' ' ')" = "keyvault_erim.h keyvault_gates.c keyvault_ocalls.c keyvault_trusted.h kv.d " ] \
	&& grep -Eq '^s1/keyvault_ocalls\.c: keyvault\.erim' s1/kv.d && sh_pass $t || sh_fail $t "rc=$rc files: $(ls s1)"

t=split_ocalls_moves_proxies_and_trampolines_only
# the proxies and trampolines are in the ocalls file alone, the gates and
# entries in the gates file alone; together the same functions as one file
# (the static struct helpers, "static __attribute__((unused))", are in both)
mkdir -p s0
run -o s0 keyvault.erim
fns() { grep -Eo '^[a-z_ ]*[a-z_0-9]+\(' "$@" | sed 's/^.* //' | grep -v '^__attribute__' | sort; }
if [ $rc = 0 ] && grep -q '^int kv_confirm_ocall(' s1/keyvault_ocalls.c && grep -q 'erim__tramp_kv_log' s1/keyvault_ocalls.c \
	&& ! grep -Eq '_ocall\(|erim__tramp_' s1/keyvault_gates.c && ! grep -Eq 'erim__entry_|erim_gate_call' s1/keyvault_ocalls.c \
	&& [ "$(fns s0/keyvault_gates.c)" = "$(cat s1/keyvault_gates.c s1/keyvault_ocalls.c | fns -)" ] \
	&& [ "$(head -n 1 s1/keyvault_ocalls.c)" = "$(head -n 1 s0/keyvault_gates.c)" ]; then sh_pass $t
else sh_fail $t "rc=$rc: $(fns s0/keyvault_gates.c | tr '\n' ' ') vs $(cat s1/keyvault_gates.c s1/keyvault_ocalls.c | fns - | tr '\n' ' ')"; fi

t=split_ocalls_files_compile_and_the_ocalls_need_nothing_of_the_gates
# gcc -Werror; the ocalls object defines the allow lists' trusted base and
# uses no symbol the gates object defines (no circle through them)
if cc -std=c11 -Wall -Wextra -Werror -I s1 -I "$top_srcdir/tests/gen" -I "$top_srcdir/runtime" -c s1/keyvault_gates.c -o s1/g.o 2>"$w/cc.log" \
	&& cc -std=c11 -Wall -Wextra -Werror -I s1 -I "$top_srcdir/tests/gen" -I "$top_srcdir/runtime" -c s1/keyvault_ocalls.c -o s1/o.o 2>>"$w/cc.log"; then
	defs=$(nm -P s1/g.o | awk '$2 ~ /^[TDBR]$/ { print $1 }' | sort)
	undefs=$(nm -P s1/o.o | awk '$2 == "U" { print $1 }' | sort)
	common=$(for u in $undefs; do printf '%s\n' "$defs" | grep -Fx "$u"; done)
	if [ -z "$common" ] && nm -P s1/o.o | grep -q '^erim__tbase_keyvault [DdBb]' \
		&& nm -P s1/g.o | grep -q '^erim__tbase_keyvault U'; then sh_pass $t
	else sh_fail $t "the ocalls object uses the gates object's: $common"; fi
else cat "$w/cc.log"; sh_fail $t "does not compile"; fi

t=split_ocalls_interface_without_untrusted_functions_writes_an_ocalls_file
mkdir -p s2
printf 'interface nu {\n    trusted { public int nu_f(int x); };\n};\n' >nu.erim
run --split-ocalls -o s2 nu.erim
[ $rc = 0 ] && [ -f s2/nu_ocalls.c ] && cc -std=c11 -Wall -Wextra -Werror -I s2 -I "$top_srcdir/runtime" -c s2/nu_ocalls.c -o s2/o.o 2>"$w/cc.log" \
	&& sh_pass $t || { cat "$w/cc.log"; sh_fail $t "rc=$rc files: $(ls s2)"; }

t=split_ocalls_with_header_only_writes_the_two_headers
mkdir -p s3
run --split-ocalls --header-only -o s3 keyvault.erim
[ $rc = 0 ] && [ "$(ls s3 | tr '\n' ' ')" = "keyvault_erim.h keyvault_trusted.h " ] && sh_pass $t || sh_fail $t "files: $(ls s3)"

t=split_ocalls_given_an_argument_exits_2_naming_it
mkdir -p s4
run --split-ocalls=yes -o s4 keyvault.erim
[ $rc = 2 ] && echo "$err" | grep -q "option '--split-ocalls' takes no argument" && [ -z "$(ls s4)" ] \
	&& sh_pass $t || sh_fail $t "rc=$rc err=$err"

t=split_ocalls_interface_error_writes_neither_file
mkdir -p s5
run --split-ocalls -o s5 broken.erim
[ $rc = 1 ] && [ -z "$(ls s5)" ] && sh_pass $t || sh_fail $t "rc=$rc files: $(ls s5)"

sh_done "$suite"
