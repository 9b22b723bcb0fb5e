/* SPDX-License-Identifier: MIT */
/* atk_untraced_deputy.c: recruit a process nobody traces.  Any process of
 * the same user outside erim-tem (here a `sleep` that native_tem.sh started
 * next to it; in life the shell that ran erim-tem, an agent, a service) can
 * be taken over through its memory file or process_vm_writev, and from
 * there it writes the traced program's memory unseen.  The attack writes
 * back bytes of the deputy's own stack that it read (harmless to it): the
 * write accepted is the door.  ATK_DEPUTY_PID names the process. */
#include <fcntl.h>
#include <inttypes.h>
#include <sys/uio.h>

#include "atk_common.h"

static int stack_of(pid_t pid, uint64_t *lo, uint64_t *hi)
{
	char name[64], line[512];
	FILE *f;
	int found = 0;

	snprintf(name, sizeof name, "/proc/%d/maps", (int)pid);
	if (!(f = fopen(name, "re")))
		return 0;
	while (!found && fgets(line, sizeof line, f))
		if (strstr(line, "[stack]") && sscanf(line, "%" SCNx64 "-%" SCNx64, lo, hi) == 2)
			found = 1;
	fclose(f);
	return found;
}

static enum atk_result atk_attack(void)
{
	const char *e = getenv("ATK_DEPUTY_PID");
	pid_t pid = e ? (pid_t)strtol(e, NULL, 10) : 0;
	uint64_t lo, hi, at;
	uint8_t b[8];
	char name[64];
	int fd, won = 0;

	if (pid <= 0) {
		atk_say("ATK_DEPUTY_PID not set: run through native_tem.sh");
		return ATK_NA;
	}
	if (!stack_of(pid, &lo, &hi)) {
		atk_say("cannot find the deputy's stack");
		return ATK_ERROR;
	}
	at = hi - 64;
	snprintf(name, sizeof name, "/proc/%d/mem", (int)pid);
	fd = open(name, O_RDWR);
	if (fd < 0) {
		atk_say("open(%s, O_RDWR): %s", name, strerror(errno));
	} else {
		if (pread(fd, b, sizeof b, (off_t)at) == (ssize_t)sizeof b &&
		    pwrite(fd, b, sizeof b, (off_t)at) == (ssize_t)sizeof b) {
			atk_say("wrote the untraced deputy's stack through %s", name);
			won = 1;
		}
		close(fd);
	}
	{
		struct iovec l = { b, sizeof b }, r = { (void *)(uintptr_t)at, sizeof b };

		if (process_vm_readv(pid, &l, 1, &r, 1, 0) == (ssize_t)sizeof b &&
		    process_vm_writev(pid, &l, 1, &r, 1, 0) == (ssize_t)sizeof b) {
			atk_say("wrote the untraced deputy's stack with process_vm_writev");
			won = 1;
		} else {
			atk_say("process_vm_readv/writev: %s", strerror(errno));
		}
	}
	return won ? ATK_SUCCEEDED : ATK_REFUSED;
}

static const char *atk_name = "atk_untraced_deputy";
static int atk_needs_pku = 0;
