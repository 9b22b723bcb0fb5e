#!/bin/sh
# SPDX-License-Identifier: MIT
# nginx_tls.sh: Debian's unmodified nginx serves HTTPS with its private key in
# erim's trusted domain, configured only through OPENSSL_CONF (erim.cnf loads
# the provider) and nginx's own config (ssl_certificate_key names an erim key
# reference).  The provider initialises erim in the master process while
# nginx reads its configuration; the worker inherits the trusted domain across
# fork.  For each key type (RSA 2048/3072, ECDSA P-256, Ed25519): curl and
# openssl s_client connect with TLS 1.2 and 1.3 and verify the certificate
# against the test CA; for RSA every signature scheme TLS uses (PKCS#1 v1.5
# and PSS in 1.2, PSS in 1.3).  Then reload (SIGHUP: the new configuration
# loads the key again) and many connections in a row.
set -u
. "$srcdir/lib/sh_check.sh"
. "$srcdir/provider/tls_lib.sh"
if [ ! -x "$NGINX" ]; then echo "skipped: nginx is not installed (apt-get install nginx-light)"; exit 77; fi
command -v curl >/dev/null 2>&1 || { echo "skipped: curl is not installed"; exit 77; }
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-nginx.XXXXXX") || exit 99
trap 'nginx_stop "$t"; rm -rf "$t"' EXIT
tls_setup "$t" || { echo "nginx_tls: cannot make the test keys"; echo "nginx_tls: 0 passed, 1 failed"; exit 1; }
port=$(free_port)
BACKEND=${ERIM_BACKEND:-mprotect}

get() {  # get CURL-OPTIONS...: the page, certificate verified against the test CA
	out=$(curl -sS --max-time 10 --cacert "$t/ca.crt" "$@" "https://127.0.0.1:$port/" 2>&1)
	echo "    curl $*: $out"
	[ "$out" = "hello from nginx" ]
}
sclient() {  # sclient OPTIONS...: handshake verified, prints the peer signature type
	out=$(echo | OPENSSL_CONF=/dev/null timeout 10 openssl s_client -connect "127.0.0.1:$port" \
		-CAfile "$t/ca.crt" -verify_return_error "$@" 2>&1)
	echo "    s_client $*: $(echo "$out" | grep -E 'Peer signature type|Verify return code' | tr '\n' ' ')"
	echo "$out" | grep -q "Verify return code: 0 (ok)"
}
sig_is() {  # sig_is TYPE OPTIONS...
	ty=$1; shift
	sclient "$@" && echo "$out" | grep -q "Peer signature type: $ty\$" && return 0
	# One intermittent failure of a single handshake was seen once in a full
	# CI-style run and never reproduced; show everything, then try once more
	# (a second failure fails the check).
	echo "    s_client $* failed once; its output and nginx's error log:"
	echo "$out" | sed 's/^/      /' | tail -n 15
	sed 's/^/      error.log: /' "$t/logs/error.log" | tail -n 5
	sclient "$@" && echo "$out" | grep -q "Peer signature type: $ty\$" && echo "    RETRIED: passed the second time"
}
serves() {  # serves KEY: nginx up with that key
	k=$1
	nginx_stop "$t"
	nginx_conf "$t" "$port" "$t/$k.crt" "$t/$k.ref"
	nginx_start "$t" OPENSSL_CONF="$t/erim.cnf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$BACKEND"
	sed 's/^/    start: /' "$t/start.log"
	grep -q "private keys are kept in erim's trusted domain (back end $BACKEND)" "$t/start.log"
}

echo "--- rsa2048"
sh_check nginx_starts_with_rsa2048_reference serves rsa2048
sh_check rsa2048_tls12_curl_verifies get --tlsv1.2 --tls-max 1.2
sh_check rsa2048_tls13_curl_verifies get --tlsv1.3
sh_check rsa2048_tls12_pkcs1_sha256 sig_is RSA -tls1_2 -sigalgs RSA+SHA256
sh_check rsa2048_tls12_pkcs1_sha512 sig_is RSA -tls1_2 -sigalgs RSA+SHA512
sh_check rsa2048_tls12_pss_sha256 sig_is RSA-PSS -tls1_2 -sigalgs rsa_pss_rsae_sha256
sh_check rsa2048_tls13_pss_sha384 sig_is RSA-PSS -tls1_3 -sigalgs rsa_pss_rsae_sha384
many() {
	i=0
	while [ $i -lt 30 ]; do
		curl -sS --max-time 10 --cacert "$t/ca.crt" "https://127.0.0.1:$port/" >/dev/null 2>&1 || return 1
		i=$((i + 1))
	done
}
sh_check rsa2048_30_handshakes_in_a_row many
reload() {
	old=$(pgrep -P "$(cat "$t/nginx.pid")" | head -n 1)
	kill -HUP "$(cat "$t/nginx.pid")"
	i=0
	while [ $i -lt 50 ]; do
		new=$(pgrep -P "$(cat "$t/nginx.pid")" | head -n 1)
		[ -n "$new" ] && [ "$new" != "$old" ] && kill -0 "$new" 2>/dev/null && break
		sleep 0.1; i=$((i + 1))
	done
	sleep 0.3
	get --tlsv1.3 && ! grep -q "emerg\|crit\|alert" "$t/logs/error.log"
}
sh_check rsa2048_serves_after_reload reload

