#!/bin/sh
# SPDX-License-Identifier: MIT
# provider_ops.sh: erim's OpenSSL provider against OpenSSL itself.  Every key
# type is loaded through an erim key reference (the way nginx loads keys),
# signs with every scheme TLS uses, and each signature is verified by
# OpenSSL's default provider against the real key's public half (a flipped
# bit must not verify); under the mprotect and none back ends.  Then the
# refusals: world-readable or group-writable key, key owned by someone else,
# missing key, malformed key, malformed reference, reference naming the wrong
# key type, encrypted key, RSA below 2048 bits -- each with its message, and
# 70 refused loads (more than the 64-slot trusted key table) leave nothing
# behind: a good key still loads afterwards in the same process.
set -u
. "$srcdir/lib/sh_check.sh"
. "$srcdir/provider/tls_lib.sh"
check=$builddir/provider/ep_sigcheck
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-prov.XXXXXX") || exit 99
trap 'rm -rf "$t"' EXIT
if ! tls_setup "$t"; then echo "provider_ops: cannot make the test keys"; echo "provider_ops: 0 passed, 1 failed"; exit 1; fi
export OPENSSL_CONF="$t/erim.cnf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_QUIET=1

ops() {  # ops BACKEND KEY SCHEMES...
	be=$1 k=$2; shift 2
	echo "--- $k under $be: $*"
	ERIM_BACKEND=$be "$check" "$t/$k.ref" "$t/$k.pub" "$@"
}
for be in mprotect none; do
	sh_check "rsa2048_pkcs1_and_pss_verify_with_default_provider_$be" ops $be rsa2048 \
		pkcs1-sha256 pkcs1-sha384 pkcs1-sha512 pkcs1-sha1 pss-sha256 pss-sha384 pss-sha512
	sh_check "rsa3072_pkcs1_and_pss_verify_with_default_provider_$be" ops $be rsa3072 pkcs1-sha256 pss-sha256 pss-sha384
	sh_check "ecdsa_p256_verifies_with_default_provider_$be" ops $be ec ecdsa-sha256 ecdsa-sha384
	sh_check "ed25519_verifies_with_default_provider_$be" ops $be ed25519 ed25519
done
ops mprotect rsa2048 pss-sha256 2>&1 | sed 's/^/  /'

# refuse NAME REF EXPECTED-MESSAGE: loading REF fails with that message
refuse() {
	name=$1 ref=$2 msg=$3
	out=$("$check" --refuse 1 "$ref" 2>&1)
	echo "--- $name"; echo "$out" | sed 's/^/  /'
	case $out in *"refused 1 times out of 1"*"$msg"* | *"$msg"*"refused 1 times out of 1"*) return 0 ;; esac
	return 1
}
bad=$t/bad; mkdir -p "$bad"
cp "$t/rsa2048.key" "$bad/world.key"; chmod 644 "$bad/world.key"; "$EP_KEYREF" "$bad/world.key" "$bad/world.ref"
cp "$t/rsa2048.key" "$bad/gw.key"; chmod 620 "$bad/gw.key"; "$EP_KEYREF" "$bad/gw.key" "$bad/gw.ref"
printf 'erim-key-reference 1\ntype=RSA\npath=%s\n' "$bad/missing.key" | base64 -w 64 |
	{ echo "-----BEGIN ERIM KEY REFERENCE-----"; cat; echo "-----END ERIM KEY REFERENCE-----"; } >"$bad/missing.ref"
{ echo "-----BEGIN PRIVATE KEY-----"; head -c 600 /dev/urandom | base64 -w 64; echo "-----END PRIVATE KEY-----"; } >"$bad/junk.key"
chmod 600 "$bad/junk.key"
printf 'erim-key-reference 1\ntype=RSA\npath=%s\n' "$bad/junk.key" | base64 -w 64 |
	{ echo "-----BEGIN ERIM KEY REFERENCE-----"; cat; echo "-----END ERIM KEY REFERENCE-----"; } >"$bad/junk.ref"
printf '%s\n' "-----BEGIN ERIM KEY REFERENCE-----" "bm90IGEgcmVmZXJlbmNl" "-----END ERIM KEY REFERENCE-----" >"$bad/malformed.ref"
printf 'erim-key-reference 1\ntype=EC\npath=%s\n' "$t/rsa2048.key" | base64 -w 64 |
	{ echo "-----BEGIN ERIM KEY REFERENCE-----"; cat; echo "-----END ERIM KEY REFERENCE-----"; } >"$bad/wrongtype.ref"
tls_openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-128-cbc -pass pass:x -out "$bad/enc.key" 2>/dev/null
chmod 600 "$bad/enc.key"
printf 'erim-key-reference 1\ntype=RSA\npath=%s\n' "$bad/enc.key" | base64 -w 64 |
	{ echo "-----BEGIN ERIM KEY REFERENCE-----"; cat; echo "-----END ERIM KEY REFERENCE-----"; } >"$bad/enc.ref"
tls_openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$bad/small.key" 2>/dev/null
chmod 600 "$bad/small.key"; "$EP_KEYREF" "$bad/small.key" "$bad/small.ref"
sh_check refuses_world_readable_key refuse world "$bad/world.ref" "mode 0644 lets others read or change it"
sh_check refuses_group_writable_key refuse gw "$bad/gw.ref" "mode 0620 lets others read or change it"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	cp "$t/rsa2048.key" "$bad/other.key"; chmod 600 "$bad/other.key"; chown nobody "$bad/other.key"
	"$EP_KEYREF" "$bad/other.key" "$bad/other.ref" 2>/dev/null ||
		printf '%s\n' "-----BEGIN ERIM KEY REFERENCE-----" "$(printf 'erim-key-reference 1\ntype=RSA\npath=%s\n' "$bad/other.key" | base64 -w 64)" "-----END ERIM KEY REFERENCE-----" >"$bad/other.ref"
	sh_check refuses_key_owned_by_another_user refuse other "$bad/other.ref" "owned by uid"
else
	sh_skip refuses_key_owned_by_another_user "needs root to give a file to another user"
fi
sh_check refuses_missing_key refuse missing "$bad/missing.ref" "the key file does not exist"
sh_check refuses_malformed_key refuse junk "$bad/junk.ref" "the key file is malformed"
sh_check refuses_malformed_reference refuse malformed "$bad/malformed.ref" "malformed erim key reference"
sh_check refuses_reference_naming_wrong_key_type refuse wrongtype "$bad/wrongtype.ref" "key reference says EC but"
sh_check refuses_encrypted_key refuse enc "$bad/enc.ref" "is encrypted"
sh_check refuses_rsa_1024 refuse small "$bad/small.ref" "RSA key of 1024 bits"
# the wrong-type refusal happens after the key was loaded into the trusted
# table: 70 of them, then a good key, in one process
nothing_left() {
	"$check" --refuse 70 "$bad/wrongtype.ref" "$t/ec.ref" "$t/ec.pub" ecdsa-sha256 2>/dev/null
}
sh_check refused_loads_leave_nothing_behind nothing_left
nothing_left | sed 's/^/  /'
sh_done provider_ops
