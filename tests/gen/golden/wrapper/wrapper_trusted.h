/* generated from wrapper.erim by erimgen 0.1.0 — do not edit */
/* wrapper_trusted.h: the trusted side of interface wrapper: include it in
 * the trusted component. */
#ifndef WRAPPER_TRUSTED_H
#define WRAPPER_TRUSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: the isolated library's own definitions, reached
 * by the gates as __real_NAME (ld --wrap) */
#line 5 "wrapper.erim"
int __real_ini_parse(const char *text, size_t len, char *out, size_t cap, size_t *used);
#line 21 "wrapper_trusted.h"
#line 8 "wrapper.erim"
long __real_ini_count(const char *section);
#line 24 "wrapper_trusted.h"

/* untrusted functions: trusted code calls them by their own names;
 * the linker sends the calls to the proxies __wrap_NAME, which run
 * __real_NAME in the untrusted domain */
#line 11 "wrapper.erim"
int app_warn(const char *msg, int line);
#line 31 "wrapper_trusted.h"
#line 12 "wrapper.erim"
long app_read(uint8_t *buf, size_t cap, size_t *got);
#line 34 "wrapper_trusted.h"
#line 11 "wrapper.erim"
int __wrap_app_warn(const char *msg, int line);
#line 37 "wrapper_trusted.h"
#line 12 "wrapper.erim"
long __wrap_app_read(uint8_t *buf, size_t cap, size_t *got);
#line 40 "wrapper_trusted.h"

#ifdef __cplusplus
}
#endif
#endif
