#!/bin/sh
# SPDX-License-Identifier: MIT
# atk_aio.sh (runs in the guest, as root, from /t): an ext2 file system on
# the scratch disk (/dev/nvme0n1), mounted on /mnt, holds the file
# atk_aio_late_write reads with O_DIRECT AIO (ATK_AIO_DIR=/mnt): the device
# fills the page late.  A file, not the raw disk: erim-tem refuses opening
# block devices (they hold swapped page contents of trusted memory,
# atk_swapdev), which is not what this row tests.  Then the row under
# erim-tem (refused) and without it (succeeded).
if ! { busybox mke2fs -q /dev/nvme0n1 >/dev/null 2>&1 || busybox mke2fs /dev/nvme0n1 >/dev/null 2>&1; } ||
	! { mkdir -p /mnt && mount -t ext2 /dev/nvme0n1 /mnt; }; then
	echo "atk_aio: cannot put a file system on /dev/nvme0n1"
	echo "atk_aio_setup: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
ATK_AIO_DIR=/mnt ./erim-tem ./atk_aio_late_write --expect refused
a=$?
ATK_AIO_DIR=/mnt ./atk_aio_late_write --expect succeeded
b=$?
umount /mnt
[ $a = 0 ] && [ $b = 0 ]
