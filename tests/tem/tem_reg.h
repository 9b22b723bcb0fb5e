/* SPDX-License-Identifier: MIT */
/* tem_reg.h: the one-shot registration call liberim's erim_init makes
 * (common/tem_proto.h), for the test programs that play trusted start-up
 * without linking liberim (atk_common.h, tem_*.c). */
#ifndef TEM_REG_H
#define TEM_REG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_proto.h"

/* Register with trusted key PKEY (-1: none) and, when LEN is not 0, the one
 * trusted range [START, START + LEN).  The system call's answer: TEM_REPLY
 * when erim-tem accepted it, else -1 with errno (ENOSYS: not under
 * erim-tem).  RLIMIT_CORE becomes 1/1 first, as erim_init makes it. */
static inline long tem_reg(int pkey, const void *start, size_t len)
{
	struct tem_registration r;
	struct rlimit one = { 1, 1 };

	setrlimit(RLIMIT_CORE, &one);
	memset(&r, 0, sizeof r);
	r.version = TEM_VERSION;
	r.pkey = pkey;
	if (len) {
		r.nranges = 1;
		r.range[0].start = (uintptr_t)start;
		r.range[0].end = (uintptr_t)start + len;
	}
	return syscall(TEM_NR_REGISTER, TEM_MAGIC, &r, sizeof r);
}

/* The path of this program (/proc/self/exe) into BUF: 0, or -1. */
static inline int tem_self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	return 0;
}

#endif /* TEM_REG_H */
