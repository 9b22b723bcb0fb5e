/* SPDX-License-Identifier: MIT */
/* tem_regfds.c: fds that registration refuses to carry over.  Start-up is
 * trusted, but an fd it made stays after registration, in untrusted hands:
 * a userfaultfd registers trusted ranges and fills them (UFFDIO_COPY writes
 * through the kernel's mapping, no key checked), /dev/userfaultfd makes one
 * for whoever issues its ioctl, an io_uring runs calls nobody judges, a perf
 * event samples registers and memory of trusted code, a BPF object or a
 * fanotify group reach the kernel beside the policy.  The calls that make
 * them are refused to untrusted code; an fd made before registration is
 * refused here, by what the kernel says it is (the fd's link in
 * /proc/TGID/fd: "anon_inode:[userfaultfd]", ...; /dev/userfaultfd by its
 * device number).  Memory files are tem_memfd_held's (tem_target.c). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tem.h"
#include "tem_table.h"

static const char *const kinds[] = {
	"anon_inode:[userfaultfd]",
	"anon_inode:[io_uring]",
	"anon_inode:[perf_event]",
	"anon_inode:[fanotify]",
	"anon_inode:bpf",          /* bpf-map, bpf-prog, bpf_link, ... */
	"anon_inode:[bpf",
	"anon_inode:seccomp notify",   /* a listener: its CONTINUE runs a call no ptrace stop judges */
};

struct danger { long fdno; char *what; size_t len; };

/* The link of fd NAME in DIRFD into LINK: 1, 0 when the fd is gone (closed
 * meanwhile), and 1 with a placeholder when the link cannot be read -- a
 * path longer than PATH_MAX gives ENAMETOOLONG (red team 43): the fd is
 * still there and is judged by what fstatat says of it. */
static int fd_link(int dirfd, const char *name, char *link, size_t len)
{
	ssize_t n = readlinkat(dirfd, name, link, len - 1);

	if (n > 0) {
		link[n] = 0;
		return 1;
	}
	if (n < 0 && errno == ENOENT)
		return 0;
	snprintf(link, len, "(link unreadable: %s)", n < 0 ? strerror(errno) : "empty");
	return 1;
}

/* Is LINK (an fd's link in /proc/TID/fd) one of the refused kinds? */
static int danger_link(const char *link)
{
	size_t k;

	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strncmp(link, kinds[k], strlen(kinds[k])) == 0)
			return 1;
	return 0;
}

/* /dev/userfaultfd's device number, from what the kernel lists in
 * /proc/misc (erim-tem's own procfs) -- not from a node's name: a node can
 * be made anywhere with mknod, a system may have none at /dev, and the one
 * there could be another device's -- else from the node; cached once
 * known, 0 while it is not (the kernel lists none). */
