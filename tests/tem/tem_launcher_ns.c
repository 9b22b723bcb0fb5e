/* SPDX-License-Identifier: MIT */
/* tem_launcher_ns.c: a launcher (root) that arranges erim-tem's mount and
 * pid namespace so that procfs lies to erim-tem (red team 45).  Each case
 * runs erim-tem twice, the honest way (the control) and the arranged way,
 * and passes when the arranged run ends as the control did -- or, for
 * pidns, when erim-tem refuses to start.
 *   pidns TEM : /proc is the procfs of a pid namespace erim-tem is not in
 *               (a child namespace's task sees its parent's procfs): the
 *               pids erim-tem reads would name other tasks.  Exit 0 when
 *               erim-tem refuses (125); the control (erim-tem in the
 *               namespace of that procfs) must run (0).
 *   coincide TEM : as pidns, erim-tem given the same pid (300) in both
 *               namespaces with clone3's set_tid, so "self" alone would
 *               look right (red team 46).  Exit 0 when erim-tem refuses.
 *   misc TEM  : a bind mount over /proc/misc lists userfaultfd under a
 *               wrong minor, and /dev/userfaultfd is handed over as fd 100:
 *               erim-tem must refuse to start as it does without the mount.
 *   yama TEM  : a tmpfs over /proc/sys/kernel claims Yama ptrace_scope 3
 *               for a uid-1000 program: erim-tem must decide as it does
 *               without the mount (on a kernel without Yama: refuse).
 *   perf TEM  : kernel.perf_event_paranoid 2 (the upstream default: a
 *               user's processes may sample each other, Yama or not) and a
 *               uid-1000 program: erim-tem must refuse (125); the control,
 *               3 (Debian's), must run (0).  Needs Yama (scope 1 or more):
 *               without it erim-tem refuses uid 1000 anyway (red team 47).
 *               Then (red team 48) at 3 with erim-tem started under a
 *               seccomp filter that answers perf_event_open with EPERM:
 *               refused (its probe's failure says nothing of the user's
 *               other processes); at 0 a root program: refused (every user
 *               samples whole CPUs), control at 2: runs.
 * 77 without root, user or mount namespaces (said why). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tem;
static int filter_perf;   /* run_tem: the launcher confines erim-tem: perf_event_open -> EPERM */

/* a seccomp filter answering perf_event_open with EPERM, as Docker's
 * default profile does: 0, or -1 */
static int deny_perf(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_perf_event_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof f / sizeof f[0], f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0 ? 0 : -1;
}

