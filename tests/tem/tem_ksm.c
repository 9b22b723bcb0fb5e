/* SPDX-License-Identifier: MIT */
/* tem_ksm.c: KSM as an oracle on trusted pages (red team 44).  KSM merges
 * identical pages of mergeable mappings, comparing them with no protection
 * key, and /proc/self/pagemap shows a merge: untrusted code that makes a
 * trusted page mergeable and maps 256 guesses learns a trusted byte.  Three
 * ways a trusted page becomes mergeable, each refused under erim-tem:
 *   prctl   : untrusted code calls prctl(PR_SET_MEMORY_MERGE, 1) (every
 *             mapping, trusted ones included).  Exit 0 when refused (EPERM).
 *   inherit TEM|- : a launcher turns merge-any on and execs erim-tem (or,
 *             "-", the program alone): the flag survives exec.  Exit 0 when
 *             the program finds it off.
 *   madvise : start-up makes a page MADV_MERGEABLE, then registers it.
 *             Exit 0 when the registration is refused (EPERM).
 * Without erim-tem each exits 1 (the control); 77 on a kernel before 6.4
 * (no PR_SET_MEMORY_MERGE).  KSM itself need not run: the tests stop at the
 * step that would let it compare a trusted page. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem_reg.h"

#define SET_MERGE 67   /* PR_SET_MEMORY_MERGE, Linux 6.4 */
#define GET_MERGE 68   /* PR_GET_MEMORY_MERGE */

static int has_merge(void)
{
	if (prctl(GET_MERGE, 0, 0, 0, 0) >= 0)
		return 1;
	printf("skip: no PR_GET_MEMORY_MERGE here (%s; Linux 6.4)\n", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	char self[512];
	long rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "check") == 0) {
		/* the exec'd program of the inherit mode */
		int on = prctl(GET_MERGE, 0, 0, 0, 0);

		printf("the program starts with KSM merge-any %s\n", on > 0 ? "ON" : "off");
		return on > 0 ? 1 : 0;
	}
	if (argc == 2 && strcmp(argv[1], "prctl") == 0) {
		if (!has_merge())
			return 77;
		rc = tem_reg(-1, NULL, 0);
		printf("registration: %s\n", rc == TEM_REPLY ? "accepted" : strerror(errno));
		rc = prctl(SET_MERGE, 1, 0, 0, 0);   /* untrusted code from here */
		printf("untrusted prctl(PR_SET_MEMORY_MERGE, 1): %s\n", rc == 0 ? "accepted" : strerror(errno));
		return rc == -1 && errno == EPERM ? 0 : 1;
	}
	if (argc == 3 && strcmp(argv[1], "inherit") == 0) {
		pid_t p;
		int st;

		if (!has_merge() || tem_self_exe(self, sizeof self) != 0)
			return has_merge() ? 2 : 77;
		if (prctl(SET_MERGE, 1, 0, 0, 0) != 0) {
			printf("launcher: PR_SET_MEMORY_MERGE: %s\n", strerror(errno));
			return 2;
		}
		fflush(stdout);
		if ((p = fork()) == 0) {
			if (strcmp(argv[2], "-") == 0)
				execl(self, self, "check", (char *)NULL);
			else
				execl(argv[2], argv[2], self, "check", (char *)NULL);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
			return 2;
		return WEXITSTATUS(st);
	}
	if (argc == 2 && strcmp(argv[1], "madvise") == 0) {
		char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (page == MAP_FAILED)
			return 2;
		memset(page, 0x5a, 4096);
		if (madvise(page, 4096, MADV_MERGEABLE) != 0) {
			printf("skip: MADV_MERGEABLE: %s (a kernel without KSM)\n", strerror(errno));
			return errno == EINVAL ? 77 : 2;
		}
		rc = tem_reg(-1, page, 4096);
		printf("registration of a MADV_MERGEABLE page: %s\n", rc == TEM_REPLY ? "ACCEPTED" : strerror(errno));
		return rc == -1 && errno == EPERM ? 0 : 1;
	}
	fprintf(stderr, "usage: %s prctl | inherit ERIM-TEM|- | madvise\n", argv[0]);
	return 2;
}
