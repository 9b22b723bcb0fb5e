/* generated from gentest.erim by erimgen test — do not edit */
/* gentest_erim.h: the untrusted side of interface gentest: include it where
 * untrusted code calls the trusted component. */
#ifndef GENTEST_ERIM_H
#define GENTEST_ERIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* types declared in gentest.erim (shared by every header that uses them) */
#ifndef ERIM__TYPES_gentest
#define ERIM__TYPES_gentest
struct gt_padded;
struct gt_blob;
#line 3 "gentest.erim"
struct gt_padded {
	char c;
	uint64_t q;
	short s;
};
#line 24 "gentest_erim.h"
#line 3 "gentest.erim"
struct gt_blob {
	uint32_t tag;
	size_t len;
	uint8_t *data;
};
#line 31 "gentest_erim.h"
#endif /* ERIM__TYPES_gentest */

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: each call goes through a gate into the trusted
 * component (defined in the gates file) */
#line 10 "gentest.erim"
long gt_sum(const uint8_t *buf, size_t len);
#line 42 "gentest_erim.h"
#line 11 "gentest.erim"
long gt_sum_fatal(const uint8_t *buf, size_t len);
#line 45 "gentest_erim.h"
#line 12 "gentest.erim"
long gt_words(const uint32_t *w, long n);
#line 48 "gentest_erim.h"
#line 13 "gentest.erim"
long gt_records(const void *rec, size_t n, size_t recsize);
#line 51 "gentest_erim.h"
#line 14 "gentest.erim"
long gt_strlen(const char *s);
#line 54 "gentest_erim.h"
#line 15 "gentest.erim"
long gt_strlen_any(const char *s);
#line 57 "gentest_erim.h"
#line 16 "gentest.erim"
void gt_padded_out(struct gt_padded *p);
#line 60 "gentest_erim.h"
#line 17 "gentest.erim"
struct gt_padded gt_padded_ret(void);
#line 63 "gentest_erim.h"
#line 18 "gentest.erim"
void gt_out_untouched(uint8_t *buf, size_t len);
#line 66 "gentest_erim.h"
#line 19 "gentest.erim"
int gt_fill(uint8_t *buf, size_t cap, size_t *n, size_t want);
#line 69 "gentest_erim.h"
#line 20 "gentest.erim"
long gt_blob_in(const struct gt_blob *b);
#line 72 "gentest_erim.h"
#line 21 "gentest.erim"
long gt_blob_inout(struct gt_blob *b, size_t n);
#line 75 "gentest_erim.h"
#line 22 "gentest.erim"
void gt_upcase(char *s, size_t len);
#line 78 "gentest_erim.h"
#line 23 "gentest.erim"
void *gt_handle(void *h, int *raw);
#line 81 "gentest_erim.h"
#line 24 "gentest.erim"
long gt_call_get(size_t cap);
#line 84 "gentest_erim.h"
#line 25 "gentest.erim"
long gt_call_ptr(void);
#line 87 "gentest_erim.h"
#line 26 "gentest.erim"
long gt_call_allow(void);
#line 90 "gentest_erim.h"
#line 27 "gentest.erim"
long gt_call_log(const char *s);
#line 93 "gentest_erim.h"
#line 28 "gentest.erim"
long gt_private(void);
#line 96 "gentest_erim.h"
#line 29 "gentest.erim"
long gt_hygiene(const uint8_t *memcpy, size_t len, int args, int raw, int id, int st, int i, int free, int malloc, const char *strlen);
#line 99 "gentest_erim.h"

/* untrusted functions: implement these in the untrusted component;
 * trusted code reaches them through NAME_ocall */
#line 40 "gentest.erim"
int u_get(uint8_t *buf, size_t cap, size_t *n);
#line 105 "gentest_erim.h"
#line 41 "gentest.erim"
char *u_ptr(void);
#line 108 "gentest_erim.h"
#line 42 "gentest.erim"
long u_allow(void);
#line 111 "gentest_erim.h"
#line 43 "gentest.erim"
int u_log(const char *line, int level);
#line 114 "gentest_erim.h"

#ifdef __cplusplus
}
#endif
#endif
