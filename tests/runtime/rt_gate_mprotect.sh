#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_gate_mprotect.sh: runtime/rt_gate.c natively under the `mprotect` back end.
ERIM_QUIET=1 exec "$builddir/runtime/rt_gate" mprotect
