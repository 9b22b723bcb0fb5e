/* SPDX-License-Identifier: MIT */
/* tem_round.c: the tracer's reports, read in rounds.  waitpid(-1) finds the
 * newest tracee's report first, so threads that make judged calls without
 * pause would starve an older task's stop for as long as they run (a
 * process's fork event unseen for minutes while its new threads' calls
 * were judged; its child waited all that time for it).  A round reads every
 * report the kernel has, then the loop handles the round's stops in turn;
 * a task resumed meanwhile stops into the next round, behind the others.
 *
 * A stop read but not handled yet is no longer the task's state once
 * something moved the task without erim-tem: only SIGKILL does that (a
 * death; de_thread, which gives the leader's TID to an exec'ing thread).
 * So a death is handed over at once, and a newer report for a TID voids its
 * queued stop: the round then looks as if the kernel had never reported the
 * stop, an order it could have chosen itself.  The same holds for a newer
 * report that comes while the round is handled: tem_round_next asks the
 * kernel (WNOWAIT: nothing consumed) before it hands over a stop. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "tem.h"

#define TEM_ROUND_MAX 1024   /* reports read per round; more wait for the next */

static struct tem_report queue[TEM_ROUND_MAX];
static size_t nq, next;

static void void_stop(pid_t pid)
{
	size_t i, j;

	for (i = j = next; i < nq; i++)
		if (queue[i].pid != pid)
			queue[j++] = queue[i];
	nq = j;
}

int tem_round_read(void (*on_death)(pid_t pid, int st))
{
	int st, flags = __WALL;
	pid_t pid;

	nq = next = 0;
	while (nq < TEM_ROUND_MAX) {
		pid = waitpid(-1, &st, flags);
		if (pid == 0)
			break;   /* nothing more now */
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return nq ? 0 : -1;
			return -2;
		}
		tem_maps_forget();
		void_stop(pid);
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			on_death(pid, st);
		} else if (WIFSTOPPED(st)) {
			queue[nq].pid = pid;
			queue[nq++].st = st;
		}
		flags = __WALL | WNOHANG;
	}
	return 0;
}

/* 1 when the kernel holds a report for PID not read yet, or PID is gone */
static int newer_report(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) != 0)
		if (errno != EINTR)
			return 1;   /* not erim-tem's tracee any more: no stop of it stands */
	return si.si_pid == pid;
}

int tem_round_next(struct tem_report *r)
{
	while (next < nq) {
		*r = queue[next++];
		/* a round of one: read just now, nothing came between */
		if (nq == 1 || !newer_report(r->pid))
			return 1;
	}
	return 0;
}

int tem_round_queued(pid_t pid, int *st)
{
	for (size_t i = next; i < nq; i++)
		if (queue[i].pid == pid) {
			*st = queue[i].st;
			return 1;
		}
	return 0;
}
