/* SPDX-License-Identifier: MIT */
/* tem_detach.c: the supervisor runs outside its caller's line of ancestors.
 *
 * kernel.yama.ptrace_scope = 1 lets a process ptrace, and open the memory
 * file of, its descendants.  Were erim-tem the child of the shell that
 * started it, that shell and every ancestor of the same user above it --
 * untraced, and driven by what the program can reach: the terminal they
 * read (red team 24, rt_tiocsti: a command pushed into the shell, which then
 * read /proc/PID/mem of the program), a script they are reading, a job stop
 * that hands them the terminal -- could read and write the program's
 * trusted memory.  A rule per way of driving an ancestor would be a list of
 * known attacks; this cuts the line instead: erim-tem splits before the
 * program exists.  The process its caller started (the front) stays the
 * caller's child and only relays: the signals sent to it go to the
 * supervisor, the supervisor's exit status becomes its own.  The supervisor
 * is its grandchild, orphaned by the middle process's exit, so it is
 * adopted by init or by the nearest child subreaper, and the program's
 * ancestors are the supervisor and that adopter only.  An adopter of the
 * same user (systemd --user) is such an ancestor still: said in a notice.
 *
 * The supervisor dies with the front: it holds the read end of a pipe whose
 * only write end the front holds, armed (O_ASYNC, F_SETSIG) to send it
 * SIGKILL when that end closes, however the front ended; the program dies
 * with the supervisor (PTRACE_O_EXITKILL), as before. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <linux/perf_event.h>
#include <unistd.h>

#include "tem.h"
#include "tem_table.h"

#ifndef KCMP_VM
#define KCMP_VM 1
#endif

static int status_fd = -1;             /* supervisor: where its exit status goes */
static pid_t supervisor, front_pid;
/* A pidfd of where signals go on (front: the supervisor; supervisor: the
 * program), taken while that process is known to be alive: a
 * relay after it was reaped must reach no one, not whoever has its pid now
 * (the supervisor outlives the program while other tracees run; red team
 * 34a's pid reuse).  -1: none (pidfd_open failed: a kernel before 5.3,
 * no fd left): no relay at all -- kill(pid) could reach a process that
 * took the pid after the program was reaped. */
static volatile sig_atomic_t relay_pidfd = -1;
static volatile sig_atomic_t relayed;   /* front: the last signal relayed */

static const int relay_sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };

/* A signal sent to the front, or to the supervisor, by a process (kill,
 * timeout(1), a service manager) goes on: front -> supervisor -> program.
 * One the terminal sent to the whole process group (^C, ^\, a hangup:
 * SI_KERNEL) reached the program itself: not again, and neither the front
 * nor the supervisor ends by it -- the program decides (a program that
 * handles SIGINT lives on, as without erim-tem). */
static void relay_send(int sig)
{
	if (relay_pidfd >= 0)
		syscall(SYS_pidfd_send_signal, (int)relay_pidfd, sig, NULL, 0);
}

static void relay_to(pid_t pid)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		fprintf(stderr, "erim-tem: signals sent to erim-tem will not be passed on to pid %d: pidfd_open: %s "
		        "(a plain kill could reach whoever has the pid after it is reaped)\n", (int)pid, strerror(errno));
	relay_pidfd = fd >= 0 ? (int)fd : -1;
}

static void relay(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (si && si->si_code == SI_KERNEL)
		return;
	relayed = sig;
	relay_send(sig);
}

static void relay_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = relay;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof relay_sigs / sizeof relay_sigs[0]; i++)
		sigaction(relay_sigs[i], &sa, NULL);
}

static void front_fail(const char *what)
{
	fprintf(stderr, "erim-tem: %s: %s\n", what, strerror(errno));
	exit(125);
}

