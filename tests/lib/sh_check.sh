# sh_check.sh: the shell twin of erim_check.h for suites written in sh.
#   sh_check "what is checked" COMMAND [ARGS...]   -- passes when COMMAND succeeds
#   sh_skip "what" "why"
#   sh_done SUITE                                  -- closing line and exit status
sh_passed=0 sh_failed=0 sh_skipped=0
sh_check() {
	what=$1; shift
	if "$@" >/dev/null 2>&1; then
		sh_passed=$((sh_passed + 1)); echo "$what: ok"
	else
		sh_failed=$((sh_failed + 1)); echo "$what: FAIL"
	fi
}
sh_skip() { sh_skipped=$((sh_skipped + 1)); echo "$1: skipped: $2"; }
sh_done() {
	echo "$1: $sh_passed passed, $sh_failed failed, $sh_skipped skipped"
	[ "$sh_failed" -eq 0 ] || exit 1
	if [ "$sh_passed" -eq 0 ] && [ "$sh_skipped" -gt 0 ]; then echo "skipped: every check of $1 was skipped"; exit 77; fi
	exit 0
}
