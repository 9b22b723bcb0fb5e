#!/bin/sh
# SPDX-License-Identifier: MIT
# trusted_imports.sh: the provider's trusted side is one trusted closure made
# by erim-trusted-link (provider/local.am, doc/erim-trusted-link.1,
# doc/security.md "library state"): its own objects with the members of
# libbearssl.a and libsodium.a they need.  Library code run with the trusted
# PKRU must not read library state in untrusted memory (red-team round 10:
# glibc's memcpy tuning variables, malloc's tcache, stdio, locale data;
# libsodium's implementation pointers), so the closure's writable data is in
# erim_trusted and every import it keeps is admitted by a rule with a reason.
# Checked here, on erim-trusted-link's own report of the build
# (provider/erimprov_closure.report) and on the objects:
#  - the report is the closure's (its imports are exactly the closure's);
#  - every import names its rule and a reason; every stub is one a linked
#    member imports (it stops the process if called);
#  - no writable section outside erim_trusted; only the *_impl functions
#    global; BearSSL's and libsodium's symbols local; erim.so needs no shared
#    libsodium and its copy of a BearSSL vtable lies in its erim_trusted;
#  - the same link, rerun from the report's command line, gives the same
#    report (so the controls below change only what they say);
#  - controls: the provider's link with one more trusted object that calls
#    vsnprintf (stdio and locale state) is refused, naming vsnprintf and the
#    object, and writes no closure; without provider/erimprov.allow the
#    provider's own ep_keyfile.o is refused for geteuid.
# Not covered: what the admitted imports (libc's system-call wrappers) do
# inside libc; the trusted-path audit (tests/audit/vm_audit.sh) single-steps
# such code where it runs.
. "$srcdir/lib/sh_check.sh"
for t in nm readelf objcopy ld; do
	command -v $t >/dev/null || { echo "trusted_imports: skipped: $t (binutils) not installed"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-timports.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
rep=$top_builddir/provider/erimprov_closure.report
cl=$top_builddir/provider/erimprov_closure.o
so=$top_builddir/provider/.libs/erim.so
for f in "$rep" "$cl" "$so"; do
	[ -r "$f" ] || sh_abort trusted_imports "$f not built (make provider)"
done

# ---- the report
echo "erim-trusted-link's report of the provider's closure (imports, stubs):"
grep -E '^(import|stub)	' "$rep" | sed 's/^/  /'
awk -F '\t' '$1 == "import" { print $2 }' "$rep" | sort >"$tmp/rep.imports"
nm -u "$cl" | awk 'NF == 2 { print $2 }' | sort -u >"$tmp/cl.imports"
sh_check "the report lists the closure's imports, no more, no fewer" cmp -s "$tmp/rep.imports" "$tmp/cl.imports"
sh_check "the report lists imports" test -s "$tmp/rep.imports"
# --enable-asan / --enable-ubsan: the instrumentation's calls into the
# sanitizer runtime read its shadow memory, untrusted, by design; the tool
# names them and does not check them (nor does this test)
san=$(awk -F '\t' '$1 == "import" && $3 ~ /^sanitizer runtime/' "$rep" | grep -c .)
[ "$san" -eq 0 ] || echo "trusted_imports: sanitizer build: $san calls into the sanitizer runtime not checked (they read its untrusted shadow memory by design)"
sh_check "every import names its rule and a reason" \
	sh -c "! awk -F '\t' '\$1 == \"import\" && \$3 !~ /^sanitizer runtime/ && (NF < 3 || \$3 ~ /no reason given|no rule/)' '$rep' | grep ."
sh_check "geteuid is admitted by provider/erimprov.allow, with its reason" \
	sh -c "awk -F '\t' '\$1 == \"import\" && \$2 == \"geteuid\"' '$rep' | grep -q 'erimprov.allow: ep_keyfile.c refuses a key file'"
sh_check "every stub is imported by a linked member (it fails closed)" \
	sh -c "awk -F '\t' '\$1 == \"stub\"' '$rep' | grep -q . && ! awk -F '\t' '\$1 == \"stub\" && \$3 !~ /^stops the process if called; imported by /' '$rep' | grep ."
sh_check "libbearssl.a and libsodium.a members are in the closure" \
	sh -c "grep -q '^member	(.*libbearssl\.a)' '$rep' && grep -q '^member	(.*libsodium\.a)' '$rep'"
sh_check "libc string, stdio and malloc calls are redirected or absent" \
	sh -c "grep -q '^redirect	memcpy	erim_memcpy\$' '$rep' && ! grep -E -x '(mem[a-z]+|str[a-z]+|malloc|free|calloc|realloc|v?s?n?printf|fprintf|qsort|fopen|fread|fwrite|fclose|fputs|fflush|stdout|stderr)' '$tmp/cl.imports'"

# ---- the closure and the module
sh_check "closure: no writable section outside erim_trusted" \
	sh -c "! readelf -SW '$cl' | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '\$1 != \"erim_trusted\" && \$7 ~ /W/ && \$7 ~ /A/ && \$2 !~ /_ARRAY\$/' | grep ."
sh_check "closure: only the *_impl functions are global" \
	sh -c "nm -g --defined-only '$cl' | grep -q '_impl\$' && ! nm -g --defined-only '$cl' | awk '{ print \$3 }' | grep -v '_impl\$'"
sh_check "closure: BearSSL's and libsodium's symbols are local" \
	sh -c "nm '$cl' | grep -q ' t br_rsa_i31_private\$' && nm '$cl' | grep -q ' t crypto_sign_detached\$'"
sh_check "erim.so does not need the shared libsodium" \
	sh -c "! readelf -dW '$so' | grep NEEDED | grep -q libsodium"
# the untrusted side's br_sha256_vtable is libbearssl.so's (undefined in
# erim.so); the trusted side's copy is local, inside erim_trusted
sec=$(readelf -SW "$so" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '$1 == "erim_trusted" { print $3, $5 }')
addr=$(nm "$so" | awk '$2 ~ /^[dDrR]$/ && $3 == "br_sha256_vtable" { print $1; exit }')
if [ -n "$sec" ] && [ -n "$addr" ]; then
	set -- $sec
	sh_check "erim.so: the trusted copy of br_sha256_vtable is in erim_trusted" \
		test $((0x$addr >= 0x$1 && 0x$addr < 0x$1 + 0x$2)) -eq 1
else
	sh_fail "erim.so: the trusted copy of br_sha256_vtable is in erim_trusted" "no erim_trusted section ($sec) or no local br_sha256_vtable ($addr)"
fi
sh_check "erim.so: the untrusted side's br_sha256_vtable is the shared libbearssl's" \
	sh -c "nm -D '$so' | grep -q ' U br_sha256_vtable\$'"

# ---- the link again, from the report's command line
cmd=$(awk -F '\t' '$1 == "command" { print $2; exit }' "$rep")
[ -n "$cmd" ] || sh_abort trusted_imports "the report has no command line"
# relink [--drop ARG] OUT REPORT [EXTRA_OBJ]: the provider's link with -o and
# --report replaced, ARG (and its value) left out, EXTRA_OBJ added
relink() {
	drop=
	[ "$1" = --drop ] && { drop=$2; shift 2; }
	o=$1 r=$2 extra=${3:-}
	(
		cd "$top_builddir" || exit 99
		eval "set -- $cmd"
		n=$#
		while [ $n -gt 0 ]; do
			a=$1; shift; n=$((n - 1))
			case $a in
			-o|--report) shift; n=$((n - 1)); continue ;;
			esac
			if [ -n "$drop" ] && [ "$a" = "$drop" ]; then shift; n=$((n - 1)); continue; fi
			set -- "$@" "$a"
		done
		[ -z "$extra" ] || set -- "$@" "$extra"
		CC=${CC:-cc} $SHELL "$top_srcdir/tools/erim-trusted-link" -o "$o" --report "$r" "$@"
	)
}
relink "$tmp/same.o" "$tmp/same.report" >"$tmp/same.out" 2>&1
rc=$?
cat "$tmp/same.out"
sh_result "the provider's link, rerun, succeeds" $rc
sh_check "the rerun's report equals the build's (imports, stubs, moves, members)" \
	sh -c "grep -v -E '^(#|command	)' '$rep' >'$tmp/a' && grep -v -E '^(#|command	)' '$tmp/same.report' >'$tmp/b' && cmp -s '$tmp/a' '$tmp/b'"

