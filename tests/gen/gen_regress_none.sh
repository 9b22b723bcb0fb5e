#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_regress_none.sh: issue 15's marshaller regressions under the `none`
# back end (no gate: the generated code's own checks and copies).
ERIM_BACKEND=none ERIM_QUIET=1 exec "$builddir/gen/test_gen_regress" gen_regress_none
