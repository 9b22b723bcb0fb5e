#!/bin/sh
# SPDX-License-Identifier: MIT
# count_match.sh: the WRPKRU/XRSTOR occurrences erim-inspect reports over a
# system library directory must equal an independent count
# (count_independent.py: struct + one regular expression, no erim code).
# ERIM_INSPECT_COUNT_DIR overrides the directory.
set -u
. "$srcdir/lib/sh_check.sh"
dir=${ERIM_INSPECT_COUNT_DIR:-/usr/lib/x86_64-linux-gnu}
INSPECT=$top_builddir/inspect/erim-inspect
if ! command -v python3 >/dev/null 2>&1; then
	sh_skip counts_match_independent_search "python3 not installed (the independent count is a python script)"
	sh_done count_match
fi
if [ ! -d "$dir" ]; then
	sh_skip counts_match_independent_search "no directory $dir"
	sh_done count_match
fi
"$INSPECT" --json -r "$dir" >report.json.tmp 2>report.err.tmp
rc=$?
mine=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print("wrpkru=%d xrstor=%d files=%d elf=%d" % (s["wrpkru"], s["xrstor"], s["files"], s["elf"]))
' report.json.tmp)
theirs=$(python3 "$srcdir/inspect/count_independent.py" "$dir")
errors=$(grep -c . report.err.tmp)
rm -f report.json.tmp report.err.tmp
echo "erim-inspect ($dir, exit $rc): $mine"
echo "independent:  $theirs"
if [ "$mine" = "$theirs" ] && [ "$rc" != 2 ] && [ "$errors" = 0 ]; then
	sh_pass counts_match_independent_search
else
	sh_fail counts_match_independent_search "$errors errors reported"
fi
sh_done count_match
