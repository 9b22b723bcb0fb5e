/* generated from bench.erim by erimgen bench — do not edit */
/* genbench_trusted.h: the trusted side of interface genbench: include it in
 * the trusted component. */
#ifndef GENBENCH_TRUSTED_H
#define GENBENCH_TRUSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: implement these in the trusted component; they
 * receive trusted copies of every buffer */
#line 1 "bench.erim"
long gb_in_impl(const uint8_t *msg, size_t len);
#line 21 "_trusted.h"
#line 2 "bench.erim"
long gb_out_impl(uint8_t *buf, size_t len);
#line 24 "_trusted.h"

#ifdef __cplusplus
}
#endif
#endif
