/* generated from erimprov.erim by erimgen 0.1.0 — do not edit */
/* erimprov_trusted.h: the trusted side of interface erimprov: include it in
 * the trusted component. */
#ifndef ERIMPROV_TRUSTED_H
#define ERIMPROV_TRUSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: implement these in the trusted component; they
 * receive trusted copies of every buffer */
#line 14 "erimprov.erim"
int ep_load_impl(const char *path);
#line 21 "erimprov_trusted.h"
#line 17 "erimprov.erim"
int ep_info_impl(int handle, uint32_t *info);
#line 24 "erimprov_trusted.h"
#line 20 "erimprov.erim"
int ep_public_impl(int handle, uint8_t *buf, size_t cap);
#line 27 "erimprov_trusted.h"
#line 24 "erimprov.erim"
int ep_sign_impl(int handle, int alg, int hash, int saltlen, const uint8_t *tbs, size_t len, uint8_t *sig, size_t cap);
#line 30 "erimprov_trusted.h"
#line 28 "erimprov.erim"
int ep_free_impl(int handle);
#line 33 "erimprov_trusted.h"

/* untrusted functions: call these proxies from trusted code; they run
 * NAME in the untrusted domain and validate what comes back */
#line 32 "erimprov.erim"
void ep_log_ocall(const char *line);
#line 39 "erimprov_trusted.h"

#ifdef __cplusplus
}
#endif
#endif
