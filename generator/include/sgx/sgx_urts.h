/* SPDX-License-Identifier: MIT */
/* sgx_urts.h: erim's stand-in for the SGX SDK's untrusted runtime header:
 * sgx_create_enclave / sgx_destroy_enclave mapped onto erim_init /
 * erim_fini, so an SGX application's start-up code builds unchanged against
 * erimgen --abi=sgx output.  The "enclave" is the trusted component linked
 * into the same program: FILE_NAME, the launch token and the misc attributes
 * are accepted and not used; every id names the one erim instance.
 * Header-only (static inline): nothing to link beyond liberim. */
#ifndef ERIM_SGX_URTS_H
#define ERIM_SGX_URTS_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "erim.h"
#include "erim_edl.h"

#define SGX_DEBUG_FLAG 1

typedef uint8_t sgx_launch_token_t[1024];
typedef struct _sgx_misc_attribute_t {
	struct { uint64_t flags, xfrm; } secs_attr;
	uint32_t misc_select;
} sgx_misc_attribute_t;

/* The id erim's one trusted component answers to. */
#define ERIM_SGX_ENCLAVE_ID ((sgx_enclave_id_t)1)

static inline __attribute__((unused)) sgx_status_t
sgx_create_enclave(const char *file_name, const int debug, sgx_launch_token_t *launch_token,
                   int *launch_token_updated, sgx_enclave_id_t *enclave_id,
                   sgx_misc_attribute_t *misc_attr)
{
	int rc;

	(void)file_name;
	(void)debug;
	(void)launch_token;
	if (!enclave_id)
		return SGX_ERROR_INVALID_PARAMETER;
	if (launch_token_updated)
		*launch_token_updated = 0;
	if (misc_attr)
		memset(misc_attr, 0, sizeof *misc_attr);
	rc = erim_initialized() ? 0 : erim_init(NULL);
	if (rc == -ENOTSUP)
		return SGX_ERROR_NO_DEVICE;        /* a demanded back end (ERIM_REQUIRE) is missing */
	if (rc == -ENOMEM)
		return SGX_ERROR_OUT_OF_MEMORY;
	if (rc != 0)
		return SGX_ERROR_UNEXPECTED;
	*enclave_id = ERIM_SGX_ENCLAVE_ID;
	return SGX_SUCCESS;
}

static inline __attribute__((unused)) sgx_status_t sgx_destroy_enclave(const sgx_enclave_id_t enclave_id)
{
	if (enclave_id != ERIM_SGX_ENCLAVE_ID || !erim_initialized())
		return SGX_ERROR_INVALID_ENCLAVE_ID;
	return erim_fini() == 0 ? SGX_SUCCESS : SGX_ERROR_UNEXPECTED;
}

#endif /* ERIM_SGX_URTS_H */
