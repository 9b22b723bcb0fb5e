#!/bin/sh
# SPDX-License-Identifier: MIT
# libc_sigroutes.sh: no name of the C library the build links with installs
# a signal handler or a signal stack behind liberim's back, unless
# harden/libc_sigroutes.list judges it (harmless, or a route security.md
# names as left).  tools/libc-sigroutes reads libc.so's machine code: the
# functions that make the rt_sigaction or sigaltstack system call, their
# callers inside libc, and every alias of them and of what liberim.so
# interposes (red team 51: ssignal, __sysv_signal, __sigaction, sigvec and
# sigstack were not interposed).  Controls: the same run with liberim's
# ssignal or sigstack left out, and with an empty list, finds the routes,
# so a clean result means something.
. "$srcdir/lib/sh_check.sh"
tool="$top_srcdir/tools/libc-sigroutes"
list="$srcdir/harden/libc_sigroutes.list"
lib="$top_builddir/runtime/.libs/liberim.so"
if ! command -v python3 >/dev/null || ! command -v objdump >/dev/null; then
	sh_skip "all" "python3 or objdump (binutils) not installed"
	sh_done libc_sigroutes
fi
libc=$(${CC:-cc} -print-file-name=libc.so.6)
case $libc in /*) ;; *) libc=$(ldd "$lib" | sed -n 's/.*libc\.so\.6 => \([^ ]*\).*/\1/p') ;; esac
[ -f "$libc" ] || sh_abort libc_sigroutes "no libc.so.6 found (${CC:-cc} -print-file-name, ldd)"
[ -f "$lib" ] || sh_abort libc_sigroutes "$lib not built"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-sigroutes.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
echo "C library: $(readlink -f "$libc")"

"$tool" "$libc" "$lib" "$list" >"$tmp/out" 2>&1
rc=$?
sed 's/^/  | /' "$tmp/out"
sh_result "no route to rt_sigaction or sigaltstack that liberim does not interpose or the list does not judge" $rc
sh_check "the rt_sigaction system call was found in the C library" grep -q "makes the rt_sigaction system call" "$tmp/out"
sh_check "the sigaltstack system call was found in the C library" grep -q "makes the sigaltstack system call" "$tmp/out"

"$tool" --without ssignal "$libc" "$lib" "$list" >"$tmp/c1" 2>&1
c1=$?
sh_check "control: without liberim's ssignal the run fails" test "$c1" -eq 1
sh_check "control: ... naming ssignal" grep -q "^ROUTE: ssignal " "$tmp/c1"
"$tool" --without sigstack "$libc" "$lib" "$list" >"$tmp/c2" 2>&1
c2=$?
sh_check "control: without liberim's sigstack the run fails" test "$c2" -eq 1
sh_check "control: ... naming sigstack's call of sigaltstack" grep -q "^ROUTE: sigstack calls sigaltstack" "$tmp/c2"
: >"$tmp/empty"
"$tool" "$libc" "$lib" "$tmp/empty" >"$tmp/c3" 2>&1
c3=$?
sh_check "control: with an empty list the run fails" test "$c3" -eq 1
sh_check "control: ... naming abort's call of sigaction" grep -q "^ROUTE: abort calls " "$tmp/c3"
sh_done libc_sigroutes
