/* generated from keyvault.erim by erimgen 0.1.0 — do not edit */
/* keyvault_erim.h: the untrusted side of interface keyvault: include it where
 * untrusted code calls the trusted component. */
#ifndef KEYVAULT_ERIM_H
#define KEYVAULT_ERIM_H

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
#line 23 "keyvault_erim.h"
#endif /* ERIM__TYPES_keyvault_8055588e */

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: each call goes through a gate into the trusted
 * component (defined in the gates file) */
#line 11 "keyvault.erim"
int kv_generate(void);
#line 34 "keyvault_erim.h"
#line 12 "keyvault.erim"
int kv_sign(const uint8_t *msg, size_t len, uint8_t *sig);
#line 37 "keyvault_erim.h"
#line 14 "keyvault.erim"
int kv_label(const char *name);
#line 40 "keyvault_erim.h"
#line 15 "keyvault.erim"
int kv_export(uint8_t *buf, size_t cap, size_t *n);
#line 43 "keyvault_erim.h"
#line 17 "keyvault.erim"
void kv_put(const struct kv_blob *b);
#line 46 "keyvault_erim.h"
#line 18 "keyvault.erim"
int kv_rotate(void);
#line 49 "keyvault_erim.h"

/* untrusted functions: implement these in the untrusted component;
 * trusted code reaches them through NAME_ocall */
#line 22 "keyvault.erim"
void kv_log(const char *line);
#line 55 "keyvault_erim.h"
#line 23 "keyvault.erim"
int kv_confirm(void);
#line 58 "keyvault_erim.h"

#ifdef __cplusplus
}
#endif
#endif
