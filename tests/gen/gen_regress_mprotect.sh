#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_regress_mprotect.sh: issue 15's marshaller regressions under mprotect.
ERIM_BACKEND=mprotect ERIM_QUIET=1 exec "$builddir/gen/test_gen_regress" gen_regress_mprotect
