#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_harden_native.sh: rt_harden natively -- the mprotect back end (attacks
# stopped) and none (the control: the same reads find the secrets), each
# dynamic (with the early/late modules) and static; and rt_fini (erim_fini
# all or nothing, one way, no stale trusted stack after it) the same way; rt_dontdump (trusted ranges out of core
# dumps); rt_tcb (trusted code's own %fs, rseq closed); rt_mlock (trusted
# ranges locked in RAM on fault; under erim-tem in tem/native_tem.sh);
# rt_libcopy under none (its control; the attacks need mpk: vm_harden.sh);
# rt_pltrace (a thread's stores into the PLT page of a module dlopened in a
# loop never land, and liberim rewrites none of its stubs: red team 58)
# under none and mprotect; rt_sigtab (a thread's writes into liberim's
# signal table while a sigaction() has it open: red team 59) under mprotect
# and its control under none; rt_dlforge (a forged link map and racing
# stores: dlopen changes no trusted stub or code page: red team 60) under
# mprotect and none; rt_finiforge's control under none (a forged entry and
# slot run where liberim's tables are plain memory; the test itself needs
# mpk: vm_harden.sh); rt_finislow's control under none (the watcher sees
# the slow path's frame on the boot stack; the test itself: vm_harden.sh);
# rt_residue (no secret byte in any page untrusted code can read, before
# and after erim_fini) under mprotect, dynamic and static, and its control
# under none (the search finds the secret).
. "$srcdir/lib/sh_check.sh"
b=$builddir/harden
m="$b/.libs/dlsecret_early.so $b/.libs/dlsecret_late.so $b/.libs/dlclean.so"
while read -r line; do
	sh_run $line
done <<EOF2
$b/rt_harden --backend=mprotect $m
$b/rt_harden --backend=none $m
$b/rt_harden_static --backend=mprotect
$b/rt_harden_static --backend=none
$b/rt_fini --backend=mprotect
$b/rt_fini --backend=none
$b/rt_fini_static --backend=mprotect
$b/rt_fini_static --backend=none
$b/rt_dontdump --backend=mprotect
$b/rt_dontdump --backend=none
$b/rt_tcb mprotect
$b/rt_tcb none
$b/rt_tcb_static mprotect
$b/rt_mlock --backend=mprotect
$b/rt_libcopy --backend=none
$b/rt_pltrace --backend=none $b/.libs/pltwide_dep.so $b/.libs/pltwide.so
$b/rt_pltrace --backend=mprotect $b/.libs/pltwide_dep.so $b/.libs/pltwide.so --stores
$b/rt_sigtab --backend=mprotect
$b/rt_sigtab --backend=none
$b/rt_dlforge --backend=mprotect $b/.libs/dlclean.so
$b/rt_dlforge --backend=none $b/.libs/dlclean.so
$b/rt_finiforge none
$b/rt_finislow none
$b/rt_residue mprotect fini
$b/rt_residue_static mprotect fini
$b/rt_residue none
EOF2
sh_done rt_harden_native
