/* SPDX-License-Identifier: MIT */
/* erim_proc.c: what erim_init reads from /proc about the process itself.
 * A leaf of the runtime (it calls nothing of liberim), shared by the two
 * refusals that count threads: erim_precheck.c (the caller must be alone)
 * and erim_rseq.c (no other thread may have an rseq area registered). */
#include "config.h"

#include <dirent.h>

#include "erim_internal.h"

int erim__thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}
