/* generated from shapes.erim by erimgen 0.1.0 — do not edit */
/* shapes_trusted.h: the trusted side of interface shapes: include it in
 * the trusted component. */
#ifndef SHAPES_TRUSTED_H
#define SHAPES_TRUSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* types declared in shapes.erim (shared by every header that uses them) */
#ifndef ERIM__TYPES_shapes_bf44ac04
#define ERIM__TYPES_shapes_bf44ac04
struct sh_point;
struct sh_poly;
#line 5 "shapes.erim"
enum sh_kind {
	SH_POINT,
	SH_LINE = 4,
	SH_POLY
};
#line 24 "shapes_trusted.h"
#line 6 "shapes.erim"
typedef uint32_t sh_id;
#line 27 "shapes_trusted.h"
#line 8 "shapes.erim"
struct sh_point {
	int32_t x;
	int32_t y;
};
#line 33 "shapes_trusted.h"
#line 13 "shapes.erim"
struct sh_poly {
	sh_id id;
	enum sh_kind kind;
	struct sh_point origin;
	uint8_t tag[4];
	uint32_t npts;
	struct sh_point *pts;
};
#line 43 "shapes_trusted.h"
#endif /* ERIM__TYPES_shapes_bf44ac04 */

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: implement these in the trusted component; they
 * receive trusted copies of every buffer */
#line 23 "shapes.erim"
struct sh_point sh_center_impl(const struct sh_poly *p);
#line 54 "shapes_trusted.h"
#line 24 "shapes.erim"
int sh_scale_impl(struct sh_poly *polys, size_t n, int32_t factor);
#line 57 "shapes_trusted.h"
#line 25 "shapes.erim"
void sh_ids_impl(sh_id *ids);
#line 60 "shapes_trusted.h"
#line 26 "shapes.erim"
int sh_fixed_impl(const uint8_t key[32], uint8_t mac[16]);
#line 63 "shapes_trusted.h"
#line 27 "shapes.erim"
int sh_lookup_impl(void *handle, const void *hint);
#line 66 "shapes_trusted.h"
#line 28 "shapes.erim"
long sh_hygiene_impl(const uint8_t *memcpy, size_t len, int args, int raw, int id, int st, int free, int malloc, const char *strlen);
#line 69 "shapes_trusted.h"

/* untrusted functions: call these proxies from trusted code; they run
 * NAME in the untrusted domain and validate what comes back */
#line 32 "shapes.erim"
void sh_progress_ocall(uint32_t done, uint32_t total);
#line 75 "shapes_trusted.h"

#ifdef __cplusplus
}
#endif
#endif