echo "--- rsa3072"
sh_check nginx_starts_with_rsa3072_reference serves rsa3072
sh_check rsa3072_tls13_curl_verifies get --tlsv1.3
sh_check rsa3072_tls12_pkcs1 sig_is RSA -tls1_2 -sigalgs RSA+SHA256

echo "--- ec"
sh_check nginx_starts_with_ecdsa_reference serves ec
sh_check ecdsa_tls12_curl_verifies get --tlsv1.2 --tls-max 1.2
sh_check ecdsa_tls13_sclient_verifies sig_is ECDSA -tls1_3

two_workers() {
	nginx_stop "$t"
	nginx_conf "$t" "$port" "$t/ec.crt" "$t/ec.ref"
	sed -i 's/^worker_processes 1;/worker_processes 2;/' "$t/nginx.conf"
	nginx_start "$t" OPENSSL_CONF="$t/erim.cnf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$BACKEND" || return 1
	i=0   # the master forks its workers after it wrote its pid
	while [ "$(pgrep -P "$(cat "$t/nginx.pid")" | wc -l)" -lt 2 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	n=$(pgrep -P "$(cat "$t/nginx.pid")" | wc -l)
	[ "$n" -eq 2 ] || { echo "    two_workers: $n worker processes" >>"$t/diag"; return 1; }
	i=0
	while [ $i -lt 20 ]; do
		r=$(curl -sS --max-time 20 --cacert "$t/ca.crt" "https://127.0.0.1:$port/" 2>&1)
		[ "$r" = "hello from nginx" ] || { echo "    two_workers: request $i: $r" >>"$t/diag"; return 1; }
		i=$((i + 1))
	done
}
sh_check two_forked_workers_serve_20_handshakes two_workers

echo "--- ed25519"
sh_check nginx_starts_with_ed25519_reference serves ed25519
sh_check ed25519_tls13_sclient_verifies sig_is ed25519 -tls1_3
sh_check ed25519_tls12_sclient_verifies sig_is ed25519 -tls1_2 -sigalgs ed25519

no_errors() { ! grep -E "\[(emerg|alert|crit)\]" "$t/logs/error.log"; }
sh_check nginx_error_log_has_no_alerts no_errors
nginx_stop "$t"
echo "--- refusal at start-up: the reference names a world-readable key"
chmod 644 "$t/rsa2048.key"
nginx_conf "$t" "$port" "$t/rsa2048.crt" "$t/rsa2048.ref"
refused() {
	! nginx_start "$t" OPENSSL_CONF="$t/erim.cnf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$BACKEND" &&
	grep -q "mode 0644 lets others read or change it" "$t/start.log" &&
	grep -q "emerg" "$t/logs/error.log"
}
sh_check nginx_refuses_to_start_with_world_readable_key refused
sed 's/^/    /' "$t/start.log"
chmod 600 "$t/rsa2048.key"

echo "--- openssl s_server -key erim:REFERENCE (the OSSL_STORE loader)"
sserver() {  # sserver KEY: s_server with the key in trusted memory, curl + s_client verify
	k=$1
	# emptied here, not by the background job's redirection: that may run
	# after the wait below has found the previous s_server's ACCEPT (the
	# cause of a CI failure: curl was refused a moment later)
	: >"$t/s_server.log"
	OPENSSL_CONF="$t/erim.cnf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$BACKEND" ERIM_QUIET=1 \
		env ${EP_ASAN:+LD_PRELOAD=$EP_ASAN} openssl s_server -accept "127.0.0.1:$port" -cert "$t/$k.crt" -key "erim:$t/$k.ref" -www -naccept 2 \
		>"$t/s_server.log" 2>&1 &
	sp=$!
	# up to 120 s for its ACCEPT line on a loaded machine, less if it exits
	i=0
	while ! grep -q ACCEPT "$t/s_server.log" && [ $i -lt 1200 ] && kill -0 "$sp" 2>/dev/null; do
		sleep 0.1; i=$((i + 1))
	done
	alive=exited
	kill -0 "$sp" 2>/dev/null && alive=running
	page=$(curl -sS --max-time 10 --cacert "$t/ca.crt" "https://127.0.0.1:$port/" 2>&1 | grep -c "Ciphers supported in s_server")
	sclient -tls1_3; rc=$?
	kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null; st=$?
	echo "    s_server $k: curl got the s_server page: $page"
	[ "$rc" -eq 0 ] && [ "$page" = 1 ] && return 0
	{ echo "    s_server $k failed: page=$page s_client rc=$rc; waited $i x 0.1 s for ACCEPT," \
	       "s_server $alive then, exit status $st"; sed 's/^/      s_server: /' "$t/s_server.log"
	  echo "$out" | tail -n 5 | sed 's/^/      s_client: /'; } >>"$t/diag"
	return 1
}
sh_check s_server_rsa2048_erim_uri sserver rsa2048
sh_check s_server_ec_erim_uri sserver ec
sh_check s_server_ed25519_erim_uri sserver ed25519
[ -s "$t/diag" ] && cat "$t/diag"
sh_done nginx_tls
