#!/bin/sh
# SPDX-License-Identifier: MIT
# demo_tls.sh: `make demo-tls`.  Debian's unmodified nginx serves HTTPS with
# its RSA private key in erim's trusted domain -- here (mprotect, the best
# back end this machine has without protection keys) and in the PKU guest
# (mpk) -- and an attacker's code inside the server with an arbitrary-read
# primitive (ep_keyscan.so, a Heartbleed stand-in) looks for the key's prime
# p: it finds it in stock OpenSSL and not with erim.  The last line says
# whether every part behaved as stated.
#   demo_tls.sh TOP_SRCDIR TOP_BUILDDIR
set -u
top_srcdir=$1 top_builddir=$2
srcdir=$top_srcdir/tests builddir=$top_builddir/tests
. "$srcdir/provider/tls_lib.sh"
bad=
step() { echo; echo "== $*"; }
expect() {  # expect WHAT COMMAND...: record a part that did not behave
	what=$1; shift
	if "$@"; then echo "   -> as stated: $what"; else echo "   -> NOT as stated: $what"; bad="$bad; $what"; fi
}
if [ ! -x "$NGINX" ]; then echo "demo-tls: nginx is not installed (tools/install-deps installs nginx-light)"; exit 1; fi
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-demo-tls.XXXXXX") || exit 1
trap 'nginx_stop "$t"; rm -rf "$t"' EXIT
scanlib=$builddir/provider/.libs/ep_keyscan.so
step "A test CA, an RSA-2048 server key (mode 600) and its certificate, made on the fly in $t"
tls_setup "$t" || { echo "demo-tls: cannot make the test PKI"; exit 1; }
echo "   the server gets only this reference (erim-keyref $t/rsa2048.key):"
sed 's/^/     /' "$t/rsa2048.ref"
echo "   OPENSSL_CONF=$t/erim.cnf loads the provider:"
grep -v '^#' "$t/erim.cnf" | grep . | sed 's/^/     /'
port=$(free_port)
BACKEND=${ERIM_BACKEND:-mprotect}

run() {  # run LABEL KEY CONF SCAN-ALL
	nginx_stop "$t"; rm -f "$t/scan.out"
	nginx_conf "$t" "$port" "$t/rsa2048.crt" "$2"
	nginx_start "$t" OPENSSL_CONF="$3" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$BACKEND" ERIM_QUIET=1 \
		LD_PRELOAD="$scanlib" KEYSCAN_HEX="$(cat "$t/rsa2048.p")" KEYSCAN_OUT="$t/scan.out" KEYSCAN_ALL="$4" || {
		echo "   nginx did not start:"; sed 's/^/     /' "$t/start.log"; return 1; }
	sed 's/^/   nginx: /' "$t/start.log"
	out=$(curl -sS --max-time 10 --cacert "$t/ca.crt" "https://127.0.0.1:$port/" 2>&1)
	echo "   curl --cacert ca.crt https://127.0.0.1:$port/ -> $out"
	[ "$out" = "hello from nginx" ] || return 1
	echo | OPENSSL_CONF=/dev/null openssl s_client -connect "127.0.0.1:$port" -CAfile "$t/ca.crt" -verify_return_error 2>&1 |
		grep -E "^(Peer signature type|Verify return code)" | sed "s/^/   s_client: /"
	echo "   attacker: GET / with X-Keyscan: 1 -> the worker scans its own memory for p"
	curl -sS --max-time 10 --cacert "$t/ca.crt" -H "X-Keyscan: 1" "https://127.0.0.1:$port/" >/dev/null 2>&1
	sleep 0.3
	echo "   scan: $(cat "$t/scan.out" 2>/dev/null || echo '(no result: the read was stopped)')"
	grep -h "erim: violation" "$t/start.log" "$t/logs/error.log" 2>/dev/null | sed 's/^/   /'
	return 0
}
step "Control: stock nginx + OpenSSL reading the key file itself"
run control "$t/rsa2048.key" /dev/null 0
expect "control: HTTPS works and the scan finds the private key's prime p" grep -q "^FOUND" "$t/scan.out"
step "erim ($BACKEND, this machine): the same nginx binary, key reference instead of the key"
run erim "$t/rsa2048.ref" "$t/erim.cnf" 0
expect "erim here: HTTPS works, certificate verifies, the scan of readable memory finds nothing" grep -q "^NOT FOUND" "$t/scan.out"
step "erim ($BACKEND): the attacker also reads the pages the maps show unreadable"
run erim-all "$t/rsa2048.ref" "$t/erim.cnf" 1
expect "erim here: reading trusted memory stops with erim's violation report" \
	grep -q "erim: violation: untrusted code read trusted memory" "$t/start.log" "$t/logs/error.log"
nginx_stop "$t"
step "erim (mpk) in the PKU guest (QEMU -cpu max): nginx, openssl, erim.so and the attack module inside"
if [ -x "$builddir/lib/erim-vm-run" ]; then
	k=
	for f in ${ERIM_VM_KERNELS:-/var/cache/erim-vm/vmlinuz}; do [ -r "$f" ] && { k=$f; break; }; done
	ERIM_VM_RUN=$builddir/lib/erim-vm-run ERIM_VM_KERNEL=${k:-/var/cache/erim-vm/vmlinuz} \
		top_srcdir=$top_srcdir top_builddir=$top_builddir srcdir=$srcdir builddir=$builddir \
		sh "$srcdir/provider/vm_nginx_tls.sh" >"$t/vm.log" 2>&1
	vmrc=$?
	sed -n '/^guest:/,/^vm_nginx_tls: [0-9]/p' "$t/vm.log" | grep -v "^\[" | sed 's/^/   /'
	expect "guest (mpk): HTTPS works; control finds p; with erim the read stops at trusted memory with erim's report" [ "$vmrc" -eq 0 ]
else
	echo "   no VM runner"; bad="$bad; guest part not run"
fi
echo
if [ -z "$bad" ]; then
	echo "demo-tls: every part behaved as stated (mprotect here, mpk in the guest)"
else
	echo "demo-tls: NOT every part behaved as stated:${bad#;}"
	exit 1
fi
