# harden_runs.sh (sourced): run rt_harden, rt_fini or rt_tcb once per "PROGRAM ARGS" line on
# stdin, show each run, and sum their closing lines into SUITE's.
harden_runs() {
	suite=$1 p=0 f=0 s=0
	while read -r line; do
		[ -n "$line" ] || continue
		echo "== $line"
		out=$($line 2>&1); rc=$?
		echo "$out"
		c=$(echo "$out" | grep -E '^rt_(harden|fini|tcb)(_static)?: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
		if [ -z "$c" ]; then
			echo "   (no closing line, exit $rc: one failure)"; f=$((f + 1)); continue
		fi
		set -- $(echo "$c" | sed 's/[^0-9 ]//g')
		p=$((p + $1)); f=$((f + $2)); s=$((s + ${3:-0}))
		[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || [ "$2" -gt 0 ] || { echo "   (exit $rc)"; f=$((f + 1)); }
	done
	echo "$suite: $p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}
