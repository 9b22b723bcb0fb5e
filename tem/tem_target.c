/* SPDX-License-Identifier: MIT */
/* tem_target.c: calls judged by what they reach, for every caller.
 *
 * A call that reaches another address space (process_vm_readv/writev,
 * ptrace, kcmp, prlimit64, move_pages, ... and the memory file
 * /proc/PID/mem by any route) is refused when its target is a traced process
 * or erim-tem itself, whoever makes it: trusted start-up, untrusted code, or
 * an exec'd helper that never registered (it is "start-up" to the other
 * rows, but its parent's memory is as protected as the parent's own
 * calls).  A target that cannot be resolved is refused (it could be created,
 * traced, between this check and the call).
 *
 * Files are recognised by identity, not by name: the fd an open produced is
 * compared (device + inode) with the memory files of every traced thread as
 * erim-tem's own procfs shows them, so a bind mount, a symlink or a
 * directory fd cannot rename /proc/PID/mem past the check.
 *
 * Namespaces: mount and user namespaces (and pid namespaces, which would
 * make pids mean other processes) are refused for every caller, for unshare
 * and clone alike; clone3 keeps its flags in memory, where another thread
 * could change them after the check, so it is refused with ENOSYS and the C
 * library falls back to clone, whose flags are registers. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim_procline.h"
#include "tem_table.h"

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* Thread-group id and tracer of PID as erim-tem's procfs shows them; -1. */
static pid_t status_of_pid(pid_t pid, pid_t *tracer)
{
	char name[64], line[128];
	FILE *f;
	int tg = -1, tr = 0;

	*tracer = 0;
	if (pid <= 0)
		return -1;
	snprintf(name, sizeof name, "/proc/%d/status", (int)pid);
	if (!(f = tem_proc_fopen(name)))
		return -1;
	while (erim_proc_line(line, sizeof line, f))
		if (sscanf(line, "Tgid: %d", &tg) == 1 || sscanf(line, "TracerPid: %d", &tr) == 1)
			if (tr)
				break;
	fclose(f);
	*tracer = (pid_t)tr;
	return (pid_t)tg;
}

/* Every traced thread group: those the loop knows, and children that the
 * kernel attached to erim-tem (PTRACE_O_TRACEFORK) but whose first stop
 * the loop has not seen yet.  Such a child has not run an instruction,
 * but it is already a target: its memory is a copy of its parent's. */
static size_t all_tracees(pid_t *out, size_t max)
{
	size_t n = tem_traced_tgids(out, max), known = n, i;
	pid_t me = getpid();

	for (i = 0; i < known; i++) {
		char name[96], buf[4096];
		DIR *d = tem_proc_opendir(out[i], "task");
		const char *tid;

		if (!d)
			continue;
		while ((tid = tem_proc_next(d)) != NULL) {
			char *p, *end;
			ssize_t len;
			int cf;

			if (strlen(tid) > 32)
				continue;
			snprintf(name, sizeof name, "%.32s/children", tid);
			if ((cf = openat(dirfd(d), name, O_RDONLY | O_CLOEXEC)) < 0)
				continue;
			len = read(cf, buf, sizeof buf - 1);
			close(cf);
			buf[len > 0 ? len : 0] = 0;
			for (p = buf; *p; p = end) {
				long c = strtol(p, &end, 10);
				pid_t tr, g;
				size_t j;

				if (end == p)
					break;
				if (c <= 0 || (g = status_of_pid((pid_t)c, &tr)) < 0 || tr != me)
					continue;
				for (j = 0; j < n && out[j] != g; j++)
					;
				if (j == n && n < max)
					out[n++] = g;
			}
		}
		closedir(d);
	}
	return n;
}

int tem_pid_protected(pid_t pid)
{
	pid_t tg[512], me = getpid(), g, tracer;
	size_t n, i;

	if (pid == me)
		return 1;
	if ((g = status_of_pid(pid, &tracer)) < 0)
		return 1;   /* gone or not yet there: fail closed */
	if (g == me || tracer == me)
		return 1;   /* erim-tem, or traced by it (even if not adopted yet) */
	if ((status_of_pid(g, &tracer)) >= 0 && tracer == me)
		return 1;
	n = tem_traced_tgids(tg, sizeof tg / sizeof tg[0]);
	if (n == sizeof tg / sizeof tg[0])
		return 1;   /* more processes than we can list: fail closed */
	for (i = 0; i < n; i++)
		if (tg[i] == g)
			return 1;
	return 0;
}

