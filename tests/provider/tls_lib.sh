# SPDX-License-Identifier: MIT
# tls_lib.sh: shared set-up of the provider suites and `make demo-tls`.
#   tls_setup DIR   a test CA, server keys (rsa2048 rsa3072 ec ed25519), their
#                   certificates for 127.0.0.1/localhost, erim key references
#                   (DIR/NAME.ref), public halves (DIR/NAME.pub), the prime p
#                   of the RSA keys in hex (DIR/NAME.p), each key's secret to
#                   scan for in hex (DIR/NAME.secret: p, the EC scalar, the
#                   Ed25519 seed), and DIR/erim.cnf
#   nginx_conf DIR PORT CERT KEY    writes DIR/nginx.conf (127.0.0.1 only;
#                                    $NGINX_EXTRA: more server directives)
#   nginx_start DIR [ENV...]        starts nginx (prefix DIR) in the background
#   nginx_stop DIR
#   free_port                        an unused TCP port on 127.0.0.1
# Needs: top_builddir (the build tree), openssl, nginx.
EP_MODULE=${EP_MODULE:-$top_builddir/provider/.libs/erim.so}
EP_KEYREF=${EP_KEYREF:-$top_srcdir/provider/erim-keyref}
EP_LIBDIR=${EP_LIBDIR:-$top_builddir/runtime/.libs}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
# A provider built with AddressSanitizer (configure --enable-asan) loaded into
# Debian's nginx, which is not: ASan's run-time must be the program's first
# library, so nginx_start preloads it (EP_ASAN: its path, empty otherwise).
EP_ASAN=$(ldd "$EP_MODULE" 2>/dev/null | awk '$1 ~ /^libasan/ { print $3; exit }')

tls_openssl() { OPENSSL_CONF=/dev/null openssl "$@"; }

tls_setup() {
	d=$1
	mkdir -p "$d" && chmod 700 "$d"
	tls_openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=erim test CA" -keyout "$d/ca.key" -out "$d/ca.crt" >/dev/null 2>&1 || return 1
	for k in rsa2048 rsa3072 ec ed25519; do
		case $k in
		rsa2048) tls_openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/$k.key" ;;
		rsa3072) tls_openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$d/$k.key" ;;
		ec) tls_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/$k.key" ;;
		ed25519) tls_openssl genpkey -algorithm ED25519 -out "$d/$k.key" ;;
		esac >/dev/null 2>&1 || return 1
		chmod 600 "$d/$k.key"
		tls_openssl req -new -key "$d/$k.key" -subj "/CN=localhost" -out "$d/$k.csr" >/dev/null 2>&1 || return 1
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/san.ext"
		tls_openssl x509 -req -in "$d/$k.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
			-days 2 -extfile "$d/san.ext" -out "$d/$k.crt" >/dev/null 2>&1 || return 1
		tls_openssl pkey -in "$d/$k.key" -pubout -out "$d/$k.pub" 2>/dev/null || return 1
		"$EP_KEYREF" "$d/$k.key" "$d/$k.ref" || return 1
		case $k in
		rsa*)
			tls_openssl pkey -in "$d/$k.key" -noout -text |
				sed -n '/^prime1:/,/^prime2:/p' | grep -v prime | tr -d ' :\n' | sed 's/^00//' >"$d/$k.p"
			cp "$d/$k.p" "$d/$k.secret" ;;
		*)      # the EC private scalar, the Ed25519 seed
			tls_openssl pkey -in "$d/$k.key" -noout -text |
				sed -n '/^priv:/,/^pub:/p' | grep -v 'priv:\|pub:' | tr -d ' :\n' |
				sed 's/^00\(.\{64\}\)$/\1/' >"$d/$k.secret" ;;
		esac
	done
	sed "s|^module = .*|module = $EP_MODULE|" "$top_srcdir/provider/openssl-erim.cnf" >"$d/erim.cnf"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

nginx_conf() {
	d=$1 port=$2 cert=$3 key=$4
	mkdir -p "$d/logs" "$d/tmp"
	# started as root, nginx would run its workers as nobody, who cannot
	# write the test's files: keep the workers under the caller's user
	user=
	[ "$(id -u)" -ne 0 ] || user="user root;"
	cat >"$d/nginx.conf" <<EOC
$user
worker_processes 1;
error_log $d/logs/error.log info;
pid $d/nginx.pid;
events { worker_connections 128; }
http {
    access_log off;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $cert;
        ssl_certificate_key $key;
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_requests 100000;
        ${NGINX_EXTRA:-}
        location / { return 200 "hello from nginx\n"; }
    }
}
EOC
}

# nginx_start DIR [VAR=VALUE...]: nginx in the background (it daemonises);
# 0 once DIR/nginx.pid exists.  stderr of the start goes to DIR/start.log.
nginx_start() {
	d=$1; shift
	env ${EP_ASAN:+LD_PRELOAD=$EP_ASAN} "$@" "$NGINX" -p "$d" -c "$d/nginx.conf" -e "$d/logs/error.log" >"$d/start.log" 2>&1 || return 1
	i=0
	while [ ! -s "$d/nginx.pid" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$d/nginx.pid" ]
}

nginx_stop() {
	d=$1
	[ -s "$d/nginx.pid" ] || return 0
	pid=$(cat "$d/nginx.pid")
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$pid" 2>/dev/null
	rm -f "$d/nginx.pid"
}
