/* atk_rseq.c: untrusted code unregisters the thread's rseq area (glibc
 * registered it at start-up) and registers a new one inside the secret; the
 * kernel then writes the CPU number into trusted memory on every return to
 * user space. */
#include <sys/rseq.h>

#include "atk_common.h"

#define ATK_RSEQ_SIG 0x53053053

static enum atk_result atk_attack(void)
{
	static __thread __attribute__((aligned(32))) uint8_t fresh[32];

	if (__rseq_size > 0) {
		void *cur = (char *)__builtin_thread_pointer() + __rseq_offset;

		if (syscall(SYS_rseq, cur, 32, RSEQ_FLAG_UNREGISTER, ATK_RSEQ_SIG) != 0) {
			atk_say("rseq unregistration: %s", strerror(errno));
			return ATK_REFUSED;
		}
		atk_say("rseq unregistration accepted");
	}
	/* With protection keys the kernel's own write into the secret fails
	 * (EFAULT): the hardware stops that part, so re-registering anywhere
	 * is what shows the attack works. */
	if (syscall(SYS_rseq, atk_secret, 32, 0, ATK_RSEQ_SIG) == 0) {
		atk_say("rseq registration inside the secret accepted");
		return ATK_SUCCEEDED;
	}
	atk_say("rseq registration inside the secret: %s", strerror(errno));
	if (errno == ENOSYS)
		return ATK_NA;
	if (syscall(SYS_rseq, fresh, 32, 0, ATK_RSEQ_SIG) == 0) {
		atk_say("rseq re-registration (untrusted area) accepted");
		return ATK_SUCCEEDED;
	}
	atk_say("rseq re-registration: %s", strerror(errno));
	return ATK_REFUSED;
}

static const char *atk_name = "atk_rseq";
static int atk_needs_pku = 0;
