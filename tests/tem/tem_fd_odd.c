/* SPDX-License-Identifier: MIT */
/* tem_fd_odd.c: fds that reach a registered program from a launcher outside
 * the trace in shapes erim-tem's checks once passed (red team 43).
 *   sent TEM|-   : the launcher sends the program's /proc/PID/mem after the
 *          registration; untrusted code receives it with an ordinary
 *          recvmsg (the plain case the others vary).
 *   efault TEM|- : the launcher sends the program's /proc/PID/mem after the
 *          registration; untrusted code receives it with its msghdr on a
 *          read-only page: the kernel installs the fd, then fails writing
 *          msg_flags back (EFAULT) -- a failed recvmsg with a new fd.
 *   long TEM|-   : the launcher (root, a mount namespace of its own) opens
 *          the memory file through a bind mount of /proc at the end of a
 *          5,000-byte path: the fd's link cannot be read (ENAMETOOLONG);
 *          untrusted code receives it with an ordinary recvmsg.
 *     TEM: the program runs under that erim-tem; exit 0 when it is
 *     stopped at the recvmsg before it reads.  "-": the control, without
 *     erim-tem; exit 1 when untrusted code reads the registered page.
 *   uflong TEM|- : the launcher (root) makes a node with /dev/userfaultfd's
 *          device number at a 5,000-byte path and hands it over as fd 100.
 *          TEM: exit 0 when erim-tem refuses to start (exit 125); "-": the
 *          control, the program makes a userfaultfd with the node's
 *          USERFAULTFD_IOC_NEW: exit 1.
 *   notif TEM | nonotif TEM : the launcher installs a seccomp filter that
 *          hands sysfs(2) (a call nobody makes) to a listener and starts erim-tem with the
 *          listener as fd 100 (whoever holds it answers CONTINUE: the call
 *          runs without a ptrace stop): exit 0 when erim-tem refuses to
 *          start; nonotif, the control: the same filter, the listener not
 *          handed over: exit 0 when erim-tem runs the program.
 * 77 when the kernel or the privilege a case needs is missing (said why). */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem_reg.h"
#include "tem_scm.h"

static const char secret_text[] = "FD-ODD-SECRET-43";

#define DEPTH 25   /* x 200 bytes: past PATH_MAX */

/* a directory chain DEPTH deep under a fresh /tmp directory, entered; its
 * top in TOP.  0, or 77 (said why) */
static int deep_enter(char top[64])
{
	char comp[201];
	int i;

	if (geteuid() != 0) {
		printf("skip: needs root (a mount namespace, mknod)\n");
		return 77;
	}
	snprintf(top, 64, "/tmp/erim-fd-odd.XXXXXX");
	if (!mkdtemp(top) || chdir(top) != 0)
		return 2;
	memset(comp, 'd', 200);
	comp[200] = 0;
	for (i = 0; i < DEPTH; i++)
		if (mkdir(comp, 0700) != 0 || chdir(comp) != 0)
			return 2;
	return 0;
}

/* leave and remove the chain (ENTRY, if any, at its end, removed first) */
static void deep_leave(const char *top, const char *entry, int is_mount)
{
	char comp[201];
	int i;

	if (entry) {
		if (is_mount)
			umount2(entry, MNT_DETACH);
		if (rmdir(entry) != 0)
			unlink(entry);
	}
	memset(comp, 'd', 200);
	comp[200] = 0;
	for (i = 0; i < DEPTH; i++)
		if (chdir("..") != 0 || rmdir(comp) != 0)
			break;
	if (chdir("/") == 0)
		rmdir(top);
}

/* untrusted code: receive the memory file on fd 100 with the msghdr on a
 * read-only page (EFAULT) or as usual, read SECRET through it */
