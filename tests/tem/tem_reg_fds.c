/* SPDX-License-Identifier: MIT */
/* tem_reg_fds.c: fds start-up makes that would act on trusted memory after
 * registration.  A userfaultfd made by start-up code (allowed: start-up is
 * trusted) and kept would let untrusted code register trusted ranges and
 * fill untouched trusted pages later (UFFDIO_COPY checks no key); erim-tem
 * refuses the registration while the process holds one (as it does for
 * io_uring, perf, BPF and fanotify fds and /dev/userfaultfd).
 *   keep  : userfaultfd, keep it, register  -> exit 0 if refused (EPERM)
 *   close : userfaultfd, close it, register -> exit 0 if accepted
 * Without erim-tem the registration answers ENOSYS: keep exits 1 (the
 * control).  Exit 77 when this kernel gives no userfaultfd (the reason is
 * printed). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_reg.h"

#define UFFD_USER_MODE_ONLY 1   /* <linux/userfaultfd.h>, Linux 5.11: no privilege needed */

int main(int argc, char **argv)
{
	long fd, rc;
	int keep;

	if (argc != 2 || (strcmp(argv[1], "keep") != 0 && strcmp(argv[1], "close") != 0))
		return 2;
	keep = strcmp(argv[1], "keep") == 0;
	fd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY);
	if (fd < 0) {
		printf("skip: userfaultfd(UFFD_USER_MODE_ONLY): %s\n", strerror(errno));
		return 77;
	}
	if (!keep)
		close((int)fd);
	rc = tem_reg(-1, NULL, 0);
	printf("registration with a start-up userfaultfd %s: %s\n", keep ? "open" : "closed",
	       rc == TEM_REPLY ? "accepted" : strerror(errno));
	if (!keep)
		return rc == TEM_REPLY ? 0 : 1;
	return rc == -1 && errno == EPERM ? 0 : 1;
}
