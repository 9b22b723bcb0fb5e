#!/bin/sh
# SPDX-License-Identifier: MIT
# golden.sh: the front end's golden diagnostics.  For every case of
# golden.list it runs idl_parse_check (the front end exactly as erimgen uses
# it) from tests/idl, and requires the exit status, the full stderr text
# (carets included) and, where a golden file exists, stdout to match; for
# negative cases it also requires the diagnostic to carry the check's NAME, so
# wording can improve as long as the goldens are refreshed.
#
# Refresh after an intended change:  IDL_GOLDEN_UPDATE=1 make check TESTS=tests/idl/golden.sh
# then review `git diff tests/idl/golden`.
: "${srcdir:=$(dirname "$0")/..}"
: "${builddir:=.}"
. "$srcdir/lib/sh_check.sh"
prog="$builddir/idl/idl_parse_check"
case "$prog" in /*) ;; *) prog="$(pwd)/$prog" ;; esac   # the cases run from tests/idl
dir="$srcdir/idl"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/idl-golden.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

[ -x "$prog" ] || sh_abort idl_golden "$prog is not built"

while read -r case rc check file args; do
	case "$case" in ''|'#'*) continue ;; esac
	ok=1
	# shellcheck disable=SC2086  # ARGS are words on purpose
	(cd "$dir" && "$prog" $args "$file") >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ -n "$IDL_GOLDEN_UPDATE" ]; then
		cp "$tmp/err" "$dir/golden/$case.stderr"
		if [ -s "$tmp/out" ]; then cp "$tmp/out" "$dir/golden/$case.stdout"; fi
	fi
	if [ "$got" != "$rc" ]; then
		echo "  FAIL $case: exit status $got, expected $rc"; ok=0
	fi
	if [ "$check" != "-" ] && ! grep -q -e "\[-W$check\]" -e "\[-Werror=$check\]" "$tmp/err"; then
		echo "  FAIL $case: no diagnostic named [-W$check]"; ok=0
	fi
	if ! diff -u "$dir/golden/$case.stderr" "$tmp/err" >"$tmp/diff" 2>&1; then
		echo "  FAIL $case: stderr differs from golden/$case.stderr:"; sed 's/^/    /' "$tmp/diff"; ok=0
	fi
	if [ -f "$dir/golden/$case.stdout" ]; then
		if ! diff -u "$dir/golden/$case.stdout" "$tmp/out" >"$tmp/diff" 2>&1; then
			echo "  FAIL $case: stdout differs from golden/$case.stdout:"; sed 's/^/    /' "$tmp/diff"; ok=0
		fi
	elif [ -s "$tmp/out" ]; then
		echo "  FAIL $case: unexpected stdout (no golden/$case.stdout)"; ok=0
	fi
	if [ $ok = 1 ]; then sh_pass "$case"; else sh_fail "$case"; fi
done <"$dir/golden.list"

sh_done idl_golden
