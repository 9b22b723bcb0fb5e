#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_pku.sh: the guest (-cpu max) must behave like real PKU hardware.
exec "$ERIM_VM_RUN" --name vm_pku --cpu max -- "$builddir/foundation/pku_semantics"
