#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_gates_none.sh: the generated gentest gates under the `none` back end
# (no gate: entries are called directly, so the generated code must do the
# checks, the cld and the copies itself).
ERIM_BACKEND=none ERIM_QUIET=1 exec "$builddir/gen/test_gen_gates" gen_gates_none
