#!/bin/sh
# SPDX-License-Identifier: MIT
# nginx_aead.sh: the TLS record layer in erim's trusted domain.  Debian's
# nginx with openssl-erim.cnf (whose "default_properties = ?erim.record=yes"
# makes libssl take AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305 from
# erim's provider): every TLS 1.3 suite and the ECDHE-RSA AEAD suites of
# TLS 1.2 serve pages that curl (OpenSSL's default provider, certificate
# verified) reads, keep-alive and with bodies larger than one record in both
# directions; the provider's own counter (ERIM_PROVIDER_STATS=1, printed by
# each nginx process when it exits) shows the records crossed the gate --
# and, as the control, stays at 0 with the keys-only configuration (no
# alg_section).  Then the record-key scan: a TLS 1.3 client that derives its
# connection's record keys from its key log has the attacker module inside
# nginx search for them while the connection is up: found in stock nginx
# (control) and with erim keys-only (the record layer is libssl's), not found
# with the record layer in erim (and, as the control of the mechanism, found
# under the none back end, outside the process heap: in erim's trusted heap).
set -u
. "$srcdir/lib/sh_check.sh"
. "$srcdir/provider/tls_lib.sh"
if [ ! -x "$NGINX" ]; then echo "skipped: nginx is not installed (apt-get install nginx-light)"; exit 77; fi
if [ -n "$EP_ASAN" ]; then echo "skipped: erim's provider is built with AddressSanitizer (--enable-asan): the key scan reads every readable page of nginx, ASan's shadow memory is terabytes of them, and the ASan-built scanner's reads of other objects' redzones are reports; the scan runs in builds without --enable-asan"; exit 77; fi
command -v curl >/dev/null 2>&1 || { echo "skipped: curl is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 is not installed"; exit 77; }
scanlib=$builddir/provider/.libs/ep_keyscan.so
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-aead.XXXXXX") || exit 99
trap 'nginx_stop "$t"; rm -rf "$t"' EXIT
tls_setup "$t" || { echo "nginx_aead: cannot make the test keys"; echo "nginx_aead: 0 passed, 1 failed"; exit 1; }
port=$(free_port)
BACKEND=${ERIM_BACKEND:-mprotect}
# the keys-only configuration: openssl-erim.cnf without its algorithm section
sed '/^alg_section/d; /^\[algorithm_sect\]/,/^default_properties/d' "$t/erim.cnf" >"$t/keysonly.cnf"
head -c 100000 /dev/urandom >"$t/big.bin"
big_sum=$(sha256sum <"$t/big.bin" | cut -d' ' -f1)

# serve CONF SUITE-DIRECTIVE: nginx with the RSA-2048 key reference (or the
# key file for CONF=/dev/null), counting gate calls
serve() {
	conf=$1 key=$t/rsa2048.ref
	[ "$conf" = /dev/null ] && key=$t/rsa2048.key
	nginx_stop "$t"
	NGINX_EXTRA="$2 location /big { alias $t/big.bin; }"
	nginx_conf "$t" "$port" "$t/rsa2048.crt" "$key"
	: >"$t/logs/error.log"
	nginx_start "$t" OPENSSL_CONF="$conf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$BACKEND" ERIM_QUIET=1 \
		ERIM_PROVIDER_STATS=1 LD_PRELOAD="$scanlib" KEYSCAN_HEXFILE="$t/needles" KEYSCAN_OUT="$t/scan.out"
}
# record_calls: stop nginx, the record gate calls all its processes counted
record_calls() {
	nginx_stop "$t"
	sleep 0.2
	sed -n 's/.*erim-provider: pid [0-9]*: [0-9]* signing gate calls, \([0-9]*\) record gate calls.*/\1/p' \
		"$t/logs/error.log" "$t/start.log" | awk '{ s += $1 } END { print s + 0 }'
}
# fetch CURL-OPTIONS: 20 requests over one connection plus the 100 kB file
# (7 records) and a 100 kB upload; the negotiated suite must be $want
fetch() {
	urls=
	i=0
	while [ $i -lt 20 ]; do urls="$urls https://127.0.0.1:$port/"; i=$((i + 1)); done
	n=$(curl -sS --max-time 20 --cacert "$t/ca.crt" "$@" $urls 2>"$t/curl.err" | grep -c "hello from nginx")
	sum=$(curl -sS --max-time 20 --cacert "$t/ca.crt" "$@" "https://127.0.0.1:$port/big" 2>>"$t/curl.err" |
		sha256sum | cut -d' ' -f1)
	up=$(curl -sS --max-time 20 --cacert "$t/ca.crt" "$@" --data-binary "@$t/big.bin" \
		"https://127.0.0.1:$port/" 2>>"$t/curl.err")
	suite=$(curl -sS -v --max-time 20 --cacert "$t/ca.crt" "$@" "https://127.0.0.1:$port/" 2>&1 >/dev/null |
		sed -n 's/.*SSL connection using \([^ ]*\) \/ \([^ ]*\).*/\1 \2/p' | head -n 1)
	echo "    curl $*: $n/20 keep-alive pages, 100 kB download $([ "$sum" = "$big_sum" ] && echo intact || echo DAMAGED), upload: $up, suite: $suite"
	[ -s "$t/curl.err" ] && sed 's/^/      curl: /' "$t/curl.err"
	[ "$n" = 20 ] && [ "$sum" = "$big_sum" ] && [ "$up" = "hello from nginx" ] && [ "$suite" = "$want" ]
}
# suite NAME WANT DIRECTIVE CURL-OPTIONS...: served by erim's record layer,
# at least one gate call per record (20 pages + 7 + 7 + handshakes)
suite() {
	name=$1 want=$2 dir=$3; shift 3
	serve "$t/erim.cnf" "$dir" || { sed 's/^/    start: /' "$t/start.log"; return 1; }
	fetch "$@" || { nginx_stop "$t"; return 1; }
	calls=$(record_calls)
	echo "    $name: $calls record gate calls"
	[ "$calls" -ge 40 ]
}

