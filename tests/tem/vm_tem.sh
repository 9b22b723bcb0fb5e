#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_tem.sh: the TEM attack suite with real protection keys (one QEMU boot):
# every attack program runs under erim-tem (expected: refused, secret intact)
# and without it (expected: the attack works), plus an ordinary program
# under erim-tem.  The programs tag their secret with a key of their own and
# register it with erim-tem exactly as liberim's erim_init does.
t=$builddir/tem
tem=$top_builddir/tem/erim-tem
set --
files="--file $t/atk_hugepage_reach"
# atk_hugepage_reach reserves huge pages (vm.nr_hugepages) with
# ERIM_TEST_HUGEPAGES=1, in the guest only: its control first, since erim-tem
# refuses /proc/sys for writing to start-up code too (tem_kconf.c); the
# pages stay reserved for the run under erim-tem
set -- "$t/atk_hugepage_reach" --expect succeeded ';;' "$tem" atk_hugepage_reach --expect refused ';;'
for a in atk_procmem atk_process_vm atk_ptrace atk_unmap atk_pkey atk_wx atk_jit_wrpkru \
         atk_alias_exec atk_file_rewrite atk_mremap_seam atk_personality atk_compat_abi \
         atk_seccomp atk_prctl_mm atk_kernel_features atk_sigaltstack atk_rseq atk_sigreturn \
         atk_clone_trusted atk_madvise_revert atk_helper_mem atk_userns_mount atk_fanotify atk_bpf atk_dumpable atk_physmem atk_helper_xfile atk_jit_xrstor \
         atk_frozen atk_ranges atk_toctou atk_sigtrusted atk_sigstep atk_hidden_writer atk_sigframe atk_pkrufail atk_cleartid atk_uffd_helper atk_robust_death atk_sud_dispatch \
         atk_vfork_exec atk_vfork_altstack atk_files_procmem atk_files_xfile atk_core_limit atk_procsyscall \
         atk_sigreturn_ucstack atk_sigreturn_compat atk_exec_restart atk_exec_restart_vfork \
         atk_exec_truncate atk_file_data \
         atk_leader_exec atk_leader_exec_alive atk_owner_death atk_owner_nokill \
         atk_altstack_shared atk_altstack_noflip atk_rlimit_shared atk_rlimit_noflip atk_kconf_write atk_ptracer atk_tty_inject atk_credrop atk_thread_cred atk_credrop_saved atk_orphan_task atk_arch_prctl atk_vm_stop atk_vm_stop_rev atk_aio_unmap atk_brk_unmap; do
	files="$files --file $t/$a"
	set -- "$@" "$tem" "$a" --expect refused ';;' "$t/$a" --expect succeeded ';;'
done
# an ancestor of erim-tem's caller, untraced, uid 1000, Yama scope 1, opens
# the program's memory file (atk_ancestor_mem.c; red team 24): the program
# runs outside the caller's ancestors; the control runs it as a child
files="$files --file $t/atk_ancestor_mem"
set -- "$@" "$t/atk_ancestor_mem" /t/erim-tem --expect refused ';;' "$t/atk_ancestor_mem" - --expect succeeded ';;'
# a PID namespace whose init is a process of the same user adopts the
# supervisor (tem_adopter.c; red team 27): refused; the control accepts it
# with ERIM_TEM_ADOPTER_OK=1
files="$files --file $t/tem_adopter"
set -- "$@" "$t/tem_adopter" /t/erim-tem refused ';;' "$t/tem_adopter" /t/erim-tem accepted ';;'
# every ancestor is judged, not only the adopter (red team 31): a root
# subreaper whose parent is uid 1000 adopts the supervisor; control: root
set -- "$@" "$t/tem_adopter" /t/erim-tem chain-refused ';;' "$t/tem_adopter" /t/erim-tem chain-accepted ';;'
# a thread of the root subreaper that dropped to uid 1000 alone makes it an
# ancestor of that user (red team 33b): refused; control chain-accepted
set -- "$@" "$t/tem_adopter" /t/erim-tem thread-refused ';;'
# a PID namespace hides the ancestors above its init (red team 32b):
# refused unless ERIM_TEM_ADOPTER_OK=1 (the control)
set -- "$@" "$t/tem_adopter" /t/erim-tem pidns-refused ';;' "$t/tem_adopter" /t/erim-tem pidns-accepted ';;'
# an outside process of the same user lowers RLIMIT_CORE to 0 and makes the
# program dump to a core_pattern pipe (tem_core_outside.c; red team 33b):
# SIGKILL and no core; controls: a dump without erim-tem, a handler at 1
files="$files --file $t/tem_core_outside"
set -- "$@" "$t/tem_core_outside" /t/erim-tem ';;'
# erim-tem's kill reaches a process at the pid of a reaped leader (red team
# 34a, pid_reuse): only traced tasks are signalled; control: a kill is seen
files="$files --file $t/tem_pid_reuse"
set -- "$@" "$t/tem_pid_reuse" /t/erim-tem ';;'
# a TID freed without a report: a thread's exec fails past de_thread (no
# exec event), then an untraced process takes the TID (red team 37a): it must
# not be killed with the fd table's sharers (control: the exec succeeds), and
# a registered process's fork child at that TID must not be judged as the
# dead image (control: a fork child at another pid)
files="$files --file $t/tem_stale_tid --file $t/tem_stale_adopt"
set -- "$@" "$t/tem_stale_tid" driver /t/erim-tem fail ';;' "$t/tem_stale_tid" driver /t/erim-tem ok ';;' \
	"$t/tem_stale_adopt" driver /t/erim-tem ';;'
