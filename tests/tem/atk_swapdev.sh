#!/bin/sh
# SPDX-License-Identifier: MIT
# atk_swapdev.sh (runs in the guest, as root, from /t): atk_swapdev on the
# block devices (/dev/nvme0n1, the scratch disk), then an ext2 file system
# on that disk with an active swap file in it, and atk_swapdev on the swap
# file alone (ATK_SWAP_ONLY=1); /dev/snapshot and /sys/power opened
# (ATK_SWAP_ONLY=hibernation, nothing written); the NVMe character devices
# (ATK_SWAP_ONLY=diskchar) -- each under erim-tem and without it; the disk
# and the swap file also inherited and received with SCM_RIGHTS
# (storage_fd.sh, tem_storage_fd).
fail=0 ran=0
run() {   # expected-under-tem description env...
	echo "=== atk_swapdev $1"
	shift
	env "$@" ./erim-tem ./atk_swapdev --expect refused
	a=$?
	env "$@" ./atk_swapdev --expect succeeded
	b=$?
	for r in $a $b; do
		case $r in
		0) ran=$((ran + 1)) ;;
		77) ;;
		*) fail=1 ;;
		esac
	done
}
run "block devices" ATK_SWAP_ONLY=0
run "hibernation interfaces" ATK_SWAP_ONLY=hibernation
run "disk command devices" ATK_SWAP_ONLY=diskchar
# the same storage reaching the program without a judged open: inherited
# on fd 3, received with SCM_RIGHTS from an untraced process (storage_fd.sh)
storage_fd() {   # path [inherit-only]
	echo "=== storage_fd $*"
	sh ./storage_fd.sh ./erim-tem ./tem_storage_fd "$@"
	case $? in
	0) ran=$((ran + 1)) ;;
	77) ;;
	*) fail=1 ;;
	esac
}
storage_fd /dev/nvme0n1
if busybox mke2fs -q /dev/nvme0n1 >/dev/null 2>&1 || busybox mke2fs /dev/nvme0n1 >/dev/null 2>&1; then
	mkdir -p /mnt && mount -t ext2 /dev/nvme0n1 /mnt &&
	busybox dd if=/dev/zero of=/mnt/swapfile bs=1024 count=16384 2>/dev/null &&
	busybox chmod 600 /mnt/swapfile && busybox mkswap /mnt/swapfile >/dev/null &&
	busybox swapon /mnt/swapfile || { echo "FAIL: cannot set up a swap file"; fail=1; }
	cat /proc/swaps
	run "swap file" ATK_SWAP_ONLY=1
	storage_fd /mnt/swapfile
	busybox swapoff /mnt/swapfile
	busybox umount /mnt
else
	echo "FAIL: mke2fs /dev/nvme0n1 failed"
	fail=1
fi
[ "$fail" = 0 ] || exit 1
[ "$ran" = 0 ] && exit 77
exit 0
