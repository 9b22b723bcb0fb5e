#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_gate_none.sh: the gate's own state under attack (runtime/rt_gate.c) natively,
# `none` back end: nested callbacks, x87/MMX/opmask scrub, forged callback
# returns and slot takeover from another thread, the abort path under a race.
ERIM_QUIET=1 exec "$builddir/runtime/rt_gate" none
