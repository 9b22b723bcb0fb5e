#!/bin/sh
# rt_gate_mprotect.sh: vm/rt_gate.c natively under the `mprotect` back end.
ERIM_QUIET=1 exec "$builddir/vm/rt_gate" mprotect
