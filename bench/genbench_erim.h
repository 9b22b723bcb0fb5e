/* generated from bench.erim by erimgen bench — do not edit */
/* genbench_erim.h: the untrusted side of interface genbench: include it where
 * untrusted code calls the trusted component. */
#ifndef GENBENCH_ERIM_H
#define GENBENCH_ERIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: each call goes through a gate into the trusted
 * component (defined in the gates file) */
#line 1 "bench.erim"
long gb_in(const uint8_t *msg, size_t len);
#line 21 "_erim.h"
#line 2 "bench.erim"
long gb_out(uint8_t *buf, size_t len);
#line 24 "_erim.h"

#ifdef __cplusplus
}
#endif
#endif
