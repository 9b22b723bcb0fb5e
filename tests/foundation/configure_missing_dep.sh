#!/bin/sh
# SPDX-License-Identifier: MIT
# configure_missing_dep.sh: a missing build dependency stops configure with a
# message naming the Debian package to install.  configure runs in a scratch
# copy of the few files it reads before the checks (the real tree may already be
# configured in place, which a second configure of it would refuse).
. "$srcdir/lib/sh_check.sh"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/erim-cfg.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src/runtime" "$scratch/bin" "$scratch/build"
cp "$top_srcdir/configure" "$top_srcdir/config.h.in" "$scratch/src/"
cp -R "$top_srcdir/build-aux" "$scratch/src/"
cp "$top_srcdir/runtime/erim.h" "$scratch/src/runtime/"

# a PATH with every command of the real PATH except bison
IFS=:
for d in $PATH; do
	[ -d "$d" ] || continue
	for f in "$d"/*; do
		b=${f##*/}
		[ "$b" = bison ] && continue
		[ -e "$scratch/bin/$b" ] || ln -s "$f" "$scratch/bin/$b" 2>/dev/null
	done
done
unset IFS

out=$(cd "$scratch/build" && PATH="$scratch/bin" BISON= ../src/configure 2>&1)
rc=$?
sh_check "configure without bison fails" test "$rc" -ne 0
sh_check "the message names the bison package" sh -c 'echo "$1" | grep -q "apt-get install bison"' _ "$out"

out=$(cd "$scratch/build" && PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH= ../src/configure 2>&1)
rc=$?
sh_check "configure without libelf fails" test "$rc" -ne 0
sh_check "the message names libelf-dev" sh -c 'echo "$1" | grep -q "apt-get install libelf-dev"' _ "$out"
sh_done configure_missing_dep
