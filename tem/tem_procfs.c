/* SPDX-License-Identifier: MIT */
/* tem_procfs.c: erim-tem reads procfs through a mount of its own.
 *
 * Every decision that reads /proc (maps, fdinfo, fd links, status, memory
 * files) must see the kernel's truth, not what the traced program arranged:
 * a bind mount over /proc/PID/maps in a mount namespace the program shares
 * would lie to erim-tem.  So before the program runs, a short-lived helper
 * enters a mount namespace of its own (with a user namespace when erim-tem
 * is not privileged), makes every mount private there (no propagation from
 * the program's namespace), and clones the /proc mount tree as a detached
 * mount (open_tree(OPEN_TREE_CLONE)), which it hands back over a socket.
 * Nothing the program mounts can reach a detached tree.  The clone is of the
 * procfs mount alone, not of what is mounted below it: a launcher's bind
 * mount over /proc/misc or a tmpfs over /proc/sys/kernel would otherwise
 * come along and lie (red team 45).  Where that is not possible (no
 * open_tree, user namespaces disabled), erim-tem opens /proc before the
 * program exists, says so with --log, and refuses to start when anything
 * is mounted below it; the program's own mount calls are refused in any
 * case (tem_table.c).  Either way the procfs must be one of erim-tem's own
 * pid namespace (its "self" is erim-tem's pid): another namespace's procfs
 * numbers tasks differently, and /proc/PID would be someone else (red team
 * 45, a decoy at the program's pid); erim-tem refuses to start otherwise. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim_procline.h"
#include "tem.h"
#include "tem_table.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static int procfd = -1;
static const char *how = "not opened";

static int send_fd(int sock, int fd)
{
	char dummy = 'p';
	struct iovec iov = { &dummy, 1 };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr m;

	memset(&m, 0, sizeof m);
	memset(&u, 0, sizeof u);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof u.b;
	CMSG_FIRSTHDR(&m)->cmsg_level = SOL_SOCKET;
	CMSG_FIRSTHDR(&m)->cmsg_type = SCM_RIGHTS;
	CMSG_FIRSTHDR(&m)->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(CMSG_FIRSTHDR(&m)), &fd, sizeof fd);
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char dummy;
	struct iovec iov = { &dummy, 1 };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr m;
	struct cmsghdr *h;
	int fd = -1;

	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof u.b;
	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	h = CMSG_FIRSTHDR(&m);
	if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && h->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(h), sizeof fd);
	return fd;
}

/* The helper: a private mount namespace, a detached clone of /proc. */
__attribute__((noreturn))
static void helper(int sock)
{
	int fd;

	if (unshare(CLONE_NEWNS) != 0 && unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
		_exit(1);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		_exit(2);
	fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc", OPEN_TREE_CLONE | O_CLOEXEC);   /* not AT_RECURSIVE */
	if (fd < 0 || send_fd(sock, fd) != 0)
		_exit(3);
	_exit(0);
}

static void refuse_start(const char *what)
{
	fprintf(stderr, "erim-tem: refusing to start: %s\n", what);
	exit(125);
}

/* The procfs must be of erim-tem's own pid namespace.  "self" naming
 * erim-tem's pid is not enough: a launcher that picks pids (clone3's
 * set_tid) gives erim-tem the same number in its own namespace and in an
 * ancestor's whose procfs it mounted (red team 46, pidcoinc).  The NSpid
 * line of self's status lists the pids from the procfs's namespace down
 * to erim-tem's own: one number, erim-tem's, only when the two are the
 * same namespace.  And a procfs it is. */
static void own_pidns(void)
{
	char line[256], msg[400], me[32];
	int fd = openat(procfd, "self/status", O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	struct statfs sfs;
	int found = 0;

	if (fstatfs(procfd, &sfs) != 0 || sfs.f_type != PROC_SUPER_MAGIC)
		refuse_start("/proc is not a procfs");
	snprintf(me, sizeof me, "%d", (int)getpid());
	msg[0] = 0;
	while (f && !found && erim_proc_line(line, sizeof line, f))
		if (strncmp(line, "NSpid:", 6) == 0) {
			char *p = line + 6, *e;

			found = 1;
			while (*p == ' ' || *p == '\t')
				p++;
			e = p + strcspn(p, " \t\n");
			if (*e == '\n')
				*e = 0;
			if (strcmp(p, me) != 0)
				snprintf(msg, sizeof msg, "/proc is the procfs of another pid namespace (erim-tem's pids there, "
				         "outermost first: \"%.64s\"; erim-tem is pid %s): its pids would name other tasks; "
				         "mount a procfs of erim-tem's own pid namespace on /proc", p, me);
		}
	if (f)
		fclose(f);
	else if (fd >= 0)
		close(fd);
	if (!found)
		snprintf(msg, sizeof msg, "cannot read erim-tem's own NSpid through /proc (no /proc/self/status there: "
		         "the procfs of another pid namespace?)");
	if (msg[0])
		refuse_start(msg);
}

/* Without a detached clone erim-tem reads /proc itself, mounts below it
 * included: refused when anything but binfmt_misc is mounted there (read
 * from mountinfo through the procfs just opened). */
static void nothing_below(void)
{
	char line[1024], msg[1200], *p;
	int fd = openat(procfd, "self/mountinfo", O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	int field;

	if (!f)
		refuse_start("cannot read /proc/self/mountinfo to see what is mounted below /proc");
	while (erim_proc_line(line, sizeof line, f)) {
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ..." */
		for (p = line, field = 0; *p && field < 4; p++)
			if (*p == ' ')
				field++;
		/* binfmt_misc at its place, and a binfmt_misc it is (the file
		 * system type follows " - "): not a tmpfs named so (red team 46) */
		if (strncmp(p, "/proc/", 6) != 0 ||
		    (strncmp(p, "/proc/sys/fs/binfmt_misc ", 25) == 0 && strstr(p, " - binfmt_misc ")))
			continue;
		*strchrnul(p, ' ') = 0;
		snprintf(msg, sizeof msg, "%.512s is mounted below /proc, which erim-tem reads directly here (no "
		         "private mount namespace): it could lie to erim-tem; unmount it", p);
		fclose(f);
		refuse_start(msg);
	}
	fclose(f);
}

void tem_procfs_init(void)
{
	int sv[2], st;
	pid_t pid;
	struct stat a, b;

	if (procfd >= 0)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
		pid = fork();
		if (pid == 0) {
			close(sv[0]);
			helper(sv[1]);
		}
		close(sv[1]);
		if (pid > 0) {
			procfd = recv_fd(sv[0]);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
		}
		close(sv[0]);
	}
	/* the clone must be the same procfs (same device) as the program's */
	if (procfd >= 0 && (fstat(procfd, &a) != 0 || stat("/proc", &b) != 0 || a.st_dev != b.st_dev)) {
		close(procfd);
		procfd = -1;
	}
	if (procfd >= 0) {
		how = "a detached clone of /proc made in a private mount namespace";
	} else {
		procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
		how = "/proc opened before the program ran (no private mount namespace here)";
		if (procfd < 0) {
			fprintf(stderr, "erim-tem: cannot open /proc: %s\n", strerror(errno));
			exit(125);
		}
		nothing_below();
	}
	own_pidns();
}

int tem_procfd(void)
{
	if (procfd < 0)
		tem_procfs_init();
	return procfd;
}

const char *tem_procfs_how(void)
{
	return how;
}

/* "/proc/REST" -> "REST" (anything else stays as it is: an absolute path
 * ignores the directory fd, which is a bug to notice, not to hide). */
static const char *rel(const char *path)
{
	return strncmp(path, "/proc/", 6) == 0 ? path + 6 : path;
}

int tem_proc_open(const char *path, int flags)
{
	return openat(tem_procfd(), rel(path), flags | O_CLOEXEC);
}

FILE *tem_proc_fopen(const char *path)
{
	int fd = tem_proc_open(path, O_RDONLY);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

int tem_proc_stat(const char *path, struct stat *st)
{
	return fstatat(tem_procfd(), rel(path), st, 0);
}

static int status_numbers(FILE *(*fopen_fn)(const char *), pid_t pid, const char *key, int base,
                          unsigned long *out, int max)
{
	char name[48], line[160], *p, *e;
	size_t kl = strlen(key);
	FILE *f;
	int n = -1;

	snprintf(name, sizeof name, "/proc/%d/status", (int)pid);
	if (pid <= 0 || !(f = fopen_fn(name)))
		return -1;
	while (n < 0 && erim_proc_line(line, sizeof line, f)) {
		if (strncmp(line, key, kl) != 0 || line[kl] != ':')
			continue;
		for (n = 0, p = line + kl + 1; n < max; n++, p = e) {
			errno = 0;
			out[n] = strtoul(p, &e, base);
			if (e == p || errno)
				break;
		}
	}
	fclose(f);
	return n;
}

int tem_proc_status(FILE *(*fopen_fn)(const char *), pid_t pid, const char *key,
                    unsigned long *out, int max)
{
	return status_numbers(fopen_fn, pid, key, 10, out, max);
}

int tem_proc_sigmask(pid_t pid, const char *key, uint64_t *mask)
{
	unsigned long m;

	if (status_numbers(tem_proc_fopen, pid, key, 16, &m, 1) != 1)
		return -1;
	*mask = (uint64_t)m;
	return 0;
}

pid_t tem_proc_tgid(pid_t pid)
{
	unsigned long tg;

	return tem_proc_status(tem_proc_fopen, pid, "Tgid", &tg, 1) == 1 ? (pid_t)tg : -1;
}

DIR *tem_proc_opendir(pid_t pid, const char *sub)
{
	char name[64];
	DIR *d;
	int fd;

	snprintf(name, sizeof name, "/proc/%d/%s", (int)pid, sub);
	if ((fd = tem_proc_open(name, O_RDONLY | O_DIRECTORY)) < 0)
		return NULL;
	if (!(d = fdopendir(fd)))
		close(fd);
	return d;
}

const char *tem_proc_next(DIR *d)
{
	struct dirent *e;

	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			return e->d_name;
	return NULL;
}

/* 1 if thread TID of group TGID is alive (not a zombie or dead, and not
 * exiting: PF_EXITING is set before a task gives up its memory and fds),
 * 0 if not, -errno if its state cannot be read.  The state and the flags
 * are the 3rd and 9th fields of /proc/TGID/task/TID/stat, after the last
 * ')' (the name may hold ')'). */
#define TEM_PF_EXITING 0x00000004ul
int tem_thread_live(pid_t tgid, pid_t tid)
{
	char name[96], buf[512], *r, *q;
	unsigned long flags;
	ssize_t n;
	int fd, i;

	snprintf(name, sizeof name, "/proc/%d/task/%d/stat", (int)tgid, (int)tid);
	if ((fd = tem_proc_open(name, O_RDONLY)) < 0)
		return -errno;
	do
		n = read(fd, buf, sizeof buf - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = 0;
	if (!(r = strrchr(buf, ')')) || r[1] != ' ' || !r[2])
		return -EIO;
	if (r[2] == 'Z' || r[2] == 'X' || r[2] == 'x')
		return 0;
	q = r + 3;
	for (i = 0; i < 5; i++) {   /* ppid pgrp session tty_nr tpgid */
		if (*q != ' ')
			return -EIO;
		strtol(q + 1, &q, 10);
	}
	if (*q != ' ')
		return -EIO;
	flags = strtoul(q + 1, &q, 10);
	return !(flags & TEM_PF_EXITING);
}

pid_t tem_group_reader(pid_t tgid)
{
	DIR *d;
	const char *name;
	int rc = tem_thread_live(tgid, tgid);

	if (rc == 1)
		return tgid;
	if (!(d = tem_proc_opendir(tgid, "task")))
		return errno == ENOENT || errno == ESRCH ? 0 : -(errno ? errno : EIO);   /* reaped: nothing left */
	while ((name = tem_proc_next(d)) != NULL) {
		char *end;
		long tid = strtol(name, &end, 10);

		if (*end || tid <= 0 || tid == tgid)
			continue;
		if ((rc = tem_thread_live(tgid, (pid_t)tid)) == 1) {
			closedir(d);
			return (pid_t)tid;
		}
		if (rc < 0 && rc != -ENOENT && rc != -ESRCH) {
			closedir(d);
			return rc;   /* cannot tell whether it lives */
		}
	}
	closedir(d);
	return 0;   /* every thread has exited: a zombie holds no fds and no memory */
}

#ifndef KCMP_FILES
#define KCMP_FILES 2
#endif

/* The live threads of TGID, one per fd table, into *OUT (malloc'ed,
 * *N of them).  0, or -errno. */
static int fd_table_readers(pid_t tgid, pid_t **out, size_t *n)
{
	DIR *d;
	const char *name;
	pid_t *r = NULL;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (!(d = tem_proc_opendir(tgid, "task")))
		return errno == ENOENT || errno == ESRCH ? 0 : -(errno ? errno : EIO);   /* reaped: nothing left */
	while ((name = tem_proc_next(d)) != NULL) {
		char *end;
		long tid = strtol(name, &end, 10);
		size_t j;
		int rc;

		if (*end || tid <= 0)
			continue;
		if ((rc = tem_thread_live(tgid, (pid_t)tid)) != 1) {
			if (rc < 0 && rc != -ENOENT && rc != -ESRCH) {
				closedir(d);
				free(r);
				return rc;   /* cannot tell whether it lives */
			}
			continue;   /* exited: a zombie holds no fds */
		}
		for (j = 0; j < *n; j++)
			if (syscall(SYS_kcmp, r[j], (pid_t)tid, KCMP_FILES, 0, 0) == 0)
				break;   /* the same table as one already listed */
		if (j < *n)
			continue;
		if (*n == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			pid_t *nr = realloc(r, ncap * sizeof *nr);

			if (!nr) {
				closedir(d);
				free(r);
				return -ENOMEM;
			}
			r = nr;
			cap = ncap;
		}
		r[(*n)++] = (pid_t)tid;
	}
	closedir(d);
	*out = r;
	return 0;
}

int tem_each_fd_table(pid_t tgid, int (*fn)(pid_t tgid, pid_t reader, void *arg), void *arg)
{
	int tries;

	for (tries = 0; tries < 4; tries++) {
		pid_t *r;
		size_t n, i;
		int rc = fd_table_readers(tgid, &r, &n), again = 0;

		if (rc < 0)
			return rc;
		for (i = 0; i < n && !again; i++) {
			if ((rc = fn(tgid, r[i], arg)) != 0) {
				free(r);
				return rc;
			}
			/* R began to exit during the scan: its fds may have gone
			 * from under it while other threads still hold them */
			again = tem_thread_live(tgid, r[i]) != 1;
		}
		free(r);
		if (!again)
			return 0;
	}
	return -ESRCH;
}

/* Access mode (O_RDONLY/O_WRONLY/O_RDWR) of TID's fd FD, or -errno.  One
 * open, one read, one close (no stdio: its set-up costs two more calls). */
int tem_fd_accmode(pid_t tid, long fd)
{
	char name[64], buf[1024], *l;
	int f, mode = -ENOENT;
	ssize_t n;

	snprintf(name, sizeof name, "/proc/%d/fdinfo/%ld", (int)tid, fd);
	if ((f = tem_proc_open(name, O_RDONLY)) < 0)
		return -errno;
	do
		n = read(f, buf, sizeof buf - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		mode = -errno;
		close(f);
		return mode;
	}
	close(f);
	buf[n] = 0;
	/* "pos:\t0\nflags:\t0100002\n...": flags is the second line, well
	 * inside the first read */
	for (l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		unsigned long fl;

		if (sscanf(l, "flags: %lo", &fl) == 1) {
			mode = (int)(fl & O_ACCMODE);
			break;
		}
	}
	return mode;
}
