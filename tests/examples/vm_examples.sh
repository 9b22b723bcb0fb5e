#!/bin/sh
# SPDX-License-Identifier: MIT
# vm_examples.sh: the examples with real protection keys, in one QEMU guest
# (-cpu max, ERIM_REQUIRE=mpk so that a fallback cannot pass for mpk):
# keyvault signs; its ECHO over-read and parser-jail's parser overflow are
# each stopped by the protection key with erim's violation report; the
# sgx-port application runs every SGX-style call and its direct read of the
# enclave's key is stopped.
ex=${top_builddir:?}/examples
exec "$ERIM_VM_RUN" --name vm_examples --cpu max \
	--env ERIM_BACKEND=mpk --env ERIM_REQUIRE=mpk --env ERIM_QUIET=1 \
	--file "$ex/keyvault/keyvault" --file "$ex/parser-jail/parser-jail" -- \
	"$ex/sgx-port/sgx-app" ';;' \
	"$ex/sgx-port/sgx-app" expect-stopped ';;' \
	"$ex/keyvault/kv_client" --expect=ok normal /t/keyvault ';;' \
	"$ex/keyvault/kv_client" --expect=stopped attack /t/keyvault ';;' \
	"$ex/parser-jail/pj_attack" --expect=stopped /t/parser-jail
