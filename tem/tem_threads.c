/* SPDX-License-Identifier: MIT */
/* tem_threads.c: the supervisor's table of traced threads and the processes
 * they belong to.  The loop (tem_main.c) adds and drops entries; the policy
 * and the target checks only read it (tem_traced_tgids, tem_all_threads), so
 * they depend on this table, not on the loop.  Every verdict that stops a
 * process stops it here (tem_kill_sharers): the address space, not just
 * the thread group. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tem.h"

__attribute__((noreturn))
static void oom(void)
{
	fputs("erim-tem: out of memory\n", stderr);
	exit(125);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (!p)
		oom();
	return p;
}

static struct tem_thread **threads;
static size_t nthreads, capthreads;

/* The kept memory and maps files of each thread (tem_fresh.c, tem_maps.c)
 * are counted here, where threads are made and dropped. */
/* At most this many kept fds in all (memory and maps files together):
 * beyond, a file is opened per use and closed again.  A program that
 * starts thousands of threads must not exhaust erim-tem's fds, or every
 * later check that opens a procfs file would fail. */
#define TEM_FD_KEEP_MAX 256
static int nkept;

int tem_fd_keep(void)
{
	if (nkept >= TEM_FD_KEEP_MAX)
		return 0;
	nkept++;
	return 1;
}

void tem_mem_fd_drop(struct tem_thread *t)
{
	if (t->memfd >= 0) {
		close(t->memfd);
		nkept--;
	}
	if (t->mapsfd >= 0) {
		close(t->mapsfd);
		nkept--;
	}
	t->memfd = -1;
	t->mapsfd = -1;
}

struct tem_thread *tem_thread_find(pid_t tid)
{
	size_t i;

	for (i = 0; i < nthreads; i++)
		if (threads[i]->tid == tid)
			return threads[i];
	return NULL;
}

struct tem_thread *tem_thread_get(pid_t tid)
{
	struct tem_thread *t = tem_thread_find(tid);

	if (t)
		return t;
	if (nthreads == capthreads) {
		size_t ncap = capthreads ? 2 * capthreads : 16;
		struct tem_thread **n = realloc(threads, ncap * sizeof *n);

		if (!n)
			oom();
		threads = n;
		capthreads = ncap;
	}
	t = xcalloc(1, sizeof *t);
	t->tid = tid;
	t->memfd = -1;
	t->mapsfd = -1;
	threads[nthreads++] = t;
	return t;
}

unsigned long tem_files_new(void)
{
	static unsigned long next;

	return ++next;
}

struct tem_proc *tem_proc_new(pid_t tgid, const struct tem_proc *copy)
{
	struct tem_proc *p = xcalloc(1, sizeof *p);

	if (copy)
		*p = *copy;
	else
		p->pkey = -1;
	/* a fork's copy: the parent's calls in flight are not its own, and a
	 * parent's brk still in flight may have moved the break the child
	 * inherited past the bound: unknown, so its first brk is judged
	 * (red team 36) */
	p->brk_inflight = 0;
	p->brk_known = 0;
	p->refs = 1;
	p->tgid = tgid;
	return p;
}

void tem_proc_put(struct tem_proc *p)
{
	if (p && --p->refs == 0)
		free(p);
}

struct tem_group *tem_group_new(void)
{
	struct tem_group *g = xcalloc(1, sizeof *g);

	g->refs = 1;
	return g;
}

void tem_group_put(struct tem_group *g)
{
	if (g && --g->refs == 0)
		free(g);
}

void tem_thread_drop(struct tem_thread *t)
{
	size_t i;

	for (i = 0; i < nthreads; i++)
		if (threads[i] == t) {
			threads[i] = threads[--nthreads];
			break;
		}
	tem_mem_fd_drop(t);
	tem_proc_put(t->proc);
	tem_group_put(t->grp);
	free(t);
}

struct tem_thread *const *tem_all_threads(size_t *n)
{
	*n = nthreads;
	return threads;
}

int tem_task_ours(pid_t tid)
{
	siginfo_t si;

	for (;;) {
		if (waitid(P_PID, (id_t)tid, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) == 0)
			return 1;
		if (errno != EINTR)
			return errno != ECHILD;
	}
}

static int group_signal(const struct tem_thread *t, int sig)
{
	long r = t->tgid > 0 ? syscall(SYS_tgkill, (pid_t)t->tgid, t->tid, sig) : kill(t->tid, sig);

	return r == 0 ? 0 : -errno;
}

int tem_task_signal(const struct tem_thread *t, int sig)
{
	if (!tem_task_ours(t->tid))
		return -ESRCH;
	return group_signal(t, sig);
}

int tem_task_same(const struct tem_thread *t)
{
	return tem_task_ours(t->tid) && !(t->tgid > 0 && group_signal(t, 0) == -ESRCH);
}

/* SIGKILL T's thread group and every traced task that may share with T
 * what SCOPE names (TEM_UNDO_VM: its address space; TEM_UNDO_FILES: its fd
 * table), marking each doomed: it is never dispatched or released again.
 * Tasks of a hold are stopped, and SIGKILL ends a ptrace stop without
 * returning to user space, so none of them runs another instruction.  The
 * TIDs go into LIST; returns how many of them are outside T's thread
 * group and were not doomed already (tasks that would have lived on). */
int tem_kill_sharers(struct tem_thread *t, unsigned scope, char *list, size_t len)
{
	size_t i, n, used = 0;
	struct tem_thread *const *all = tem_all_threads(&n);
	pid_t tgid = t->tgid ? t->tgid : t->proc ? t->proc->tgid : t->tid;
	int others = 0;

	if (len)
		list[0] = 0;
	/* Only TIDs of tasks in this table are signalled, each within its
	 * thread group (tem_task_signal): an entry not reaped is that task
	 * unless the kernel freed the TID without a report (a failed exec past
	 * de_thread, red team 37a), and then tgkill finds no such thread in
	 * that group.  proc->tgid alone is not used: the leader may have been
	 * reaped and its pid taken by any process of the system (red team 34a,
	 * pid_reuse).  SIGKILL to any thread of a group ends the whole group. */
	if (!t->reaped)
		tem_task_signal(t, SIGKILL);
	t->doomed = 1;
	for (i = 0; i < n; i++) {
		struct tem_thread *o = all[i];

		if (o == t || !((o->tgid && o->tgid == tgid) || ((scope & TEM_UNDO_VM) && t->proc && o->proc == t->proc) ||
		                ((scope & TEM_UNDO_FILES) && t->files && o->files == t->files)))
			continue;
		tem_task_signal(o, SIGKILL);
		if (!o->doomed && o->tgid != tgid)
			others++;
		o->doomed = 1;
		if (used + 16 < len)
			used += (size_t)snprintf(list + used, len - used, "%s%d", used ? " " : "", (int)o->tid);
	}
	return others;
}

size_t tem_traced_tgids(pid_t *out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < nthreads; i++) {
		struct tem_proc *p = threads[i]->proc;
		pid_t tg[2];
		int k;

		if (!p)
			continue;
		/* a vfork child shares its parent's proc but has its own tgid */
		tg[0] = p->tgid;
		tg[1] = threads[i]->tgid ? threads[i]->tgid : p->tgid;
		for (k = 0; k < 2; k++) {
			for (j = 0; j < n && out[j] != tg[k]; j++)
				;
			if (j == n && n < max)
				out[n++] = tg[k];
		}
	}
	return n;
}
