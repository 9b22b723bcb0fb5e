/* SPDX-License-Identifier: MIT */
/* crafted_expect.h: what the inspector must report for crafted.S -- one row
 * per WRPKRU/XRSTOR occurrence: label, offset of the 0F byte from the label,
 * kind and class.  Shared by the in-process and erim-inspect tests. */
#ifndef CRAFTED_EXPECT_H
#define CRAFTED_EXPECT_H

#include "scan.h"

#define CRAFTED_EXPECT(X)                                                      \
	X(crafted_wrpkru_insn, 0, SCAN_WRPKRU, SCAN_UNSAFE)                    \
	X(crafted_in_imm, 2, SCAN_WRPKRU, SCAN_UNSAFE)                         \
	X(crafted_in_disp, 2, SCAN_WRPKRU, SCAN_UNSAFE)                        \
	X(crafted_span_insns, 1, SCAN_WRPKRU, SCAN_UNSAFE)                     \
	X(crafted_gate8, 9, SCAN_WRPKRU, SCAN_UNSAFE)                          \
	X(crafted_gate32, 9, SCAN_WRPKRU, SCAN_UNSAFE)                         \
	X(crafted_gate_bad, 9, SCAN_WRPKRU, SCAN_UNSAFE)                       \
	X(crafted_xrstor_benign, 7, SCAN_XRSTOR, SCAN_UNSAFE)                  \
	X(crafted_xrstor_pkru, 7, SCAN_XRSTOR, SCAN_UNSAFE)                    \
	X(crafted_xrstor_bare, 0, SCAN_XRSTOR, SCAN_UNSAFE)                    \
	X(crafted_xrstor64_benign, 8, SCAN_XRSTOR64, SCAN_UNSAFE)              \
	X(crafted_xrstor64_bare, 1, SCAN_XRSTOR64, SCAN_UNSAFE)                \
	X(crafted_xrstor_r8, 6, SCAN_XRSTOR, SCAN_UNSAFE)                      \
	X(crafted_xrstor_checked, 0, SCAN_XRSTOR, SCAN_CHECKED_XRSTOR)         \
	X(crafted_xrstor64_checked, 1, SCAN_XRSTOR64, SCAN_CHECKED_XRSTOR)     \
	X(crafted_xrstor_check_bad, 0, SCAN_XRSTOR, SCAN_UNSAFE)               \
	X(crafted_span_page, 0, SCAN_WRPKRU, SCAN_UNSAFE)

#endif /* CRAFTED_EXPECT_H */
