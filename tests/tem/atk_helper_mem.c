/* SPDX-License-Identifier: MIT */
/* atk_helper_mem.c: a deputy that never registered.  Untrusted code
 * executes a helper program (this binary again, told by the environment);
 * the helper is a new image, so erim-tem sees it as start-up code, but its
 * target is its registered parent: it writes the parent's secret through
 * /proc/PPID/mem, /proc/PPID/task/PPID/mem and process_vm_writev.  The
 * kernel ignores protection keys for all three.  Erim-tem must judge these
 * calls by their target (a traced process), not by their caller. */
#include <fcntl.h>
#include <sys/uio.h>

#include "atk_common.h"

#define ATK_ENV_PID "ATK_HELPER_MEM_PPID"
#define ATK_ENV_ADDR "ATK_HELPER_MEM_ADDR"

/* The helper: runs before main() when the environment says so.
 * Exit status: bit 0 one of the memory files was written, bit 1
 * process_vm_writev wrote, 8 a usage error. */
__attribute__((constructor)) static void atk_helper(void)
{
	const char *p = getenv(ATK_ENV_PID), *a = getenv(ATK_ENV_ADDR);
	const char evil[8] = "EVILEVIL";
	char path[2][96];
	int st = 0, i, fd;
	pid_t ppid;
	uintptr_t addr;

	if (!p || !a)
		return;
	ppid = (pid_t)strtol(p, NULL, 10);
	addr = (uintptr_t)strtoull(a, NULL, 16);
	if (ppid <= 0 || !addr)
		_exit(8);
	snprintf(path[0], sizeof path[0], "/proc/%d/mem", (int)ppid);
	snprintf(path[1], sizeof path[1], "/proc/%d/task/%d/mem", (int)ppid, (int)ppid);
	for (i = 0; i < 2; i++) {
		fd = open(path[i], O_RDWR);
		if (fd < 0) {
			atk_say("helper: open(%s): %s", path[i], strerror(errno));
			continue;
		}
		if (pwrite(fd, evil, sizeof evil, (off_t)addr) == (ssize_t)sizeof evil) {
			atk_say("helper: wrote the parent's secret through %s", path[i]);
			st |= 1;
		} else {
			atk_say("helper: pwrite(%s): %s", path[i], strerror(errno));
		}
		close(fd);
	}
	{
		struct iovec l = { (void *)evil, sizeof evil }, r = { (void *)addr, sizeof evil };
		ssize_t n = process_vm_writev(ppid, &l, 1, &r, 1, 0);

		if (n == (ssize_t)sizeof evil) {
			atk_say("helper: wrote the parent's secret with process_vm_writev");
			st |= 2;
		} else {
			atk_say("helper: process_vm_writev: %s", strerror(errno));
		}
	}
	fflush(stdout);
	_exit(st);
}

static enum atk_result atk_attack(void)
{
	char pid[32], addr[32];
	pid_t h;
	int st;

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	snprintf(addr, sizeof addr, "%lx", (unsigned long)(uintptr_t)atk_secret);
	fflush(stdout);
	h = fork();
	if (h == 0) {
		char *argv[] = { (char *)"atk_helper_mem", NULL };

		setenv(ATK_ENV_PID, pid, 1);
		setenv(ATK_ENV_ADDR, addr, 1);
		execv("/proc/self/exe", argv);
		_exit(9);
	}
	if (h < 0 || waitpid(h, &st, 0) != h)
		return ATK_ERROR;
	if (!WIFEXITED(st) || WEXITSTATUS(st) >= 8) {
		atk_say("helper did not run (status 0x%x)", st);
		return ATK_ERROR;
	}
	return WEXITSTATUS(st) || !atk_secret_intact() ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_helper_mem";
static int atk_needs_pku = 0;
