/* SPDX-License-Identifier: MIT */
/* atk_swapdev.c: storage that receives page contents.  Nothing keeps
 * trusted memory in RAM: under memory pressure the kernel writes a trusted
 * page to swap, and whoever reads the swap device (or the disk under a swap
 * file, or the swap file itself) with O_DIRECT reads the page past every
 * protection key; whoever writes the slot changes what trusted code reads
 * back (red team 14, rt_swap.c).  After registration untrusted code opens,
 * read-only, every block device node it finds in /dev (or only the
 * "file" swap areas of /proc/swaps with ATK_SWAP_ONLY=1) and reads a page
 * of the first one it gets; with ATK_SWAP_ONLY=hibernation it opens
 * /dev/snapshot and the /sys/power control files for writing (and writes
 * nothing: the guest only); with ATK_SWAP_ONLY=diskchar the character
 * devices that pass commands to a disk (/dev/nvme0, /dev/ng0n1, /dev/sgN,
 * the files of /dev/bsg).  Under erim-tem every such open is refused by
 * the identity of its result (S_ISBLK; an active swap file by device and
 * inode; /dev/snapshot by its numbers, /sys/power by inode, the disk
 * command devices by their sysfs class): EPERM.  Without erim-tem the
 * open and the read work.  Not
 * applicable where no block device (or swap file) is readable here -- a
 * user without the disk group natively: the VM suite runs it as root
 * (tem/vm_tem_swap.sh, with a scratch disk and a swap file on it). */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "atk_common.h"

static int tried, won, denied;

static void try_open_as(const char *path, int flags)
{
	const char *how = flags == O_WRONLY ? "O_WRONLY" : "O_RDONLY";
	char page[4096];
	ssize_t n;
	int fd;

	tried++;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		atk_say("open(%s, %s): %s", path, how, strerror(errno));
		denied += errno == EPERM;
		return;
	}
	if (flags == O_RDONLY) {
		n = pread(fd, page, sizeof page, 0);
		atk_say("open(%s, %s): accepted; pread of its first page: %zd", path, how, n);
	} else {
		atk_say("open(%s, %s): accepted (nothing written)", path, how);
	}
	close(fd);
	won = 1;
}

static void try_open(const char *path)
{
	try_open_as(path, O_RDONLY);
}

/* hibernation writes all of memory to swap: its control files and the
 * image device (opened, nothing written: /dev/snapshot's open only
 * prepares; in the guest only) */
static void try_hibernation(void)
{
	static const char *const ctl[] = { "/sys/power/state", "/sys/power/disk", "/sys/power/resume" };
	size_t i;

	if (access("/dev/snapshot", F_OK) == 0)
		try_open("/dev/snapshot");
	for (i = 0; i < sizeof ctl / sizeof ctl[0]; i++)
		if (access(ctl[i], F_OK) == 0)
			try_open_as(ctl[i], O_WRONLY);
}

/* the "file" lines of /proc/swaps (paths without escapes: the test's own) */
static void try_swapfiles(void)
{
	char line[4352], path[4096], type[32];
	FILE *f = fopen("/proc/swaps", "r");

	if (!f) {
		atk_say("/proc/swaps: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%4095s %31s", path, type) == 2 && strcmp(type, "file") == 0)
			try_open(path);
	fclose(f);
}

static void try_blockdevs(void)
{
	struct dirent *e;
	DIR *d = opendir("/dev");

	if (!d)
		return;
	while ((e = readdir(d)) != NULL && !won) {
		char path[300];
		struct stat st;

		snprintf(path, sizeof path, "/dev/%s", e->d_name);
		if (lstat(path, &st) == 0 && S_ISBLK(st.st_mode))
			try_open(path);
	}
	closedir(d);
}

/* character devices that pass commands to a disk: NVMe controllers and
 * generic namespace nodes, SCSI generic, bsg */
static void try_diskchars(void)
{
	static const char *const dirs[] = { "/dev", "/dev/bsg" };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct dirent *e;
		DIR *d = opendir(dirs[i]);

		if (!d)
			continue;
		while ((e = readdir(d)) != NULL) {
			char path[300];
			struct stat st;

			if (i == 0 && strncmp(e->d_name, "nvme", 4) != 0 && strncmp(e->d_name, "ng", 2) != 0 &&
			    strncmp(e->d_name, "sg", 2) != 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", dirs[i], e->d_name);
			if (lstat(path, &st) == 0 && S_ISCHR(st.st_mode) && strcmp(e->d_name, "nvme-fabrics") != 0)
				try_open(path);
		}
		closedir(d);
	}
}

static enum atk_result atk_attack(void)
{
	const char *only = getenv("ATK_SWAP_ONLY");

	if (only && strcmp(only, "hibernation") == 0) {
		try_hibernation();
	} else if (only && strcmp(only, "diskchar") == 0) {
		try_diskchars();
	} else {
		try_swapfiles();
		if (!(only && strcmp(only, "1") == 0))
			try_blockdevs();
	}
	atk_say("%d opened, %d refused with EPERM", tried, denied);
	if (won)
		return ATK_SUCCEEDED;
	if (!tried)
		atk_say("no %s here", only && strcmp(only, "1") == 0 ? "swap file"
		                       : only && strcmp(only, "hibernation") == 0 ? "hibernation interface (/dev/snapshot, /sys/power)"
		                       : only && strcmp(only, "diskchar") == 0 ? "disk command device (/dev/nvme*, /dev/ng*, /dev/sg*, /dev/bsg)"
		                       : "block device node in /dev");
	return atk_under_tem && denied ? ATK_REFUSED : ATK_NA;
}

static const char *atk_name = "atk_swapdev";
static int atk_needs_pku = 0;
