/* generated from erimprov.erim by erimgen 0.1.0 — do not edit */
/* erimprov_erim.h: the untrusted side of interface erimprov: include it where
 * untrusted code calls the trusted component. */
#ifndef ERIMPROV_ERIM_H
#define ERIMPROV_ERIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: each call goes through a gate into the trusted
 * component (defined in the gates file) */
#line 14 "erimprov.erim"
int ep_load(const char *path);
#line 21 "erimprov_erim.h"
#line 17 "erimprov.erim"
int ep_info(int handle, uint32_t *info);
#line 24 "erimprov_erim.h"
#line 20 "erimprov.erim"
int ep_public(int handle, uint8_t *buf, size_t cap);
#line 27 "erimprov_erim.h"
#line 24 "erimprov.erim"
int ep_sign(int handle, int alg, int hash, int saltlen, const uint8_t *tbs, size_t len, uint8_t *sig, size_t cap);
#line 30 "erimprov_erim.h"
#line 28 "erimprov.erim"
int ep_free(int handle);
#line 33 "erimprov_erim.h"

/* untrusted functions: implement these in the untrusted component;
 * trusted code reaches them through NAME_ocall */
#line 32 "erimprov.erim"
void ep_log(const char *line);
#line 39 "erimprov_erim.h"

#ifdef __cplusplus
}
#endif
#endif
