/* SPDX-License-Identifier: MIT */
/* erim_procline.h: reading procfs text files (maps, smaps, status) a whole
 * line at a time, for liberim and erim-tem alike. */
#ifndef ERIM_PROCLINE_H
#define ERIM_PROCLINE_H

#include <stdio.h>
#include <string.h>

/* One line of F into LINE (at most SIZE-1 bytes; the rest of a longer line
 * is read and dropped), so a line is never split: the tail of a long one --
 * a path the tracee or the program chose, ending in text shaped like the
 * header of another mapping -- is never taken for a line of its own (red
 * team 14, rt_smaps_split: a hugetlbfs mapping's KernelPageSize was counted
 * for a fake mapping).  Every parse keys on the start of its line, which is
 * kept.  The kernel escapes a newline in a path (\012), so a line ends where
 * the mapping's text ends.  NULL at the end of the file or on an error
 * (ferror tells which). */
static inline char *erim_proc_line(char *line, size_t size, FILE *f)
{
	size_t n;
	int ch;

	if (!fgets(line, (int)size, f))
		return NULL;
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\n')
		return line;
	while ((ch = getc(f)) != EOF && ch != '\n')
		;
	return line;
}

#endif
