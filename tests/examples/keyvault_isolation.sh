#!/bin/sh
# keyvault_isolation.sh: the keyvault example under the back ends this
# machine has without protection keys.  Honest use works under none and
# mprotect; the Heartbleed-style ECHO exploit steals the key under none (the
# proof is a forged signature the service accepts) and is stopped under
# mprotect with erim's violation report and no reply byte sent.
# (The mpk half is tests/examples/vm_examples.sh.)
set -u
ex=${top_builddir:?}/examples
kv=$ex/keyvault/keyvault
client=$ex/keyvault/kv_client
passed=0 failed=0 skipped=0

run() {   # run NAME BACKEND EXPECT ROLE
	name=$1 backend=$2
	shift 2
	echo "--- $name (ERIM_BACKEND=$backend)"
	if ERIM_BACKEND=$backend ERIM_QUIET=1 "$client" "$@" "$kv"; then
		passed=$((passed + 1)); echo "$name: ok"
	else
		failed=$((failed + 1)); echo "$name: FAIL"
	fi
}

for f in "$kv" "$client"; do
	[ -x "$f" ] || { echo "keyvault_isolation: $f not built"; echo "keyvault_isolation: 0 passed, 1 failed"; exit 1; }
done
run signing_works_without_isolation none --expect=ok normal
run signing_works_under_mprotect mprotect --expect=ok normal
run echo_overread_steals_key_without_isolation none --expect=stolen attack
run echo_overread_stopped_at_trusted_key_under_mprotect mprotect --expect=stopped attack
echo "--- service_reports_its_back_end"
out=$(printf 'STATS\nQUIT\n' | ERIM_BACKEND=mprotect ERIM_QUIET=1 "$kv" 2>/dev/null)
if [ "$out" = "OK requests=1 backend=mprotect" ]; then passed=$((passed + 1)); echo "service_reports_its_back_end: ok"
else failed=$((failed + 1)); echo "service_reports_its_back_end: FAIL (got '$out')"; fi
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
	if [ "$out" = "OK requests=1 backend=mprotect" ]; then passed=$((passed + 1)); echo "serves_protocol_on_loopback_socket: ok"
	else failed=$((failed + 1)); echo "serves_protocol_on_loopback_socket: FAIL"; fi
else
	skipped=$((skipped + 1)); echo "serves_protocol_on_loopback_socket: skipped: no bash for /dev/tcp"
fi
echo "keyvault_isolation: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
