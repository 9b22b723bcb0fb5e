#!/bin/sh
# SPDX-License-Identifier: MIT
# trusted_imports.sh: the provider's trusted side calls no library function
# that reads the library's writable state (doc/security.md, "Not covered";
# red-team round 10: glibc's memcpy/memmove/memset consult tuning variables in
# libc's .bss above 256 bytes, vsnprintf and strerror read locale data, stdio
# reads FILE objects, malloc the tcache -- all untrusted memory).  Every symbol
# a trusted object imports must be on the list below, which says why each is
# safe; anything else fails, so a new libc call on the trusted side is caught
# without anyone having thought of it.  The controls: an object that calls
# memcpy with a variable size, and one that calls vsnprintf, are refused.
# Not covered by this check: what BearSSL and libsodium (shared libraries)
# call inside themselves; the trusted-path audit (tests/audit/vm_audit.sh)
# single-steps such code where it runs.
. "$srcdir/lib/sh_check.sh"
command -v nm >/dev/null || { echo "skipped: nm (binutils) not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-timports.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# allowed imports of trusted objects, one pattern per line (grep -x -E)
cat >"$tmp/allow" <<'LIST'
erim_[a-z_]+
ept_[a-z0-9_]+
ep_log_ocall
_GLOBAL_OFFSET_TABLE_
br_[a-z0-9_]+
crypto_sign_(detached|seed_keypair)
sodium_mem(zero|cmp)
open
read
close
fstat
geteuid
__errno_location
LIST
# why: liberim's API and the provider's own trusted functions; the generated
# ocall proxy; BearSSL's and libsodium's signing and AEAD code (constant
# tables in .rodata, keys and state in the caller's trusted buffers);
# open/read/close/fstat/geteuid: system-call wrappers (errno and the
# cancellation state are in the trusted thread block, runtime/erim_tcb.c).

# check_objects NAME OBJ...: every import of the objects is allowed
check_objects() {
	name=$1; shift
	nm -u "$@" 2>"$tmp/nm.err" | awk 'NF == 2 && $1 == "U" { print $2 }' | sort -u >"$tmp/all" || return 2
	[ -s "$tmp/nm.err" ] && { cat "$tmp/nm.err"; return 2; }
	# --enable-asan / --enable-ubsan: the instrumentation's calls into the
	# sanitizer runtime read its shadow memory and state, untrusted memory,
	# by design; the rule holds only in builds without sanitizers (as the
	# trusted-path audit says, tests/audit/vm_audit.sh).  Named, not checked.
	grep -E '^__(asan|ubsan)_' "$tmp/all" >"$tmp/san"
	grep -v -E '^__(asan|ubsan)_' "$tmp/all" >"$tmp/imports"
	[ -s "$tmp/san" ] && echo "$name: sanitizer build: $(wc -l <"$tmp/san") calls into the sanitizer runtime not checked (they read its untrusted shadow memory by design)"
	grep -v -x -E -f "$tmp/allow" "$tmp/imports" >"$tmp/bad"
	if [ -s "$tmp/bad" ]; then
		echo "$name: trusted objects import what is not on the list:"
		sed 's/^/  /' "$tmp/bad"
		return 1
	fi
	echo "$name: $(wc -l <"$tmp/imports") imports, all on the list"
	return 0
}

# --- controls: crafted trusted objects that call libc
printf '#include <string.h>\nvoid ept_ctl(void *d, const void *s, size_t n) { memcpy(d, s, n); }\n' >"$tmp/c1.c"
printf '#include <stdio.h>\n#include <stdarg.h>\nvoid ept_ctl2(char *b, const char *f, va_list ap) { vsnprintf(b, 64, f, ap); }\n' >"$tmp/c2.c"
${CC:-cc} -O2 -c -o "$tmp/c1.o" "$tmp/c1.c" && ${CC:-cc} -O2 -c -o "$tmp/c2.o" "$tmp/c2.c" || sh_abort trusted_imports "cannot compile the controls"
check_objects control "$tmp/c1.o" >"$tmp/out1" 2>&1
sh_check "control: a trusted object calling memcpy is refused" test $? -eq 1
sh_check "control: the refusal names memcpy" grep -q '^  memcpy$' "$tmp/out1"
check_objects control "$tmp/c2.o" >"$tmp/out2" 2>&1
sh_check "control: a trusted object calling vsnprintf is refused" grep -q '^  vsnprintf$' "$tmp/out2"

# --- the provider's trusted objects, as built (libtool's PIC objects)
objs=
for f in ep_trusted ep_trusted_aead ep_keyfile ep_pss ep_trusted_util; do
	o=$top_builddir/provider/.libs/erim_la-$f.o
	[ -r "$o" ] || o=$top_builddir/provider/erim_la-$f.o
	[ -r "$o" ] || { sh_fail "provider: $f.o" "not built"; continue; }
	objs="$objs $o"
done
if [ -n "$objs" ]; then
	check_objects provider $objs >"$tmp/prov" 2>&1
	rc=$?
	cat "$tmp/prov"
	sh_check "the provider's trusted objects import only listed functions" test "$rc" -eq 0
fi
sh_done trusted_imports