static dev_t uffd_rdev(void)
{
	static dev_t known;
	struct stat uf;
	char buf[4096], *p;
	ssize_t n = -1;
	int fd;

	if (known)
		return known;
	if ((fd = openat(tem_procfd(), "misc", O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	for (p = buf; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		unsigned minor;
		char name[32];

		if (sscanf(p, "%u %31s", &minor, name) == 2 && strcmp(name, "userfaultfd") == 0)
			return known = makedev(10, minor);   /* MISC_MAJOR */
	}
	if (n > 0)
		return 0;   /* the kernel lists no userfaultfd device */
	if (stat("/dev/userfaultfd", &uf) == 0 && S_ISCHR(uf.st_mode))
		return known = uf.st_rdev;
	return 0;
}

int tem_is_uffd_dev(const struct stat *st)
{
	dev_t r = S_ISCHR(st->st_mode) ? uffd_rdev() : 0;

	return r && st->st_rdev == r;
}

/* One fd table (read through task R): 1 and the fd in D when one is of a
 * refused kind, 0 when none is, -errno when the table cannot be read. */
static int danger_fd_table(pid_t tgid, pid_t r, void *arg)
{
	struct danger *dg = arg;
	DIR *d;
	const char *name;

	(void)tgid;
	if (!(d = tem_proc_opendir(r, "fd")))
		return -(errno ? errno : EIO);
	while ((name = tem_proc_next(d)) != NULL) {
		char link[256];
		struct stat st;
		if (!fd_link(dirfd(d), name, link, sizeof link))
			continue;   /* closed meanwhile */
		if (!danger_link(link)) {
			if (fstatat(dirfd(d), name, &st, 0) != 0) {
				if (errno == ENOENT)
					continue;
				snprintf(link + strlen(link), sizeof link - strlen(link), " (cannot be identified: %s)",
				         strerror(errno));
			} else if (!tem_is_uffd_dev(&st)) {
				continue;
			} else {
				snprintf(link + strlen(link), sizeof link - strlen(link), " (/dev/userfaultfd's device)");
			}
		}
		dg->fdno = strtol(name, NULL, 10);
		snprintf(dg->what, dg->len, "of thread %d is %s", (int)r, link);
		closedir(d);
		return 1;
	}
	closedir(d);
	return 0;
}

/* Every fd table of TGID (tem_each_fd_table: a thread made without
 * CLONE_FILES, or after unshare(CLONE_FILES), has its own). */
int tem_dangerous_fd(pid_t tgid, long *fdno, char *what, size_t len)
{
	struct danger dg = { -1, what, len };
	int rc;

	snprintf(what, len, "of process %d", (int)tgid);
	rc = tem_each_fd_table(tgid, danger_fd_table, &dg);
	*fdno = dg.fdno;
	return rc > 0 ? 1 : rc < 0 ? -1 : 0;
}

int tem_dangerous_in_table(pid_t tid, long *fdno, char *what, size_t len)
{
	struct danger dg = { -1, what, len };
	int rc = danger_fd_table(tid, tid, &dg);

	*fdno = dg.fdno;
	return rc > 0 ? 1 : rc < 0 ? -1 : 0;
}

/* ---- storage fds no judged open made ---------------------------------------
 * erim-tem judges the result of every open (tem_policy.c exit_fd_check,
 * tem_storage_refused): untrusted and start-up code cannot open a block
 * device, an active swap file, a disk's command interface, /dev/snapshot or
 * a /sys/power file for writing, since swap and hibernation hold page
 * contents of trusted memory.  An fd can reach a traced process without
 * such an open: inherited across exec from whoever started erim-tem (a
 * shell redirection: erim-tem ./prog 3</dev/sda), or received with
 * SCM_RIGHTS from an untraced process (recvmsg, recvmmsg).  The same
 * judgement is made on every fd such a way can bring: at registration on
 * every fd table of every traced process (a process forked before the
 * registration keeps its copy of an inherited fd), and at the exit of
 * recvmsg/recvmmsg on the caller's whole table (tem_policy.c).
 * pidfd_getfd, the other way to take an fd from outside, is refused to
 * every caller; io_uring and the mount family (open_tree, fsmount) too. */

struct storage { pid_t thread; long fdno; const char *why; char *link; size_t len; };

/* One fd table, read through task R: 1 and the fd in S when one is
 * storage, 0 when none is, -errno when the table cannot be read. */
static int storage_fd_table(pid_t tgid, pid_t r, void *arg)
{
	struct storage *s = arg;
	const char *name, *why = NULL;
	DIR *d;
	int rc = 0;

	(void)tgid;
	if (!(d = tem_proc_opendir(r, "fd")))
		return -(errno ? errno : EIO);
	tem_storage_batch(1);
	while ((name = tem_proc_next(d)) != NULL) {
		ssize_t n;

		if ((rc = tem_storage_fd(r, dirfd(d), name, &why)) == 0)
			continue;
		s->thread = r;
		s->fdno = strtol(name, NULL, 10);
		s->why = why;
		n = readlinkat(dirfd(d), name, s->link, s->len - 1);
		s->link[n > 0 ? n : 0] = 0;
		rc = 1;   /* unidentifiable (-1) counts as storage: fail closed */
		break;
	}
	tem_storage_batch(0);
	closedir(d);
	return rc;
}

int tem_storage_held(pid_t *holder, pid_t *thread, long *fdno, char *link, size_t len, const char **why)
{
	pid_t tg[512];
	size_t n = tem_traced_tgids(tg, sizeof tg / sizeof tg[0]), i;

	for (i = 0; i < n; i++) {
		struct storage s = { 0, -1, NULL, link, len };
		int rc;

		link[0] = 0;
		rc = tem_each_fd_table(tg[i], storage_fd_table, &s);
		if (rc == 0)
			continue;
		*holder = tg[i];
		*thread = s.thread;
		*fdno = s.fdno;
		*why = rc < 0 ? "its fds cannot be read" : s.why;
		return rc < 0 ? -1 : 1;
	}
	return 0;
}

/* ---- the caller's table after recvmsg ---------------------------------------
 * All three judgements above on one table, in one walk: per fd one
 * readlinkat (the kinds, the message) and one fstatat (storage,
 * /dev/userfaultfd, physical memory); the file system type (open O_PATH,
 * fstatfs) only for a regular file of mode 0600 or 0400 -- the modes of the
 * procfs files that read memory or registers (tem_procfile_refused).  A
 * directory or symlink fd of some procfs gives nothing by itself: what is
 * opened through it is judged by that open's own check. */
/* a regular file with the mode of a procfs memory (0600) or registers or
 * kcore (0400) file */
static int procfs_mode(const struct stat *st)
{
	return S_ISREG(st->st_mode) && ((st->st_mode & 07777) == 0600 || (st->st_mode & 07777) == 0400);
}

int tem_recv_in_table(pid_t tid, long *fdno, char *link, size_t len, const char **why)
{
	struct stat st;
	int rc = 0;
	const char *name;
	DIR *d;

	*fdno = -1;
	link[0] = 0;
	*why = "the caller's fds cannot be read";
	if (!(d = tem_proc_opendir(tid, "fd")))
		return -(errno ? errno : EIO);
	tem_storage_batch(1);
	while ((name = tem_proc_next(d)) != NULL) {
		pid_t owner;

		if (!fd_link(dirfd(d), name, link, len))
			continue;   /* closed meanwhile */
		if (danger_link(link)) {
			*why = "an fd of a kind that acts on memory or registers beside the policy";
			rc = 1;
		} else if (fstatat(dirfd(d), name, &st, 0) != 0) {
			if (errno == ENOENT)
				continue;
			*why = "an fd erim-tem cannot identify";
			rc = 1;   /* fail closed */
		} else if (tem_is_uffd_dev(&st)) {
			*why = "/dev/userfaultfd (a userfaultfd for whichever process uses the fd)";
			rc = 1;
		} else if (procfs_mode(&st)) {
			struct statfs sfs;
			int f = openat(dirfd(d), name, O_PATH | O_CLOEXEC);

			if (f < 0 || fstatfs(f, &sfs) != 0) {
				*why = "an fd erim-tem cannot identify";
				rc = 1;
			} else {
				rc = tem_procfile_refused(&st, (long)sfs.f_type, why, &owner) ||
				     tem_storage_st(tid, &st, name, why) != 0;
			}
			if (f >= 0)
				close(f);
		} else {
			rc = tem_procfile_refused(&st, 0, why, &owner) || tem_storage_st(tid, &st, name, why) != 0;
		}
		if (rc) {
			*fdno = strtol(name, NULL, 10);
			break;
		}
	}
	tem_storage_batch(0);
	closedir(d);
	return rc;
}
