#!/bin/sh
# SPDX-License-Identifier: MIT
# native_tem.sh: erim-tem on this machine (no protection keys needed): the
# exit status is passed through, ordinary programs run unchanged, and every
# attack program that needs no PKU is refused under erim-tem and succeeds
# without it (so each refusal is proven to matter).
tem=$top_builddir/tem/erim-tem
t=$builddir/tem
. "$srcdir/lib/sh_check.sh"
d0=$(mktemp -d) || exit 1
trap 'rm -rf "$d0"' EXIT

count() { # rc description: 0 passes, 77 skips (the program said why), else fails
	case $1 in
	0) sh_pass "$2" ;;
	77) sh_skip "$2" "exit 77 (the reason is printed above)" ;;
	*) sh_fail "$2" "exit $1" ;;
	esac
}
expect() { # want rc description: WANT passes, 77 skips, else fails
	if [ "$2" = "$1" ]; then sh_pass "$3"
	elif [ "$2" = 77 ]; then sh_skip "$3" "exit 77 (the reason is printed above)"
	else sh_fail "$3" "exit $2, expected $1"
	fi
}

sh_status "exit status passed through" 7 "$tem" --quiet sh -c 'exit 7'
sh_status "death by SIGSEGV maps to 128+11" 139 "$tem" --quiet sh -c 'kill -SEGV $$'
sh_status "missing program reported" 125 "$tem" --quiet /nonexistent/program

