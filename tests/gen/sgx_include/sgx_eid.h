/* SPDX-License-Identifier: MIT */
/* sgx_eid.h: the few SGX SDK types the SampleEnclave-style EDL inputs take
 * from the SDK's headers (the SDK is not installed here), so that the code
 * erimgen generates from them can be compiled. */
#ifndef SGX_EID_H
#define SGX_EID_H
#include <stdint.h>
#include <wchar.h>
typedef uint64_t sgx_enclave_id_t;
union union_foo_t {
	uint32_t union_foo_0;
	uint32_t union_foo_1;
	uint64_t union_foo_3;
};
#endif
