#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_harden.sh: rt_harden in the PKU guest -- the mpk back end, dynamic (with
# the modules dlopened before and after init) and static, and the control
# run under none (one guest boot); rt_fini (erim_fini all or nothing, one
# way, no stale trusted stack or thread block after it: red team rounds 1
# and 7) under mpk, dynamic and static, and its control under none; rt_dontdump (every
# trusted range out of core dumps) under mpk; rt_tcb (trusted code's own
# %fs, rseq closed: red team round 4) the same way; rt_mlock (trusted
# ranges locked in RAM on fault, a small RLIMIT_MEMLOCK: notice or
# ERIM_REQUIRE=mlock) under mpk, without erim-tem (untrusted munlock works:
# the control) and under it (munlock refused, the lock carried over the
# registration's fresh pages); rt_stackgap (a guard gap above the last
# trusted stack: red team 16) under mpk; rt_finiwin (erim_fini unseals the
# read-only page only after the trusted ranges are replaced: red team 21)
# under mpk, its key control, and the control under none; rt_libcopy (a
# second copy of liberim.so dlopened by untrusted code opens no key: red
# team 55) under mpk with its control, and under none, and a second libc's
# pkey_set (red team 57) without erim-tem (not covered: the control) and
# under it (refused); rt_pltrace (a thread's stores, pread or plain, into
# the PLT page of a module dlopened in a loop never land, and liberim
# rewrites none of its stubs; control: the same bytes made executable read
# the secret; red team 58); rt_sigtab (zeros written over liberim's sealed
# pages whenever a sigaction() has one open: the next handler is still
# liberim's, with SA_ONSTACK; control under none; red team 59); rt_dlforge
# (a forged link map and racing stores: dlopen(NULL) and a module's dlopen
# change no trusted stub or code page, the attacker's function never runs;
# control: the stores landed with the test's own mprotect read the secret;
# red team 60) under mpk, without erim-tem and under it; rt_finiforge
# (erim_fini replaces liberim's tables only after the gates' PKRU values are
# closed: a thread's forged entry and slot never run with the trusted key,
# red team 60b) under mpk and its control under none; rt_finislow (a
# gate called after erim_fini's wipe stops before it touches the boot
# stack, which is plain memory by then: red team 61, finislow) under mpk,
# its control (the watcher sees a slow-path frame) under none; rt_sigfini
# (erim_fini returns -EBUSY while a thread is in the trusted signal relay,
# and no relay runs on a replaced signal stack: red team 62, sigfini;
# 6.12 only, where the signal stacks are trusted memory; and with signals
# sent to erim_fini's own thread, erim_fini finishes: every signal is
# blocked on that thread from the wipe to the handlers' switch back);
# rt_residue (no byte of a secret trusted code computed, copied around,
# called back and took signals with is found in any page untrusted code can
# read, before and after erim_fini: red team 65) under mpk, dynamic, static
# and under erim-tem (without erim_fini: -EPERM there), and its control
# under none.
# Thirty-six programs in one TCG guest: 300 s was not enough on a loaded machine, hence
# --timeout 900.
b=$builddir/harden
exec "$ERIM_VM_RUN" --name vm_harden --cpu max --smp 2 --timeout 900 --env ERIM_QUIET=1 \
	--file "$b/.libs/dlsecret_early.so" --file "$b/.libs/dlsecret_late.so" \
	--file "$b/.libs/dlclean.so" --file "$b/rt_mlock" --file "$b/rt_libcopy" \
	--file "$b/.libs/pltwide.so" --file "$b/.libs/pltwide_dep.so" --file "$b/rt_dlforge" \
	--file "$b/rt_residue" -- \
	"$b/rt_harden" --backend=mpk ./dlsecret_early.so ./dlsecret_late.so ./dlclean.so ';;' \
	"$b/rt_harden_static" --backend=mpk ';;' \
	"$b/rt_harden" --backend=none ./dlsecret_early.so ./dlsecret_late.so ./dlclean.so ';;' \
	"$b/rt_fini" --backend=mpk ';;' "$b/rt_fini_static" --backend=mpk ';;' \
	"$b/rt_fini" --backend=none ';;' "$b/rt_dontdump" --backend=mpk ';;' \
	"$b/rt_tcb" mpk ';;' "$b/rt_tcb_static" mpk ';;' "$b/rt_tcb" none ';;' \
	"$b/rt_mlock" --backend=mpk ';;' "$top_builddir/tem/erim-tem" rt_mlock --backend=mpk --under-tem ';;' \
	"$b/rt_stackgap" --backend=mpk ';;' \
	"$b/rt_finiwin" mpk window ';;' "$b/rt_finiwin" mpk direct ';;' "$b/rt_finiwin" none direct ';;' \
	"$b/rt_libcopy" --backend=mpk ';;' "$b/rt_libcopy" --backend=none ';;' \
	"$b/rt_libcopy" --backend=mpk --libc ';;' "$top_builddir/tem/erim-tem" rt_libcopy --backend=mpk --libc --under-tem ';;' \
	"$b/rt_pltrace" --backend=mpk ./pltwide_dep.so ./pltwide.so ';;' \
	"$b/rt_pltrace" --backend=mpk ./pltwide_dep.so ./pltwide.so --stores ';;' \
	"$b/rt_sigtab" --backend=mpk ';;' "$b/rt_sigtab" --backend=none ';;' \
	"$b/rt_dlforge" --backend=mpk ./dlclean.so ';;' \
	"$top_builddir/tem/erim-tem" ./rt_dlforge --backend=mpk ./dlclean.so --under-tem ';;' \
	"$b/rt_finiforge" mpk ';;' "$b/rt_finiforge" none ';;' \
	"$b/rt_finislow" mpk ';;' "$b/rt_finislow" none ';;' "$b/rt_sigfini" mpk ';;' "$b/rt_sigfini" mpk selfsig ';;' \
	"$b/rt_residue" mpk fini ';;' "$b/rt_residue_static" mpk fini ';;' \
	"$top_builddir/tem/erim-tem" ./rt_residue mpk ';;' "$b/rt_residue" none
