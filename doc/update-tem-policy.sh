#!/bin/sh
# SPDX-License-Identifier: MIT
# update-tem-policy.sh MANPAGE ERIM-TEM: replace the policy table of
# erim-tem(1) (between the BEGIN POLICY and END POLICY comments) with what
# `erim-tem --policy=man` prints, so the page shows the code's own table.
# tests/tem/native_policy.sh fails when the two differ.
set -e
man=$1 tem=$2
grep -q '^\.\\" BEGIN POLICY' "$man" && grep -q '^\.\\" END POLICY' "$man" || {
	echo "update-tem-policy: $man has no BEGIN/END POLICY markers" >&2
	exit 1
}
{
	sed '/^\.\\" BEGIN POLICY/q' "$man"
	"$tem" --policy=man
	sed -n '/^\.\\" END POLICY/,$p' "$man"
} > "$man.new"
mv "$man.new" "$man"