static int take_and_read(int efault, const char *secret)
{
	int fd;

	if (efault) {
		static char cbuf[CMSG_SPACE(sizeof(int))], data;
		static struct iovec iov = { &data, 1 };
		struct msghdr *mh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long r;

		if (mh == MAP_FAILED)
			return 2;
		fd = dup(0);   /* the number the received fd will get */
		close(fd);
		memset(mh, 0, sizeof *mh);
		mh->msg_iov = &iov;
		mh->msg_iovlen = 1;
		mh->msg_control = cbuf;
		mh->msg_controllen = sizeof cbuf;
		if (mprotect(mh, 4096, PROT_READ) != 0)
			return 2;
		r = recvmsg(100, mh, 0);
		printf("untrusted recvmsg with a read-only msghdr: %ld (%s)\n", r, r < 0 ? strerror(errno) : "ok");
		if (fcntl(fd, F_GETFD) < 0)
			fd = -1;
	} else {
		fd = scm_recv_fd(100);
	}
	return scm_read_page(fd, secret, secret_text);
}

/* the program (fd 100: the launcher's socket): registers, tells the
 * launcher its pid, receives the memory file, reads */
static int prog(int efault)
{
	char *secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct { pid_t pid; uint64_t page; } me;
	long rc;

	if (secret == MAP_FAILED)
		return 2;
	memcpy(secret, secret_text, sizeof secret_text);
	rc = tem_reg(-1, secret, 4096);
	printf("registration: %s\n", rc == TEM_REPLY ? "accepted" : strerror(errno));
	me.pid = getpid();
	me.page = (uintptr_t)secret;
	if (write(100, &me, sizeof me) != (ssize_t)sizeof me)
		return 2;
	return take_and_read(efault, secret);
}

/* start ARGV[0..] (erim-tem or the program) with FD as fd 100 */
static pid_t start(int fd, char *const argv[])
{
	pid_t p;

	fflush(stdout);
	if ((p = fork()) == 0) {
		if (fd >= 0 && dup2(fd, 100) != 100)
			_exit(2);
		execv(argv[0], argv);
		_exit(127);
	}
	return p;
}

