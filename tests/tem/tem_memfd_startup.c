/* SPDX-License-Identifier: MIT */
/* tem_memfd_startup.c: start-up code and its own memory file under
 * erim-tem.  Start-up code (before registration) may not open its own
 * /proc/self/mem at all: an fd outlives the code that opened it (sent into a
 * socket queue, kept by a thread with an fd table of its own or by a
 * CLONE_VM twin: red teams 40, 41).  liberim reads execute-only code by
 * making it readable for the scan instead.
 *   rdonly : open read-only   -> exit 0 if refused (EPERM)
 *   rdwr   : open read-write  -> exit 0 if refused (EPERM)
 * Without erim-tem both opens work: exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, rdwr;

	if (argc != 2 || (strcmp(argv[1], "rdonly") && strcmp(argv[1], "rdwr"))) {
		fprintf(stderr, "usage: %s rdonly|rdwr\n", argv[0]);
		return 2;
	}
	rdwr = strcmp(argv[1], "rdwr") == 0;
	fd = open("/proc/self/mem", rdwr ? O_RDWR : O_RDONLY);
	printf("open(/proc/self/mem, %s) by start-up code: %s\n", rdwr ? "O_RDWR" : "O_RDONLY",
	       fd >= 0 ? "accepted" : strerror(errno));
	return fd < 0 && errno == EPERM ? 0 : 1;
}
