/* SPDX-License-Identifier: MIT */
/* Enclave.c: the "enclave" -- written as for the SGX SDK (ecalls are plain
 * functions, ocalls return sgx_status_t and their result through a
 * pointer), compiled into the same program as the application.  The one
 * erim-specific line: the secret is an ERIM_TRUSTED global, so that it lives
 * in memory only the trusted component can touch. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "erim.h"
#include "sgx_trts.h"
#include "Enclave_t.h"
#include "sp_types.h"

/* the key: protected memory (an SGX enclave's globals are protected by
 * the enclave; erim's by this attribute) */
ERIM_TRUSTED uint8_t sp_vault_key[SP_KEY_MAX];
static ERIM_TRUSTED size_t sp_vault_len;

static void say_value(int v)
{
	char msg[64];

	snprintf(msg, sizeof msg, "enclave: host value %d", v);
	ocall_print(msg);           /* SGX's ocall: sgx_status_t, no result */
}

int ecall_greet(const char *name)
{
	int extra = 0;

	if (ocall_host_value(&extra, 7) != SGX_SUCCESS)
		return -1;
	say_value(extra);
	ocall_print("enclave: hello,");
	ocall_print(name);
	return (int)strlen(name) + extra;
}

int ecall_sum(const int vals[4], int *total)
{
	*total = vals[0] + vals[1] + vals[2] + vals[3];
	return 0;
}

void ecall_scale(struct sp_point *p, int k)
{
	p->x *= k;
	p->y *= k;
}

size_t ecall_count_byte(const uint8_t *buf, size_t len, uint8_t b)
{
	size_t n = 0;

	/* user_check: buf is the caller's own memory, read in place -- after
	 * the check every enclave makes on such a pointer (without it the
	 * caller points buf at the key and learns it a byte at a time; red
	 * team 37b, sgx_vault).  Outside memory stays outside: the check holds
	 * for the reads below whatever the caller writes meanwhile. */
	if (!sgx_is_outside_enclave(buf, len))
		return 0;
	for (size_t i = 0; i < len; i++)
		n += buf[i] == b;
	return n;
}

uint64_t ecall_union_big(union sp_num v)
{
	return v.big;
}

size_t ecall_count_set(const void **ptrs, size_t n)
{
	size_t k = 0;

	/* the pointer values arrive as data (a trusted copy of the array) */
	for (size_t i = 0; i < n; i++)
		k += ptrs[i] != NULL;
	return k;
}

size_t ecall_host_name_len(void)
{
	const char *name = NULL;
	size_t n = 0;

	/* a pointer an ocall returns is a value, never followed by the gates
	 * (edger8r's shallow copy; erim checks only its first byte): its
	 * string is the application's, read in place, each byte checked
	 * outside the enclave first -- a string that ends just below trusted
	 * memory must not run on into it (red team 37b) -- and bounded */
	if (ocall_host_name(&name) != SGX_SUCCESS || !name)
		return 0;
	while (n < SP_NAME_MAX && sgx_is_outside_enclave(name + n, 1) && name[n])
		n++;
	return n;
}

int ecall_vault_set(const uint8_t *key, size_t len)
{
	if (len == 0 || len > sizeof sp_vault_key)
		return -1;
	memcpy(sp_vault_key, key, len);
	sp_vault_len = len;
	return 0;
}

uint32_t ecall_vault_tag(const uint8_t *data, size_t n, uint8_t digest[8])
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sp_vault_len; i++)
		h = (h ^ sp_vault_key[i]) * 16777619u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ data[i]) * 16777619u;
	for (int i = 0; i < 8; i++)
		digest[i] = (uint8_t)(h >> (i % 4 * 8));
	return h;
}
