/* SPDX-License-Identifier: MIT */
/* tem_log.c: erim-tem's messages, one line each on stderr, by level
 * (tem_log_level: 0 quiet, 1 refusals, 2 every decision). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "tem.h"

int tem_log_level = 1;

void tem_log(int level, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (level > tem_log_level)
		return;
	va_start(ap, fmt);
	fputs("erim-tem: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	errno = saved;
}
