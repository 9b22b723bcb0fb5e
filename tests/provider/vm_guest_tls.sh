#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_guest_tls.sh: runs INSIDE the PKU guest (tests/provider/vm_nginx_tls.sh
# puts it there with nginx, openssl, erim.so, the attack module and the test
# PKI, all flat in /t).  nginx serves HTTPS with its RSA key in erim's trusted
# domain under the mpk back end; openssl s_client fetches a page and verifies
# the certificate; the key scan finds p in stock OpenSSL (control) and, with
# erim, stops at the first trusted page with erim's violation report (under
# mpk the trusted pages are mapped readable and the protection key refuses
# the read); the server then serves again.  Then the record layer under mpk:
# TLS 1.3 ChaCha20 and AES-256-GCM and TLS 1.2 ECDHE-RSA-AES128-GCM through
# erim's ciphers, counted by the nginx processes' record gate calls.  (nginx
# 1.22 offers TLS 1.3 only when asked: ssl_protocols below.)
cd /t || exit 1
busybox ifconfig lo 127.0.0.1 up
echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
echo 'root:x:0:' >/etc/group
echo 'nogroup:x:65534:' >>/etc/group
chmod 600 /t/srv.key
p=$(cat /t/srv.p)
port=8443
. /t/sh_check.sh   # the suites' shell harness (tests/lib/sh_check.sh)
conf() {  # conf KEYFILE
	mkdir -p /tmp/n/logs /tmp/n/tmp
	cat >/tmp/n/nginx.conf <<EOC
user root;
worker_processes 1;
error_log /tmp/n/logs/error.log info;
pid /tmp/n/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path /tmp/n/tmp/body;
    proxy_temp_path /tmp/n/tmp/proxy;
    fastcgi_temp_path /tmp/n/tmp/fastcgi;
    uwsgi_temp_path /tmp/n/tmp/uwsgi;
    scgi_temp_path /tmp/n/tmp/scgi;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate /t/srv.crt;
        ssl_certificate_key $1;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { return 200 "hello from nginx\n"; }
    }
}
EOC
}
start() {  # start OPENSSL_CONF
	rm -f /tmp/n/nginx.pid /tmp/n/scan.out
	: >/tmp/n/logs/error.log 2>/dev/null
	env OPENSSL_CONF=$1 ERIM_PROVIDER_STATS=1 LD_PRELOAD=/t/ep_keyscan.so KEYSCAN_HEX="$p" KEYSCAN_OUT=/tmp/n/scan.out \
		/t/nginx -p /tmp/n -c /tmp/n/nginx.conf -e /tmp/n/logs/error.log >/tmp/n/start.log 2>&1
	i=0
	while [ ! -s /tmp/n/nginx.pid ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	sed 's/^/    start: /' /tmp/n/start.log
	[ -s /tmp/n/nginx.pid ]
}
stop() {  # and wait for every nginx process to exit (they report their gate calls then)
	[ -s /tmp/n/nginx.pid ] || return 0
	mp=$(cat /tmp/n/nginx.pid)
	kill "$mp" 2>/dev/null
	i=0
	while kill -0 "$mp" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	sleep 1
}
get() {  # get [HEADER [S_CLIENT-OPTIONS...]]: the page over TLS, certificate verified
	hdr=${1:-X-Nothing: 0}; [ $# -gt 0 ] && shift
	printf 'GET / HTTP/1.0\r\n%s\r\n\r\n' "$hdr" |
		OPENSSL_CONF=/dev/null timeout 60 /t/openssl s_client -quiet -connect 127.0.0.1:$port \
		-CAfile /t/ca.crt -verify_return_error "$@" >/tmp/n/reply 2>/tmp/n/sclient.log
	echo "    reply: $(grep -v '^\s*$' /tmp/n/reply | tail -n 1)"
	grep -q "hello from nginx" /tmp/n/reply && return 0
	sed 's/^/    s_client: /' /tmp/n/sclient.log | tail -n 8
	sed 's/^/    error.log: /' /tmp/n/logs/error.log | tail -n 4
	return 1
}
found() { grep -q "^FOUND" /tmp/n/scan.out 2>/dev/null; }
stopped() { [ ! -s /tmp/n/scan.out ] && grep -q "erim: violation: untrusted code read trusted memory" /tmp/n/start.log /tmp/n/logs/error.log; }

echo "--- control: stock OpenSSL, nginx reads the key file"
conf /t/srv.key
sh_check control_nginx_starts start /dev/null
sh_check control_https_works get
get "X-Keyscan: 1" >/dev/null
sleep 1
echo "    scan: $(cat /tmp/n/scan.out 2>/dev/null)"
sh_check control_scan_finds_the_key found
stop
echo "--- erim (mpk): the key in trusted memory, nginx gets a reference"
conf /t/srv.ref
sh_check erim_nginx_starts_under_mpk start /t/erim.cnf
sh_check erim_backend_is_mpk grep -q "trusted domain (back end mpk)" /tmp/n/start.log
sh_check erim_https_works_and_verifies get
get "X-Keyscan: 1" >/dev/null
sleep 1
echo "    scan: $(cat /tmp/n/scan.out 2>/dev/null || echo '(no result: the scan did not finish)')"
grep -h "erim: violation" /tmp/n/start.log /tmp/n/logs/error.log | sed 's/^/    /'
sh_check erim_scan_stops_at_trusted_memory_with_violation_report stopped
sleep 1
sh_check erim_serves_again_after_the_attack get
echo "--- erim (mpk): the record layer in trusted memory (openssl-erim.cnf's ?erim.record=yes)"
sh_check erim_tls13_chacha20_under_mpk get "X-Nothing: 0" -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256
sh_check erim_tls13_aes256gcm_under_mpk get "X-Nothing: 0" -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384
sh_check erim_tls12_ecdhe_rsa_aes128gcm_under_mpk get "X-Nothing: 0" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
stop
records=$(sed -n 's/.*signing gate calls, \([0-9]*\) record gate calls.*/\1/p' /tmp/n/logs/error.log /tmp/n/start.log |
	awk '{ s += $1 } END { print s + 0 }')
echo "    record gate calls under mpk (all nginx processes): $records"
sh_check erim_records_crossed_the_mpk_gate [ "$records" -ge 12 ]
sh_done vm_guest_tls