# a liberim stop while threads set SIGSEGV to SIG_IGN in a loop (red team 35b,
# stop_ign): the process ends every time; control: no such threads
files="$files --file $t/tem_stop_ign"
set -- "$@" "$t/tem_stop_ign" /t/erim-tem ';;'
# a hugetlbfs file name that splits a fixed-size smaps reader
# (atk_smaps_split.c): the control first -- it mounts hugetlbfs at a
# temporary directory and leaves it mounted; erim-tem refuses mount(2)
files="$files --file $t/atk_smaps_split"
set -- "$@" "$t/atk_smaps_split" --expect succeeded ';;' "$tem" atk_smaps_split --expect refused ';;'
libm=$(ldconfig -p 2>/dev/null | sed -n 's/.*libm\.so\.6 (libc6,x86-64) => //p' | head -n 1)
# fs.suid_dumpable 1 keeps a process dumpable through a credential change
# (red team 30, rt30_suiddump): erim-tem refuses to start; control at 0
set -- "$@" "$srcdir/tem/tem_suid_dumpable.sh" ';;'
# perf_event_open is open to a user's processes at perf_event_paranoid 2,
# Yama or not (red team 47): erim-tem refuses a uid-1000 program; control at 3
set -- "$@" "$t/tem_launcher_ns" perf /t/erim-tem ';;'
files="$files --file $t/tem_launcher_ns"
# init_pkru needs debugfs mounted before erim-tem starts: a script does it
files="$files --file $t/atk_init_pkru"
set -- "$@" "$srcdir/tem/atk_init_pkru.sh" ';;'
# a WRPKRU in a call's rel32, retargeted by liberim's inspection, under
# erim-tem: the call works, the jump into the displacement reads nothing
# (inspect/disp_jump.c); its control (inspection off: the jump reads the
# secret) runs in vm_inspect.sh
files="$files --file $builddir/inspect/disp_jump"
set -- "$@" "$tem" disp_jump ';;'
# what erim-tem keeps within and between stops (tem_cache.c): 6.1 reads
# the map as text, 6.12 asks PROCMAP_QUERY
for m in seam exec vfork threads; do
	set -- "$@" "$tem" tem_cache $m refused ';;' "$t/tem_cache" $m succeeded ';;'
done
files="$files --file $t/tem_cache"
# a process whose leader exited, read through a live thread
# (tem_leader_exit.c): 6.1 by the maps text, 6.12 by PROCMAP_QUERY
for m in register grant; do
	for l in exit alive; do
		set -- "$@" "$tem" tem_leader_exit $m $l refused ';;' "$t/tem_leader_exit" $m $l changed ';;'
	done
done
files="$files --file $t/tem_leader_exit"
# a start-up thread with an fd table of its own keeps the memory file open
# (tem_fdtable_thread.c): every fd table is scanned
for m in clone unshare; do
	set -- "$@" "$tem" tem_fdtable_thread $m refused ';;' "$t/tem_fdtable_thread" $m read ';;'
done
# mappings that would stay file-backed (tem_reg_mapping.c; sealed: 6.12 only)
for m in shared sealed; do
	set -- "$@" "$tem" tem_reg_mapping $m refused ';;' "$t/tem_reg_mapping" $m changed ';;'
done
files="$files --file $t/tem_fdtable_thread --file $t/tem_reg_mapping"
# arguments in trusted memory are read as the kernel reads them (tem_arg_oracle.c):
# EFAULT with and without erim-tem; the same bytes in untrusted memory are refused
set -- "$@" "$tem" tem_arg_oracle trusted efault ';;' "$tem" tem_arg_oracle untrusted refused ';;' \
	"$t/tem_arg_oracle" trusted efault ';;'
files="$files --file $t/tem_arg_oracle"
files="$files --file $t/tem_liberim --file $t/tem_normal --file $t/tem_signals --file ${libm:-/lib/x86_64-linux-gnu/libm.so.6}"
# shellcheck disable=SC2086
exec "$ERIM_VM_RUN" --name vm_tem --timeout 900 --env ERIM_BACKEND=mpk --env ERIM_TEST_HUGEPAGES=1 $files -- "$@" "$tem" tem_signals --under-tem ';;' "$t/tem_signals" ';;' "$tem" tem_normal --under-tem --lib /t/libm.so.6 ';;' "$tem" tem_liberim --under-tem
