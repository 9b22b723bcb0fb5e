#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_cli.sh: the erimgen command line -- options, exit statuses (0 done,
# 1 interface errors, 2 bad command line), nothing written on error, atomic
# outputs, --header-only, --depfile with imports, --audit, --dump-ast,
# --interpose, --print-link-flags and -W options passed to the front end.
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
	&& grep -q 'generated for erim_gen.h ABI 1' "$w/cc.log"; then sh_pass $t
else cat "$w/cc.log"; sh_fail $t "rc=$rc: the ABI check did not fire (or the real header failed)"; fi

sh_done "$suite"
