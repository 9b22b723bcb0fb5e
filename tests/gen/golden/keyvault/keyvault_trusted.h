/* generated from keyvault.erim by erimgen 0.1.0 — do not edit */
/* keyvault_trusted.h: the trusted side of interface keyvault: include it in
 * the trusted component. */
#ifndef KEYVAULT_TRUSTED_H
#define KEYVAULT_TRUSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "keyvault_types.h"

/* types declared in keyvault.erim (shared by every header that uses them) */
#ifndef ERIM__TYPES_keyvault_8055588e
#define ERIM__TYPES_keyvault_8055588e
struct kv_blob;
#line 5 "keyvault.erim"
struct kv_blob {
	size_t len;
	uint8_t *data;
};
#line 23 "keyvault_trusted.h"
#endif /* ERIM__TYPES_keyvault_8055588e */

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: implement these in the trusted component; they
 * receive trusted copies of every buffer */
#line 11 "keyvault.erim"
int kv_generate_impl(void);
#line 34 "keyvault_trusted.h"
#line 12 "keyvault.erim"
int kv_sign_impl(const uint8_t *msg, size_t len, uint8_t *sig);
#line 37 "keyvault_trusted.h"
#line 14 "keyvault.erim"
int kv_label_impl(const char *name);
#line 40 "keyvault_trusted.h"
#line 15 "keyvault.erim"
int kv_export_impl(uint8_t *buf, size_t cap, size_t *n);
#line 43 "keyvault_trusted.h"
#line 17 "keyvault.erim"
void kv_put_impl(const struct kv_blob *b);
#line 46 "keyvault_trusted.h"
#line 18 "keyvault.erim"
int kv_rotate_impl(void);
#line 49 "keyvault_trusted.h"

/* untrusted functions: call these proxies from trusted code; they run
 * NAME in the untrusted domain and validate what comes back */
#line 22 "keyvault.erim"
void kv_log_ocall(const char *line);
#line 55 "keyvault_trusted.h"
#line 23 "keyvault.erim"
int kv_confirm_ocall(void);
#line 58 "keyvault_trusted.h"

#ifdef __cplusplus
}
#endif
#endif
