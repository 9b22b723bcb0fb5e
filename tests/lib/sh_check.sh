# SPDX-License-Identifier: MIT
# sh_check.sh: the shell twin of erim_check.h, for suites written in sh.
# Source it (. "$srcdir/lib/sh_check.sh"), then:
#   sh_check WHAT COMMAND [ARGS...]  passes when COMMAND succeeds (its output
#                                    goes to the log only when it fails)
#   sh_status WHAT WANT COMMAND...   passes when COMMAND exits with status WANT
#   sh_result WHAT STATUS            passes when STATUS (e.g. $?) is 0
#   sh_pass WHAT / sh_fail WHAT [WHY]  record a result the suite judged itself
#   sh_run PROGRAM [ARGS...]         run a C suite (erim_check.h), show its
#                                    output and add its closing line's counts;
#                                    no closing line, or a bad exit status
#                                    with no failure counted, is one failure
#   sh_skip WHAT WHY                 a check that cannot run here, and why
#   sh_abort SUITE WHY               set-up failed: one more failure, closing
#                                    line, exit 1
#   sh_done SUITE                    closing line "SUITE: N passed, N failed,
#                                    N skipped" (what tests/run-suite.sh and
#                                    tests/summary.sh read) and exit status: 1
#                                    on any failure, 77 when everything skipped
sh_passed=0 sh_failed=0 sh_skipped=0
sh_out=${TMPDIR:-/tmp}/sh_check.$$
sh_pass() { sh_passed=$((sh_passed + 1)); echo "$1: ok"; }
sh_fail() {
	sh_failed=$((sh_failed + 1))
	[ $# -lt 2 ] || echo "  FAIL: $2"
	echo "$1: FAIL"
}
sh_result() {
	if [ "$2" -eq 0 ]; then sh_pass "$1"; else sh_fail "$1" "exit status $2"; fi
}
sh_check() {
	sh_what=$1; shift
	if "$@" >"$sh_out" 2>&1; then
		sh_pass "$sh_what"
	else
		sed 's/^/  | /' "$sh_out"
		sh_fail "$sh_what" "$* failed"
	fi
	rm -f "$sh_out"
}
sh_status() {
	sh_what=$1 sh_want=$2; shift 2
	"$@" >"$sh_out" 2>&1
	sh_rc=$?
	if [ "$sh_rc" = "$sh_want" ]; then
		sh_pass "$sh_what"
	else
		sed 's/^/  | /' "$sh_out"
		sh_fail "$sh_what" "exit status $sh_rc, want $sh_want"
	fi
	rm -f "$sh_out"
}
sh_run() {
	echo "== $*"
	sh_o=$("$@" 2>&1)
	sh_rc=$?
	echo "$sh_o"
	sh_c=$(echo "$sh_o" | grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' | tail -n 1)
	if [ -z "$sh_c" ]; then
		echo "   (no closing line, exit $sh_rc: one failure)"
		sh_failed=$((sh_failed + 1))
		return 0
	fi
	set -- $(echo "$sh_c" | sed 's/^[^:]*://; s/[^0-9 ]//g')
	sh_passed=$((sh_passed + $1)) sh_failed=$((sh_failed + $2)) sh_skipped=$((sh_skipped + ${3:-0}))
	[ "$sh_rc" -eq 0 ] || [ "$sh_rc" -eq 77 ] || [ "$2" -gt 0 ] ||
		{ echo "   (exit $sh_rc: one failure)"; sh_failed=$((sh_failed + 1)); }
}
sh_skip() {
	[ -n "${2:-}" ] || { sh_fail "$1" "skipped without a reason"; return 0; }
	sh_skipped=$((sh_skipped + 1)); echo "$1: skipped: $2"
}
sh_abort() {
	echo "$1: $2"
	sh_failed=$((sh_failed + 1))
	sh_done "$1"
}
sh_done() {
	echo "$1: $sh_passed passed, $sh_failed failed, $sh_skipped skipped"
	[ "$sh_failed" -eq 0 ] || exit 1
	if [ "$sh_passed" -eq 0 ] && [ "$sh_skipped" -gt 0 ]; then echo "skipped: every check of $1 was skipped"; exit 77; fi
	exit 0
}
