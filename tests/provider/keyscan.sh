#!/bin/sh
# SPDX-License-Identifier: MIT
# keyscan.sh: the Heartbleed stand-in against nginx.  ep_keyscan.so is
# LD_PRELOADed into nginx (an attacker's code inside the server process with
# an arbitrary-read primitive); a request carrying "X-Keyscan: 1" makes the
# worker read every readable page of itself looking for the RSA key's prime p
# (then the EC private scalar and the Ed25519 seed).
#   control: stock nginx + OpenSSL with the key file -> p is found
#   erim:    nginx + erim provider + key reference  -> p is not found
#   erim, reading the unreadable regions too       -> the read stops with
#            erim's violation report (the worker dies; the master logs it)
#   after the attack the server still serves (a new worker)
set -u
. "$srcdir/lib/sh_check.sh"
. "$srcdir/provider/tls_lib.sh"
if [ ! -x "$NGINX" ]; then echo "skipped: nginx is not installed (apt-get install nginx-light)"; exit 77; fi
if [ -n "$EP_ASAN" ]; then echo "skipped: erim's provider is built with AddressSanitizer (--enable-asan): the key scan reads every readable page of nginx, ASan's shadow memory is terabytes of them, and the ASan-built scanner's reads of other objects' redzones are reports; the scan runs in builds without --enable-asan"; exit 77; fi
command -v curl >/dev/null 2>&1 || { echo "skipped: curl is not installed"; exit 77; }
scanlib=$builddir/provider/.libs/ep_keyscan.so
[ -r "$scanlib" ] || scanlib=$builddir/provider/ep_keyscan.so
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-scan.XXXXXX") || exit 99
trap 'nginx_stop "$t"; rm -rf "$t"' EXIT
tls_setup "$t" || { echo "keyscan: cannot make the test keys"; echo "keyscan: 0 passed, 1 failed"; exit 1; }
port=$(free_port)
BACKEND=${ERIM_BACKEND:-mprotect}

# attack MODE KEYFILE CONF [ALL [NAME]]: start nginx with key NAME (default
# rsa2048), trigger the scan for its secret, print the result
attack() {
	mode=$1 key=$2 conf=$3 all=${4:-0} kn=${5:-rsa2048}
	nginx_stop "$t"
	rm -f "$t/scan.out"
	nginx_conf "$t" "$port" "$t/$kn.crt" "$key"
	nginx_start "$t" OPENSSL_CONF="$conf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$BACKEND" \
		LD_PRELOAD="$scanlib" KEYSCAN_HEX="$(cat "$t/$kn.secret")" KEYSCAN_OUT="$t/scan.out" KEYSCAN_ALL="$all" || return 1
	curl -sS --max-time 10 --cacert "$t/ca.crt" -H "X-Keyscan: 1" "https://127.0.0.1:$port/" >"$t/reply" 2>&1
	sleep 0.3
	echo "    $mode: reply: $(cat "$t/reply")"
	echo "    $mode: scan: $(cat "$t/scan.out" 2>/dev/null || echo '(no result: the scan did not finish)')"
}
found() { grep -q "^FOUND" "$t/scan.out" 2>/dev/null; }
not_found() { grep -q "^NOT FOUND" "$t/scan.out" 2>/dev/null && grep -q "hello from nginx" "$t/reply"; }
stopped() {
	[ ! -s "$t/scan.out" ] && grep -q "erim: violation: untrusted code read trusted memory" "$t/start.log" "$t/logs/error.log"
}
still_serves() {
	sleep 0.3
	out=$(curl -sS --max-time 10 --cacert "$t/ca.crt" "https://127.0.0.1:$port/" 2>&1)
	[ "$out" = "hello from nginx" ]
}

echo "--- control: stock OpenSSL, nginx reads the key file itself"
attack control "$t/rsa2048.key" /dev/null
sh_check control_scan_finds_the_private_key_in_plain_openssl found
echo "--- erim: the same attack, key in erim's trusted domain"
attack erim "$t/rsa2048.ref" "$t/erim.cnf"
sh_check erim_scan_of_readable_memory_finds_no_key not_found
echo "--- erim: the attacker also reads the pages the maps show unreadable"
attack erim-all "$t/rsa2048.ref" "$t/erim.cnf" 1
grep -h "erim: violation" "$t/start.log" "$t/logs/error.log" | sed 's/^/    /'
sh_check erim_read_of_trusted_pages_stops_with_violation_report stopped
sh_check server_serves_again_after_the_attack still_serves
for kn in ec ed25519; do
	echo "--- $kn: control, then erim (the scan looks for the private scalar / seed)"
	attack "control-$kn" "$t/$kn.key" /dev/null 0 "$kn"
	sh_check "control_scan_finds_the_${kn}_secret_in_plain_openssl" found
	attack "erim-$kn" "$t/$kn.ref" "$t/erim.cnf" 0 "$kn"
	sh_check "erim_scan_finds_no_${kn}_secret" not_found
done
sh_done keyscan