# control: one more trusted object, calling vsnprintf
printf '#include <stdio.h>\n#include <stdarg.h>\nint ep_ctl_impl(char *b, const char *f, va_list ap) { return vsnprintf(b, 64, f, ap); }\n' >"$tmp/ctl.c"
${CC:-cc} -O2 -fPIC -c -o "$tmp/ctl.o" "$tmp/ctl.c" || sh_abort trusted_imports "cannot compile the control object"
relink "$tmp/ctl_cl.o" "$tmp/ctl.report" "$tmp/ctl.o" >"$tmp/ctl.out" 2>&1
rc=$?
cat "$tmp/ctl.out"
sh_check "control: a trusted object calling vsnprintf makes the provider's link fail" test $rc -eq 1
sh_check "control: the refusal names vsnprintf and the object" grep -q "vsnprintf: not allowed in trusted code, imported by $tmp/ctl.o" "$tmp/ctl.out"
sh_check "control: no closure and no report are written" sh -c "[ ! -e '$tmp/ctl_cl.o' ] && [ ! -e '$tmp/ctl.report' ]"
# control: the allow file is what admits the provider's own geteuid
relink --drop --allow-file "$tmp/noallow.o" "$tmp/noallow.report" >"$tmp/noallow.out" 2>&1
rc=$?
cat "$tmp/noallow.out"
sh_check "control: without provider/erimprov.allow the link fails" test $rc -eq 1
sh_check "control: the refusal names geteuid and ep_keyfile.o" \
	grep -q 'geteuid: not allowed in trusted code, imported by .*liberimprov_trusted\.a(liberimprov_trusted_a-ep_keyfile\.o)' "$tmp/noallow.out"
sh_done trusted_imports
