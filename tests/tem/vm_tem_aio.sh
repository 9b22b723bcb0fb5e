#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_tem_aio.sh: atk_aio_late_write with real protection keys: a device
# fills a page after erim-tem's grant through a pin io_submit took before
# it.  The guest gets a scratch NVMe disk (erim-vm-run --disk) with a file
# system on it for the O_DIRECT AIO reads (atk_aio.sh: erim-tem refuses the
# raw block device itself); under erim-tem the executable page is a fresh one and
# the late write misses it (refused), without erim-tem the page runs WRPKRU
# and the secret is read (succeeded).
t=$builddir/tem
tem=$top_builddir/tem/erim-tem
exec "$ERIM_VM_RUN" --name vm_tem_aio --timeout 900 --disk 64 --env ERIM_BACKEND=mpk \
	--file "$t/atk_aio_late_write" --file "$tem" -- "$srcdir/tem/atk_aio.sh"