/* The front: relay until the supervisor reports its status or is gone. */
static void front(int st_fd, pid_t mid)
{
	int32_t pid = 0;
	unsigned char code;
	ssize_t n;
	int wst;

	/* its fds (the status pipe, the lifeline) are nobody's to reopen through
	 * /proc/PID/fd: a second writer of the lifeline would keep the
	 * supervisor alive without the front, a writer of the status pipe
	 * could end the front early */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		fprintf(stderr, "erim-tem: cannot make the front process non-dumpable: %s\n", strerror(errno));
	relay_install();
	while (waitpid(mid, &wst, 0) < 0)
		if (errno != EINTR) {
			if (errno == ECHILD)   /* SIGCHLD ignored by the caller: reaped already */
				break;
			front_fail("waiting for the middle process");
		}
	while ((n = read(st_fd, &pid, sizeof pid)) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof pid) {
		relay_to(pid);
		if (relayed)        /* a signal that came before the pid was known */
			relay_send(relayed);
		while ((n = read(st_fd, &code, 1)) < 0 && errno == EINTR)
			;
		if (n == 1)
			exit(code);
	}
	if (relayed) {
		/* the supervisor ended by the signal it was sent: so does the front */
		signal(relayed, SIG_DFL);
		raise(relayed);
	}
	fprintf(stderr, "erim-tem: the supervisor ended without an exit status (killed?)\n");
	exit(125);
}

/* kernel.yama.ptrace_scope, or -1 without Yama. */
static int ptrace_scope(void)
{
	FILE *f = tem_proc_fopen("/proc/sys/kernel/yama/ptrace_scope");
	int scope = -1;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	return scope;
}

/* Is /proc/self/ns/NAME the initial namespace of its kind?  Its inode says
 * which namespace it is (the kernel's fixed PROC_*_INIT_INO); contents such
 * as a uid_map of "0 0 4294967295" do not: root may write that map for a
 * user's namespace, whose owner then holds CAP_SYS_PTRACE over the program
 * (red team 32b, userns). */
static int initial_ns(const char *name, unsigned long ino)
{
	char path[48];
	struct stat st;

	snprintf(path, sizeof path, "/proc/self/ns/%s", name);
	return tem_proc_stat(path, &st) == 0 && (unsigned long)st.st_ino == ino;
}

/* 1 when erim-tem runs in the initial user namespace. */
static int init_userns(void)
{
	return initial_ns("user", 0xEFFFFFFDul);
}

/* procfs is read through erim-tem's own view (tem_procfs.c), from the
 * start: the launcher's /proc may have anything mounted over its files (a
 * tmpfs over /proc/sys/kernel claiming Yama scope 3: red team 45). */
static FILE *proc_fopen(const char *name)
{
	return tem_proc_fopen(name);
}

/* The uids (real, effective, saved, fs) of PID from its status file: 0, or -1. */
static int uids_of(pid_t pid, unsigned long u[4])
{
	return tem_proc_status(proc_fopen, pid, "Uid", u, 4) == 4 ? 0 : -1;
}

static char exposed_why[512];

/* kernel.perf_event_paranoid; INT_MIN when the kernel has no perf events
 * (no such file), INT_MAX when unreadable otherwise */
static int perf_paranoid(void)
{
	FILE *f = proc_fopen("/proc/sys/kernel/perf_event_paranoid");
	int v = INT_MAX;

	if (!f)
		return errno == ENOENT ? INT_MIN : INT_MAX;
	if (fscanf(f, "%d", &v) != 1)
		v = INT_MAX;
	fclose(f);
	return v;
}

/* May a process of user UID (no privilege) open a perf event on a task of
 * its own?  Asked of the kernel, not of kernel.perf_event_paranoid: the
 * level that refuses it (3) is a Debian/Ubuntu patch, and an upstream
 * kernel takes the value without refusing anything.  A child takes the
 * user's uid (when erim-tem is root; else it is that user already) and
 * tries a software event on itself, user space only.  PERF_CLOSED only when
 * the kernel says EACCES, the answer of the paranoid level, to a child that
 * runs under no seccomp filter: a filter erim-tem inherited from its
 * launcher (Docker's default profile answers perf_event_open with EPERM)
 * speaks for erim-tem, not for the user's processes outside it (red team
 * 48, rt48_perfcpu confined): then PERF_UNKNOWN.  PERF_OPEN when it opens or
 * the child cannot become the user (fail closed). */
enum { PERF_CLOSED, PERF_OPEN, PERF_UNKNOWN };

