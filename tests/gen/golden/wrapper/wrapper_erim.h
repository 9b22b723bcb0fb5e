/* generated from wrapper.erim by erimgen 0.1.0 — do not edit */
/* wrapper_erim.h: the untrusted side of interface wrapper: include it where
 * untrusted code calls the trusted component. */
#ifndef WRAPPER_ERIM_H
#define WRAPPER_ERIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: call them by their own names and link with
 * `erimgen --print-link-flags`; the linker sends the calls to the
 * gates __wrap_NAME (in the gates file). */
#line 5 "wrapper.erim"
int ini_parse(const char *text, size_t len, char *out, size_t cap, size_t *used);
#line 22 "wrapper_erim.h"
#line 8 "wrapper.erim"
long ini_count(const char *section);
#line 25 "wrapper_erim.h"
#line 5 "wrapper.erim"
int __wrap_ini_parse(const char *text, size_t len, char *out, size_t cap, size_t *used);
#line 28 "wrapper_erim.h"
#line 8 "wrapper.erim"
long __wrap_ini_count(const char *section);
#line 31 "wrapper_erim.h"

/* untrusted functions: the untrusted library's own; trusted code
 * reaches them through __wrap_NAME -> __real_NAME (ld --wrap) */
#line 11 "wrapper.erim"
int app_warn(const char *msg, int line);
#line 37 "wrapper_erim.h"
#line 12 "wrapper.erim"
long app_read(uint8_t *buf, size_t cap, size_t *got);
#line 40 "wrapper_erim.h"
#line 11 "wrapper.erim"
int __real_app_warn(const char *msg, int line);
#line 43 "wrapper_erim.h"
#line 12 "wrapper.erim"
long __real_app_read(uint8_t *buf, size_t cap, size_t *got);
#line 46 "wrapper_erim.h"

#ifdef __cplusplus
}
#endif
#endif
