/* SPDX-License-Identifier: MIT */
/* atk_rseq.c: untrusted code unregisters the thread's rseq area (glibc
 * registered it at start-up) and registers a new one inside the secret; the
 * kernel then writes the CPU number into trusted memory on every return to
 * user space (and an area of its own would let a critical section over
 * trusted code abort into the attacker's handler with the trusted PKRU).
 * erim-tem starts programs with glibc.pthread.rseq=0; the program re-execs
 * itself without that tunable first, so glibc does register an area and
 * erim-tem must close it at registration. */
#include <sys/rseq.h>

#define ATK_STARTUP rseq_startup
#include "atk_common.h"

static void rseq_startup(void)
{
	const char *tun = getenv("GLIBC_TUNABLES");
	static char buf[4096], *argv[16];
	FILE *f;
	size_t n, i, k = 0;

	if (!tun || !strstr(tun, "rseq=0") || getenv("ATK_RSEQ_PLAIN"))
		return;
	if (!(f = fopen("/proc/self/cmdline", "re")))
		return;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	for (i = 0; i < n && k < 15; i += strlen(buf + i) + 1)
		argv[k++] = buf + i;
	argv[k] = NULL;
	setenv("ATK_RSEQ_PLAIN", "1", 1);
	unsetenv("GLIBC_TUNABLES");
	fflush(stdout);
	execv("/proc/self/exe", argv);
}

#define ATK_RSEQ_SIG 0x53053053

static enum atk_result atk_attack(void)
{
	static __thread __attribute__((aligned(32))) uint8_t fresh[32];

	atk_say("glibc's rseq area: %u bytes", (unsigned)__rseq_size);
	if (__rseq_size > 0) {
		void *cur = (char *)__builtin_thread_pointer() + __rseq_offset;

		if (syscall(SYS_rseq, cur, 32, RSEQ_FLAG_UNREGISTER, ATK_RSEQ_SIG) != 0) {
			/* under erim-tem: already closed at registration */
			atk_say("rseq unregistration: %s", strerror(errno));
		} else {
			atk_say("rseq unregistration accepted");
		}
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
