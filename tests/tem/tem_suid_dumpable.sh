#!/bin/sh
# SPDX-License-Identifier: MIT
# tem_suid_dumpable.sh (runs in the guest as root, from /t): with
# fs.suid_dumpable = 1 a process that changes its credentials stays
# dumpable, so a registered root program that drops to a user is open to
# that user's processes without any call erim-tem judges (red team 30,
# rt30_suiddump).  erim-tem refuses to start there (exit 125, naming the
# setting); the control, fs.suid_dumpable = 0, runs the same program.
old=$(cat /proc/sys/fs/suid_dumpable) || exit 1
fail=0
echo 1 >/proc/sys/fs/suid_dumpable || { echo "FAIL: cannot set fs.suid_dumpable"; exit 1; }
out=$(./erim-tem /bin/true 2>&1)
rc=$?
echo 0 >/proc/sys/fs/suid_dumpable
ctl=$(./erim-tem /bin/true 2>&1)
crc=$?
echo "$old" >/proc/sys/fs/suid_dumpable
echo "fs.suid_dumpable 1: exit $rc: $out"
if [ "$rc" = 125 ] && printf '%s\n' "$out" | grep -q "fs.suid_dumpable is 1"; then
	echo "ok: refused, named"
else
	echo "FAIL: erim-tem ran with fs.suid_dumpable 1 (exit $rc)"
	fail=1
fi
echo "control, fs.suid_dumpable 0: exit $crc${ctl:+: $ctl}"
if [ "$crc" = 0 ]; then
	echo "ok: control ran"
else
	echo "FAIL: control did not run (exit $crc)"
	fail=1
fi
exit $fail
