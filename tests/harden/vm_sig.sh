#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_sig.sh: rt_sig in the PKU guest -- the mpk back end, dynamic and static
# (a single-step trap after the gate's WRPKRU, after a jump onto it, after
# inspection's checked XRSTOR; a fault of trusted code chained to the
# program's handler: every one stops the process), and the control runs
# under none, where the same handler redirect reads the secret.
# In the same guest: rt_xmmleak under mpk, dynamic and static-PIE (an erimgen
# entry's faulting copy-out: its frame stays on liberim's signal stack, wiped
# by the relay, nothing on the attacker's shared sigaltstack, on 6.1 and
# 6.12; the control without erim_scrub_registers() runs natively under
# mprotect, harden/rt_sig_native.sh), and
# runtime/test_rt_scrub under mpk (the registers erim_scrub_registers zeroes,
# at the guest CPU's vector width).
# Also rt_sigframe (red team 15: untrusted code points %rsp into trusted
# memory and faults; 6.12 writes the frame with every key enabled): under
# mpk blocked on both kernels -- on 6.12 by liberim's signal stacks in
# trusted memory (the relay refuses the copy, with a report), on 6.1 by the
# hardware -- dynamic and static-PIE, the INT3 and the SIGSEGV ("segv")
# variants, the write and the exec (function pointer) targets; the control
# under none, where the same frame write works; and rt_sigstack (handlers,
# ucontext edits, the program's sigaltstack, threads, nested signals) under
# mpk and none.  The "thrd" runs fire from a C11 thread (red team 18:
# thrd_create bypassed the pthread_create interposer; the old liberim fails
# them on 6.12).  rt_attrmask: a signal mask in a thread's attribute
# (red team 19: installed before the thread had its signal stack; the old
# liberim fails it on 6.12), control under none.  rt_gatewin (red team 49:
# single-stepped onto the gate's WRPKRU with %rsp in trusted globals, 6.1
# wrote the trap's frame there; the old liberim fails it on 6.1): blocked
# under mpk, the write and exec targets; controls: the same jump onto a NOP,
# a direct load, and the frame write landing under none.  rt_gatewin
# ownentry (red team 50: liberim's own handler entry put back by sigaction()
# without SA_ONSTACK; the old liberim fails it on 6.1 and 6.12): blocked,
# write, exec, uid 1000; control: the attacker's own handler (the frame
# landing on the target without keys is shown by the none control above:
# under none the ownentry form is a race with the process's death, lost 10
# of 10 times in one CI run).  Red team 51: the same window with the
# attacker's SIGTRAP handler installed through glibc's other names (ssignal,
# __sysv_signal, __sigaction, sigvec; the old liberim fails them on 6.1 and
# 6.12), and sigstack() moving the kernel's signal stack into trusted globals
# before a fault (the old liberim fails it on 6.12): blocked; the control:
# without keys the sigstack frame lands on the target; rt_siginstall: every
# installer wraps, under mpk with liberim's signal stacks.  Red team 53
# raced the struct glibc's siginterrupt() and system() install from (the
# caller's memory, as every installer's): a handler behind liberim's back is
# untrusted state without erim-tem, like a raw rt_sigaction -- shown by the
# same window armed with a raw rt_sigaction: the frame lands without
# erim-tem (install=raw control: the documented limit), and erim-tem stops
# the process (write and exec).  Red team 58 (alttls): liberim's
# sigaltstack() took the caller's stack from a TLS hint; with liberim's TLS
# zeroed the same sigstack() request reached the kernel (the old liberim
# fails "mpk tlszero" on 6.1 and 6.12): blocked, write and exec; control
# under none.  More programs than before: --timeout 1200.
b=$builddir/harden
exec "$ERIM_VM_RUN" --name vm_sig --cpu max --smp 2 --timeout 1200 --env ERIM_QUIET=1 \
	--file "$top_builddir/tem/erim-tem" --file "$b/rt_gatewin" -- \
	"$b/rt_sigframe" mpk ';;' "$b/rt_sigframe_static" mpk ';;' \
	"$b/rt_sigframe" mpk segv ';;' "$b/rt_sigframe_exec" mpk ';;' \
	"$b/rt_sigframe_exec_static" mpk segv ';;' "$b/rt_sigframe" mpk direct ';;' \
	"$b/rt_sigframe" none ';;' "$b/rt_sigframe_exec_static" none segv ';;' \
	"$b/rt_sigframe" mpk thrd ';;' "$b/rt_sigframe_exec_static" mpk segv thrd ';;' \
	"$b/rt_sigframe_exec" none thrd ';;' \
	"$b/rt_attrmask" mpk ';;' "$b/rt_attrmask" none ';;' \
	"$b/rt_gatewin" mpk ';;' "$b/rt_gatewin" mpk exec ';;' "$b/rt_gatewin" mpk nowrpkru ';;' \
	"$b/rt_gatewin" mpk direct ';;' "$b/rt_gatewin" none nowrpkru control ';;' \
	"$b/rt_gatewin" mpk ownentry ';;' "$b/rt_gatewin" mpk ownentry exec ';;' \
	"$b/rt_gatewin" mpk ownentry uid1000 ';;' "$b/rt_gatewin" mpk ownhandler ';;' \
	"$b/rt_gatewin" mpk ownentry install=ssignal ';;' "$b/rt_gatewin" mpk ownentry install=__sysv_signal ';;' \
	"$b/rt_gatewin" mpk ownentry install=__sigaction exec ';;' "$b/rt_gatewin" mpk ownentry install=sigvec ';;' \
	"$b/rt_gatewin" mpk sigstack ';;' "$b/rt_gatewin" mpk sigstack exec ';;' \
	"$b/rt_gatewin" mpk sigstack uid1000 ';;' "$b/rt_gatewin" none sigstack control ';;' \
	"$b/rt_gatewin" mpk tlszero ';;' "$b/rt_gatewin" mpk tlszero exec ';;' \
	"$b/rt_gatewin" none tlszero control ';;' \
	"$b/rt_gatewin" mpk ownentry install=raw control ';;' \
	"$top_builddir/tem/erim-tem" ./rt_gatewin mpk ownentry install=raw ';;' \
	"$top_builddir/tem/erim-tem" ./rt_gatewin mpk ownentry install=raw exec ';;' \
	"$b/rt_siginstall" mpk ';;' \
	"$b/rt_sigstack" mpk ';;' "$b/rt_sigstack_static" mpk ';;' "$b/rt_sigstack" none ';;' \
	"$b/rt_sig" mpk ';;' "$b/rt_sig_static" mpk ';;' \
	"$b/rt_sig" none ';;' "$b/rt_sig_static" none ';;' \
	"$b/rt_xmmleak" mpk ';;' "$b/rt_xmmleak_static" mpk ';;' \
	"$b/rt_xmmleak_noscrub" mpk ';;' "$b/rt_xmmleak_noscrub_static" mpk ';;' \
	"$builddir/runtime/test_rt_scrub" mpk