static int perf_open_to(unsigned long uid)
{
	struct perf_event_attr a;
	unsigned long mode = 1;
	pid_t p;
	int st;

	if (perf_paranoid() == INT_MIN)
		return PERF_CLOSED;            /* no perf events in this kernel */
	fflush(NULL);
	if ((p = fork()) == 0) {
		long fd;

		if (geteuid() != (uid_t)uid && (setgroups(0, NULL) != 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) != 0 ||
		                               setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0))
			_exit(1);
		memset(&a, 0, sizeof a);
		a.type = PERF_TYPE_SOFTWARE;
		a.size = sizeof a;
		a.config = PERF_COUNT_SW_DUMMY;
		a.exclude_kernel = 1;
		a.exclude_hv = 1;
		fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
		_exit(fd >= 0 ? 1 : errno == EACCES ? 0 : 2);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) == 1)
		return PERF_OPEN;
	if (WEXITSTATUS(st) != 0)
		return PERF_UNKNOWN;
	/* the child's filters are erim-tem's: inherited, never removed */
	if (tem_proc_status(proc_fopen, getpid(), "Seccomp", &mode, 1) != 1 || mode != 0)
		return PERF_UNKNOWN;
	return PERF_CLOSED;
}

/* fs.suid_dumpable: 0, 1 or 2; unreadable counts as 1 (fail closed). */
static int suid_dumpable(void)
{
	FILE *f = proc_fopen("/proc/sys/fs/suid_dumpable");
	int v = 1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 1;
		fclose(f);
	}
	return v;
}

/* PPid of PID, and whether any of its threads has USER among its uids
 * (real, effective, saved, fs): credentials are per thread, and Yama
 * counts every thread of an ancestor as an ancestor (red team 33b: a
 * uid-1000 thread in a root subreaper).  0, or -1 when something cannot
 * be read (fail closed). */
static int ancestor_of_user(pid_t pid, unsigned long user, pid_t *pp, int *has_user)
{
	unsigned long v, a[4];
	const char *e;
	DIR *d;
	int n = 0;

	if (tem_proc_status(proc_fopen, pid, "PPid", &v, 1) != 1)
		return -1;
	*pp = (pid_t)v;
	*has_user = 0;
	if (!(d = tem_proc_opendir(pid, "task")))
		return -1;
	while ((e = tem_proc_next(d)) != NULL) {
		if (tem_proc_status(proc_fopen, (pid_t)atoi(e), "Uid", a, 4) != 4)
			continue;   /* a thread that exited meanwhile */
		n++;
		if (a[0] == user || a[1] == user || a[2] == user || a[3] == user)
			*has_user = 1;
	}
	closedir(d);
	return n > 0 ? 0 : -1;
}

/* With ptrace_scope 1 every ancestor of the program may open its memory:
 * the supervisor's whole chain of ancestors is judged, not only its
 * adopter (red team 31: a root subreaper started by a process of the
 * program's user adopted it, and that process, an ancestor, read the
 * secret).  An ancestor of user USER is refused unless it is erim-tem's
 * front (which only relays) or ERIM_TEM_ADOPTER_OK=1 accepts it knowingly
 * (a notice).  Not even systemd --user is taken on trust: red team 32b ran
 * the real systemd file with LD_PRELOAD as a subreaper of its own.  The
 * chain must end at the initial PID namespace's init: a PID namespace
 * hides its init's parent (PPid 0), yet Yama counts the ancestors outside
 * (red team 32b, `sudo unshare --pid --fork` under a user's shell), and a
 * chain longer than 4096 is not followed further (32b: 300 levels).  An
 * ancestor whose status cannot be read is refused: fail closed. */
