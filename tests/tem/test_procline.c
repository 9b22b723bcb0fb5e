/* SPDX-License-Identifier: MIT */
/* test_procline.c: erim_proc_line (common/erim_procline.h), the one reader
 * of procfs text files in erim-tem and liberim, never returns the tail of a
 * long line as a line of its own.
 *
 * Red team 14 (rt_smaps_split) named a hugetlbfs file so that byte 511 of
 * its smaps header line began "7f..-7f.. rw-s ...": fgets(line, 512) handed
 * that tail back as the next "line", a header of another mapping, and the
 * real mapping's KernelPageSize was counted for the fake one.  Here the same
 * shape is fed from memory (fmemopen): a 600-byte line whose bytes 511..
 * read like a mapping header, then a normal line.  erim_proc_line must give
 * exactly 2 lines, the first the start of the long one (cut, its rest
 * dropped), the second the normal line.  Control: plain fgets with the same
 * 512-byte buffer gives 3 lines, the middle one the fake header -- the bug
 * the reader exists for.  Also: lines of 510, 511 and 512 bytes around the
 * buffer's edge, a last line without a newline, a line that is only '\n'. */
#include <stdio.h>
#include <string.h>

#include "erim_check.h"
#include "erim_procline.h"

#define BUF 512
#define LONG_LEN 600
#define FAKE "7f0000000000-7f0000200000 rw-s 00000000 00:2f 5 /x"
#define NEXT "KernelPageSize:     2048 kB\n"

static char text[4096];
static size_t text_len;
static char got[8][BUF];
static int ngot;

/* the long line: a header start, a path of 'A's, FAKE at byte 511, then 'B's
 * up to LONG_LEN bytes, '\n'; then NEXT */
static void build_split_input(void)
{
	static const char head[] = "7f1234400000-7f1234600000 rw-s 00000000 00:2f 12345 /dev/hugepages/";
	size_t n = 0;

	memcpy(text, head, sizeof head - 1);
	n = sizeof head - 1;
	memset(text + n, 'A', 511 - n);
	n = 511;
	memcpy(text + n, FAKE, sizeof FAKE - 1);
	n += sizeof FAKE - 1;
	memset(text + n, 'B', LONG_LEN - n);
	n = LONG_LEN;
	text[n++] = '\n';
	memcpy(text + n, NEXT, sizeof NEXT - 1);
	n += sizeof NEXT - 1;
	text_len = n;
}

/* read TEXT with erim_proc_line (plain = 0) or fgets (plain = 1) into got[] */
static int read_all(int plain)
{
	FILE *f = fmemopen(text, text_len, "r");
	char line[BUF];
	char *r;

	ngot = 0;
	if (!f)
		return -1;
	while ((r = plain ? fgets(line, sizeof line, f) : erim_proc_line(line, sizeof line, f)) != NULL) {
		if (ngot < 8)
			snprintf(got[ngot], sizeof got[ngot], "%s", line);
		ngot++;
	}
	fclose(f);
	return ngot;
}

TEST(long_line_tail_is_not_a_line)
{
	build_split_input();
	REQUIRE(text_len == LONG_LEN + 1 + strlen(NEXT));
	REQUIRE(memcmp(text + 511, FAKE, strlen(FAKE)) == 0);
	CHECK(read_all(0) == 2, "erim_proc_line returned %d lines, want 2", ngot);
	REQUIRE(ngot >= 2);
	CHECK(strlen(got[0]) == BUF - 1, "first line is %zu bytes, want %d (cut at the buffer)", strlen(got[0]), BUF - 1);
	CHECK(memcmp(got[0], text, BUF - 1) == 0, "first line is not the long line's start: \"%.40s\"", got[0]);
	CHECK(strcmp(got[1], NEXT) == 0, "second line is \"%s\", want the normal line", got[1]);
	CHECK(strncmp(got[1], "7f0000000000-", 13) != 0, "the fake header came back as a line");
}

/* control: the reader erim-tem had (fgets, same buffer) splits the line */
TEST(control_fgets_returns_the_fake_header)
{
	build_split_input();
	CHECK(read_all(1) == 3, "fgets returned %d lines, want 3", ngot);
	REQUIRE(ngot >= 3);
	CHECK(strncmp(got[1], FAKE, strlen(FAKE)) == 0, "middle line is \"%.60s\", want the fake header", got[1]);
	CHECK(strcmp(got[2], NEXT) == 0, "third line is \"%s\", want the normal line", got[2]);
}

/* a line of LEN bytes (without its '\n'), then NEXT: always 2 lines, the
 * second NEXT -- a line that just fills the buffer must not eat the next */
static void edge(size_t len)
{
	memset(text, 'L', len);
	text[len] = '\n';
	memcpy(text + len + 1, NEXT, strlen(NEXT));
	text_len = len + 1 + strlen(NEXT);
	CHECK(read_all(0) == 2, "line of %zu bytes: %d lines, want 2", len, ngot);
	if (ngot >= 2)
		CHECK(strcmp(got[1], NEXT) == 0, "line of %zu bytes: second line \"%s\"", len, got[1]);
	CHECK(strlen(got[0]) == (len < BUF - 1 ? len + 1 : BUF - 1), "line of %zu bytes: first line %zu bytes", len,
	      strlen(got[0]));
}

TEST(lines_at_the_buffer_edge)
{
	edge(BUF - 2);   /* 510 + '\n' fits whole */
	edge(BUF - 1);   /* 511: fgets stops before the '\n' */
	edge(BUF);       /* 512 */
	edge(1);
	edge(0);         /* an empty line is a line */
}

TEST(last_line_without_newline)
{
	static const char t[] = "VmFlags: rd wr";

	memcpy(text, t, sizeof t - 1);
	text_len = sizeof t - 1;
	CHECK(read_all(0) == 1 && strcmp(got[0], t) == 0, "%d lines, first \"%s\"", ngot, ngot ? got[0] : "");
	/* a long last line without a newline: cut, and the end of the file */
	memset(text, 'Z', 700);
	text_len = 700;
	CHECK(read_all(0) == 1 && strlen(got[0]) == BUF - 1, "long last line: %d lines", ngot);
	/* a file of one empty line */
	text[0] = '\n';
	text_len = 1;
	CHECK(read_all(0) == 1 && strcmp(got[0], "\n") == 0, "one newline: %d lines", ngot);
}

int main(void)
{
	RUN(long_line_tail_is_not_a_line);
	RUN(control_fgets_returns_the_fake_header);
	RUN(lines_at_the_buffer_edge);
	RUN(last_line_without_newline);
	return check_done("test_procline");
}
