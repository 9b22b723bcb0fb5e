/* SPDX-License-Identifier: MIT */
/* erim_oe.h: what erimgen --abi=oe output needs from Open Enclave's headers
 * (oe_result_t, oe_enclave_t, the oe_create_NAME_enclave parameter types),
 * so an OE host and enclave build against erim without the OE SDK.
 * erim_oe_create()/oe_terminate_enclave() map onto erim_init/erim_fini: the
 * "enclave" is the trusted component linked into the same program; the
 * path, type, flags and settings are accepted and not used.  Header-only. */
#ifndef ERIM_OE_H
#define ERIM_OE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "erim.h"
#include "erim_edl.h"   /* EDL files may name the SGX types too */

#ifndef _OE_BITS_RESULT_H
#define _OE_BITS_RESULT_H
typedef enum _oe_result {
	OE_OK,
	OE_FAILURE,
	OE_BUFFER_TOO_SMALL,
	OE_INVALID_PARAMETER,
	OE_REENTRANT_ECALL,
	OE_OUT_OF_MEMORY,
	OE_OUT_OF_THREADS,
	OE_UNEXPECTED,
	OE_UNSUPPORTED = 0x0010,
	OE_NOT_FOUND = 0x0016,
} oe_result_t;
#endif

typedef struct _oe_enclave oe_enclave_t;
typedef enum _oe_enclave_type {
	OE_ENCLAVE_TYPE_AUTO = 1,
	OE_ENCLAVE_TYPE_SGX = 2,
	OE_ENCLAVE_TYPE_OPTEE = 3,
} oe_enclave_type_t;
typedef struct _oe_enclave_setting oe_enclave_setting_t;
#define OE_ENCLAVE_FLAG_DEBUG 0x00000001u
#define OE_ENCLAVE_FLAG_SIMULATE 0x00000002u

/* The one instance every oe_enclave_t * names (its address is the handle). */
static char erim_oe_instance __attribute__((unused));

static inline __attribute__((unused)) oe_result_t
erim_oe_create(const char *path, oe_enclave_type_t type, uint32_t flags,
               const oe_enclave_setting_t *settings, uint32_t setting_count, oe_enclave_t **enclave)
{
	int rc;

	(void)path;
	(void)type;
	(void)flags;
	(void)settings;
	(void)setting_count;
	if (!enclave)
		return OE_INVALID_PARAMETER;
	rc = erim_initialized() ? 0 : erim_init(NULL);
	if (rc == -ENOTSUP)
		return OE_UNSUPPORTED;
	if (rc == -ENOMEM)
		return OE_OUT_OF_MEMORY;
	if (rc != 0)
		return OE_FAILURE;
	*enclave = (oe_enclave_t *)(void *)&erim_oe_instance;
	return OE_OK;
}

static inline __attribute__((unused)) oe_result_t oe_terminate_enclave(oe_enclave_t *enclave)
{
	if (!enclave || !erim_initialized())
		return OE_INVALID_PARAMETER;
	return erim_fini() == 0 ? OE_OK : OE_FAILURE;
}

#endif /* ERIM_OE_H */