static const char *exposed_ancestor(unsigned long user)
{
	pid_t pp = getppid(), next = 0;
	int depth, mine, ok = getenv("ERIM_TEM_ADOPTER_OK") != NULL;

	for (depth = 0; pp > 0 && depth < 4096; depth++, pp = next) {
		char name[48], comm[32] = "?";
		FILE *f;

		if (ancestor_of_user(pp, user, &next, &mine) != 0) {
			snprintf(exposed_why, sizeof exposed_why, "erim-tem cannot read the status of its "
			         "ancestor PID %d (kernel.yama.ptrace_scope = 1 lets ancestors open the "
			         "program's memory)", (int)pp);
			return exposed_why;
		}
		if (pp == front_pid || !mine)
			continue;   /* the front, or no thread of the user's */
		snprintf(name, sizeof name, "/proc/%d/comm", (int)pp);
		if ((f = proc_fopen(name))) {
			if (fgets(comm, sizeof comm, f))
				comm[strcspn(comm, "\n")] = 0;
			fclose(f);
		}
		if (ok) {
			tem_log(1, "notice: PID %d (%s), a process of user %lu, is an ancestor of the supervisor: "
			        "it may open the program's memory (kernel.yama.ptrace_scope = 1); accepted "
			        "(ERIM_TEM_ADOPTER_OK)", (int)pp, comm, user);
			continue;
		}
		snprintf(exposed_why, sizeof exposed_why, "PID %d (%s), a process with a thread of the program's user %lu, "
		         "is an ancestor of the supervisor (%s): kernel.yama.ptrace_scope = 1 lets ancestors "
		         "open the program's memory, and what the program reaches may drive it; run erim-tem "
		         "where its ancestors are another user's (a service, docker --init), or set "
		         "ERIM_TEM_ADOPTER_OK=1 to accept it (systemd --user of a desktop session included)",
		         (int)pp, comm, user,
		         depth == 0 ? "its adopter: a PID namespace's init, a child subreaper" : "further up");
		return exposed_why;
	}
	if (pp > 0) {
		snprintf(exposed_why, sizeof exposed_why, "the supervisor has more than 4096 ancestors: not "
		         "followed to the end (kernel.yama.ptrace_scope = 1 lets ancestors open the program's "
		         "memory)");
		return exposed_why;
	}
	if (!initial_ns("pid", 0xEFFFFFFCul) && !ok) {
		snprintf(exposed_why, sizeof exposed_why, "erim-tem runs in a PID namespace other than the "
		         "initial one, which hides the ancestors above its init, and kernel.yama.ptrace_scope "
		         "= 1 lets those ancestors open the program's memory; set ERIM_TEM_ADOPTER_OK=1 where "
		         "they are known to be another user's (a container runtime run by root)");
		return exposed_why;
	}
	return NULL;
}

/* Who but erim-tem (and root) may open the memory of a process with uids U,
 * dumpable or not?  NULL when nobody the program can drive, else why.
 *
 * The kernel lets a process of the same user -- uid, euid and saved uid all
 * its fs uid -- open a dumpable process's memory, subject to Yama: without
 * Yama or with ptrace_scope 0 any such process (red team 26, rt26_ancestor:
 * a shell reading a script the program wrote to; a service manager), with 1
 * an ancestor (the supervisor's adopter: red team 27, rt27_pidns, a PID
 * namespace's init that was the caller's script shell).  In a user
 * namespace its owner's processes outside hold CAP_SYS_PTRACE over it, for
 * every scope but 3, dumpable or not (red team 29, rt29_userns).  Judged
 * for the program's own credentials, not erim-tem's: a program started as
 * root may drop to a user and turn dumpable again (red team 29,
 * rt29_dropdeputy; rt29_subreaper).  Root in the initial namespace is not
 * judged (root's other doors are documented).  ERIM_TEM_PTRACE_SCOPE_OK=1
 * accepts the first two knowingly (a user of its own for the program),
 * ERIM_TEM_ADOPTER_OK=1 the third; systemd --user as the adopter is
 * accepted with a notice.  ADOPTER: judge the supervisor's parent too. */
