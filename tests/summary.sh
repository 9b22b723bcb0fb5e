#!/bin/sh
# SPDX-License-Identifier: MIT
# summary.sh: print the closing line of every suite that ran in this build tree
# and a grand total, from the automake .log files (stateless: re-running a
# single suite updates its log and so the summary).
dir=${1:-tests}
logs=$(find "$dir" -name '*.log' ! -name 'test-suite.log' ! -name 'config.log' 2>/dev/null | sort)
[ -n "$logs" ] || { echo "summary: no suite logs under $dir"; exit 0; }
tp=0 tf=0 ts=0
echo "== erim test summary =="
for log in $logs; do
	line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
	[ -n "$line" ] || continue
	echo "  $line"
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	s=0
	case $line in *skipped*) s=$(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/') ;; esac
	tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + s))
done
# which kernels the VM suites booted, from erim-vm-run's "NAME: kernels: ..." lines
kl=$(cat $logs | grep -E '^[A-Za-z0-9_.-]+: kernels: ' | sed -e 's/^[^:]*: kernels: //' -e 's/), /)\n/g' |
	sed -E 's/^([^ ]+) \(([^:]*):.*/\1 \2/' | sort | uniq -c | awk '{printf "%s%s %s in %d suites", s, $2, $3, $1; s="; "}')
[ -z "$kl" ] || echo "VM kernels: $kl"
echo "total: $tp passed, $tf failed, $ts skipped"
