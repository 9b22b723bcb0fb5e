#!/bin/sh
# SPDX-License-Identifier: MIT
# storage_fd.sh ERIM_TEM TEM_STORAGE_FD PATH [inherit-only]: storage fds that
# reach the program without an open erim-tem judged (tem_storage_fd.c), each
# case under erim-tem and, as the control, without it.  PATH: a block
# device, a swap file, /dev/snapshot ... ("blk": the first block device
# that opens).  Under erim-tem: the registration is refused while any traced
# process holds such an fd (inherited: exit 10; kept by a child forked
# before the registration: 10), a recvmsg/recvmmsg that brought one stops
# the process (137, also by start-up code); a received ordinary file still
# works (20).  Without erim-tem every case reads the storage (20).  With
# "inherit-only" the SCM_RIGHTS cases are left out.  Exit 0, 1 on a
# failure, 77 when PATH cannot be opened here (the reason is printed).
tem=$1 prog=$2 path=$3 only=$4
fail=0 ran=0
tmp=${TMPDIR:-/tmp}
mkdir -p "$tmp" 2>/dev/null
case_() { # want description launcher-args...
	want=$1 what=$2
	shift 2
	err=$tmp/storage_fd.$$
	"$prog" launch "$@" 2>"$err"
	rc=$?
	cat "$err" >&2
	if [ $rc = 77 ]; then
		echo "$what: skipped"
	elif [ $rc = "$want" ]; then
		ran=$((ran + 1))
		echo "$what: ok"
	else
		fail=1
		echo "$what: FAIL (exit $rc, want $want)"
	fi
	if [ $rc = "$want" ] && [ "$want" = 10 ] && ! grep -q "refused (fd 3 = " "$err"; then
		fail=1
		echo "$what: FAIL (the refusal does not name fd 3 and its file)"
	fi
	rm -f "$err"
}
case_ 10 "$path inherited on fd 3: registration refused" inherit "$path" -- "$tem" "$prog" hold
case_ 20 "control: $path inherited on fd 3 reads without erim-tem" inherit "$path" -- "$prog" hold
case_ 10 "$path kept by a child forked before registration: registration refused" inherit "$path" -- "$tem" "$prog" hold-fork
case_ 20 "control: the forked child reads $path without erim-tem" inherit "$path" -- "$prog" hold-fork
if [ "$only" != inherit-only ]; then
	for m in recv recvmmsg recv-startup; do
		case_ 137 "$path received with SCM_RIGHTS ($m): process stopped" send "$path" -- "$tem" "$prog" $m
		case_ 20 "control: $path received with SCM_RIGHTS ($m) reads without erim-tem" send "$path" -- "$prog" $m
	done
	f=$tmp/storage_fd_plain.$$
	echo ordinary > "$f"
	case_ 20 "an ordinary file received with SCM_RIGHTS under erim-tem is read" send "$f" -- "$tem" "$prog" recv
	rm -f "$f"
fi
[ $fail = 0 ] || exit 1
[ $ran = 0 ] && exit 77
exit 0
