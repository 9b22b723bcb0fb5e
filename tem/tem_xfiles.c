/* SPDX-License-Identifier: MIT */
/* tem_xfiles.c: the exec-file registry.  Every file whose bytes are
 * executable in some tracee (mapped by start-up code, or granted after
 * inspection).  Untrusted code may not open one of
 * them for writing: otherwise it could change the bytes behind a MAP_PRIVATE
 * mapping after they were inspected. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tem.h"

static struct { dev_t dev; ino_t ino; } *xfiles;
static size_t nxfiles, capxfiles;

int tem_execfile_known(dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < nxfiles; i++)
		if (xfiles[i].dev == dev && xfiles[i].ino == ino)
			return 1;
	return 0;
}

void tem_execfile_add(dev_t dev, ino_t ino)
{
	if (tem_execfile_known(dev, ino))
		return;
	if (nxfiles == capxfiles) {
		size_t ncap = capxfiles ? 2 * capxfiles : 64;
		void *n = realloc(xfiles, ncap * sizeof *xfiles);

		if (!n) {
			fprintf(stderr, "erim-tem: out of memory\n");
			exit(125);
		}
		xfiles = n;
		capxfiles = ncap;
	}
	xfiles[nxfiles].dev = dev;
	xfiles[nxfiles].ino = ino;
	nxfiles++;
}
