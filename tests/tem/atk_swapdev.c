/* SPDX-License-Identifier: MIT */
/* atk_swapdev.c: storage that receives page contents.  Nothing keeps
 * trusted memory in RAM: under memory pressure the kernel writes a trusted
 * page to swap, and whoever reads the swap device (or the disk under a swap
 * file, or the swap file itself) with O_DIRECT reads the page past every
 * protection key; whoever writes the slot changes what trusted code reads
 * back (red team 14, rt_swap.c).  After registration untrusted code opens,
 * read-only, every block device node it finds in /dev (or only the
 * "file" swap areas of /proc/swaps with ATK_SWAP_ONLY=1) and reads a page
 * of the first one it gets.  Under erim-tem every such open is refused by
 * the identity of its result (S_ISBLK; an active swap file by device and
 * inode): EPERM.  Without erim-tem the open and the read work.  Not
 * applicable where no block device (or swap file) is readable here -- a
 * user without the disk group natively: the VM suite runs it as root
 * (tem/vm_tem_swap.sh, with a scratch disk and a swap file on it). */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "atk_common.h"

static int tried, won, denied;

static void try_open(const char *path)
{
	char page[4096];
	ssize_t n;
	int fd;

	tried++;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		atk_say("open(%s, O_RDONLY): %s", path, strerror(errno));
		denied += errno == EPERM;
		return;
	}
	n = pread(fd, page, sizeof page, 0);
	atk_say("open(%s, O_RDONLY): accepted; pread of its first page: %zd", path, n);
	close(fd);
	won = 1;
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

static enum atk_result atk_attack(void)
{
	const char *only = getenv("ATK_SWAP_ONLY");

	try_swapfiles();
	if (!(only && only[0] == '1'))
		try_blockdevs();
	atk_say("%d opened, %d refused with EPERM", tried, denied);
	if (won)
		return ATK_SUCCEEDED;
	if (!tried)
		atk_say("no %s here", only && only[0] == '1' ? "swap file" : "block device node in /dev");
	return atk_under_tem && denied ? ATK_REFUSED : ATK_NA;
}

static const char *atk_name = "atk_swapdev";
static int atk_needs_pku = 0;
