/* SPDX-License-Identifier: MIT */
/* tem_procargs.c: /proc/PID/cmdline and /proc/PID/environ read the
 * process's memory between the argument (environment) bounds of its mm,
 * through the kernel's remote access, which no protection key stops.
 * Start-up code lays the bounds over a page with prctl(PR_SET_MM,
 * PR_SET_MM_MAP) -- no capability needed -- registers the page, and
 * untrusted code preads it from /proc/self/environ or cmdline (red team
 * 42).  Under erim-tem PR_SET_MM is refused to every caller, start-up
 * included, so the bounds stay on the stack exec laid out.
 *   tem_procargs environ|cmdline
 * Exit 0 when the prctl or the registration is refused or the read does
 * not give the page, 1 when it does (the control without erim-tem), 2 on a
 * set-up error. */
#include <errno.h>
#include <fcntl.h>
#include <linux/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_reg.h"

static const char secret_text[] = "PROCARGS-SECRET-42";

/* the mm's fields as /proc/self/stat shows them (proc(5): 26-28, 45-51) */
static int mm_now(struct prctl_mm_map *m)
{
	char buf[4096], *p;
	unsigned long long f[52] = { 0 };
	int fd = open("/proc/self/stat", O_RDONLY), i;
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (!(p = strrchr(buf, ')')) || p[1] != ' ')
		return -1;
	p += 2;
	while (*p && *p != ' ')   /* field 3, the state */
		p++;
	for (i = 4; i <= 51; i++)
		f[i] = strtoull(p, &p, 10);
	memset(m, 0, sizeof *m);
	m->start_code = f[26];
	m->end_code = f[27];
	m->start_stack = f[28];
	m->start_data = f[45];
	m->end_data = f[46];
	m->start_brk = f[47];
	m->arg_start = f[48];
	m->arg_end = f[49];
	m->env_start = f[50];
	m->env_end = f[51];
	m->brk = (uint64_t)syscall(SYS_brk, 0);
	m->exe_fd = (uint32_t)-1;
	return 0;
}

int main(int argc, char **argv)
{
	struct prctl_mm_map m;
	char got[sizeof secret_text], *page;
	const char *file;
	int env, fd;
	long rc;
	ssize_t n;

	if (argc != 2 || (strcmp(argv[1], "environ") && strcmp(argv[1], "cmdline"))) {
		fprintf(stderr, "usage: %s environ|cmdline\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	env = strcmp(argv[1], "environ") == 0;
	file = env ? "/proc/self/environ" : "/proc/self/cmdline";
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || mm_now(&m) != 0)
		return 2;
	memcpy(page, secret_text, sizeof secret_text);
	if (env) {
		m.env_start = (uintptr_t)page;
		m.env_end = (uintptr_t)page + 4096;
	} else {
		m.arg_start = (uintptr_t)page;
		m.arg_end = (uintptr_t)page + 4096;
	}
	if (prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&m, sizeof m, 0) != 0) {
		printf("start-up prctl(PR_SET_MM_MAP) moving the %s bounds onto the page: %s\n", argv[1], strerror(errno));
		return errno == EPERM ? 0 : 2;
	}
	rc = tem_reg(-1, page, 4096);
	printf("registration: %s\n", rc == TEM_REPLY ? "accepted" : strerror(errno));
	if (rc == -1 && errno == EPERM)
		return 0;
	/* untrusted code from here */
	memset(got, 0, sizeof got);
	if ((fd = open(file, O_RDONLY)) < 0 || (n = pread(fd, got, sizeof got - 1, 0)) < 0) {
		printf("untrusted open/pread of %s: %s\n", file, strerror(errno));
		return 0;
	}
	printf("untrusted pread of %s: %zd bytes \"%.*s\"\n", file, n, (int)n, got);
	return n == (ssize_t)sizeof got - 1 && memcmp(got, secret_text, sizeof got - 1) == 0;
}