/* The pid a pidfd of the caller refers to (fdinfo "Pid:"), or -1. */
static pid_t pidfd_target(pid_t tid, long fd)
{
	char name[64], line[128];
	FILE *f;
	int pid = -1;

	snprintf(name, sizeof name, "/proc/%d/fdinfo/%ld", (int)tid, fd);
	if (!(f = tem_proc_fopen(name)))
		return -1;
	while (erim_proc_line(line, sizeof line, f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid;
}

__attribute__((format(printf, 3, 4)))
static void refuse_why(struct tem_call *c, int err, const char *fmt, ...)
{
	va_list ap;

	c->refuse_errno = err;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
}

/* Memory is read or written, protection keys ignored: never.  A traced
 * target is protected memory; an untraced one (the shell that started
 * erim-tem, an agent of the same user) would be a deputy that no tracer
 * watches, one process_vm_writev away from the traced program. */
static void judge_mem_target(struct tem_call *c, long pid)
{
	if (pid <= 0 || tem_pid_protected((pid_t)pid))
		refuse_why(c, EPERM, "refused (target %ld is a traced process, erim-tem, or unknown)", pid);
	else
		refuse_why(c, EPERM, "refused (target %ld is an untraced process: it would be an unwatched deputy)", pid);
}

/* The call acts on a process but changes no memory contents: the caller's
 * own process (0 or its pid) is fine, any other traced process is not. */
static void judge_other_target(struct tem_call *c, long pid)
{
	if (pid == 0 || (pid > 0 && (tem_proc_tgid((pid_t)pid) == c->t->proc->tgid || tem_proc_tgid((pid_t)pid) == c->t->tgid)))
		return;
	if (pid < 0 || tem_pid_protected((pid_t)pid))
		refuse_why(c, EPERM, "refused (target %ld is another traced process, erim-tem, or unknown)", pid);
}

static void chk_process_vm(struct tem_call *c)
{
	judge_mem_target(c, (long)(int)c->a[0]);
}

static void chk_ptrace(struct tem_call *c)
{
	if (c->a[0] != PTRACE_TRACEME)
		judge_mem_target(c, (long)(int)c->a[1]);
}

static void chk_kcmp(struct tem_call *c)
{
	judge_other_target(c, (long)(int)c->a[0]);
	if (!c->refuse_errno)
		judge_other_target(c, (long)(int)c->a[1]);
}

static void chk_pid_arg0(struct tem_call *c)
{
	judge_other_target(c, (long)(int)c->a[0]);
}

static void chk_pidfd_mem(struct tem_call *c)
{
	pid_t pid = pidfd_target(c->t->tid, (long)(int)c->a[0]);

	if (pid <= 0)
		refuse_why(c, EPERM, "refused (fd %ld is not a pidfd erim-tem can resolve)", (long)(int)c->a[0]);
	else
		judge_mem_target(c, pid);
	/* the pidfd could be replaced by another thread before the call runs */
	c->needs_freeze = 1;
}

static void judge_ns_flags(struct tem_call *c, uint64_t flags)
{
	if (flags & CLONE_NEWUSER)
		refuse_why(c, EPERM, "refused (new user namespace: mount rights to rename /proc files)");
	else if (flags & CLONE_NEWNS)
		refuse_why(c, EPERM, "refused (new mount namespace: bind mounts rename /proc files)");
	else if (flags & CLONE_NEWPID)
		refuse_why(c, EPERM, "refused (new pid namespace: pids would mean other processes)");
}

static void chk_unshare(struct tem_call *c)
{
	judge_ns_flags(c, c->a[0]);
}

static void chk_clone_ns(struct tem_call *c)
{
	judge_ns_flags(c, c->a[0]);
}

/* Answered, not refused: the C library asks clone3 first at every thread
 * start, and the fallback is the normal path under erim-tem, so it is logged
 * with --log only.  The call is skipped (orig_rax = -1) with rax = -ENOSYS. */
static void chk_clone3_all(struct tem_call *c)
{
	c->regs.orig_rax = (uint64_t)-1;
	c->regs.rax = (uint64_t)-ENOSYS;
	snprintf(c->why, sizeof c->why, "answered ENOSYS (clone3's flags are in memory another thread can change after the check; the C library falls back to clone)");
}

/* Non-dumpable processes lock their tracer out of /proc/PID/{maps,mem,fd}
 * unless it has CAP_SYS_PTRACE: erim-tem would judge blind. */
#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER 0x59616d61
#endif
/* ...and PR_SET_PTRACER (Yama) names a process that may then ptrace the
 * caller and open its memory file where kernel.yama.ptrace_scope >= 1
 * would refuse it: an untraced process of the same user, outside
 * erim-tem's view (red team 23, rt_ptracer_any: PR_SET_PTRACER_ANY, then
 * a sibling wrote the secret through /proc/PID/mem).  Only clearing it (0)
 * is allowed. */
/* PR_SET_DUMPABLE 1 has run with every other task of the address space
 * held: judged again, as the kernel left it (fail closed: stopped). */
static void exit_prctl_dumpable(struct tem_call *c, long ret)
{
	const char *w;

	(void)ret;
	if ((w = tem_detach_exposed(c->t, 1)) != NULL) {
		snprintf(c->why, sizeof c->why, "refused (dumpable, its memory open to others: %s): process stopped", w);
		c->kill = 1;
	}
}

static void chk_prctl_dumpable(struct tem_call *c)
{
	const char *w;

	if ((int)c->a[0] == PR_SET_DUMPABLE && c->a[1] != 1) {
		refuse_why(c, EPERM, "refused (a non-dumpable process hides its maps and fds from erim-tem)");
	} else if ((int)c->a[0] == PR_SET_DUMPABLE) {
		/* a process that dropped from root to a user is non-dumpable:
		 * only root may open its memory; dumpable again, its user's
		 * processes may (red team 29, rt29_dropdeputy).  Every task
		 * of the address space is judged, with the others held until
		 * the call is over: a thread could drop between the judgement
		 * and the call (red team 30, rt30_thread_cred). */
		c->needs_freeze = 1;
		if ((w = tem_detach_exposed(c->t, 1)) != NULL) {
			refuse_why(c, EPERM, "refused (dumpable, its memory would be open to others: %s)", w);
		} else {
			c->on_exit = exit_prctl_dumpable;
			tem_call_undo(c, TEM_UNDO_NONE);
		}
	} else if ((int)c->a[0] == PR_SET_PTRACER && c->a[1] != 0)
		refuse_why(c, EPERM, "refused (PR_SET_PTRACER would let a process outside erim-tem's view "
		            "ptrace this one and open its memory, where ptrace_scope refuses it)");
}

/* arch_prctl: x86 linear address masking (LAM) makes the CPU and the
 * kernel ignore a tag in pointer bits 57-62, so a tagged copy of a trusted
 * address passes every check that compares numbers -- erim-tem's range
 * rows and liberim's marshallers alike (red team 31, atk31_lam_tag; latent
 * where the CPU or kernel has no LAM).  A vDSO mapped on request is
 * executable memory no open or mmap row sees.  The rest (FS/GS base, CPUID
 * faulting, AMX permission, shadow stack) touches only the caller. */
static void chk_arch_prctl_all(struct tem_call *c)
{
	switch (c->a[0]) {
	case 0x4002:   /* ARCH_ENABLE_TAGGED_ADDR */
	case 0x4004:   /* ARCH_FORCE_TAGGED_SVA */
		refuse_why(c, EPERM, "refused (tagged addresses: a tag the CPU ignores would make an address "
		           "that aliases trusted memory pass every check that compares numbers)");
		break;
	case 0x2001:   /* ARCH_MAP_VDSO_X32 */
	case 0x2002:   /* ARCH_MAP_VDSO_32 */
	case 0x2003:   /* ARCH_MAP_VDSO_64 */
		refuse_why(c, EPERM, "refused (maps a vDSO: executable memory without an inspected mmap)");
		break;
	default:
		break;
	}
}

/* READ_IMPLIES_EXEC survives exec: a start-up helper could set it and
 * execute a registered program whose readable mappings would then all be
 * executable, uninspected. */
static void chk_personality_all(struct tem_call *c)
{
	if ((uint32_t)c->a[0] != 0xffffffffu && (c->a[0] & READ_IMPLIES_EXEC))
		refuse_why(c, EPERM, "refused (READ_IMPLIES_EXEC survives exec: readable memory of the next image would be executable)");
}

/* The traced thread group whose (or whose thread's) /proc/.../syscall file
 * ST is; 0 if none. */
static pid_t syscall_file_owner(const struct stat *st)
{
	pid_t tg[512];
	size_t n = all_tracees(tg, sizeof tg / sizeof tg[0]), i;
	struct stat ps;
	char name[96];

	for (i = 0; i < n; i++) {
		DIR *d;
		struct dirent *e;
		int fd;

		snprintf(name, sizeof name, "/proc/%d/syscall", (int)tg[i]);
		if (tem_proc_stat(name, &ps) == 0 && ps.st_dev == st->st_dev && ps.st_ino == st->st_ino)
			return tg[i];
		snprintf(name, sizeof name, "/proc/%d/task", (int)tg[i]);
		if ((fd = tem_proc_open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || !(d = fdopendir(fd))) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' || strlen(e->d_name) > 32)
				continue;
			snprintf(name, sizeof name, "%.32s/syscall", e->d_name);
			if (fstatat(dirfd(d), name, &ps, 0) == 0 && ps.st_dev == st->st_dev && ps.st_ino == st->st_ino) {
				closedir(d);
				return tg[i];
			}
		}
		closedir(d);
	}
	return 0;
}

int tem_procfile_refused(const struct stat *st, long fs_type, const char **why, pid_t *owner)
{
	struct stat ps, me;
	pid_t tg[512];
	size_t n, i;
	char name[96];

	*owner = 0;
	/* physical and kernel memory (root only, but root can run programs
	 * under erim-tem): /dev/mem 1:1, /dev/kmem 1:2, /dev/port 1:4 */
	if (S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 &&
	    (minor(st->st_rdev) == 1 || minor(st->st_rdev) == 2 || minor(st->st_rdev) == 4)) {
		*why = "physical or kernel memory (/dev/mem, /dev/kmem, /dev/port)";
		return 1;
	}
	if (fs_type != PROC_SUPER_MAGIC)
		return 0;
	if (fstat(tem_procfd(), &me) != 0 || st->st_dev != me.st_dev) {
		*why = "a file of a procfs instance erim-tem does not read";
		return 1;
	}
	if (!S_ISREG(st->st_mode))
		return 0;
	if (tem_proc_stat("/proc/kcore", &ps) == 0 && ps.st_ino == st->st_ino) {
		*why = "all of physical memory (/proc/kcore)";
		return 1;
	}
	/* 0400: the registers of a thread stopped in a system call
	 * (/proc/PID/syscall: its six arguments, stack pointer and program
	 * counter -- those of trusted code when a gate made the call) */
	if ((st->st_mode & 07777) == 0400 && (*owner = syscall_file_owner(st)) != 0) {
		*why = "the registers of a traced thread at a system call (/proc/PID/syscall)";
		return 1;
	}
	/* procfs fixes the modes of its files (chmod is refused there): in a
	 * pid directory only the memory files are 0600, elsewhere only a few
	 * root-only sysctls.  Every such file is refused, whoever's memory it
	 * is (an untraced process would be an unwatched deputy); the search
	 * below only finds the owner, for the start-up exception. */
	if ((st->st_mode & 07777) != 0600)
		return 0;
	*why = "a process's memory file (or a root-only 0600 procfs file)";
	n = all_tracees(tg, sizeof tg / sizeof tg[0] - 1);
	tg[n++] = getpid();
	for (i = 0; i < n; i++) {
		DIR *d;
		const char *tid;

		snprintf(name, sizeof name, "/proc/%d/mem", (int)tg[i]);
		if (tem_proc_stat(name, &ps) == 0 && ps.st_dev == st->st_dev && ps.st_ino == st->st_ino) {
			*why = "the memory file of a traced process or of erim-tem (/proc/PID/mem)";
			*owner = tg[i];
			return 1;
		}
		if (!(d = tem_proc_opendir(tg[i], "task")))
			continue;
		while ((tid = tem_proc_next(d)) != NULL) {
			if (strlen(tid) > 32)
				continue;
			snprintf(name, sizeof name, "%.32s/mem", tid);
			if (fstatat(dirfd(d), name, &ps, 0) == 0 && ps.st_dev == st->st_dev && ps.st_ino == st->st_ino) {
				closedir(d);
				*why = "the memory file of a traced thread (/proc/PID/task/TID/mem)";
				*owner = tg[i];
				return 1;
			}
		}
		closedir(d);
	}
	return 1;   /* 0600 on procfs, owner not traced: refused all the same */
}

/* ---- storage that receives page contents --------------------------------------- */

/* Nothing keeps trusted memory in RAM (see doc/tem.md): the kernel may write
 * any page of it to swap, and hibernation writes all of memory to storage.
 * Whoever reads that storage reads trusted memory past every protection
 * key, and whoever writes a swap slot changes what trusted code reads when
 * the page comes back.  So an open is refused when its result is a block
 * device (swap partitions, the disks and loop devices under swap files), an
 * active swap file (identified from /proc/swaps by device + inode), a
 * character device that passes commands to a disk (SCSI generic, bsg, NVMe),
 * /dev/snapshot (the hibernation image), or a file of /sys/power opened for
 * writing (hibernation control). */

#define SNAPSHOT_MAJOR 10   /* misc */
#define SNAPSHOT_MINOR 231

/* /proc/swaps escapes ' ', '\t', '\n' and '\\' as \ooo. */
static void unescape_octal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/* 1 if ST (a regular file) is, or may be, an active swap file: its device
 * and inode are those of a "file" line of /proc/swaps, or a line's file
 * cannot be identified and ST is large enough to be it, or /proc/swaps
 * cannot be read (fail closed; a kernel without swap has no /proc/swaps). */
/* /proc/swaps as last read: within a batch (tem_storage_batch: one scan of
 * a whole fd table) it is read once, else at every call. */
enum { SWAPS_UNREAD = 0, SWAPS_TEXT, SWAPS_NONE, SWAPS_UNREADABLE, SWAPS_TOO_LONG };
static int swaps_batch, swaps_state;
/* Within a batch (one scan of a table: a tty or /dev/null is held many
 * times) the answers of disk_chardev for a few device numbers are kept. */
#define CHR_CACHE 8
static struct { dev_t rdev; int disk; } chr_cache[CHR_CACHE];
static size_t chr_cached;
static char swaps_text[8192];
static dev_t sysfs_dev;   /* of /sys/power, within a batch (0: not known) */

static int swaps_read(void)
{
	ssize_t n, len = 0;
	int fd;

	if (swaps_batch && swaps_state != SWAPS_UNREAD)
		return swaps_state;
	if ((fd = tem_proc_open("/proc/swaps", O_RDONLY)) < 0)
		return swaps_state = errno == ENOENT ? SWAPS_NONE : SWAPS_UNREADABLE;   /* ENOENT: CONFIG_SWAP=n */
	while (len < (ssize_t)sizeof swaps_text - 1 &&
	       (n = read(fd, swaps_text + len, sizeof swaps_text - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	if (len >= (ssize_t)sizeof swaps_text - 1 || len <= 0)
		return swaps_state = SWAPS_TOO_LONG;
	swaps_text[len] = 0;
	return swaps_state = SWAPS_TEXT;
}

void tem_storage_batch(int on)
{
	swaps_batch = on;
	swaps_state = SWAPS_UNREAD;
	sysfs_dev = 0;
	chr_cached = 0;
}

static int swapfile_active(const struct stat *st, const char **why)
{
	char buf[sizeof swaps_text], *line, *save = NULL;

	switch (swaps_read()) {
	case SWAPS_NONE:
		return 0;
	case SWAPS_UNREADABLE:
		*why = "a regular file while /proc/swaps cannot be read (it could be an active swap file)";
		return 1;
	case SWAPS_TOO_LONG:
		*why = "a regular file while /proc/swaps cannot be read whole (it could be an active swap file)";
		return 1;
	default:
		break;
	}
	memcpy(buf, swaps_text, sizeof buf);   /* strtok_r writes */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char path[4096], type[32], *del;
		unsigned long long kib = 0;
		struct stat sw;

		if (strncmp(line, "Filename", 8) == 0)
			continue;
		if (sscanf(line, "%4095s %31s %llu", path, type, &kib) < 2)
			continue;
		if (strcmp(type, "file") != 0)
			continue;   /* partitions are block devices, refused as such */
		unescape_octal(path);
		/* d_path's " (deleted)", escaped as \040(deleted) */
		del = strlen(path) > 10 && strcmp(path + strlen(path) - 10, " (deleted)") == 0 ? path : NULL;
		if (!del && stat(path, &sw) == 0) {
			if (sw.st_dev == st->st_dev && sw.st_ino == st->st_ino) {
				*why = "an active swap file: it holds page contents of trusted memory";
				return 1;
			}
			continue;
		}
		/* not identifiable from here (deleted, or outside erim-tem's
		 * root): every regular file large enough to hold that swap
		 * area might be it */
		if ((unsigned long long)st->st_size >= kib * 1024ULL) {
			*why = "a regular file that may be an active swap file erim-tem cannot identify (/proc/swaps)";
			return 1;
		}
	}
	return 0;
}

/* 1 if ST is a file of /sys/power (sysfs files are compared by device and
 * inode with the entries of erim-tem's /sys/power). */
static int sys_power_file(const struct stat *st)
{
	struct stat ds, es;
	struct dirent *e;
	DIR *d;
	int hit = 0;

	if (stat("/sys/power", &ds) != 0 || ds.st_dev != st->st_dev)
		return 0;
	if (ds.st_ino == st->st_ino)
		return 1;
	if (!(d = opendir("/sys/power")))
		return 1;   /* cannot list it: fail closed */
	while (!hit && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), e->d_name, &es, AT_SYMLINK_NOFOLLOW) == 0 && es.st_ino == st->st_ino && es.st_dev == st->st_dev)
			hit = 1;
	}
	closedir(d);
	return hit;
}

/* 1 if the character device ST is a disk's command interface: SCSI generic
 * (/dev/sgN), bsg (the files of /dev/bsg), an NVMe controller or its generic
 * namespace node (/dev/nvme0, /dev/ng0n1), MTD flash -- by the device
 * class sysfs names for its numbers.  Unknown to sysfs: not refused. */
static int disk_chardev_uncached(const struct stat *st)
{
	static const char *const cls[] = { "scsi_generic", "bsg", "nvme", "nvme-generic", "nvme-subsystem", "mtd", "ubi" };
	char name[64], link[256], *base;
	ssize_t n;
	size_t i;

	snprintf(name, sizeof name, "/sys/dev/char/%u:%u/subsystem", major(st->st_rdev), minor(st->st_rdev));
	if ((n = readlink(name, link, sizeof link - 1)) <= 0)
		return 0;
	link[n] = 0;
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	for (i = 0; i < sizeof cls / sizeof cls[0]; i++)
		if (strcmp(base, cls[i]) == 0)
			return 1;
	return 0;
}

static int disk_chardev(const struct stat *st)
{
	size_t i;
	int disk;

	if (swaps_batch)
		for (i = 0; i < chr_cached; i++)
			if (chr_cache[i].rdev == st->st_rdev)
				return chr_cache[i].disk;
	disk = disk_chardev_uncached(st);
	if (swaps_batch && chr_cached < CHR_CACHE) {
		chr_cache[chr_cached].rdev = st->st_rdev;
		chr_cache[chr_cached++].disk = disk;
	}
	return disk;
}

int tem_storage_refused(const struct stat *st, long fs_type, int accmode, const char **why)
{
	if (S_ISBLK(st->st_mode)) {
		*why = "block device: swap and disks hold page contents of trusted memory";
		return 1;
	}
	if (S_ISCHR(st->st_mode) && major(st->st_rdev) == SNAPSHOT_MAJOR && minor(st->st_rdev) == SNAPSHOT_MINOR) {
		*why = "/dev/snapshot: the hibernation image holds all of memory";
		return 1;
	}
	if (S_ISCHR(st->st_mode) && disk_chardev(st)) {
		*why = "a disk's command interface (SCSI generic, bsg, NVMe, MTD): swap and disks hold page contents of trusted memory";
		return 1;
	}
	if (fs_type == SYSFS_MAGIC && accmode != O_RDONLY && sys_power_file(st)) {
		*why = "a /sys/power file for writing: hibernation writes all of memory to swap";
		return 1;
	}
	if (S_ISREG(st->st_mode) && swapfile_active(st, why))
		return 1;
	return 0;
}

/* An fd a thread already holds (NAME in the fd directory DIRFD of TID,
 * /proc/TID/fd), judged as tem_storage_refused judges an open's result:
 * for fds that reached the program without an open erim-tem judged
 * (inherited across exec from whoever started erim-tem, received with
 * SCM_RIGHTS).  One fstatat per fd (tem_storage_st when the caller has
 * the stat already); the access mode is read (fdinfo) only for a file on
 * sysfs.  1 with *WHY, 0, or -1 (*WHY says why) when the fd exists but
 * cannot be identified. */
int tem_storage_st(pid_t tid, const struct stat *st, const char *name, const char **why)
{
	struct stat ps;
	long fs_type = 0;
	int acc = O_RDONLY;

	if (!sysfs_dev && stat("/sys/power", &ps) == 0)
		sysfs_dev = ps.st_dev;
	if (sysfs_dev && st->st_dev == sysfs_dev) {
		fs_type = SYSFS_MAGIC;
		acc = tem_fd_accmode(tid, strtol(name, NULL, 10));
		if (acc < 0)
			acc = O_RDWR;   /* cannot tell: as if for writing (fail closed) */
	}
	if (!swaps_batch)
		sysfs_dev = 0;
	return tem_storage_refused(st, fs_type, acc, why);
}

int tem_storage_fd(pid_t tid, int dirfd, const char *name, const char **why)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, 0) != 0) {
		if (errno == ENOENT)
			return 0;   /* closed meanwhile */
		*why = "an fd erim-tem cannot identify";
		return -1;
	}
	return tem_storage_st(tid, &st, name, why);
}

