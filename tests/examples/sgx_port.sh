#!/bin/sh
# SPDX-License-Identifier: MIT
# sgx_port.sh: the sgx-port example -- an SGX SDK-style application and
# enclave built unchanged against erim (erimgen --abi=sgx, erim's
# sgx_urts.h).  Every ecall/ocall shape works under none and mprotect; the
# enclave's key read directly by untrusted code leaks under none (control)
# and is stopped under mprotect.  (mpk: tests/examples/vm_examples.sh.)
set -u
. "$srcdir/lib/sh_check.sh"
app=${top_builddir:?}/examples/sgx-port/sgx-app

[ -x "$app" ] || sh_abort sgx_port "$app not built"
for b in none mprotect; do
	echo "--- sgx_calls_work_unchanged ($b)"
	ERIM_BACKEND=$b ERIM_QUIET=1 "$app"
	sh_result "sgx_calls_work_unchanged_$b" $?
done
echo "--- enclave_key_leaks_without_isolation (none, control)"
ERIM_BACKEND=none ERIM_QUIET=1 "$app" expect-leak
sh_result enclave_key_leaks_without_isolation $?
echo "--- enclave_key_read_stopped_under_mprotect"
ERIM_BACKEND=mprotect ERIM_QUIET=1 "$app" expect-stopped
sh_result enclave_key_read_stopped_under_mprotect $?
sh_done sgx_port
