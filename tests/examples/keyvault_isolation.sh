#!/bin/sh
# SPDX-License-Identifier: MIT
# keyvault_isolation.sh: the keyvault example under the back ends this
# machine has without protection keys.  Honest use works under none and
# mprotect; the Heartbleed-style ECHO exploit steals the key under none (the
# proof is a forged signature the service accepts) and is stopped under
# mprotect with erim's violation report and no reply byte sent.
# (The mpk half is tests/examples/vm_examples.sh.)
set -u
. "$srcdir/lib/sh_check.sh"
ex=${top_builddir:?}/examples
kv=$ex/keyvault/keyvault
client=$ex/keyvault/kv_client

run() {   # run NAME BACKEND EXPECT ROLE
	name=$1 backend=$2
	shift 2
	echo "--- $name (ERIM_BACKEND=$backend)"
	if ERIM_BACKEND=$backend ERIM_QUIET=1 "$client" "$@" "$kv"; then
		sh_pass "$name"
	else
		sh_fail "$name"
	fi
}

for f in "$kv" "$client"; do
	[ -x "$f" ] || sh_abort keyvault_isolation "$f not built"
done
run signing_works_without_isolation none --expect=ok normal
run signing_works_under_mprotect mprotect --expect=ok normal
run echo_overread_steals_key_without_isolation none --expect=stolen attack
run echo_overread_stopped_at_trusted_key_under_mprotect mprotect --expect=stopped attack
echo "--- service_reports_its_back_end"
out=$(printf 'STATS\nQUIT\n' | ERIM_BACKEND=mprotect ERIM_QUIET=1 "$kv" 2>/dev/null)
if [ "$out" = "OK requests=1 backend=mprotect" ]; then sh_pass "service_reports_its_back_end"
else sh_fail "service_reports_its_back_end" "got '$out'"; fi
echo "--- serves_protocol_on_loopback_socket"
if command -v bash >/dev/null 2>&1; then
	port=$((20000 + $$ % 20000))
	ERIM_BACKEND=mprotect ERIM_QUIET=1 "$kv" --listen "$port" 2>/dev/null &
	svc=$!
	out=
	for i in 1 2 3 4 5 6 7 8 9 10; do
		out=$(bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$port"' && printf "STATS\nQUIT\n" >&3 && head -n 1 <&3' 2>/dev/null) && break
		sleep 0.3
	done
	kill "$svc" 2>/dev/null
	wait "$svc" 2>/dev/null
	echo "reply: $out"
	if [ "$out" = "OK requests=1 backend=mprotect" ]; then sh_pass "serves_protocol_on_loopback_socket"
	else sh_fail "serves_protocol_on_loopback_socket"; fi
else
	sh_skip "serves_protocol_on_loopback_socket" "no bash for /dev/tcp"
fi
sh_done keyvault_isolation
