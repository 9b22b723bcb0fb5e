/* SPDX-License-Identifier: MIT */
/* atk_hugepage_reach.c: calls that name one 4 KiB page next to the secret
 * but work on huge pages, so the kernel replaces the whole 2 MiB page the
 * secret lies in (any one accepted and reaching the secret = success):
 *  - mmap(MAP_FIXED|MAP_ANONYMOUS|MAP_HUGETLB) of 4 KiB;
 *  - mmap(MAP_FIXED|MAP_SHARED) of 4 KiB of a memfd_create(MFD_HUGETLB) file
 *    (an fd on hugetlbfs, no MAP_HUGETLB flag);
 *  - shmat(SHM_REMAP) of a 4 KiB SHM_HUGETLB segment (IPC_STAT says 4 KiB,
 *    the kernel attaches 2 MiB);
 *  - mremap(MREMAP_FIXED) of 4 KiB of a hugetlb mapping (the kernel moves the
 *    whole huge page).
 *
 * Start-up moves the secret to the third page of a 2 MiB-aligned block of
 * ordinary memory, so the first page of the block is untrusted memory in
 * the same huge page.  Huge pages must be reserved: with
 * ERIM_TEST_HUGEPAGES=1 (set in the guest only, never on a host) start-up
 * writes /proc/sys/vm/nr_hugepages; without reserved huge pages the row is
 * not applicable (a skip that says so). */
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define ATK_STARTUP huge_startup
#include "atk_common.h"

#define HUGE2M (2ul << 20)
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004u
#endif
#ifndef SHM_HUGETLB
#define SHM_HUGETLB 04000
#endif

static uint8_t *block;   /* 2 MiB aligned; the secret at block + 8 KiB */

static void huge_startup(void)
{
	uint8_t *r, *old = atk_secret;
	const char *want = getenv("ERIM_TEST_HUGEPAGES");
	int fd;

	if (want && strcmp(want, "1") == 0 && (fd = open("/proc/sys/vm/nr_hugepages", O_WRONLY)) >= 0) {
		if (write(fd, "16", 2) != 2)
			atk_say("could not reserve huge pages: %s", strerror(errno));
		close(fd);
	}
	r = mmap(NULL, 2 * HUGE2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return;
	block = (uint8_t *)(((uintptr_t)r + HUGE2M - 1) & ~(HUGE2M - 1));
	/* the key travels with the mapping */
	if (mremap(old, ATK_SECRET_LEN, ATK_SECRET_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, block + 8192) == MAP_FAILED) {
		block = NULL;
		return;
	}
	atk_secret = block + 8192;
}

/* Ordinary memory in the block and the secret again (control run: after a
 * variant replaced it). */
static void restore(void)
{
	munmap(block, HUGE2M);
	if (mmap(block, HUGE2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return;
	if (atk_pkey > 0)
		syscall(SYS_pkey_mprotect, atk_secret, ATK_SECRET_LEN, PROT_READ | PROT_WRITE, atk_pkey);
	atk_trusted();
	memset(atk_secret, ATK_SECRET_BYTE, ATK_SECRET_LEN);
	atk_untrusted();
}

/* The call returned MAPPED: did it reach the secret? */
static int reached(const char *what, void *mapped)
{
	int hit;

	if (mapped == MAP_FAILED || mapped == (void *)-1) {
		atk_say("%s: %s", what, strerror(errno));
		return 0;
	}
	hit = !atk_secret_intact();
	atk_say("%s: mapped at %p; the secret 8 KiB further is %s", what, mapped, hit ? "replaced" : "intact");
	if (hit)
		restore();
	return hit;
}

static int v_map_hugetlb(void)
{
	return reached("mmap(4 KiB, MAP_FIXED|MAP_HUGETLB) at the block",
	               mmap(block, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_HUGETLB, -1, 0));
}

static int v_hugetlbfs_fd(void)
{
	int fd = (int)syscall(SYS_memfd_create, "atk_huge", MFD_HUGETLB);
	void *m;

	if (fd < 0 || ftruncate(fd, (off_t)HUGE2M) != 0) {
		atk_say("memfd_create(MFD_HUGETLB): %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	m = mmap(block, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	close(fd);
	return reached("mmap(4 KiB, MAP_FIXED) of a hugetlbfs fd at the block", m);
}

static int v_shm_hugetlb(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | SHM_HUGETLB | 0600);
	void *m;

	if (id < 0) {
		atk_say("shmget(4 KiB, SHM_HUGETLB): %s", strerror(errno));
		return 0;
	}
	m = shmat(id, block, SHM_REMAP);
	shmctl(id, IPC_RMID, NULL);
	return reached("shmat(4 KiB SHM_HUGETLB segment, SHM_REMAP) at the block", m);
}

static int v_mremap_hugetlb(void)
{
	void *h = mmap(NULL, HUGE2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	void *m;

	if (h == MAP_FAILED) {
		atk_say("mmap(MAP_HUGETLB): %s", strerror(errno));
		return 0;
	}
	m = mremap(h, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, block);
	if (m == MAP_FAILED)
		munmap(h, HUGE2M);
	return reached("mremap(4 KiB of a hugetlb mapping, MREMAP_FIXED) to the block", m);
}

static enum atk_result atk_attack(void)
{
	int won = 0, all = 1, r;
	void *probe;

	if (!block) {
		atk_say("start-up could not move the secret into a 2 MiB block");
		return ATK_ERROR;
	}
	/* huge pages at all?  (no MAP_FIXED: nothing replaced, never judged) */
	probe = mmap(NULL, HUGE2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (probe == MAP_FAILED) {
		atk_say("no 2 MiB huge page can be mapped here (%s): reserve some in vm.nr_hugepages "
		        "(the VM suite does, with ERIM_TEST_HUGEPAGES=1)", strerror(errno));
		return ATK_NA;
	}
	munmap(probe, HUGE2M);
#define VARIANT(x) (r = (x), won |= r, all &= r)
	VARIANT(v_map_hugetlb());
	VARIANT(v_hugetlbfs_fd());
	VARIANT(v_shm_hugetlb());
	VARIANT(v_mremap_hugetlb());
	if (atk_expect == ATK_SUCCEEDED && won && !all)
		return ATK_ERROR;   /* the control run shows every variant works */
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_hugepage_reach";
static int atk_needs_pku = 0;
