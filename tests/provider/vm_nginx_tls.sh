#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_nginx_tls.sh: nginx with erim's provider under real protection keys, in
# the QEMU guest (-cpu max, mpk).  The test PKI is made here; nginx, openssl,
# erim.so, the attack module and vm_guest_tls.sh (which runs the checks) go
# into the guest.  Load-time inspection is on (the default policy): the
# WRPKRU byte sequence inside a call's displacement in Debian's libcrypto 3.0
# (OSSL_DECODER code) is retargeted through a trampoline at erim_init.
set -u
. "$srcdir/provider/tls_lib.sh"
if [ ! -x "$NGINX" ]; then echo "skipped: nginx is not installed (apt-get install nginx-light)"; exit 77; fi
if [ -n "$EP_ASAN" ]; then echo "skipped: erim's provider is built with AddressSanitizer (--enable-asan): the key scan reads every readable page of nginx, ASan's shadow memory is terabytes of them, and the ASan-built scanner's reads of other objects' redzones are reports; the scan runs in builds without --enable-asan"; exit 77; fi
scanlib=$builddir/provider/.libs/ep_keyscan.so
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-vmtls.XXXXXX") || exit 99
trap 'rm -rf "$t"' EXIT
tls_setup "$t" >/dev/null 2>&1 || { echo "vm_nginx_tls: cannot make the test keys"; echo "vm_nginx_tls: 0 passed, 1 failed"; exit 1; }
g=$t/guest; mkdir -p "$g"
cp "$t/ca.crt" "$g/ca.crt"; cp "$t/rsa2048.crt" "$g/srv.crt"; cp "$t/rsa2048.key" "$g/srv.key"; cp "$t/rsa2048.p" "$g/srv.p"
chmod 600 "$g/srv.key"
printf '%s\n' "-----BEGIN ERIM KEY REFERENCE-----" \
	"$(printf 'erim-key-reference 1\ntype=RSA\npath=/t/srv.key\n' | base64 -w 64)" \
	"-----END ERIM KEY REFERENCE-----" >"$g/srv.ref"
sed "s|^module = .*|module = /t/erim.so|" "$top_srcdir/provider/openssl-erim.cnf" >"$g/erim.cnf"
cp "$scanlib" "$g/ep_keyscan.so"
cp "$EP_MODULE" "$g/erim.so"
LD_LIBRARY_PATH=$EP_LIBDIR; export LD_LIBRARY_PATH
exec "$ERIM_VM_RUN" --name vm_nginx_tls --cpu max --timeout 600 \
	--env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk \
	--env LD_LIBRARY_PATH="$EP_LIBDIR" \
	--file "$NGINX" --file "$(command -v openssl)" --file "$g/erim.so" --file "$g/ep_keyscan.so" \
	--file "$g/ca.crt" --file "$g/srv.crt" --file "$g/srv.key" --file "$g/srv.p" --file "$g/srv.ref" \
	--file "$g/erim.cnf" --file "$srcdir/lib/sh_check.sh" -- "$srcdir/provider/vm_guest_tls.sh"
