/* SPDX-License-Identifier: MIT */
/* tem_syscall.c: make one raw system call, NR with no arguments, and say
 * what came back: exit 0 when it ran (any result but ENOSYS), 1 for ENOSYS,
 * 2 for a usage error.  native_policy.sh uses it to show that a number
 * without a row in erim-tem's table is refused (and runs without erim-tem). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long nr, r;

	if (argc != 2 || (nr = strtol(argv[1], &end, 0)) < 0 || *end) {
		fprintf(stderr, "usage: %s NR\n", argv[0]);
		return 2;
	}
	r = syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
	printf("syscall %ld: %ld (%s)\n", nr, r, r < 0 ? strerror(errno) : "ok");
	return r < 0 && errno == ENOSYS ? 1 : 0;
}
