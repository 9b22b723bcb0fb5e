/* SPDX-License-Identifier: MIT */
/* atk_kernel_features.c: untrusted code reaches for kernel interfaces that
 * act outside the syscall policy: userfaultfd (pauses the kernel in the
 * middle of a copy), io_uring (system calls the filter never sees) and
 * perf_event_open (samples registers and memory).  Which one a kernel lacks
 * is not applicable; any one accepted is a success. */
#include <linux/perf_event.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	struct perf_event_attr pe;
	uint8_t params[120];
	long r;
	int won = 0, refused = 0;

	r = syscall(SYS_userfaultfd, 0);
	atk_say("userfaultfd: %s", r >= 0 ? "accepted" : strerror(errno));
	won |= r >= 0;
	refused |= r < 0 && errno == EPERM;
	memset(params, 0, sizeof params);
	r = syscall(SYS_io_uring_setup, 4, params);
	atk_say("io_uring_setup: %s", r >= 0 ? "accepted" : strerror(errno));
	won |= r >= 0;
	refused |= r < 0 && errno == EPERM;
	memset(&pe, 0, sizeof pe);
	pe.size = sizeof pe;
	pe.type = PERF_TYPE_SOFTWARE;
	pe.config = PERF_COUNT_SW_TASK_CLOCK;
	pe.disabled = 1;
	r = syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0);
	atk_say("perf_event_open: %s", r >= 0 ? "accepted" : strerror(errno));
	won |= r >= 0;
	refused |= r < 0 && errno == EPERM;
	return won ? ATK_SUCCEEDED : refused ? ATK_REFUSED : ATK_NA;
}

static const char *atk_name = "atk_kernel_features";
static int atk_needs_pku = 0;
