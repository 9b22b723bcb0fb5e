/* generated from gentest.erim by erimgen test — do not edit */
/* gentest_trusted.h: the trusted side of interface gentest: include it in
 * the trusted component. */
#ifndef GENTEST_TRUSTED_H
#define GENTEST_TRUSTED_H

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
#line 24 "gentest_trusted.h"
#line 3 "gentest.erim"
struct gt_blob {
	uint32_t tag;
	size_t len;
	uint8_t *data;
};
#line 31 "gentest_trusted.h"
#endif /* ERIM__TYPES_gentest */

#ifdef __cplusplus
extern "C" {
#endif

/* trusted functions: implement these in the trusted component; they
 * receive trusted copies of every buffer */
#line 10 "gentest.erim"
long gt_sum_impl(const uint8_t *buf, size_t len);
#line 42 "gentest_trusted.h"
#line 11 "gentest.erim"
long gt_sum_fatal_impl(const uint8_t *buf, size_t len);
#line 45 "gentest_trusted.h"
#line 12 "gentest.erim"
long gt_words_impl(const uint32_t *w, long n);
#line 48 "gentest_trusted.h"
#line 13 "gentest.erim"
long gt_records_impl(const void *rec, size_t n, size_t recsize);
#line 51 "gentest_trusted.h"
#line 14 "gentest.erim"
long gt_strlen_impl(const char *s);
#line 54 "gentest_trusted.h"
#line 15 "gentest.erim"
long gt_strlen_any_impl(const char *s);
#line 57 "gentest_trusted.h"
#line 16 "gentest.erim"
void gt_padded_out_impl(struct gt_padded *p);
#line 60 "gentest_trusted.h"
#line 17 "gentest.erim"
struct gt_padded gt_padded_ret_impl(void);
#line 63 "gentest_trusted.h"
#line 18 "gentest.erim"
void gt_out_untouched_impl(uint8_t *buf, size_t len);
#line 66 "gentest_trusted.h"
#line 19 "gentest.erim"
int gt_fill_impl(uint8_t *buf, size_t cap, size_t *n, size_t want);
#line 69 "gentest_trusted.h"
#line 20 "gentest.erim"
long gt_blob_in_impl(const struct gt_blob *b);
#line 72 "gentest_trusted.h"
#line 21 "gentest.erim"
long gt_blob_inout_impl(struct gt_blob *b, size_t n);
#line 75 "gentest_trusted.h"
#line 22 "gentest.erim"
void gt_upcase_impl(char *s, size_t len);
#line 78 "gentest_trusted.h"
#line 23 "gentest.erim"
void *gt_handle_impl(void *h, int *raw);
#line 81 "gentest_trusted.h"
#line 24 "gentest.erim"
long gt_call_get_impl(size_t cap);
#line 84 "gentest_trusted.h"
#line 25 "gentest.erim"
long gt_call_ptr_impl(void);
#line 87 "gentest_trusted.h"
#line 26 "gentest.erim"
long gt_call_allow_impl(void);
#line 90 "gentest_trusted.h"
#line 27 "gentest.erim"
long gt_call_log_impl(const char *s);
#line 93 "gentest_trusted.h"
#line 28 "gentest.erim"
long gt_private_impl(void);
#line 96 "gentest_trusted.h"
#line 29 "gentest.erim"
long gt_hygiene_impl(const uint8_t *memcpy, size_t len, int args, int raw, int id, int st, int i, int free, int malloc, const char *strlen);
#line 99 "gentest_trusted.h"

/* untrusted functions: call these proxies from trusted code; they run
 * NAME in the untrusted domain and validate what comes back */
#line 40 "gentest.erim"
int u_get_ocall(uint8_t *buf, size_t cap, size_t *n);
#line 105 "gentest_trusted.h"
#line 41 "gentest.erim"
char *u_ptr_ocall(void);
#line 108 "gentest_trusted.h"
#line 42 "gentest.erim"
long u_allow_ocall(void);
#line 111 "gentest_trusted.h"
#line 43 "gentest.erim"
int u_log_ocall(const char *line, int level);
#line 114 "gentest_trusted.h"

#ifdef __cplusplus
}
#endif
#endif
