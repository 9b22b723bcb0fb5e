#!/bin/sh
# vm_inspect.sh: load-time inspection on a CPU with protection keys (one
# guest boot): glibc's pkey_set cannot reopen the trusted key after
# erim_init, and a program with unsafe WRPKRU/XRSTOR is refused under mpk.
exec "$ERIM_VM_RUN" --name vm_inspect --env ERIM_BACKEND=mpk -- \
	"$builddir/inspect/inspect_vm_pkey" ';;' "$builddir/inspect/inspect_vm_refuse"