/* exit status of P as erim-tem reports it (128 + signal) */
static int status_of(pid_t p)
{
	int st;

	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int sent(const char *tem, const char *self, int longpath, int efault)
{
	char *withtem[] = { (char *)tem, (char *)self, efault ? "prog-efault" : "prog", NULL };
	char *alone[] = { (char *)self, efault ? "prog-efault" : "prog", NULL };
	struct { pid_t pid; uint64_t page; } them;
	char name[64], top[64];
	int sv[2], mfd, rc;
	pid_t p;

	if (longpath && (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)) {
		printf("skip: a mount namespace of its own: %s\n", strerror(errno));
		return 77;
	}
	if (longpath && (rc = deep_enter(top)) != 0)
		return rc;
	if (longpath && (mkdir("p", 0700) != 0 || mount("/proc", "p", NULL, MS_BIND, NULL) != 0)) {
		printf("launcher: bind mount of /proc at the end of the chain: %s\n", strerror(errno));
		deep_leave(top, "p", 0);
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 2;
	p = start(sv[1], strcmp(tem, "-") == 0 ? alone : withtem);
	close(sv[1]);
	if (p < 0 || read(sv[0], &them, sizeof them) != (ssize_t)sizeof them)
		return 2;
	snprintf(name, sizeof name, longpath ? "p/%d/mem" : "/proc/%d/mem", (int)them.pid);
	if ((mfd = open(name, O_RDONLY)) < 0 || scm_send_fd(sv[0], mfd) != 0) {
		printf("launcher: open and send %s: %s\n", name, strerror(errno));
		return 2;
	}
	close(mfd);
	rc = status_of(p);
	printf("launcher sent %s%s; the program: %d\n", longpath ? "<5,000 bytes of path>/" : "", name, rc);
	if (longpath)
		deep_leave(top, "p", 1);
	return rc == 128 + SIGKILL ? 0 : rc;
}

/* /dev/userfaultfd's device number from /proc/misc; 0 when none */
static dev_t uffd_dev(void)
{
	FILE *f = fopen("/proc/misc", "r");
	unsigned minor;
	char name[64];
	dev_t d = 0;

	while (f && fscanf(f, "%u %63s", &minor, name) == 2)
		if (strcmp(name, "userfaultfd") == 0)
			d = makedev(10, minor);
	if (f)
		fclose(f);
	return d;
}

static int uflong(const char *tem, const char *self)
{
	char *withtem[] = { (char *)tem, (char *)self, "exit0", NULL };
	char *alone[] = { (char *)self, "uf-use", NULL };
	dev_t d = uffd_dev();
	char top[64];
	int fd, rc;

	if (!d) {
		printf("skip: the kernel lists no userfaultfd device in /proc/misc\n");
		return 77;
	}
	if ((rc = deep_enter(top)) != 0)
		return rc;
	if (mknod("u", S_IFCHR | 0600, d) != 0 || (fd = open("u", O_RDWR | O_CLOEXEC)) < 0) {
		printf("launcher: mknod/open of a userfaultfd node: %s\n", strerror(errno));
		deep_leave(top, "u", 0);
		return 2;
	}
	rc = status_of(start(fd, strcmp(tem, "-") == 0 ? alone : withtem));
	close(fd);
	deep_leave(top, "u", 0);
	printf("%s with fd 100 = a userfaultfd node at a 5,000-byte path: exit %d\n",
	       strcmp(tem, "-") == 0 ? "the program alone" : "erim-tem", rc);
	if (strcmp(tem, "-") == 0)
		return rc;
	return rc == 125 ? 0 : 1;
}

/* the control of uflong: the inherited node makes a userfaultfd */
static int uf_use(void)
{
	int u = ioctl(100, USERFAULTFD_IOC_NEW, O_CLOEXEC);

	printf("ioctl(fd 100, USERFAULTFD_IOC_NEW): %s\n", u >= 0 ? "a userfaultfd" : strerror(errno));
	return u >= 0 ? 1 : 2;
}

static int notif(const char *tem, const char *self, int hand_over)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sysfs, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof f / sizeof f[0], f };
	char *withtem[] = { (char *)tem, (char *)self, "exit0", NULL };
	int lis, rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    (lis = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog)) < 0) {
		printf("skip: a seccomp filter with a listener: %s\n", strerror(errno));
		return 77;
	}
	rc = status_of(start(hand_over ? lis : -1, withtem));
	printf("erim-tem under a USER_NOTIF filter (sysfs), %s: exit %d\n",
	       hand_over ? "the listener at fd 100" : "the listener kept by the launcher", rc);
	return rc == (hand_over ? 125 : 0) ? 0 : 1;
}

int main(int argc, char **argv)
{
	static char tem[4096];
	char self[512];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (tem_self_exe(self, sizeof self) != 0)
		return 2;
	/* the launcher changes directory: erim-tem by its absolute name */
	if (argc == 3 && strcmp(argv[2], "-") != 0) {
		if (!realpath(argv[2], tem)) {
			fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
			return 2;
		}
		argv[2] = tem;
	}
	if (argc == 2 && strcmp(argv[1], "exit0") == 0)
		return 0;
	if (argc == 2 && strcmp(argv[1], "prog") == 0)
		return prog(0);
	if (argc == 2 && strcmp(argv[1], "prog-efault") == 0)
		return prog(1);
	if (argc == 2 && strcmp(argv[1], "uf-use") == 0)
		return uf_use();
	if (argc == 3 && strcmp(argv[1], "sent") == 0)
		return sent(argv[2], self, 0, 0);
	if (argc == 3 && strcmp(argv[1], "efault") == 0)
		return sent(argv[2], self, 0, 1);
	if (argc == 3 && strcmp(argv[1], "long") == 0)
		return sent(argv[2], self, 1, 0);
	if (argc == 3 && strcmp(argv[1], "uflong") == 0)
		return uflong(argv[2], self);
	if (argc == 3 && (strcmp(argv[1], "notif") == 0 || strcmp(argv[1], "nonotif") == 0))
		return notif(argv[2], self, strcmp(argv[1], "notif") == 0);
	fprintf(stderr, "usage: %s sent|efault|long|uflong TEM|- | notif|nonotif TEM\n", argv[0]);
	return 2;
}
