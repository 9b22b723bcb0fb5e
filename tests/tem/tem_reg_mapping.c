/* SPDX-License-Identifier: MIT */
/* tem_reg_mapping.c: mappings erim-tem cannot make independent of their
 * file refuse the registration.
 *
 *   shared : a trusted range on a MAP_SHARED file mapping.  The mapping
 *            follows its file: whoever can write the file (another fd, any
 *            process) changes the trusted memory, protection keys or not.
 *   sealed : a private file mapping sealed with mseal(2) (Linux 6.10+).
 *            erim-tem gives every private file mapping fresh anonymous
 *            pages at registration; a sealed one cannot be replaced, so it
 *            would stay the file's page.
 *
 * Usage: tem_reg_mapping shared|sealed refused|changed
 *   refused : under erim-tem: the registration fails with EPERM
 *   changed : without erim-tem: the registration answers ENOSYS, and a
 *             pwrite through another fd changes the bytes of the mapping
 * Exit 0: as expected; 77: the kernel has no mseal (printed, with a closing
 * line the VM runner counts as a skip). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_proto.h"

#ifndef SYS_mseal
#define SYS_mseal 462   /* x86-64, Linux >= 6.10 */
#endif

int main(int argc, char **argv)
{
	static struct tem_registration r;
	static uint8_t secret[4096] __attribute__((aligned(4096)));
	char path[64];
	uint8_t buf[4096];
	volatile uint8_t *m;
	int fd, want_refused, sealed, ok;
	long rc;

	if (argc != 3 || (strcmp(argv[1], "shared") && strcmp(argv[1], "sealed")) ||
	    (strcmp(argv[2], "refused") && strcmp(argv[2], "changed"))) {
		fprintf(stderr, "usage: %s shared|sealed refused|changed\n", argv[0]);
		return 2;
	}
	sealed = !strcmp(argv[1], "sealed");
	want_refused = !strcmp(argv[2], "refused");
	snprintf(path, sizeof path, "/tmp/tem_reg_mapping.%d", (int)getpid());
	memset(buf, 0x53, sizeof buf);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pwrite(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf)
		return 1;
	m = mmap(NULL, 4096, sealed ? PROT_READ : PROT_READ | PROT_WRITE, sealed ? MAP_PRIVATE : MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 1;
	if (sealed && syscall(SYS_mseal, (void *)m, 4096UL, 0UL) != 0) {
		int e = errno;

		printf("mseal: %s: the kernel cannot seal here\n", strerror(e));
		unlink(path);
		if (e != ENOSYS)
			return 1;
		printf("skipped: no mseal(2) (Linux 6.10+)\ntem_reg_mapping: 0 passed, 0 failed, 1 skipped\n");
		return 77;
	}
	memset(&r, 0, sizeof r);
	r.version = TEM_VERSION;
	r.pkey = -1;
	r.nranges = 1;
	/* shared: the mapping itself is the trusted range; sealed: a page of
	 * this program's .bss is, the sealed mapping is data trusted code reads */
	r.range[0].start = sealed ? (uintptr_t)secret : (uintptr_t)m;
	r.range[0].end = r.range[0].start + 4096;
	rc = syscall(TEM_NR_REGISTER, TEM_MAGIC, &r, sizeof r);
	printf("registration with %s: %s\n", sealed ? "a sealed private file mapping" : "a trusted range on a MAP_SHARED file mapping",
	       rc == TEM_REPLY ? "accepted" : strerror(errno));
	if (want_refused) {
		unlink(path);
		return rc == -1 && errno == EPERM ? 0 : 1;
	}
	memset(buf, 0x41, sizeof buf);
	ok = rc == -1 && errno == ENOSYS;
	fd = open(path, O_RDWR);
	unlink(path);
	if (fd < 0 || pwrite(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf)
		return 1;
	close(fd);
	printf("after a pwrite through another fd the mapping reads 0x%02x\n", m[0]);
	return ok && m[0] == 0x41 ? 0 : 1;
}
