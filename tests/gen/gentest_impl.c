/* SPDX-License-Identifier: MIT */
/* gentest_impl.c: the trusted side of the gentest interface (gen_handgen.c),
 * written like a real trusted component: it sees only the trusted copies the
 * gates made.  Some functions misbehave on request (leave padding or outputs
 * unwritten, report a filled count larger than the buffer) so the tests can
 * show the gates contain it; the requests come through arguments. */
#include <string.h>

#include "gentest_trusted.h"
#include "gentest_impl.h"

volatile long gt_impl_calls;   /* how often an impl ran (read by the tests) */

long gt_sum_impl(const uint8_t *buf, size_t len)
{
	long s = 0;

	gt_impl_calls++;
	for (size_t i = 0; i < len; i++)
		s += buf[i];
	return s;
}

long gt_sum_fatal_impl(const uint8_t *buf, size_t len)
{
	return gt_sum_impl(buf, len);
}

long gt_words_impl(const uint32_t *w, long n)
{
	long s = 0;

	gt_impl_calls++;
	for (long i = 0; i < n; i++)
		s += (long)w[i];
	return s;
}

long gt_records_impl(const void *rec, size_t n, size_t recsize)
{
	gt_impl_calls++;
	return gt_sum_impl(rec, n * recsize + 16);
}

long gt_strlen_impl(const char *s)
{
	gt_impl_calls++;
	return s ? (long)strlen(s) : -2;
}

long gt_strlen_any_impl(const char *s)
{
	return gt_strlen_impl(s);
}

/* Fill the whole struct with a marker first, as stale trusted data would be,
 * then set the members only: padding keeps the marker in trusted memory. */
void gt_padded_out_impl(struct gt_padded *p)
{
	memset(p, 0xAA, sizeof *p);
	p->c = 'c';
	p->q = 0x0102030405060708u;
	p->s = 7;
}

struct gt_padded gt_padded_ret_impl(void)
{
	struct gt_padded p;

	gt_padded_out_impl(&p);
	return p;
}

void gt_out_untouched_impl(uint8_t *buf, size_t len)
{
	(void)buf;
	(void)len;
	gt_impl_calls++;
}

int gt_fill_impl(uint8_t *buf, size_t cap, size_t *n, size_t want)
{
	for (size_t i = 0; i < want && i < cap; i++)
		buf[i] = (uint8_t)(0xB0 + i);
	*n = want;     /* may exceed cap on purpose */
	return 0;
}

long gt_blob_in_impl(const struct gt_blob *b)
{
	long s = 0;

	gt_impl_calls++;
	for (size_t i = 0; i < b->len; i++)
		s += b->data[i];
	return s + (long)b->tag * 1000000;
}

long gt_blob_inout_impl(struct gt_blob *b, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < b[k].len; i++)
			b[k].data[i] ^= 0xFF;
		b[k].tag += 1;
		b[k].len = 0;        /* a length member is never copied back */
		b[k].data = NULL;    /* neither is the pointer */
	}
	return (long)n;
}

void gt_upcase_impl(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 'a' + 'A');
}

void *gt_handle_impl(void *h, int *raw)
{
	(void)raw;
	return h;
}

long gt_call_get_impl(size_t cap)
{
	uint8_t buf[64];
	size_t n = 0;
	long s = 0;

	if (cap > sizeof buf)
		cap = sizeof buf;
	memset(buf, 0, sizeof buf);
	if (u_get_ocall(buf, cap, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		s += buf[i];
	return s * 1000 + (long)n;
}

long gt_call_ptr_impl(void)
{
	char *p = u_ptr_ocall();

	return p ? (long)strlen(p) : -1;
}

long gt_call_allow_impl(void)
{
	return u_allow_ocall();
}

long gt_call_log_impl(const char *s)
{
	return u_log_ocall(s, 3);
}

long gt_private_impl(void)
{
	return 42;
}

long gt_hygiene_impl(const uint8_t *memcpy_, size_t len, int args, int raw, int id, int st, int i,
                     int free_, int malloc_, const char *strlen_)
{
	return gt_sum_impl(memcpy_, len) + args + raw + id + st + i + free_ + malloc_ +
	       (long)strlen(strlen_);
}
