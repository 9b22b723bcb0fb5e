/* SPDX-License-Identifier: MIT */
/* atk_files_share.c: an fd refused at its exit check, used by a task that
 * shares the fd table but not the memory.  erim-tem judges open() by what
 * it opened: at the exit stop it refuses the memory file (/proc/self/mem)
 * or a file whose bytes are executable opened for writing, and closes the
 * fd with an injected close().  Until then the fd is in the fd table.  A
 * child made with clone(CLONE_FILES) (fork-like: its own memory, the same
 * fd table) spins pwrite() on the next fds; unless it is held while the
 * open is judged, it writes through the fd in that window:
 *   atk_files_procmem: the parent's secret, through its /proc/self/mem;
 *   atk_files_xfile (-DATK_XFILE): a file mapped executable at start-up.
 * Control (not under erim-tem): the opens succeed and the child writes. */
#include <fcntl.h>
#include <sched.h>
#include <time.h>

#ifdef ATK_XFILE
static char atk_xpath[64];
static void atk_map_xfile(void);
#define ATK_STARTUP atk_map_xfile
#endif
#include "atk_common.h"

#define MARK "EVILEVIL"

#ifdef ATK_XFILE
/* trusted start-up maps a file of code: it is in erim-tem's exec-file
 * registry from the registration on */
static void atk_map_xfile(void)
{
	uint8_t page[4096];
	int fd;

	snprintf(atk_xpath, sizeof atk_xpath, "/tmp/atk_files_xfile.XXXXXX");
	if ((fd = mkstemp(atk_xpath)) < 0)
		return;
	memset(page, 0xc3, sizeof page);
	if (write(fd, page, sizeof page) == (ssize_t)sizeof page)
		mmap(NULL, sizeof page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
}
#endif

/* Did a write get through?  The secret, or the file's first bytes (RFD
 * is a read-only fd of it). */
static int written(int rfd)
{
#ifdef ATK_XFILE
	char b[8];

	return pread(rfd, b, 8, 0) == 8 && memcmp(b, MARK, 8) == 0;
#else
	(void)rfd;
	return !atk_secret_intact();
#endif
}

static enum atk_result atk_attack(void)
{
	volatile int *flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const char *path;
	uint64_t off;
	int i, won = 0, refused = 0, opened = 0, rfd = -1;
	time_t end = time(NULL) + 4;
	pid_t pid;

#ifdef ATK_XFILE
	path = atk_xpath;
	off = 0;
	if (!atk_xpath[0] || (rfd = open(path, O_RDONLY)) < 0)
		return ATK_ERROR;
#else
	path = "/proc/self/mem";
	off = (uint64_t)(uintptr_t)atk_secret;
#endif
	if (flag == MAP_FAILED)
		return ATK_ERROR;
	*flag = 0;
	/* fds open before the race (the harness's console, rfd) are not the
	 * refused open's: the child leaves them alone, or it writes its marks
	 * into the test log */
	unsigned pre = 0;
	for (int fd = 3; fd < 16; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			pre |= 1u << fd;
	pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		/* the CLONE_FILES child: write through whatever fd the parent has */
		while (!*flag)
			for (int fd = 3; fd < 16; fd++)
				if (!(pre & (1u << fd)))
					syscall(SYS_pwrite64, fd, MARK, 8, off);
		syscall(SYS_exit_group, 0);
	}
	if (pid < 0)
		return ATK_ERROR;
	for (i = 0; i < 3000 && !won && time(NULL) < end; i++) {
		int fd = open(path, O_RDWR);

		if (fd >= 0) {
			opened++;
			/* without erim-tem: give the child its moment */
			for (volatile int k = 0; k < 200000 && !written(rfd); k += 1000)
				for (volatile int j = 0; j < 1000; j++)
					;
			close(fd);
		} else {
			refused++;
		}
		won = written(rfd);
	}
	*flag = 1;
	waitpid(pid, NULL, 0);
	atk_say("%d opens of %s refused, %d succeeded; the CLONE_FILES child %s", refused, path, opened,
	        won ? "wrote through one of them" : "never wrote");
#ifdef ATK_XFILE
	close(rfd);
	unlink(path);
#endif
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

#ifdef ATK_XFILE
static const char *atk_name = "atk_files_xfile";
#else
static const char *atk_name = "atk_files_procmem";
#endif
static int atk_needs_pku = 0;
