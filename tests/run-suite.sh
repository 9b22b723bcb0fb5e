#!/bin/sh
# SPDX-License-Identifier: MIT
# run-suite.sh: automake LOG_COMPILER for every suite.  Runs one suite, keeps
# its whole output in the suite's .log (stdout), and echoes the suite's closing
# line ("NAME: N passed, N failed[, N skipped]") to the console through fd 9
# (AM_TESTS_FD_REDIRECT) so that `make check` shows every suite's result.
# VM suites' "NAME: kernels: ..." line (which kernels the guest booted) is
# echoed as well.  A suite that dies without a closing line is reported as one failure, and a
# skipped suite (exit 77) must say why on a line starting with "skipped:".
test_prog=$1
shift
# every suite runs in the build tree's tests/ directory (AM_TESTS_ENVIRONMENT
# sets builddir), whichever directory make runs it from
case $test_prog in /*) ;; *) test_prog=$PWD/$test_prog ;; esac
cd "${builddir:-.}" || exit 99
name=$(basename "$test_prog")
name=${name%.sh}
out=$(mktemp "${TMPDIR:-/tmp}/erim-suite.XXXXXX") || exit 99
trap 'rm -f "$out"' EXIT
if [ -x "$test_prog" ]; then
	"$test_prog" "$@" >"$out" 2>&1
else
	${SHELL:-/bin/sh} "$test_prog" "$@" >"$out" 2>&1
fi
rc=$?
cat "$out"
# a VM suite's line naming the kernels it booted goes to the console too
grep -E '^[A-Za-z0-9_.-]+: kernels: ' "$out" | tail -n 1 >&9
closing=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$out" | tail -n 1)
if [ "$rc" -eq 77 ]; then
	why=$(grep -E '^skipped:' "$out" | tail -n 1)
	[ -n "$why" ] || { echo "$name: exit 77 without a 'skipped:' reason: counted as failure"; rc=1; }
	[ -n "$closing" ] || closing="$name: 0 passed, 0 failed, 1 skipped"
	[ "$rc" -eq 77 ] && { echo "$closing ($why)" >&9; echo "$closing"; }
fi
if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
	if [ -z "$closing" ] || echo "$closing" | grep -q ' 0 failed'; then
		if [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then why="killed by signal $((rc - 128))"; else why="exit status $rc"; fi
		closing="$name: 0 passed, 1 failed"
		echo "$name: $why without a failure count: counted as one failure"
		echo "$closing"
	fi
	echo "$closing" >&9
elif [ "$rc" -eq 0 ]; then
	if [ -z "$closing" ]; then
		echo "$name: exited 0 but printed no closing line: counted as failure"
		echo "$name: 0 passed, 1 failed" >&9
		echo "$name: 0 passed, 1 failed"
		exit 1
	fi
	echo "$closing" >&9
fi
exit "$rc"