#define A TEM_W_ALWAYS
#define R TEM_W_EVERYONE_REGISTERED
const struct tem_rule tem_target_rules[] = {
	{ SYS_process_vm_readv, "process_vm_readv", A, chk_process_vm, "any target: a traced process (itself included), erim-tem, or an untraced process (an unwatched deputy); reads memory, pkeys ignored", "EPERM" },
	{ SYS_process_vm_writev, "process_vm_writev", A, chk_process_vm, "any target, as process_vm_readv; writes memory, pkeys ignored", "EPERM" },
	{ SYS_ptrace, "ptrace", A, chk_ptrace, "any target (traced, erim-tem, or an untraced deputy): memory and registers", "EPERM" },
	{ SYS_kcmp, "kcmp", A, chk_kcmp, "either target another traced process or erim-tem", "EPERM" },
	{ SYS_prlimit64, "prlimit64", A, chk_pid_arg0, "target another traced process or erim-tem (fd limit 0 would blind erim-tem)", "EPERM" },
	{ SYS_prlimit64, "prlimit64", R, tem_chk_prlimit_core, "own process after registration: RLIMIT_CORE raised (soft or hard; a soft limit of 1 is always allowed), or its soft limit 1 lowered to 0 (a core dump copies trusted memory and registers where untrusted code can read them; 0 does not stop a core_pattern pipe); result: the limit before and after the call, read by erim-tem (prlimit), judged by the same rule: a change it refuses stops the process (the struct changed after it was judged); a new RLIMIT_CORE for another process of the address space is refused", "EPERM; process stopped" },
	{ SYS_setrlimit, "setrlimit", R, tem_chk_setrlimit, "as prlimit64 on the caller's own process", "EPERM; process stopped" },
	{ SYS_migrate_pages, "migrate_pages", A, chk_pid_arg0, "target another traced process or erim-tem", "EPERM" },
	{ SYS_move_pages, "move_pages", A, chk_pid_arg0, "target another traced process or erim-tem", "EPERM" },
	{ SYS_get_robust_list, "get_robust_list", A, chk_pid_arg0, "target another traced process or erim-tem", "EPERM" },
	{ SYS_process_madvise, "process_madvise", A, chk_pidfd_mem, "pidfd of a traced process or erim-tem", "EPERM" },
	{ SYS_process_mrelease, "process_mrelease", A, chk_pidfd_mem, "pidfd of a traced process or erim-tem", "EPERM" },
	{ SYS_pidfd_getfd, "pidfd_getfd", A, NULL, "fds no open produced (another process's /proc/PID/mem fd)", "EPERM" },
	{ SYS_perf_event_open, "perf_event_open", A, NULL, "every caller, start-up too: the event samples the registers and memory of the task it was made for, whoever holds the fd -- a fork child keeps it past the registration, or an SCM_RIGHTS round trip brings it back (red team 39)", "EPERM" },
	{ SYS_userfaultfd, "userfaultfd", A, NULL, "every caller, start-up too: the fd registers and fills the memory it was made for, whoever holds it (a fork child keeps it past the registration: red team 39)", "EPERM" },
	{ SYS_io_uring_setup, "io_uring_setup", A, NULL, "io_uring opens files where no open row sees them (/proc/PPID/mem by an exec'd helper)", "EPERM" },
	{ SYS_io_uring_enter, "io_uring_enter", A, NULL, "every caller: a ring made outside erim-tem and kept past the registration opens files where no open row sees them (red team 40)", "EPERM" },
	{ SYS_io_uring_register, "io_uring_register", A, NULL, "as io_uring_enter", "EPERM" },
	{ SYS_ioctl, "ioctl", A, tem_chk_ioctl_tty, "terminal and console requests (plain numbers 0x54xx, 0x4Bxx, 0x56xx) not on erim-tem's list: TIOCSTI, TIOCLINUX and the keyboard-map requests feed input to another process (a shell), TIOCSETD/TIOCCONS rewire a terminal; only these ranges trap, the rest runs untrapped", "EPERM" },
	{ SYS_prctl, "prctl", A, chk_prctl_dumpable, "PR_SET_DUMPABLE other than 1: would hide maps and fds from erim-tem; PR_SET_PTRACER other than 0: a process outside the trace could ptrace the caller and open its memory where kernel.yama.ptrace_scope refuses it", "EPERM" },
	{ SYS_arch_prctl, "arch_prctl", A, chk_arch_prctl_all, "ARCH_ENABLE_TAGGED_ADDR, ARCH_FORCE_TAGGED_SVA (a tag the CPU ignores aliases trusted memory past checks that compare numbers), ARCH_MAP_VDSO_* (executable memory without an inspected mmap)", "EPERM" },
	{ SYS_personality, "personality", A, chk_personality_all, "READ_IMPLIES_EXEC, for every caller: it survives exec", "EPERM" },
	{ SYS_unshare, "unshare", A, chk_unshare, "CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID: bind mounts rename /proc files, pids change meaning", "EPERM" },
	{ SYS_clone, "clone", A, chk_clone_ns, "CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, as unshare", "EPERM" },
	{ SYS_clone3, "clone3", A, chk_clone3_all, "flags in memory, racy to judge: the C library falls back to clone", "ENOSYS" },
};
#undef A
#undef R
const size_t tem_ntarget_rules = sizeof tem_target_rules / sizeof tem_target_rules[0];

