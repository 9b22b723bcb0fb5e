/* generated from shapes.erim by erimgen 0.1.0 — do not edit */
/* shapes_erim.h: the untrusted side of interface shapes: include it where
 * untrusted code calls the trusted component. */
#ifndef SHAPES_ERIM_H
#define SHAPES_ERIM_H

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
#line 24 "shapes_erim.h"
#line 6 "shapes.erim"
typedef uint32_t sh_id;
#line 27 "shapes_erim.h"
#line 8 "shapes.erim"
struct sh_point {
	int32_t x;
	int32_t y;
};
#line 33 "shapes_erim.h"
#line 13 "shapes.erim"
struct sh_poly {
	sh_id id;
	enum sh_kind kind;
	struct sh_point origin;
	uint8_t tag[4];
	uint32_t npts;
	struct sh_point *pts;
};
#line 43 "shapes_erim.h"
#endif /* ERIM__TYPES_shapes_bf44ac04 */

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: each call goes through a gate into the trusted
 * component (defined in the gates file) */
#line 23 "shapes.erim"
struct sh_point sh_center(const struct sh_poly *p);
#line 54 "shapes_erim.h"
#line 24 "shapes.erim"
int sh_scale(struct sh_poly *polys, size_t n, int32_t factor);
#line 57 "shapes_erim.h"
#line 25 "shapes.erim"
void sh_ids(sh_id *ids);
#line 60 "shapes_erim.h"
#line 26 "shapes.erim"
int sh_fixed(const uint8_t key[32], uint8_t mac[16]);
#line 63 "shapes_erim.h"
#line 27 "shapes.erim"
int sh_lookup(void *handle, const void *hint);
#line 66 "shapes_erim.h"
#line 28 "shapes.erim"
long sh_hygiene(const uint8_t *memcpy, size_t len, int args, int raw, int id, int st, int free, int malloc, const char *strlen);
#line 69 "shapes_erim.h"

/* untrusted functions: implement these in the untrusted component;
 * trusted code reaches them through NAME_ocall */
#line 32 "shapes.erim"
void sh_progress(uint32_t done, uint32_t total);
#line 75 "shapes_erim.h"

#ifdef __cplusplus
}
#endif
#endif
