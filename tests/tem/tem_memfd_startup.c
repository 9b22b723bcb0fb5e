/* SPDX-License-Identifier: MIT */
/* tem_memfd_startup.c: start-up code and its own memory file under
 * erim-tem.  Start-up (before registration) may open its own
 * /proc/self/mem read-only (liberim reads execute-only code so), but not
 * read-write, and a registration is refused while such an fd is still open
 * (untrusted code would read trusted memory through it afterwards).
 *   keep   : open read-only, keep it, register  -> exit 0 if refused (EPERM)
 *   close  : open read-only, close it, register -> exit 0 if accepted
 *   rdwr   : open read-write                    -> exit 0 if refused (EPERM)
 * Without erim-tem every open works and registration answers ENOSYS. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_reg.h"

int main(int argc, char **argv)
{
	int fd;
	long rc;

	if (argc != 2)
		return 2;
	if (strcmp(argv[1], "rdwr") == 0) {
		fd = open("/proc/self/mem", O_RDWR);
		printf("open(/proc/self/mem, O_RDWR) by start-up code: %s\n", fd >= 0 ? "accepted" : strerror(errno));
		return fd < 0 && errno == EPERM ? 0 : 1;
	}
	fd = open("/proc/self/mem", O_RDONLY);
	printf("open(/proc/self/mem, O_RDONLY) by start-up code: %s\n", fd >= 0 ? "accepted" : strerror(errno));
	if (fd < 0)
		return 1;
	if (strcmp(argv[1], "close") == 0)
		close(fd);
	rc = tem_reg(-1, NULL, 0);
	printf("registration with the fd %s: %s\n", strcmp(argv[1], "close") == 0 ? "closed" : "open",
	       rc == TEM_REPLY ? "accepted" : strerror(errno));
	if (strcmp(argv[1], "close") == 0)
		return rc == TEM_REPLY ? 0 : 1;
	return rc == -1 && errno == EPERM ? 0 : 1;
}
