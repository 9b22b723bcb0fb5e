/* SPDX-License-Identifier: MIT */
/* tem_shared_range.c: a trusted range on a shared mapping.  A MAP_SHARED
 * mapping follows its file: whoever can write the file (another fd, any
 * process) changes the trusted memory, protection keys or not.  erim-tem
 * refuses a registration that names such a range.
 *
 * Usage: tem_shared_range refused|changed
 *   refused : under erim-tem: the registration fails with EPERM
 *   changed : without erim-tem: the registration answers ENOSYS, and a
 *             pwrite through another fd changes the "trusted" bytes
 * Exit 0: as expected. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem_proto.h"

int main(int argc, char **argv)
{
	static struct tem_registration r;
	char path[64];
	uint8_t buf[4096];
	volatile uint8_t *m;
	int fd, want_refused, ok;
	long rc;

	if (argc != 2 || (strcmp(argv[1], "refused") && strcmp(argv[1], "changed"))) {
		fprintf(stderr, "usage: %s refused|changed\n", argv[0]);
		return 2;
	}
	want_refused = !strcmp(argv[1], "refused");
	snprintf(path, sizeof path, "/tmp/tem_shared_range.%d", (int)getpid());
	memset(buf, 0x53, sizeof buf);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pwrite(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf)
		return 1;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 1;
	memset(&r, 0, sizeof r);
	r.version = TEM_VERSION;
	r.pkey = -1;
	r.nranges = 1;
	r.range[0].start = (uintptr_t)m;
	r.range[0].end = (uintptr_t)m + 4096;
	rc = syscall(TEM_NR_REGISTER, TEM_MAGIC, &r, sizeof r);
	printf("registration of a trusted range on a MAP_SHARED file mapping: %s\n",
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
	printf("after a pwrite through another fd the trusted bytes read 0x%02x\n", m[0]);
	return ok && m[0] == 0x41 ? 0 : 1;
}
