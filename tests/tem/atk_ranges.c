/* SPDX-License-Identifier: MIT */
/* atk_ranges.c: calls whose arguments name less memory than the kernel
 * really changes (any one accepted = success):
 *  - mprotect(PROT_EXEC|PROT_GROWSDOWN) of the top page of a grows-down
 *    mapping: the kernel makes the whole mapping executable, down to a WRPKRU
 *    in its bottom page;
 *  - mmap(len=1) of a file page whose byte 100 starts a WRPKRU: one byte is
 *    asked for, a whole executable page is mapped;
 *  - shmat(SHM_REMAP) of a two-page segment one page below the secret: the
 *    address is not trusted, the segment's second page replaces the secret;
 *  - shmat(SHM_REMAP) one page below the secret of an id with no segment
 *    (yet): erim-tem read the size by the id and let the call through when
 *    there was none, and any process of the user could bind the id to a
 *    segment before the kernel looked it up (red team 62, shmrace: a forked
 *    child won that race and the segment replaced the trusted stacks and
 *    the gates' PKRU page).  Reaching the kernel (EINVAL) is the success:
 *    the decision was made on a name the attacker can rebind. */
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "atk_common.h"

static const uint8_t wrpkru[] = { 0x0f, 0x01, 0xef, 0xc3 };

static int is_exec(const void *addr)
{
	char line[256];
	FILE *f = fopen("/proc/self/maps", "re");
	int x = 0;
	unsigned long s, e;
	char p[5];

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 && (uintptr_t)addr >= s && (uintptr_t)addr < e)
			x = p[2] == 'x';
	if (f)
		fclose(f);
	return x;
}

static int growsdown(void)
{
	uint8_t *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);

	if (m == MAP_FAILED)
		return 0;
	memcpy(m + 64, wrpkru, sizeof wrpkru);
	if (mprotect(m + 4096, 4096, PROT_READ | PROT_EXEC | PROT_GROWSDOWN) != 0) {
		atk_say("mprotect(RX|GROWSDOWN) of the top page: %s", strerror(errno));
		return 0;
	}
	atk_say("mprotect(RX|GROWSDOWN) accepted; bottom page (WRPKRU) executable: %s", is_exec(m) ? "yes" : "no");
	return is_exec(m);
}

static int one_byte_file(void)
{
	char name[] = "/tmp/atk_ranges_XXXXXX";
	uint8_t page[4096] = { 0 };
	int fd = mkstemp(name);
	void *m;

	if (fd < 0)
		return 0;
	page[0] = 0xc3;
	memcpy(page + 100, wrpkru, sizeof wrpkru);
	if (write(fd, page, sizeof page) != (ssize_t)sizeof page)
		return close(fd), unlink(name), 0;
	close(fd);
	chmod(name, 0644);
	fd = open(name, O_RDONLY);
	m = mmap(NULL, 1, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	unlink(name);
	if (m == MAP_FAILED) {
		atk_say("mmap(len=1, RX) of the file page: %s", strerror(errno));
		return 0;
	}
	atk_say("mmap(len=1, RX) accepted: WRPKRU at byte 100 is executable: %s",
	        memcmp((uint8_t *)m + 100, wrpkru, sizeof wrpkru) == 0 && is_exec(m) ? "yes" : "no");
	return is_exec(m);
}

static int shm_remap(void)
{
	int id = shmget(IPC_PRIVATE, 2 * 4096, IPC_CREAT | 0600);
	void *m;

	if (id < 0)
		return 0;
	m = shmat(id, atk_secret - 4096, SHM_REMAP);
	shmctl(id, IPC_RMID, NULL);
	if (m == (void *)-1) {
		atk_say("shmat(SHM_REMAP) one page below the secret: %s", strerror(errno));
		return 0;
	}
	atk_say("shmat(SHM_REMAP) accepted: the secret's page is now shared memory");
	return 1;
}

static int shm_remap_late(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	void *m;

	if (id < 0 || shmctl(id, IPC_RMID, NULL) != 0)
		return 0;
	/* the id names no segment now; an attacker's child creates one there */
	m = shmat(id, atk_secret - 4096, SHM_REMAP);
	if (m != (void *)-1) {
		atk_say("shmat(SHM_REMAP) of a removed id accepted");
		return 1;
	}
	atk_say("shmat(SHM_REMAP) of an id with no segment, one page below the secret: %s%s",
	        strerror(errno), errno == EPERM ? "" : " (the call reached the kernel: a segment "
	        "bound to the id in between would have replaced the secret's page)");
	return errno != EPERM;
}

static enum atk_result atk_attack(void)
{
	int won = 0, all = 1, r;

#define VARIANT(x) (r = (x), won |= r, all &= r)
	VARIANT(growsdown());
	VARIANT(one_byte_file());
	VARIANT(shm_remap());
	VARIANT(shm_remap_late());
	if (atk_expect == ATK_SUCCEEDED && won && !all)
		return ATK_ERROR;   /* the control run shows every variant works */
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_ranges";
static int atk_needs_pku = 0;
