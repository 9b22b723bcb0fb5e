#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_nopku.sh: the same guest with -cpu max,-pku must report PKU absent.
exec "$ERIM_VM_RUN" --name vm_nopku --cpu max,-pku -- "$builddir/foundation/pku_absent"
