/* SPDX-License-Identifier: MIT */
/* atk_compat_abi.c: untrusted code makes system calls through the 32-bit
 * ABI (int $0x80) and the x32 ABI (nr | 0x40000000), whose numbers mean
 * other calls than the policy table expects.  erim-tem's filter checks the
 * architecture first and erim-tem stops the process (SIGKILL: no core
 * dump; the filter's own SIGSYS kill would dump, see tem/tem_filter.c).
 * Each is tried in its own child; a kernel without IA32/x32 support makes
 * that part not applicable. */
#include "atk_common.h"

static int try_in_child(int x32)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		long r;

		if (x32) {
			r = syscall(0x40000000L | SYS_getpid);
			_exit(r > 0 ? 1 : 3);
		}
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) /* i386 getpid */ : "memory");
		_exit(r > 0 ? 1 : 3);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return ATK_ERROR;
	if (WIFSIGNALED(st)) {
		atk_say("%s: process killed by signal %d", x32 ? "x32 call" : "int $0x80", WTERMSIG(st));
		return WTERMSIG(st) == SIGSYS || (atk_under_tem && WTERMSIG(st) == SIGKILL) ? ATK_REFUSED : ATK_NA;
	}
	atk_say("%s: %s", x32 ? "x32 call" : "int $0x80", WEXITSTATUS(st) == 1 ? "ran" : "not supported by this kernel");
	return WEXITSTATUS(st) == 1 ? ATK_SUCCEEDED : ATK_NA;
}

static enum atk_result atk_attack(void)
{
	int a = try_in_child(0), b = try_in_child(1);

	if (a == ATK_SUCCEEDED || b == ATK_SUCCEEDED)
		return ATK_SUCCEEDED;
	if (a == ATK_REFUSED || b == ATK_REFUSED)
		return ATK_REFUSED;
	return ATK_NA;
}

static const char *atk_name = "atk_compat_abi";
static int atk_needs_pku = 0;