/* erim-tem running /bin/true, in a child: its exit status (-1: not run) */
static int run_tem(int fd100, int uid)
{
	pid_t p;
	int st;

	fflush(stdout);
	if ((p = fork()) == 0) {
		if (fd100 >= 0 && dup2(fd100, 100) != 100)
			_exit(120);
		if (uid && (setgid((gid_t)uid) != 0 || setuid((uid_t)uid) != 0))
			_exit(121);
		if (filter_perf && deny_perf() != 0)
			_exit(122);
		execl(tem, tem, "--quiet", "/bin/true", (char *)NULL);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* a private mount namespace for this process: 0, or 77 */
static int own_mounts(void)
{
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		printf("skip: a mount namespace of its own: %s\n", strerror(errno));
		return 77;
	}
	return 0;
}

/* erim-tem with pid TID in this pid namespace and its parent (clone3's
 * set_tid; root), in a child: its exit status */
static int run_tem_at(pid_t tid)
{
	struct clone_args a;
	pid_t tids[2] = { tid, tid }, p;
	int st;

	memset(&a, 0, sizeof a);
	a.exit_signal = SIGCHLD;
	a.set_tid = (uint64_t)(uintptr_t)tids;
	a.set_tid_size = 2;
	fflush(stdout);
	p = (pid_t)syscall(SYS_clone3, &a, sizeof a);
	if (p == 0) {   /* erim-tem itself is the task with that pid */
		execl(tem, tem, "--quiet", "/bin/true", (char *)NULL);
		_exit(127);
	}
	if (p < 0) {
		printf("clone3 with set_tid: %s\n", strerror(errno));
		return 77;
	}
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* In a child: a new pid namespace B with B's procfs on /proc; NESTED: erim-tem
 * then runs in a namespace below B (B's procfs is not its own); 2: with the
 * same pid in both. */
static int pidns_case(int nested)
{
	pid_t p;
	int st;

	fflush(stdout);
	if ((p = fork()) == 0) {
		pid_t q;

		if (own_mounts() != 0 || unshare(CLONE_NEWPID) != 0)
			_exit(77);
		if ((q = fork()) == 0) {   /* pid 1 of B */
			if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
				_exit(122);
			if (nested && unshare(CLONE_NEWPID) != 0)
				_exit(123);
			if (nested) {
				pid_t r = fork();   /* pid 1 of the namespace below */

				if (r == 0)
					_exit(nested == 2 ? run_tem_at(300) : run_tem(-1, 0));
				if (r < 0 || waitpid(r, &st, 0) != r || !WIFEXITED(st))
					_exit(124);
				_exit(WEXITSTATUS(st));
			}
			_exit(run_tem(-1, 0));
		}
		if (q < 0 || waitpid(q, &st, 0) != q || !WIFEXITED(st))
			_exit(124);
		_exit(WEXITSTATUS(st));
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int pidns(int coincide)
{
	int ctl = pidns_case(0), rc;

	printf("control: erim-tem in the pid namespace of /proc's procfs: exit %d\n", ctl);
	if (ctl == 77)
		return 77;
	rc = pidns_case(coincide ? 2 : 1);
	printf("erim-tem in a pid namespace below the one of /proc's procfs%s: exit %d\n",
	       coincide ? ", the same pid in both" : "", rc);
	return rc == 77 ? 77 : ctl == 0 && rc == 125 ? 0 : 1;
}

/* mount at TARGET a tmpfs holding FILE (relative) with TEXT, or bind a
 * file with TEXT over TARGET (FILE NULL): 0 or -1 */
static int lie_at(const char *target, const char *file, const char *text)
{
	char tmp[] = "/tmp/erim-lie.XXXXXX";
	int fd;

	if (file) {
		char path[256], *slash;

		if (mount("tmpfs", target, "tmpfs", 0, "size=64k") != 0)
			return -1;
		snprintf(path, sizeof path, "%s/%s", target, file);
		if ((slash = strrchr(path, '/')) != NULL) {
			*slash = 0;
			mkdir(path, 0755);
			*slash = '/';
		}
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	} else {
		if ((fd = mkstemp(tmp)) < 0)
			return -1;
	}
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -1;
	close(fd);
	if (!file) {
		fd = mount(tmp, target, NULL, MS_BIND, NULL);
		unlink(tmp);
		return fd;
	}
	return 0;
}

static int misc(void)
{
	int uf = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC), ctl, rc;

	if (uf < 0) {
		printf("skip: /dev/userfaultfd: %s\n", strerror(errno));
		return 77;
	}
	ctl = run_tem(uf, 0);
	printf("control: erim-tem with /dev/userfaultfd at fd 100: exit %d\n", ctl);
	if ((rc = own_mounts()) != 0)
		return rc;
	if (lie_at("/proc/misc", NULL, " 99 userfaultfd\n") != 0) {
		printf("launcher: bind mount over /proc/misc: %s\n", strerror(errno));
		return 2;
	}
	rc = run_tem(uf, 0);
	printf("the same with /proc/misc listing userfaultfd as 10:99: exit %d\n", rc);
	return ctl == 125 && rc == ctl ? 0 : 1;
}

static int yama(void)
{
	int ctl = run_tem(-1, 1000), rc;

	printf("control: erim-tem for uid 1000: exit %d\n", ctl);
	if ((rc = own_mounts()) != 0)
		return rc;
	if (lie_at("/proc/sys/kernel", "yama/ptrace_scope", "3\n") != 0) {
		printf("launcher: tmpfs over /proc/sys/kernel: %s\n", strerror(errno));
		return 2;
	}
	rc = run_tem(-1, 1000);
	printf("the same with a tmpfs over /proc/sys/kernel claiming ptrace_scope 3: exit %d\n", rc);
	return rc == ctl ? 0 : 1;
}

static int set_paranoid(int v)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "w");
	int ok = f && fprintf(f, "%d\n", v) > 0;

	if (f && fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static int perf(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	int scope = -1, old = 2, rc, ctl, rcf, rcc, ctlc;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	int raised = 0;

	if (scope == 0 && (f = fopen("/proc/sys/kernel/yama/ptrace_scope", "w")) != NULL) {
		fprintf(f, "1\n");   /* the setting erim-tem asks users for; back to 0 at the end */
		if (fclose(f) == 0)
			scope = raised = 1;
	}
	if (scope < 1) {
		printf("skip: needs Yama ptrace_scope 1 or more (here %d): without it erim-tem refuses uid 1000 anyway\n", scope);
		return 77;
	}
	if ((f = fopen("/proc/sys/kernel/perf_event_paranoid", "r")) != NULL) {
		if (fscanf(f, "%d", &old) != 1)
			old = 2;
		fclose(f);
	}
	if (set_paranoid(2) != 0)
		return 2;
	rc = run_tem(-1, 1000);
	printf("kernel.perf_event_paranoid 2, a uid-1000 program: erim-tem exit %d\n", rc);
	set_paranoid(3);
	ctl = run_tem(-1, 1000);
	printf("control, kernel.perf_event_paranoid 3: erim-tem exit %d\n", ctl);
	/* red team 48, confined: the launcher's seccomp filter answers erim-tem's
	 * probe, not the user's other processes: not an answer */
	filter_perf = 1;
	rcf = run_tem(-1, 1000);
	filter_perf = 0;
	printf("kernel.perf_event_paranoid 3, erim-tem under a filter refusing perf_event_open (EPERM): "
	       "erim-tem exit %d\n", rcf);
	/* red team 48, attack 0: at 0 every user samples whole CPUs, any
	 * program's trusted code included: refused even to root's program */
	set_paranoid(0);
	rcc = run_tem(-1, 0);
	printf("kernel.perf_event_paranoid 0, a root program: erim-tem exit %d\n", rcc);
	set_paranoid(2);
	ctlc = run_tem(-1, 0);
	printf("control, kernel.perf_event_paranoid 2, a root program: erim-tem exit %d\n", ctlc);
	set_paranoid(old);
	if (raised && (f = fopen("/proc/sys/kernel/yama/ptrace_scope", "w")) != NULL) {
		fprintf(f, "0\n");
		fclose(f);
	}
	if (ctl == 125) {
		printf("skip: perf_event_paranoid 3 restricts nothing on this kernel (upstream): no control\n");
		return rc == 125 && rcc == 125 && ctlc == 0 ? 77 : 1;
	}
	return rc == 125 && ctl == 0 && rcf == 125 && rcc == 125 && ctlc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static char abs[4096];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: %s pidns|coincide|misc|yama|perf ERIM-TEM\n", argv[0]);
		return 2;
	}
	if (geteuid() != 0) {
		printf("skip: needs root (mount and pid namespaces)\n");
		return 77;
	}
	if (!realpath(argv[2], abs))
		return 2;
	tem = abs;
	if (strcmp(argv[1], "pidns") == 0 || strcmp(argv[1], "coincide") == 0)
		return pidns(strcmp(argv[1], "coincide") == 0);
	if (strcmp(argv[1], "misc") == 0)
		return misc();
	if (strcmp(argv[1], "yama") == 0)
		return yama();
	if (strcmp(argv[1], "perf") == 0)
		return perf();
	fprintf(stderr, "usage: %s pidns|coincide|misc|yama|perf ERIM-TEM\n", argv[0]);
	return 2;
}
