#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh: the erim demo (`make demo`).  A signing service keeps its Ed25519
# key in trusted memory; its untrusted request parser has a Heartbleed-style
# over-read.  The same exploit is run three or four times:
#   1. honest use under the best back end of this machine (signing works);
#   2. the exploit without isolation (ERIM_BACKEND=none): the key leaks, and
#      the proof is a signature forged with the leaked key that the service
#      itself accepts;
#   3. the exploit under the best back end here (mpk, else mprotect): erim's
#      violation report, the service stopped, not one byte of the reply sent;
#   4. when QEMU and a kernel are installed: step 3 under real protection keys
#      (ERIM_BACKEND=mpk) inside a QEMU guest whose CPU has PKU.
# Exit status 0 only if every part behaved as stated.
#
#   demo.sh EXAMPLES_BUILDDIR [ERIM_VM_RUN]
set -u
b=${1:?usage: demo.sh EXAMPLES_BUILDDIR [ERIM_VM_RUN]}
vmrun=${2:-}
kv=$b/keyvault/keyvault
client=$b/keyvault/kv_client
for f in "$kv" "$client"; do
	[ -x "$f" ] || { echo "demo: $f is missing: run make first"; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
best=$("$kv" --best-backend)

say() { printf '%s\n' "$*"; }
show() { sed -e 's/^/    /' "$@"; }
verdict() {   # verdict OK|FAIL TEXT
	if [ "$1" = OK ]; then say "  => $2"; else say "  => FAILED: $2"; failures=$((failures + 1)); fi
}

say "erim demo: a signing service whose Ed25519 key is in trusted memory;"
say "its request parser trusts the length in \"ECHO <len> <text>\" (like Heartbleed)."
say ""

say "[1] normal use, ERIM_BACKEND=$best"
ERIM_BACKEND=$best ERIM_QUIET=1 "$client" --expect=ok normal "$kv" >"$tmp/out" 2>"$tmp/err"
rc=$?
grep '^normal:' "$tmp/out" | show
if [ $rc -eq 0 ]; then verdict OK "signing and verification work through the gates"
else cat "$tmp/err" | show; verdict FAIL "normal use did not work (exit $rc)"; fi
say ""

say "[2] the exploit without isolation, ERIM_BACKEND=none"
ERIM_BACKEND=none ERIM_QUIET=1 "$client" --expect=stolen attack "$kv" >"$tmp/out" 2>"$tmp/err"
rc=$?
grep '^attack:' "$tmp/out" | show
if [ $rc -eq 0 ]; then verdict OK "the key leaked: the service accepted a signature made with the stolen key"
else cat "$tmp/err" | show; verdict FAIL "expected the key to leak without isolation (exit $rc)"; fi
say ""

say "[3] the same exploit with erim, ERIM_BACKEND=$best (the best back end on this machine)"
ERIM_BACKEND=$best ERIM_QUIET=1 "$client" --expect=stopped attack "$kv" >"$tmp/out" 2>"$tmp/err"
rc=$?
{ grep '^keyvault: ready' "$tmp/err"; grep '^attack:' "$tmp/out"; grep '^erim: violation' "$tmp/err"; grep '^service:' "$tmp/out"; } | show
if [ $rc -eq 0 ]; then verdict OK "stopped at the first trusted byte; no key bytes left the process"
else cat "$tmp/err" | show; verdict FAIL "expected erim to stop the over-read (exit $rc)"; fi
say ""

say "[4] the same exploit with protection keys, ERIM_BACKEND=mpk in a QEMU guest (TCG, -cpu max)"
if [ -z "$vmrun" ] || [ ! -x "$vmrun" ]; then
	say "    skipped: no VM runner (build tests/lib/erim-vm-run)"
else
	"$vmrun" --name demo_vm --env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk --env ERIM_QUIET=1 --file "$kv" -- \
		"$client" --expect=stopped attack /t/keyvault >"$tmp/vm" 2>&1
	rc=$?
	if [ $rc -eq 77 ]; then
		grep '^skipped:' "$tmp/vm" | show
		say "  => not run here (install qemu-system-x86, busybox-static and a kernel: tools/install-deps)"
	else
		{ grep '^guest:' "$tmp/vm"; grep '^keyvault: ready' "$tmp/vm"; grep -E '^(attack:|erim: violation|service:)' "$tmp/vm"; } | show
		if [ $rc -eq 0 ] && grep -q '^kv_attack_stopped: 1 passed, 0 failed' "$tmp/vm"; then
			verdict OK "stopped by the protection key; no key bytes left the process"
		else
			tail -n 15 "$tmp/vm" | show
			verdict FAIL "expected the protection key to stop the over-read in the guest (exit $rc)"
		fi
	fi
fi
say ""
if [ $failures -eq 0 ]; then
	say "demo: every part behaved as stated"
	exit 0
fi
say "demo: $failures part(s) did not behave as stated"
exit 1
