#!/bin/sh
# SPDX-License-Identifier: MIT
# spdx.sh: every project source file carries "SPDX-License-Identifier: MIT"
# (tools/check-spdx).  Control: a scratch tree with one source file without the
# line must fail, and with the line added must pass.
. "$top_srcdir/tests/lib/sh_check.sh"
check=$top_srcdir/tools/check-spdx

"$check" "$top_srcdir" | tail -n 20
sh_check "every source file of the tree has the SPDX line" "$check" "$top_srcdir"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/spdx.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
printf '/* SPDX-License-Identifier: MIT */\nint a;\n' >"$tmp/good.c"
printf '#!/bin/sh\n# SPDX-License-Identifier: MIT\ntrue\n' >"$tmp/good-script"
printf 'int b;\n' >"$tmp/bad.c"
printf '# a README without the line is not a source file\n' >"$tmp/README.md"
if "$check" "$tmp" >"$tmp.out" 2>&1; then r=passed; else r=failed; fi
cat "$tmp.out"; rm -f "$tmp.out"
sh_check "control: a C file without the line is found" test "$r" = failed
printf '/* SPDX-License-Identifier: MIT */\nint b;\n' >"$tmp/bad.c"
sh_check "control: with the line added the tree passes" "$check" "$tmp"
printf '#!/bin/sh\ntrue\n' >"$tmp/script"
if "$check" "$tmp" >/dev/null 2>&1; then r=passed; else r=failed; fi
sh_check "control: a script (#!, no ending) without the line is found" test "$r" = failed
sh_done spdx
