#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_gates_mprotect.sh: the generated gentest gates under the mprotect back end.
ERIM_BACKEND=mprotect ERIM_QUIET=1 exec "$builddir/gen/test_gen_gates" gen_gates_mprotect
