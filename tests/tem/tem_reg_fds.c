/* SPDX-License-Identifier: MIT */
/* tem_reg_fds.c: fds start-up makes that would act on trusted memory after
 * registration.  A userfaultfd kept past the registration lets untrusted
 * code register trusted ranges and fill untouched trusted pages
 * (UFFDIO_COPY checks no key); a perf event samples trusted code's
 * registers.  Both act on the memory they were made for, whoever holds the
 * fd, so erim-tem refuses userfaultfd and perf_event_open to every caller,
 * start-up code too (red team 39: a fork child kept them past the
 * registration, which looked only at the registering process's fd
 * tables); a fd of that kind that exists anyway (a kernel or a launcher
 * that made it) still makes the registration fail.
 *   keep  : userfaultfd, keep it, register  -> exit 0 if either is refused (EPERM)
 *   close : userfaultfd, close it, register -> exit 0 if accepted
 *   thread: a thread with an fd table of its own (unshare(CLONE_FILES))
 *           makes the userfaultfd and keeps it while the main thread,
 *           whose table lacks it, registers -> exit 0 if either is refused
 *   fork  : userfaultfd and a perf event on the main thread, kept by a
 *           fork child K; the process closes its copies and registers
 *           -> exit 0 if no fd was made (EPERM) or the registration is refused
 * Without erim-tem the registration answers ENOSYS: keep and fork exit 1
 * (the controls).  Exit 77 when this kernel gives no userfaultfd for
 * another reason than a refusal (printed). */
#include <errno.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
	c = fd >= 0 ? 'y' : errno == EPERM ? 'r' : 'n';
	if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

/* fork mode: K, a fork child, keeps the fds; the process registers */
static int fork_keeper(void)
{
	struct perf_event_attr pe;
	long uf, pf, rc;
	int go[2], uerr, perr;
	pid_t k;
	char c;

	uf = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY);
	uerr = errno;
	memset(&pe, 0, sizeof pe);
	pe.size = sizeof pe;
	pe.type = PERF_TYPE_SOFTWARE;
	pe.config = PERF_COUNT_SW_TASK_CLOCK;
	pe.sample_period = 100000;
	pe.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_REGS_USER;
	pe.sample_regs_user = 0xff;
	pe.exclude_kernel = 1;
	pf = syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0);
	perr = errno;
	printf("start-up userfaultfd: %s; perf event on the main thread: %s\n", uf >= 0 ? "made" : strerror(uerr),
	       pf >= 0 ? "made" : strerror(perr));
	if (uf < 0 && pf < 0)
		return uerr == EPERM ? 0 : 77;   /* refused (erim-tem), or not here */
	if (pipe(go) != 0 || (k = fork()) < 0)
		return 2;
	if (k == 0) {   /* K keeps them until told */
		_exit(read(go[0], &c, 1) == 1 ? 0 : 2);
	}
	if (uf >= 0)
		close((int)uf);
	if (pf >= 0)
		close((int)pf);
	rc = tem_reg(-1, NULL, 0);
	printf("registration while fork child %d keeps them: %s\n", (int)k, rc == TEM_REPLY ? "ACCEPTED" : strerror(errno));
	(void)!write(go[1], "q", 1);
	waitpid(k, NULL, 0);
	return rc == -1 && errno == EPERM ? 0 : 1;
}

int main(int argc, char **argv)
{
	long fd, rc;
	int keep;

	if (argc != 2 || (strcmp(argv[1], "keep") != 0 && strcmp(argv[1], "close") != 0 &&
	                  strcmp(argv[1], "thread") != 0 && strcmp(argv[1], "fork") != 0))
		return 2;
	if (strcmp(argv[1], "thread") == 0) {
		pthread_t th;
		char c = 0;

		if (pipe(ready) != 0 || pipe(done) != 0 || pthread_create(&th, NULL, holder, NULL) != 0 ||
		    read(ready[0], &c, 1) != 1)
			return 2;
		if (c == 'r') {
			printf("a thread's own userfaultfd: refused (EPERM), none to keep\n");
			(void)!write(done[1], &c, 1);
			pthread_join(th, NULL);
			return 0;
		}
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
	if (strcmp(argv[1], "fork") == 0)
		return fork_keeper();
	keep = strcmp(argv[1], "keep") == 0;
	fd = syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY);
	if (fd < 0 && errno == EPERM) {
		printf("start-up userfaultfd: refused (EPERM), none to %s\n", keep ? "keep" : "close");
		if (keep)
			return 0;
		rc = tem_reg(-1, NULL, 0);
		printf("registration: %s\n", rc == TEM_REPLY ? "accepted" : strerror(errno));
		return rc == TEM_REPLY ? 0 : 1;
	}
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
