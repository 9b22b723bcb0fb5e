/* SPDX-License-Identifier: MIT */
/* atk_helper_xfile.c: a deputy that never registered rewrites its parent's
 * code.  Start-up maps a file executable (MAP_PRIVATE: pages nobody wrote
 * come from the page cache, so a write to the file changes them); untrusted
 * code then executes a helper (this binary again), which opens the file
 * for writing and puts a WRPKRU (0f 01 ef) into it.  Erim-tem refuses
 * opening for writing any file whose bytes are executable in a traced
 * process, for untrusted callers and for helpers that never registered. */
#include <fcntl.h>

#define ATK_STARTUP atk_xfile_startup
#include "atk_common.h"
#define ATK_ENV_FILE "ATK_HELPER_XFILE"

static char atk_xfile_path[96];
static volatile uint8_t *atk_xcode;

static void atk_xfile_startup(void)
{
	uint8_t page[4096];
	int fd;

	memset(page, 0xc3, sizeof page);   /* ret */
	snprintf(atk_xfile_path, sizeof atk_xfile_path, "/tmp/atk_helper_xfile.%d", (int)getpid());
	fd = open(atk_xfile_path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0 || write(fd, page, sizeof page) != (ssize_t)sizeof page)
		return;
	close(fd);
	fd = open(atk_xfile_path, O_RDONLY);
	if (fd < 0)
		return;
	atk_xcode = mmap(NULL, sizeof page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (atk_xcode == MAP_FAILED)
		atk_xcode = NULL;
	close(fd);
}

/* The helper: exit 1 when the file was written, 0 when refused. */
__attribute__((constructor)) static void atk_xfile_helper(void)
{
	const char *path = getenv(ATK_ENV_FILE);
	const uint8_t wrpkru[3] = { 0x0f, 0x01, 0xef };
	int fd;

	if (!path)
		return;
	fd = open(path, O_RDWR);
	if (fd < 0) {
		atk_say("helper: open(%s, O_RDWR): %s", path, strerror(errno));
		fflush(stdout);
		_exit(0);
	}
	if (pwrite(fd, wrpkru, sizeof wrpkru, 0) == (ssize_t)sizeof wrpkru)
		atk_say("helper: wrote WRPKRU into %s", path);
	close(fd);
	fflush(stdout);
	_exit(1);
}

static enum atk_result atk_attack(void)
{
	pid_t h;
	int st;

	if (!atk_xcode)
		return ATK_ERROR;
	fflush(stdout);
	h = fork();
	if (h == 0) {
		char *argv[] = { (char *)"atk_helper_xfile", NULL };

		setenv(ATK_ENV_FILE, atk_xfile_path, 1);
		execv("/proc/self/exe", argv);
		_exit(9);
	}
	if (h < 0 || waitpid(h, &st, 0) != h || !WIFEXITED(st) || WEXITSTATUS(st) > 1)
		return ATK_ERROR;
	unlink(atk_xfile_path);
	if (atk_xcode[0] == 0x0f) {
		atk_say("the parent's executable page now starts with WRPKRU");
		return ATK_SUCCEEDED;
	}
	return WEXITSTATUS(st) ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_helper_xfile";
static int atk_needs_pku = 0;
