#!/bin/sh
# SPDX-License-Identifier: MIT
# aead_ops.sh: erim's record-layer AEADs (AES-128-GCM, AES-256-GCM,
# ChaCha20-Poly1305, keys in trusted memory) against OpenSSL's default
# provider, under the mprotect and none back ends: byte-identical ciphertext
# and tags, records sealed by one provider opened by the other (tag before or
# after the data), flipped tag / ciphertext / AAD bits refused with no
# plaintext released, TLS 1.2 record mode (fixed IV, TLS1_AAD, in-place
# update) both ways, a record under the wrong sequence number refused, and the
# provider's counter showing one gate call per record (tests/provider/ep_aeadcheck.c).
set -u
. "$srcdir/lib/sh_check.sh"
. "$srcdir/provider/tls_lib.sh"
check=$builddir/provider/ep_aeadcheck
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-aead-ops.XXXXXX") || exit 99
trap 'rm -rf "$t"' EXIT
sed "s|^module = .*|module = $EP_MODULE|" "$top_srcdir/provider/openssl-erim.cnf" >"$t/erim.cnf"
export OPENSSL_CONF="$t/erim.cnf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_QUIET=1
kat() {  # kat BACKEND: every check of ep_aeadcheck passes
	ERIM_BACKEND=$1 "$check" >"$t/out.$1" 2>&1; rc=$?
	grep -v '^ok ' "$t/out.$1" | sed 's/^/  /'
	[ $rc -eq 0 ] && grep -q "^ep_aeadcheck: [0-9]* checks, 0 failed" "$t/out.$1"
}
for be in mprotect none; do
	sh_check "aead_known_answers_and_tamper_against_default_provider_$be" kat $be
done
tampered_silent() {  # a refused record is not an error report on stderr
	! grep -q "erim-provider: record cipher" "$t/out.none"
}
sh_check tag_failures_are_quiet_refusals tampered_silent
sed "s/^/  mprotect: /" "$t/out.mprotect" | tail -n 1
sh_done aead_ops
