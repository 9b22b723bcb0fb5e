#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_audit.sh: the trusted-path audit in the PKU guest (one boot).  erim-audit
# single-steps audit_target, dynamically and statically linked, through every
# gate path (see audit/audit_target.c for the scenarios) and fails on any
# memory access made with the trusted PKRU outside trusted memory, sealed
# read-only memory and the named copy routines.  The control scenario plants
# such an access and must be reported.  The refusal, violation and abort
# scenarios end the target on purpose; each runs in its own traced process.
a=$builddir/audit
if [ ! -x "$a/erim-audit" ]; then
	echo "skipped: vm_audit: erim-audit was not built: Zydis missing (Debian: apt-get install libzydis-dev, then re-run configure)"
	if [ "${CI:-}" = true ]; then
		echo "vm_audit: CI=true and the audit cannot run: failing instead of skipping"
		echo "vm_audit: 0 passed, 1 failed"
		exit 1
	fi
	echo "vm_audit: 0 passed, 0 failed, 1 skipped"
	exit 77
fi
# liberim built with AddressSanitizer (configure --enable-asan): every load and
# store of instrumented trusted code also reads ASan's shadow memory, ordinary
# untrusted memory, with the trusted PKRU -- exactly what the audit reports.
# The dynamic targets (ASan-built liberim.so) are left out with that reason;
# the static ones link liberim without ASan and are audited.
asan_why=
if nm -D --undefined-only "$top_builddir/runtime/.libs/liberim.so" 2>/dev/null | grep -q '__asan_init'; then
	asan_why="dynamic targets: liberim.so is built with AddressSanitizer (--enable-asan), whose checks read the shadow memory (untrusted) on every trusted access: the audit holds only without ASan (static targets audited)"
fi
targets="audit_target audit_target_static"
[ -n "$asan_why" ] && targets=audit_target_static
# the signal case: a handler never gets a frame of trusted code, liberim stops
# the process (runtime/erim_signal.c, red team 7), so it ends by SIGSEGV
set --
for t in $targets; do
	k=dyn
	[ "$t" = audit_target_static ] && k=static
	set -- "$@" \
		"$a/erim-audit" --name ${k}_paths -- $t paths ';;' \
		"$a/erim-audit" --name ${k}_nested --max-steps 60000 --timeout 120 -- $t nested ';;' \
		"$a/erim-audit" --name ${k}_refuse_id --expect segv -- $t refuse_id ';;' \
		"$a/erim-audit" --name ${k}_refuse_private --expect segv -- $t refuse_private ';;' \
		"$a/erim-audit" --name ${k}_refuse_ptr --expect segv -- $t refuse_ptr ';;' \
		"$a/erim-audit" --name ${k}_refuse_wname --expect segv -- $t refuse_wname ';;' \
		"$a/erim-audit" --name ${k}_violation --expect segv -- $t violation ';;' \
		"$a/erim-audit" --name ${k}_abort --expect killed -- $t abort ';;' \
		"$a/erim-audit" --name ${k}_signal --expect segv --signal-at 20 -- $t signal ';;' \
		"$a/erim-audit" --name ${k}_residue -- $t residue ';;' \
		"$a/erim-audit" --name ${k}_control --expect-finding e_control -- $t control ';;'
done
[ -n "$asan_why" ] || set -- "$@" "$a/erim-audit" --name dyn_generated -- audit_gen_target ';;'
set -- "$@" "$a/erim-audit" --name static_generated -- audit_gen_target_static ';;'
vm_run() {
	"$ERIM_VM_RUN" --name vm_audit --cpu max --smp 1 --timeout 1500 --env ERIM_BACKEND=mpk \
		--file "$a/audit_target" --file "$a/audit_target_static" \
		--file "$a/audit_gen_target" --file "$a/audit_gen_target_static" -- "$@"
}
[ -n "$asan_why" ] || { vm_run "$@"; exit $?; }
# under ASan: the guest's result, plus one skip with its reason
out=$(vm_run "$@"); rc=$?
closing='^vm_audit: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'
echo "$out" | grep -Ev "$closing"
echo "skipped: $asan_why"
line=$(echo "$out" | grep -E "$closing" | tail -n 1)
[ -n "$line" ] || { echo "vm_audit: 0 passed, 1 failed"; exit 1; }
p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
k=0
case $line in *skipped*) k=$(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/') ;; esac
echo "vm_audit: $p passed, $f failed, $((k + 1)) skipped"
[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || exit "$rc"
[ "$f" -eq 0 ] || exit 1
[ "$p" -gt 0 ] || exit 77
exit 0
