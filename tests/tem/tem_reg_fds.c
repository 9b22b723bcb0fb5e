/* SPDX-License-Identifier: MIT */
/* tem_reg_fds.c: fds start-up makes that would act on trusted memory after
 * registration.  A userfaultfd made by start-up code (allowed: start-up is
 * trusted) and kept would let untrusted code register trusted ranges and
 * fill untouched trusted pages later (UFFDIO_COPY checks no key); erim-tem
 * refuses the registration while the process holds one (as it does for
 * io_uring, perf, BPF and fanotify fds and /dev/userfaultfd).
 *   keep  : userfaultfd, keep it, register  -> exit 0 if refused (EPERM)
 *   close : userfaultfd, close it, register -> exit 0 if accepted
 *   thread: a thread with an fd table of its own (unshare(CLONE_FILES))
 *           makes the userfaultfd and keeps it while the main thread,
 *           whose table lacks it, registers -> exit 0 if refused (EPERM)
 * Without erim-tem the registration answers ENOSYS: keep exits 1 (the
 * control).  Exit 77 when this kernel gives no userfaultfd (the reason is
 * printed). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_reg.h"

#define UFFD_USER_MODE_ONLY 1   /* <linux/userfaultfd.h>, Linux 5.11: no privilege needed */

static int ready[2], done[2];

/* thread mode: its own fd table, a userfaultfd in it, kept until told */
static void *holder(void *arg)
{
	long fd = -1;
	char c = 0;

	(void)arg;
	if (syscall(SYS_unshare, CLONE_FILES) == 0)
		fd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY);
	c = fd >= 0 ? 'y' : 'n';
	if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

int main(int argc, char **argv)
{
	long fd, rc;
	int keep;

	if (argc != 2 || (strcmp(argv[1], "keep") != 0 && strcmp(argv[1], "close") != 0 &&
	                  strcmp(argv[1], "thread") != 0))
		return 2;
	if (strcmp(argv[1], "thread") == 0) {
		pthread_t th;
		char c = 0;

		if (pipe(ready) != 0 || pipe(done) != 0 || pthread_create(&th, NULL, holder, NULL) != 0 ||
		    read(ready[0], &c, 1) != 1)
			return 2;
		if (c != 'y') {
			printf("skip: a thread's own userfaultfd (unshare(CLONE_FILES), userfaultfd): not available\n");
			return 77;
		}
		rc = tem_reg(-1, NULL, 0);
		printf("registration with a userfaultfd in a thread's own fd table: %s\n",
		       rc == TEM_REPLY ? "accepted" : strerror(errno));
		(void)!write(done[1], &c, 1);
		pthread_join(th, NULL);
		return rc == -1 && errno == EPERM ? 0 : 1;
	}
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
