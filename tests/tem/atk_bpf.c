/* SPDX-License-Identifier: MIT */
/* atk_bpf.c: kernel programs and maps outside the system call policy.  A BPF
 * array map can be mapped into the process (BPF_F_MMAPABLE) as memory
 * erim-tem never judged, and programs attached to sockets, tracepoints or
 * LSM hooks run in the kernel on the attacker's behalf.  The door: a map
 * created.  Without privilege most hosts refuse unprivileged BPF (then the
 * control is not applicable, said so); erim-tem refuses bpf for everyone. */
#include <linux/bpf.h>

#include "atk_common.h"

static enum atk_result atk_attack(void)
{
	union bpf_attr attr;
	long fd;

	memset(&attr, 0, sizeof attr);
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4096;
	attr.max_entries = 1;
	attr.map_flags = BPF_F_MMAPABLE;
	fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
	if (fd >= 0) {
		atk_say("bpf(BPF_MAP_CREATE, mmapable array): accepted");
		close((int)fd);
		return ATK_SUCCEEDED;
	}
	atk_say("bpf(BPF_MAP_CREATE): %s", strerror(errno));
	if (atk_under_tem)
		return ATK_REFUSED;
	return ATK_NA;   /* unprivileged BPF is disabled here */
}

static const char *atk_name = "atk_bpf";
static int atk_needs_pku = 0;