/* Does any traced process hold an fd to the memory file of TGID?  Checked
 * when TGID registers.  No open by a traced process makes such an fd (its
 * own start-up code included), but an untraced process of the same user
 * may open one and send it over a socket before the registration: no such
 * fd may outlive start-up, or untrusted code would read trusted memory
 * through it.  Every fd table of every traced process (tem_each_fd_table:
 * a thread made without CLONE_FILES, or after unshare(CLONE_FILES), has
 * its own). */
struct memfd_scan { pid_t tgid; long fdno; pid_t thread; };

static int memfd_fd_table(pid_t tg, pid_t r, void *arg)
{
	struct memfd_scan *m = arg;
	DIR *d;
	const char *fdname;

	(void)tg;
	if (!(d = tem_proc_opendir(r, "fd")))
		return -(errno ? errno : EIO);
	while ((fdname = tem_proc_next(d)) != NULL) {
		struct stat st;
		struct statfs sfs;
		const char *why;
		pid_t owner;
		int f;

		if ((f = openat(dirfd(d), fdname, O_PATH | O_CLOEXEC)) < 0)
			continue;
		if (fstat(f, &st) == 0 && fstatfs(f, &sfs) == 0 &&
		    tem_procfile_refused(&st, (long)sfs.f_type, &why, &owner) && (owner == m->tgid || owner == 0)) {
			close(f);
			m->fdno = strtol(fdname, NULL, 10);
			m->thread = r;
			closedir(d);
			return 1;
		}
		close(f);
	}
	closedir(d);
	return 0;
}

int tem_memfd_held(pid_t tgid, pid_t *holder, long *fdno)
{
	pid_t tg[512];
	size_t n = all_tracees(tg, sizeof tg / sizeof tg[0]), i;

	for (i = 0; i < n; i++) {
		struct memfd_scan m = { tgid, -1, 0 };
		int rc = tem_each_fd_table(tg[i], memfd_fd_table, &m);

		if (rc == 0)
			continue;
		*holder = tg[i];
		*fdno = m.fdno;
		if (rc < 0)
			return -1;   /* cannot read its fds: the caller refuses */
		if (m.thread != tg[i])
			tem_log(1, "process %d: thread %d (an fd table of its own) holds fd %ld to the memory file of %d",
			        (int)tg[i], (int)m.thread, m.fdno, (int)tgid);
		return 1;
	}
	return 0;
}
