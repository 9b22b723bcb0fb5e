#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_plt_native.sh: no PLT stub reads a writable slot after erim_init
# (runtime/rt_plt.c) natively -- none and mprotect, dynamic (with a module
# dlopened after init) and static; a static program linked without
# -z relro -z now is refused.  The GOT-hijack controls run inside each
# program (the retargeting undone: the hijack runs the attacker's function).
m=$builddir/harden/.libs/dlclean.so
. "$srcdir/lib/sh_check.sh"
export ERIM_QUIET=1
while read -r line; do
	sh_run $line
done <<EOF2
$builddir/runtime/rt_plt none $m
$builddir/runtime/rt_plt mprotect $m
$builddir/runtime/rt_plt_static none
$builddir/runtime/rt_plt_static mprotect
$builddir/runtime/rt_plt_lazy_static none --refused
EOF2
sh_done rt_plt_native
