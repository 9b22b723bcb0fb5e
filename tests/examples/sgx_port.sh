#!/bin/sh
# sgx_port.sh: the sgx-port example -- an SGX SDK-style application and
# enclave built unchanged against erim (erimgen --abi=sgx, erim's
# sgx_urts.h).  Every ecall/ocall shape works under none and mprotect; the
# enclave's key read directly by untrusted code leaks under none (control)
# and is stopped under mprotect.  (mpk: tests/examples/vm_examples.sh.)
set -u
app=${top_builddir:?}/examples/sgx-port/sgx-app
passed=0 failed=0

result() {   # result NAME STATUS
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "$1: ok"
	else failed=$((failed + 1)); echo "$1: FAIL"; fi
}

[ -x "$app" ] || { echo "sgx_port: $app not built"; echo "sgx_port: 0 passed, 1 failed"; exit 1; }
for b in none mprotect; do
	echo "--- sgx_calls_work_unchanged ($b)"
	ERIM_BACKEND=$b ERIM_QUIET=1 "$app"
	result "sgx_calls_work_unchanged_$b" $?
done
echo "--- enclave_key_leaks_without_isolation (none, control)"
ERIM_BACKEND=none ERIM_QUIET=1 "$app" expect-leak
result enclave_key_leaks_without_isolation $?
echo "--- enclave_key_read_stopped_under_mprotect"
ERIM_BACKEND=mprotect ERIM_QUIET=1 "$app" expect-stopped
result enclave_key_read_stopped_under_mprotect $?
echo "sgx_port: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
