/* atk_rseq.c: untrusted code unregisters the thread's rseq area (glibc
 * registered it at start-up) and registers a new one inside the secret; the
 * kernel then writes the CPU number into trusted memory on every return to
 * user space. */
#include <sys/rseq.h>

#include "atk_common.h"

#define ATK_RSEQ_SIG 0x53053053

static enum atk_result atk_attack(void)
{
	if (__rseq_size > 0) {
		void *cur = (char *)__builtin_thread_pointer() + __rseq_offset;

		if (syscall(SYS_rseq, cur, 32, RSEQ_FLAG_UNREGISTER, ATK_RSEQ_SIG) != 0) {
			atk_say("rseq unregistration: %s", strerror(errno));
			return ATK_REFUSED;
		}
		atk_say("rseq unregistration accepted");
	}
	if (syscall(SYS_rseq, atk_secret, 32, 0, ATK_RSEQ_SIG) == 0) {
		atk_say("rseq registration inside the secret accepted");
		return ATK_SUCCEEDED;
	}
	atk_say("rseq registration inside the secret: %s", strerror(errno));
	return errno == ENOSYS ? ATK_NA : ATK_REFUSED;
}

static const char *atk_name = "atk_rseq";
static int atk_needs_pku = 0;
