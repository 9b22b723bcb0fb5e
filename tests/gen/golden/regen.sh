#!/bin/sh
# regen.sh: rewrite the expected outputs of the golden tests on purpose,
# after a deliberate change to the generated code.  Review the diff
# (git diff tests/gen/golden) before committing it.
#
#   tests/gen/golden/regen.sh BUILDDIR/generator/erimgen
set -eu
erimgen=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")"
for erim in *.erim; do
	stem=${erim%.erim}
	rm -rf "$stem"
	mkdir "$stem"
	"$erimgen" -o "$stem" "$erim"
	echo "regenerated $stem/"
done