# The program runs outside the caller's line of ancestors (tem_detach.c): with
# kernel.yama.ptrace_scope = 1 an ancestor may open its memory, and the
# caller (a shell) can be driven by what the program reaches (red team 24).
# The front process the caller started relays signals and the exit status.
ancestors='p=$$; while [ "$p" -gt 1 ]; do p=$(sed -n "s/^PPid:[[:space:]]*//p" /proc/$p/status); echo "$p"; done'
"$tem" --quiet sh -c "$ancestors" | grep -qx "$$"; [ $? = 1 ]; count $? "the caller is not an ancestor of the program under erim-tem"
sh -c "$ancestors" | grep -qx "$$"; count $? "control: the caller is an ancestor of a program it runs itself"
"$tem" --quiet sleep 60 & front=$!
sleep 1
kill -TERM $front; wait $front; rc=$?
[ $rc = 143 ]; count $? "SIGTERM to erim-tem: relayed, the program ends by it (exit $rc)"
"$tem" --quiet sh -c 'trap "exit 0" TERM; echo > "$0"; while :; do sleep 0.1; done' "$d0/trap" & front=$!
i=0; while [ ! -s "$d0/trap" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $front; wait $front; rc=$?
[ $rc = 0 ]; count $? "SIGTERM to erim-tem reaches the program, whose handler decides (exit $rc)"
"$tem" --quiet sh -c 'echo $$ > "$0"; exec sleep 60' "$d0/victim" & front=$!
i=0; while [ ! -s "$d0/victim" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
victim=$(cat "$d0/victim")
kill -KILL $front; wait $front
i=0; while kill -0 "$victim" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
! kill -0 "$victim" 2>/dev/null; count $? "erim-tem's front process SIGKILLed: the program dies with it"

# Without Yama, or with ptrace_scope 0, every process of the user may open the
# program's memory: erim-tem refuses a program that does not run as root
# (tem_detach.c check_ptrace_scope; red team 26); ERIM_TEM_PTRACE_SCOPE_OK=1
# accepts it knowingly (the control)
scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo none)
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	sh_skip "erim-tem refuses ptrace_scope 0 for a non-root program" "needs root and setpriv to become another user"
elif [ "$scope" != none ] && [ "$scope" != 0 ]; then
	sh_skip "erim-tem refuses ptrace_scope 0 for a non-root program" "kernel.yama.ptrace_scope is $scope here"
else
	setpriv --reuid 65534 --regid 65534 --clear-groups "$tem" true 2>"$d0/scope.err"; rc=$?
	cat "$d0/scope.err"
	[ $rc = 125 ] && grep -q "refused: .*every process of user 65534 may open" "$d0/scope.err"
	count $? "ptrace_scope '$scope', uid 65534: erim-tem refuses to start (exit $rc)"
	ERIM_TEM_PTRACE_SCOPE_OK=1 setpriv --reuid 65534 --regid 65534 --clear-groups "$tem" true; rc=$?
	[ $rc = 0 ]; count $? "control: the same with ERIM_TEM_PTRACE_SCOPE_OK=1 runs (exit $rc)"
fi

"$tem" "$t/tem_normal" --under-tem; count $? "tem_normal under erim-tem"
"$t/tem_normal"; count $? "tem_normal without erim-tem"
"$tem" "$t/tem_signals" --under-tem; count $? "tem_signals under erim-tem"
"$t/tem_signals"; count $? "tem_signals without erim-tem"

"$tem" "$t/tem_liberim" --under-tem; count $? "liberim under erim-tem"
"$t/tem_liberim" --without; count $? "liberim without erim-tem"
ERIM_REQUIRE=tem "$t/tem_liberim" --require-without; count $? "liberim demanding erim-tem without it"
# liberim locks trusted ranges in RAM (rt_mlock.c): under erim-tem untrusted
# munlock of them is refused and the lock survives the registration's fresh
# pages; the control without erim-tem (munlock works) is in rt_harden_native.sh
"$tem" "$builddir/harden/rt_mlock" --backend=mprotect --under-tem; count $? "rt_mlock under erim-tem"

# start-up code and its own memory file (tem_memfd_startup.c)
for m in rdonly rdwr; do
	"$tem" "$t/tem_memfd_startup" $m; count $? "start-up cannot open its own /proc/self/mem ($m)"
	"$t/tem_memfd_startup" $m >/dev/null; [ $? = 1 ]; count $? "control: /proc/self/mem opens ($m) without erim-tem"
done
# ... also when a start-up thread with an fd table of its own holds it
# (tem_fdtable_thread.c: clone without CLONE_FILES, unshare(CLONE_FILES))
for m in clone unshare; do
	"$tem" "$t/tem_fdtable_thread" $m refused; count $? "tem_fdtable_thread $m: no registration while a thread's own table holds /proc/self/mem"
	"$t/tem_fdtable_thread" $m read; count $? "control: tem_fdtable_thread $m reads the secret without erim-tem"
done
# mappings that would stay file-backed (tem_reg_mapping.c): a trusted range
# on a shared mapping, a sealed private file mapping (skips without mseal)
for m in shared sealed; do
	"$tem" "$t/tem_reg_mapping" $m refused; count $? "tem_reg_mapping $m: no registration under erim-tem"
	"$t/tem_reg_mapping" $m changed; count $? "control: tem_reg_mapping $m: a pwrite through another fd changes the mapping without erim-tem"
done
# fds made at start-up that act on trusted memory later (tem_reg_fds.c):
# userfaultfd and perf_event_open are refused to start-up code too, since a
# fork child could keep them past the registration (red team 39)
"$tem" "$t/tem_reg_fds" keep; count $? "no start-up userfaultfd kept into a registered process"
"$tem" "$t/tem_reg_fds" close; count $? "start-up userfaultfd refused or closed: registration accepted"
"$tem" "$t/tem_reg_fds" fork; count $? "no userfaultfd or perf event kept by a fork child past the registration"
"$t/tem_reg_fds" fork >/dev/null; expect 1 $? "control: without erim-tem the fork child keeps both"
# fds that no fd table shows at the registration (tem_fd_carry.c, red team
# 40): the process's memory file in a socket queue, an inherited io_uring
"$tem" "$t/tem_fd_carry" mem; count $? "start-up's own memory file never reaches a socket queue (refused at the open)"
"$t/tem_fd_carry" mem >/dev/null; [ $? = 1 ]; count $? "control: without erim-tem the received memory file reads the registered page"
"$tem" "$t/tem_fd_carry" twin; count $? "a CLONE_VM twin of start-up gets no memory file to keep past the registration"
"$t/tem_fd_carry" twin >/dev/null; [ $? = 1 ]; count $? "control: without erim-tem the twin opens and keeps it"
# fds from a launcher in shapes the checks once passed (tem_fd_odd.c, red team 43)
for m in sent efault long uflong; do
	"$t/tem_fd_odd" $m "$tem"; count $? "tem_fd_odd $m: the fd is judged (the program stopped, or erim-tem refused to start)"
	"$t/tem_fd_odd" $m - >/dev/null; expect 1 $? "control: tem_fd_odd $m without erim-tem, the fd reads the page (or makes a userfaultfd)"
done
"$t/tem_fd_odd" notif "$tem"; count $? "erim-tem refuses to start with a seccomp listener at fd 100"
"$t/tem_fd_odd" nonotif "$tem"; count $? "control: the same filter, the listener kept outside: erim-tem runs the program"
# a launcher's namespaces that make procfs lie to erim-tem (tem_launcher_ns.c, red team 45; root)
for m in pidns coincide misc yama; do
	"$t/tem_launcher_ns" $m "$tem"; count $? "tem_launcher_ns $m: erim-tem decides as with an honest /proc (or refuses to start)"
done
# KSM as an oracle on trusted pages (tem_ksm.c, red team 44)
"$tem" "$t/tem_ksm" prctl; count $? "untrusted code cannot turn KSM merge-any on"
"$t/tem_ksm" prctl >/dev/null; expect 1 $? "control: without erim-tem PR_SET_MEMORY_MERGE works"
"$t/tem_ksm" inherit "$tem"; count $? "erim-tem turns an inherited KSM merge-any off"
"$t/tem_ksm" inherit - >/dev/null; expect 1 $? "control: without erim-tem merge-any survives exec"
"$tem" "$t/tem_ksm" madvise; count $? "no registration of a MADV_MERGEABLE range"
"$t/tem_ksm" madvise >/dev/null; expect 1 $? "control: without erim-tem the mergeable page is kept"
# /proc/PID/environ and cmdline read the bounds PR_SET_MM sets (tem_procargs.c, red team 42)
for m in environ cmdline; do
	"$tem" "$t/tem_procargs" $m; count $? "start-up cannot lay the $m bounds over a page it registers"
	"$t/tem_procargs" $m >/dev/null; [ $? = 1 ]; count $? "control: without erim-tem /proc/self/$m reads the registered page"
done
"$t/tem_fd_carry" ring "$tem"; count $? "erim-tem refuses to start a program with an inherited io_uring"
"$t/tem_fd_carry" noring "$tem"; count $? "control: the same launcher without the ring: erim-tem runs the program"
"$t/tem_reg_fds" keep >/dev/null; expect 1 $? "control: without erim-tem the kept userfaultfd changes nothing"
"$tem" "$t/tem_reg_fds" thread; count $? "no registration while a thread's own fd table holds a userfaultfd"
"$t/tem_reg_fds" thread >/dev/null; expect 1 $? "control: without erim-tem the thread's userfaultfd changes nothing"

# storage (swap, disks) that reaches the program without an open erim-tem
# judged: inherited across exec, received with SCM_RIGHTS from an untraced
# process (tem_storage_fd.c, storage_fd.sh).  A loop device over a small
# image where this runs as root with losetup, else the first block device
# that opens (none for an ordinary user: skipped, saying why).
img= loopdev=
if [ "$(id -u)" = 0 ] && command -v losetup >/dev/null 2>&1 && img=$(mktemp) &&
   dd if=/dev/urandom of="$img" bs=4096 count=16 2>/dev/null; then
	loopdev=$(losetup -f --show "$img" 2>/dev/null) || loopdev=
fi
sh "$srcdir/tem/storage_fd.sh" "$tem" "$t/tem_storage_fd" "${loopdev:-blk}"
count $? "storage fds inherited or received: registration refused, receiver stopped (controls read them)"
[ -z "$loopdev" ] || losetup -d "$loopdev"
[ -z "$img" ] || rm -f "$img"

# writers of executable bytes kept from start-up (tem_xfile_fd.c): an fd open
# for writing on (or a shared writable view of) a memfd or file mapped
# executable refuses the registration, so does an executable shared mapping
# (its writer may be in flight in SCM_RIGHTS); a memfd cannot be reopened for writing
# through /proc/self/fd afterwards; a writer in flight across registration
# (inflight-priv) reaches the file only, not the private copies, and a page
# no copy can be made of (beyond a truncated file's end) refuses registration.  Control: without erim-tem the bytes change.
for m in memfd-keep file-keep rwview shared-ro inflight-priv truncated reopen; do
	"$tem" "$t/tem_xfile_fd" $m refused; count $? "tem_xfile_fd $m refused under erim-tem"
	"$t/tem_xfile_fd" $m changed; count $? "control: tem_xfile_fd $m changes executable bytes without erim-tem"
done

# a process whose leader exited (the exit system call in main) while another thread
# runs shows no fds and an empty map under /proc/TGID: erim-tem reads it
# through a live thread (tem_leader_exit.c), so a writer of executable bytes
# refuses the registration or the grant as with the leader alive.  Control:
# without erim-tem the bytes change and /proc/TGID/fd reads empty.
for m in register grant; do
	for l in exit alive; do
		"$tem" "$t/tem_leader_exit" $m $l refused; count $? "tem_leader_exit $m leader-$l refused under erim-tem"
		"$t/tem_leader_exit" $m $l changed; count $? "control: tem_leader_exit $m leader-$l changes executable bytes without erim-tem"
	done
done

# what erim-tem keeps within and between stops (tem_cache.c, doc/tem.md
# "Cost"): the map read anew at every stop, the memory and maps files of a
# thread dropped when it execs.  Control: without erim-tem the seam grant
# is accepted.
for m in seam exec vfork threads; do
	"$tem" "$t/tem_cache" $m refused; count $? "tem_cache $m under erim-tem"
	"$t/tem_cache" $m succeeded; count $? "control: tem_cache $m without erim-tem"
done

for a in atk_procmem atk_process_vm atk_ptrace atk_unmap atk_wx atk_jit_wrpkru atk_alias_exec \
         atk_file_rewrite atk_mremap_seam atk_personality atk_compat_abi atk_seccomp atk_prctl_mm \
         atk_kernel_features atk_sigaltstack atk_rseq atk_pkey atk_sigreturn atk_clone_trusted atk_madvise_revert \
         atk_helper_mem atk_userns_mount atk_fanotify atk_bpf atk_dumpable atk_physmem atk_swapdev atk_helper_xfile atk_jit_xrstor \
         atk_frozen atk_ranges atk_toctou atk_sigtrusted atk_sigstep atk_hidden_writer atk_sigframe atk_pkrufail atk_cleartid atk_sud_dispatch atk_uffd_helper atk_robust_death \
         atk_vfork_exec atk_vfork_altstack atk_files_procmem atk_files_xfile atk_core_limit atk_procsyscall atk_aio_late_write \
         atk_sigreturn_ucstack atk_sigreturn_compat atk_exec_restart atk_exec_restart_vfork \
         atk_exec_truncate atk_hugepage_reach atk_file_data \
         atk_leader_exec atk_leader_exec_alive atk_owner_death atk_owner_nokill \
         atk_altstack_shared atk_altstack_noflip atk_rlimit_shared atk_rlimit_noflip atk_ptracer atk_tty_inject atk_credrop atk_thread_cred atk_credrop_saved atk_orphan_task atk_arch_prctl atk_vm_stop atk_vm_stop_rev atk_aio_unmap atk_brk_unmap; do
	echo "=== $a under erim-tem"
	"$tem" "$t/$a" --expect refused
	count $? "$a under erim-tem"
	echo "=== $a without erim-tem"
	"$t/$a" --expect succeeded
	count $? "$a without erim-tem"
done
# An untraced process of the same user as a deputy (atk_untraced_deputy.c):
# a sleep started here, outside erim-tem.
sleep 60 &
deputy=$!
for w in "under erim-tem:$tem:refused" "without erim-tem::succeeded"; do
	what=${w%%:*} rest=${w#*:} pre=${rest%%:*} want=${rest#*:}
	echo "=== atk_untraced_deputy $what"
	ATK_DEPUTY_PID=$deputy $pre "$t/atk_untraced_deputy" --expect "$want"
	count $? "atk_untraced_deputy $what"
done
kill $deputy 2>/dev/null
wait $deputy 2>/dev/null

# The memory file renamed from outside: in a user + mount namespace the
# program merely runs in, this script bind-mounts the attacker's
# /proc/PID/mem over an ordinary file; erim-tem must recognise it by device
# and inode (atk_bindmem.c).
bindmem() { # expect command...
	want=$1
	shift
	d=$(mktemp -d) || return 1
	: > "$d/x"
	ATK_BINDMEM_DIR=$d unshare -Urm sh -c '
		d=$1; shift
		"$@" & p=$!
		i=0
		while [ ! -s "$d/pid" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
		mount --bind "/proc/$(cat "$d/pid")/mem" "$d/x" && : > "$d/ready"
		wait $p' _ "$d" "$@" --expect "$want"
	rc=$?
	rm -rf "$d"
	return $rc
}
if unshare -Urm true 2>/dev/null; then
	echo "=== atk_bindmem under erim-tem"
	# erim-tem refuses a user namespace (its owner outside may open the
	# program's memory) unless told the owner runs nothing else: here the
	# owner is this script
	ERIM_TEM_PTRACE_SCOPE_OK=1 bindmem refused "$tem" "$t/atk_bindmem"
	count $? "atk_bindmem under erim-tem"
	echo "=== atk_bindmem without erim-tem"
	bindmem succeeded "$t/atk_bindmem"
	count $? "atk_bindmem without erim-tem"
else
	sh_skip atk_bindmem "this host allows no unprivileged user namespaces (unshare -Urm fails)"
fi
sh_done native_tem
