/* SPDX-License-Identifier: MIT */
/* tem_kconf.c: kernel configuration files are not opened for writing by
 * untrusted code.
 *
 * A program run as root holds the knobs that make the kernel start programs
 * of its own -- /proc/sys/kernel/modprobe (any socket() of an unloaded
 * family runs it), core_pattern with a pipe, /sys/kernel/uevent_helper,
 * /proc/sys/kernel/hotplug, poweroff_cmd, a cgroup v1 release_agent, a
 * binfmt_misc interpreter -- as root, outside the trace, where they open
 * /proc/PID/mem of the registered process (red team 20,
 * rt_modprobe_upcall).  The same files change how memory is handled (swap,
 * huge pages, overcommit, KSM).  Naming the helpers would miss the next
 * one, so the judgement is by file system: a file opened for writing on a
 * file system whose files configure the kernel is refused -- sysfs, cgroup
 * (v1 and v2), configfs, securityfs, binfmt_misc, bpffs, pstore, efivarfs,
 * and procfs except the per-process files of /proc/PID (oom_score_adj,
 * comm, uid_map: a process's own state).  The procfs part is by the name
 * the kernel gives the fd (/proc/PID/fd/N): a procfs mounted elsewhere
 * names its files otherwise and is refused too (fail closed). */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <string.h>

#include "tem_table.h"

#define PROC_MAGIC 0x9fa0L
#define SYSFS_MAGIC_ 0x62656572L
#define CGROUP_MAGIC 0x27e0ebL
#define CGROUP2_MAGIC 0x63677270L
#define CONFIGFS_MAGIC_ 0x62656570L
#define SECURITYFS_MAGIC_ 0x73636673L
#define BINFMTFS_MAGIC_ 0x42494e4dL
#define BPFFS_MAGIC 0xcafe4a11L
#define PSTOREFS_MAGIC_ 0x6165676cL
#define EFIVARFS_MAGIC_ 0xde5e81e4L

static const struct {
	long magic;
	const char *what;
} kconf_fs[] = {
	{ SYSFS_MAGIC_, "a sysfs file for writing (kernel and driver configuration: uevent_helper, module parameters, power)" },
	{ CGROUP_MAGIC, "a cgroup file for writing (release_agent runs a program as root outside the trace)" },
	{ CGROUP2_MAGIC, "a cgroup2 file for writing (kernel resource configuration: memory.reclaim, freezing)" },
	{ CONFIGFS_MAGIC_, "a configfs file for writing (kernel object configuration)" },
	{ SECURITYFS_MAGIC_, "a securityfs file for writing (security module policy)" },
	{ BINFMTFS_MAGIC_, "a binfmt_misc file for writing (an interpreter the kernel starts for other processes' execs)" },
	{ BPFFS_MAGIC, "a bpffs file for writing (pinned BPF objects)" },
	{ PSTOREFS_MAGIC_, "a pstore file for writing (persistent kernel storage)" },
	{ EFIVARFS_MAGIC_, "an efivarfs file for writing (firmware variables)" },
};

/* 1 if LINK names a file of a process directory: /proc/<digits>/... */
static int per_process(const char *link)
{
	const char *p;

	if (strncmp(link, "/proc/", 6) != 0 || !isdigit((unsigned char)link[6]))
		return 0;
	for (p = link + 6; isdigit((unsigned char)*p); p++)
		;
	return *p == '/';
}

int tem_kconf_refused(long fs_type, int accmode, const char *link, const char **why)
{
	size_t i;

	if (accmode == O_RDONLY)
		return 0;
	if (fs_type == PROC_MAGIC) {
		if (per_process(link))
			return 0;
		*why = "a procfs file outside /proc/PID for writing (/proc/sys: modprobe, core_pattern, hotplug "
		       "start programs as root outside the trace)";
		return 1;
	}
	for (i = 0; i < sizeof kconf_fs / sizeof kconf_fs[0]; i++)
		if (fs_type == kconf_fs[i].magic) {
			*why = kconf_fs[i].what;
			return 1;
		}
	return 0;
}
