#!/bin/sh
# SPDX-License-Identifier: MIT
# configure_optional_deps.sh: libsodium is optional.  configure
# without them (hidden from pkg-config, or --without-...) succeeds and says
# what will not be built and why; --with-X when X is missing fails naming the
# Debian package.  configure runs with --no-create in a scratch copy of the few
# files it reads (the real tree may already be configured in place).
. "$srcdir/lib/sh_check.sh"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/erim-cfg.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src/runtime" "$scratch/build" "$scratch/pc"
cp "$top_srcdir/configure" "$top_srcdir/config.h.in" "$scratch/src/"
cp -R "$top_srcdir/build-aux" "$scratch/src/"
cp "$top_srcdir/runtime/erim.h" "$scratch/src/runtime/"

# a pkg-config search path with every module but libsodium
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
	for f in "$d"/*.pc; do
		[ -e "$f" ] || continue
		case ${f##*/} in libsodium.pc) continue ;; esac
		[ -e "$scratch/pc/${f##*/}" ] || ln -s "$f" "$scratch/pc/"
	done
done

cfg() { (cd "$scratch/build" && ../src/configure --no-create "$@" 2>&1); }

out=$(PKG_CONFIG_LIBDIR="$scratch/pc" PKG_CONFIG_PATH= cfg)
rc=$?
echo "$out" | grep -E 'not built|libsodium:|provider:'
sh_check "configure without libsodium succeeds" test "$rc" -eq 0
sh_check "it names the keyvault example and the provider as not built, with the package" \
	sh -c 'echo "$1" | grep -q "not built, libsodium not found (Debian: apt-get install libsodium-dev): the keyvault example"' _ "$out"

out=$(cfg --without-libsodium)
rc=$?
sh_check "configure --without-libsodium succeeds" test "$rc" -eq 0
sh_check "it says which option left them out" \
	sh -c 'echo "$1" | grep -q "not built, configure --without-libsodium"' _ "$out"

out=$(PKG_CONFIG_LIBDIR="$scratch/pc" PKG_CONFIG_PATH= cfg --with-libsodium)
rc=$?
sh_check "configure --with-libsodium without libsodium fails" test "$rc" -ne 0
sh_check "the message names libsodium-dev" sh -c 'echo "$1" | grep -q "apt-get install libsodium-dev"' _ "$out"

# control: with everything present nothing is reported missing
out=$(cfg)
rc=$?
sh_check "control: configure with libsodium present succeeds" test "$rc" -eq 0
sh_check "control: and reports nothing as not built" sh -c '! echo "$1" | grep -q "not built"' _ "$out"
sh_done configure_optional_deps
