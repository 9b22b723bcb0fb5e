#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_inspect.sh: load-time inspection on a CPU with protection keys (one
# guest boot): glibc's pkey_set cannot reopen the trusted key after
# erim_init, a program with unsafe WRPKRU/XRSTOR is refused under mpk, and a
# jump onto any XRSTOR left in executable memory (glibc's lazy-binding
# trampolines, rewritten at erim_init) cannot load PKRU, dynamic and static,
# with the controls (inspection off) where the same jumps read the secret; a
# WRPKRU in the gate shape once accepted by its bytes is refused (control:
# with inspection off it opens the trusted key); a WRPKRU inside a call's
# rel32 (Debian 12 libcrypto's shape) is retargeted and a jump into the
# displacement no longer loads PKRU (control: inspection off, it does), raw
# bytes of that shape outside any function are refused; the in-process
# inspection's own tests, where execute-only code carries a protection key
# (the kernel's execute-only key, one the program chose) that must survive
# the scan.
exec "$ERIM_VM_RUN" --name vm_inspect --env ERIM_BACKEND=mpk -- \
	"$builddir/inspect/inspect_vm_pkey" ';;' "$builddir/inspect/inspect_vm_refuse" \
	';;' "$builddir/inspect/xrstor_jump" ';;' "$builddir/inspect/xrstor_jump" off \
	';;' "$builddir/inspect/xrstor_jump_static" ';;' "$builddir/inspect/xrstor_jump_static" off \
	';;' "$builddir/inspect/gate_shape_jump" ';;' "$builddir/inspect/gate_shape_jump" off \
	';;' "$builddir/inspect/gate_shape_jump_static" ';;' "$builddir/inspect/gate_shape_jump_static" off \
	';;' "$builddir/inspect/disp_jump" ';;' "$builddir/inspect/disp_jump" raw \
	';;' "$builddir/inspect/disp_jump" off \
	';;' "$builddir/inspect/mutable_code" ';;' "$builddir/inspect/mutable_code_execstack" \
	';;' "$builddir/inspect/test_inspect_process"