echo "--- TLS 1.3 and 1.2 AEAD suites with erim's record layer ($BACKEND)"
sh_check tls13_aes128gcm_records_through_trusted_cipher suite tls13-aes128 "TLSv1.3 TLS_AES_128_GCM_SHA256" \
	"ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;" --tlsv1.3
sh_check tls13_aes256gcm_records_through_trusted_cipher suite tls13-aes256 "TLSv1.3 TLS_AES_256_GCM_SHA384" \
	"ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384;" --tlsv1.3
sh_check tls13_chacha20_records_through_trusted_cipher suite tls13-chacha "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256" \
	"ssl_conf_command Ciphersuites TLS_CHACHA20_POLY1305_SHA256;" --tlsv1.3
sh_check tls12_ecdhe_rsa_aes128gcm_records_through_trusted_cipher suite tls12-aes128 \
	"TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256" "" --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256
sh_check tls12_ecdhe_rsa_aes256gcm_records_through_trusted_cipher suite tls12-aes256 \
	"TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384" "" --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES256-GCM-SHA384
sh_check tls12_ecdhe_rsa_chacha20_records_through_trusted_cipher suite tls12-chacha \
	"TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305" "" --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-CHACHA20-POLY1305

sclient_suite() {  # openssl s_client (default provider) agrees on the suite
	out=$(printf 'GET / HTTP/1.0\r\n\r\n' | OPENSSL_CONF=/dev/null timeout 10 openssl s_client -quiet \
		-connect "127.0.0.1:$port" -CAfile "$t/ca.crt" -verify_return_error "$@" 2>&1)
	echo "    s_client $*: $(echo "$out" | tail -n 1)"
	echo "$out" | grep -q "hello from nginx"
}
both_sclient() {
	serve "$t/erim.cnf" "" || return 1
	sclient_suite -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256 &&
	sclient_suite -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384 || { nginx_stop "$t"; return 1; }
	calls=$(record_calls)
	echo "    s_client: $calls record gate calls"
	[ "$calls" -ge 4 ]
}
sh_check s_client_tls13_chacha_and_tls12_aes256_through_trusted_cipher both_sclient

control_count() {
	serve "$t/keysonly.cnf" "ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;" || return 1
	want="TLSv1.3 TLS_AES_128_GCM_SHA256"
	fetch --tlsv1.3 || { nginx_stop "$t"; return 1; }
	calls=$(record_calls)
	echo "    keys-only: $calls record gate calls"
	[ "$calls" -eq 0 ]
}
sh_check control_keys_only_configuration_counts_no_record_gate_calls control_count

echo "--- the record-key scan (TLS 1.3): the attacker inside nginx looks for this connection's record keys"
scan() {  # scan LABEL CONF DIRECTIVE: the scan's result lines in $t/scan.out
	rm -f "$t/scan.out" "$t/needles" "$t/keylog"
	serve "$2" "$3" || return 1
	r=$(OPENSSL_CONF=/dev/null timeout 30 python3 "$srcdir/provider/aead_client.py" "$port" "$t/ca.crt" \
		"$t/keylog" "$t/needles" 2>&1)
	sleep 0.3
	nginx_stop "$t"
	echo "    $1: $r"
	sed "s/^/    $1: scan: /" "$t/scan.out" 2>/dev/null
	[ -s "$t/scan.out" ] && echo "$r" | grep -q "hello from nginx"
}
found() { scan "$@" && grep -q "^FOUND" "$t/scan.out"; }
not_found() { scan "$@" && [ "$(grep -c "^NOT FOUND" "$t/scan.out")" = 2 ] && ! grep -q "^FOUND" "$t/scan.out"; }
# (tls_lib.sh's functions set globals d, k, ...: the loop's are named apart)
for ksuite in TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256; do
	kdir="ssl_conf_command Ciphersuites $ksuite;"
	sh_check "control_stock_nginx_record_key_found_$ksuite" found stock /dev/null "$kdir"
	sh_check "control_erim_keys_only_record_key_found_$ksuite" found keys-only "$t/keysonly.cnf" "$kdir"
	sh_check "erim_record_layer_record_keys_not_found_$ksuite" not_found erim "$t/erim.cnf" "$kdir"
done
# control of the mechanism: under the none back end (no protection) the same
# scan finds the keys -- in erim's trusted heap, i.e. that is where they are
none_found() {
	saved=$BACKEND; BACKEND=none
	found erim-none "$t/erim.cnf" "ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;"; rc=$?
	BACKEND=$saved
	[ $rc -eq 0 ] && ! grep -q "\[heap\]" "$t/scan.out"
}
sh_check control_erim_under_none_record_key_found_outside_libssl_heap none_found
no_alerts() { ! grep -E "\[(emerg|alert|crit)\]" "$t/logs/error.log"; }
sh_check nginx_error_log_has_no_alerts no_alerts
sh_done nginx_aead
