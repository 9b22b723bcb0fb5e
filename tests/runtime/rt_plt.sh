#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_plt.sh: no PLT stub reads a writable slot, with real protection keys
# (one guest boot): runtime/rt_plt.c under mpk, dynamic (a module dlopened after
# init) and static; the static program without -z relro -z now refused (under
# mprotect: it is non-PIE, and mpk refuses it for its gates below 4 GiB); the
# control run under none.  Inside each run, the executable's and libc's GOT
# hijacks are stopped, and their controls (the retargeting undone) run the
# attacker's function with the trusted PKRU.  Under erim-tem (mpk and
# mprotect) the undo itself is refused: the stubs and the slot copies are
# frozen.
b=$builddir/runtime
tem=$top_builddir/tem/erim-tem
exec "$ERIM_VM_RUN" --name rt_plt --cpu max --smp 2 --env ERIM_QUIET=1 \
	--file "$builddir/harden/.libs/dlclean.so" --file "$b/rt_plt" -- \
	"$b/rt_plt" mpk ./dlclean.so ';;' "$b/rt_plt_static" mpk ';;' \
	"$b/rt_plt_lazy_static" mprotect --refused ';;' "$b/rt_plt" none ./dlclean.so ';;' \
	"$tem" ./rt_plt mpk ./dlclean.so --under-tem ';;' \
	"$tem" ./rt_plt mprotect ./dlclean.so --under-tem