static const char *exposure(const unsigned long u[4], int dumpable, int adopter)
{
	int scope = ptrace_scope(), init = init_userns();
	/* Open to user U when uid, euid and saved uid are all U.  Mixed uids
	 * are not, yet: the kernel makes a process non-dumpable again when
	 * its euid (or fsuid) changes, not its real or saved uid, so a
	 * process whose euid is a user's can become that user's plainly and
	 * stay dumpable (red team 31, rt31_nonplain: uids 1000/1000/0,
	 * PR_SET_DUMPABLE 1, then setresuid(-1, -1, 1000)).  Judged as the
	 * euid's user. */
	int plain = u[1] != 0 || (u[0] == u[1] && u[1] == u[2]), po;
	const char *sc = scope < 0 ? "this kernel has no Yama" : "kernel.yama.ptrace_scope is 0";

	if (suid_dumpable() == 1) {
		snprintf(exposed_why, sizeof exposed_why, "fs.suid_dumpable is 1: a process that changes its "
		         "credentials (setuid, or an exec'd set-user-ID program) stays dumpable, so the processes "
		         "of its new user may open its memory without any call erim-tem judges; set it to 0 or 2 "
		         "(sysctl -w fs.suid_dumpable=0)");
		return exposed_why;
	}
	/* At 0 or below every user may open events on whole CPUs, whose
	 * samples copy the registers and the user stack of any task running
	 * there, with its PKRU: trusted code of any program, of any user,
	 * root's included (red team 48, rt48_perfcpu attack 0).  No user of
	 * its own helps. */
	{
		int pp = perf_paranoid();

		if (pp != INT_MIN && pp <= 0) {
			snprintf(exposed_why, sizeof exposed_why, "kernel.perf_event_paranoid is %d: every user "
			         "may sample every CPU, the registers and stack of trusted code of any process "
			         "included; set it to 2 or more (sysctl -w kernel.perf_event_paranoid=2)", pp);
			return exposed_why;
		}
	}
	if (init && u[0] == 0 && u[1] == 0 && u[2] == 0)
		return NULL;
	if (!init && scope < 3 && !getenv("ERIM_TEM_PTRACE_SCOPE_OK")) {
		snprintf(exposed_why, sizeof exposed_why, "erim-tem runs in a user namespace: every process of "
		         "its owner outside holds CAP_SYS_PTRACE over the program and may open its memory "
		         "(only kernel.yama.ptrace_scope 3 stops that); run it outside, or set "
		         "ERIM_TEM_PTRACE_SCOPE_OK=1 for a namespace whose owner runs nothing else");
		return exposed_why;
	}
	if (!plain || !dumpable)
		return NULL;
	if (scope < 1 && !getenv("ERIM_TEM_PTRACE_SCOPE_OK")) {
		snprintf(exposed_why, sizeof exposed_why, "%s, so every process of user %lu may open the "
		         "program's memory through /proc/PID/mem, and the program can have such a process "
		         "started for it (a shell reading a script, a service manager, a file a login shell "
		         "reads); set kernel.yama.ptrace_scope to 1 (sysctl -w kernel.yama.ptrace_scope=1), or "
		         "run the program as a user of its own and set ERIM_TEM_PTRACE_SCOPE_OK=1", sc, u[1]);
		return exposed_why;
	}
	/* Yama restricts attaching only: perf_event_open on another task asks
	 * for read access, which a process of the same user has at any scope,
	 * and its samples copy the registers and the stack above %rsp of
	 * trusted code (red team 47).  Only kernel.perf_event_paranoid above
	 * 2 (a Debian or Android patch) refuses it to unprivileged users. */
	if (!getenv("ERIM_TEM_PTRACE_SCOPE_OK") && (po = perf_open_to(u[1])) != PERF_CLOSED) {
		snprintf(exposed_why, sizeof exposed_why, "%s every process of user %lu may sample the "
		         "program (registers and stack of trusted code; Yama does not restrict it); where the "
		         "kernel has the level, set kernel.perf_event_paranoid to 3 (Debian, Ubuntu: sysctl -w "
		         "kernel.perf_event_paranoid=3), or run the program as a user of its own and set "
		         "ERIM_TEM_PTRACE_SCOPE_OK=1",
		         po == PERF_OPEN ? "perf_event_open is open to that user here, so"
		                         : "erim-tem runs under a seccomp filter it did not install (or its "
		                           "perf_event_open probe failed otherwise than by the paranoid level), so "
		                           "it cannot tell whether", u[1]);
		return exposed_why;
	}
	if (adopter && scope == 1)
		return exposed_ancestor(u[1]);
	return NULL;
}

/* At start (the front: its own credentials, no adopter yet). */
static void check_start(void)
{
	unsigned long u[4] = { getuid(), geteuid(), geteuid(), geteuid() };
	const char *why = exposure(u, 1, 0);

	if (why) {
		fprintf(stderr, "erim-tem: refused: %s\n", why);
		exit(125);
	}
}

static const char *exposed_one(pid_t tid, int as_dumpable)
{
	unsigned long u[4];
	char name[32];
	struct stat st;

	if (uids_of(tid, u) != 0) {
		snprintf(exposed_why, sizeof exposed_why, "erim-tem cannot read the credentials of %d", (int)tid);
		return exposed_why;
	}
	/* a non-dumpable process's /proc directory is root's */
	snprintf(name, sizeof name, "/proc/%d", (int)tid);
	return exposure(u, as_dumpable || tem_proc_stat(name, &st) != 0 || st.st_uid != 0 || u[1] == 0, 1);
}

