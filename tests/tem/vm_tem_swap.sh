#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_tem_swap.sh: atk_swapdev as root in the guest, which gets a scratch
# NVMe disk (erim-vm-run --disk): every block device node and an active
# swap file are refused under erim-tem and readable without it
# (tem/atk_swapdev.sh makes the swap file); the same storage inherited or
# received with SCM_RIGHTS refuses the registration or stops the receiver
# (tem/storage_fd.sh).
t=$builddir/tem
tem=$top_builddir/tem/erim-tem
exec "$ERIM_VM_RUN" --name vm_tem_swap --timeout 600 --disk 64 --env ERIM_BACKEND=mpk \
	--file "$t/atk_swapdev" --file "$t/tem_storage_fd" --file "$srcdir/tem/storage_fd.sh" --file "$tem" \
	-- "$srcdir/tem/atk_swapdev.sh"
