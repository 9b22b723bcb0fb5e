#!/bin/sh
# SPDX-License-Identifier: MIT
# not-built.sh NAME WHY: a suite that was not built because configure did not
# find an optional library (or was told to do without it).  Prints one line
# naming the suite and the reason, and leaves not-built/NAME.log with a closing
# line for summary.sh: skipped, or failed under CI=true (CI installs every
# dependency, so there a missing suite is an error).
name=${1##*/}
why=$2
mkdir -p not-built || exit 1
if [ "${CI:-}" = true ]; then
	line="$name: 0 passed, 1 failed"
	echo "$name: not built: $why (an error under CI=true)"
else
	line="$name: 0 passed, 0 failed, 1 skipped"
	echo "$name: not built: $why"
fi
{ echo "skipped: not built: $why"; echo "$line"; } >"not-built/$name.log"
[ "${CI:-}" != true ]