/* Every task of T's address space is judged: credentials are per thread,
 * dumpability per address space, so a thread that dropped to a user
 * exposes the memory its root siblings made dumpable (red team 30,
 * rt30_thread_cred: a second thread's raw setresuid, then PR_SET_DUMPABLE
 * by the root main thread).  CLONE_VM processes and vfork children share
 * T's tem_proc, so they are judged too; and so is every traced task the
 * kernel says shares the address space, or cannot tell, or erim-tem has
 * not filed yet (no tem_proc: its creator was killed before the clone
 * event reached erim-tem -- red team 31, rt31_orphan). */
const char *tem_detach_exposed(const struct tem_thread *t, int as_dumpable)
{
	size_t n, i;
	struct tem_thread *const *all = tem_all_threads(&n);
	const char *w;

	w = exposed_one(t->tid, as_dumpable);
	for (i = 0; !w && i < n; i++)
		if (all[i] != t && (all[i]->proc == t->proc || !all[i]->proc ||
		                    tem_kcmp_same(t->tid, all[i]->tid, KCMP_VM) != 0))
			w = exposed_one(all[i]->tid, as_dumpable);
	return w;
}

/* Every exit of the supervisor (main's return, die(), any exit(125)) reports
 * its status, after stdio is flushed: the front must not end (and the shell
 * print its prompt) before the supervisor's last words are out.  Not in a
 * child the supervisor forks. */
static void report_status(int code, void *unused)
{
	unsigned char c = (unsigned char)code;

	(void)unused;
	if (getpid() != supervisor || status_fd < 0)
		return;
	fflush(NULL);
	if (write(status_fd, &c, 1) != 1)
		return;
}

void tem_detach(void)
{
	int st[2], life[2];
	pid_t mid, me;

	tem_procfs_init();   /* every check below reads procfs through it */
	check_start();
	fflush(NULL);
	front_pid = getpid();
	if (pipe2(st, O_CLOEXEC) != 0 || pipe2(life, O_CLOEXEC) != 0)
		front_fail("pipe");
	mid = fork();
	if (mid < 0)
		front_fail("fork");
	if (mid > 0) {
		close(st[1]);
		close(life[0]);      /* life[1] stays open until the front ends */
		front(st[0], mid);
	}
	/* the middle process: fork the supervisor and leave at once */
	mid = getpid();
	if ((me = fork()) != 0)
		_exit(me < 0 ? 125 : 0);
	close(st[0]);
	close(life[1]);
	me = getpid();
	if (fcntl(life[0], F_SETOWN, me) != 0 || fcntl(life[0], F_SETSIG, SIGKILL) != 0 ||
	    fcntl(life[0], F_SETFL, O_ASYNC | O_NONBLOCK) != 0) {
		fprintf(stderr, "erim-tem: arming the lifeline to the front process: %s\n", strerror(errno));
		_exit(125);
	}
	/* the front may already be gone (the async arm came after): then stop here */
	{
		char c;

		if (read(life[0], &c, 1) == 0) {
			fprintf(stderr, "erim-tem: the front process ended before the program started\n");
			_exit(125);
		}
	}
	status_fd = st[1];
	supervisor = me;
	if (on_exit(report_status, NULL) != 0) {
		fprintf(stderr, "erim-tem: on_exit: %s\n", strerror(errno));
		_exit(125);
	}
	while (getppid() == mid)   /* the middle process's exit re-parents us */
		sched_yield();
	{
		int32_t pid32 = (int32_t)me;

		if (write(status_fd, &pid32, sizeof pid32) != (ssize_t)sizeof pid32) {
			fprintf(stderr, "erim-tem: reporting to the front process: %s\n", strerror(errno));
			_exit(125);
		}
	}
	{
		unsigned long u[4] = { getuid(), geteuid(), geteuid(), geteuid() };
		const char *why = exposure(u, 1, 1);

		if (why) {
			fprintf(stderr, "erim-tem: refused: %s\n", why);
			exit(125);
		}
	}
}

void tem_detach_relay_to(pid_t program)
{
	relay_to(program);   /* the program is erim-tem's unreaped child here */
	relay_install();
}

