/* SPDX-License-Identifier: MIT */
/* tem_dump.c: no core dump of a registered process.  A core dump is the
 * kernel copying a process's memory -- trusted memory included, protection
 * keys ignored -- and the registers of every thread (one may be inside
 * trusted code) to a file or a pipe reader that untrusted code, or its
 * user, can read.  liberim's erim_init sets RLIMIT_CORE to 1/1: 1 is the
 * one value that stops both kinds of dump (a file needs at least a page, a
 * core_pattern pipe is skipped for exactly 1; 0 does NOT stop a pipe).  The
 * other switches of a dump are closed elsewhere or not reachable:
 * PR_SET_DUMPABLE is pinned at 1 (tem_target.c; suid_dumpable and
 * core_pattern are root's sysctls), coredump_filter and MADV_DODUMP only
 * choose what a dump holds, and no dump happens with the limit at 1.
 *
 * So after registration the limit may not be changed into one that lets a
 * dump happen: neither soft nor hard limit raised (but a soft limit may
 * always become 1), and a soft limit of 1 not lowered to 0.  Judged by the target: setrlimit and prlimit64 on the
 * caller's own process, whoever the caller is (trusted code too: nothing in
 * trusted code needs a dump).  prlimit64 on another traced process or on
 * erim-tem is refused outright by its target row (tem_target.c).
 *
 * The new limit is a struct in memory, and erim-tem's read of it is not the
 * kernel's: another process can share the page (MAP_SHARED anonymous memory
 * or a memfd mapped before a fork, shm) and flip it between the two reads
 * (red team 17: 1/1 read here, unlimited applied).  So the struct read at
 * the seccomp stop only gives a plain attempt its EPERM; the verdict that
 * counts is on the result: the limit before the call and the limit after
 * it are both asked from the kernel by erim-tem itself (prlimit on the
 * process, no tracee memory involved), and a change the rule refuses stops
 * the process (SIGKILL, which dumps nothing) before any of its tasks runs
 * again: the caller's group is held from the seccomp stop to that check,
 * so no thread of it can take a dumping signal in between.  Only the
 * caller's own thread group may be given a new RLIMIT_CORE this way (see
 * tem_chk_prlimit_core). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "tem.h"
#include "tem_table.h"

/* Why changing the core limit from CUR to NW would let a dump happen; NULL
 * if it would not. */
static const char *core_limit_opens(const struct rlimit *cur, const struct rlimit *nw)
{
	if (nw->rlim_cur == 1 && nw->rlim_max <= cur->rlim_max)
		return NULL;   /* 1 is no dump at all, whatever it was before */
	if (nw->rlim_cur > cur->rlim_cur || nw->rlim_max > cur->rlim_max)
		return "raises RLIMIT_CORE: a core dump copies trusted memory and the registers of threads "
		       "inside trusted code where untrusted code can read them";
	if (cur->rlim_cur == 1 && nw->rlim_cur == 0)
		return "RLIMIT_CORE 0 undoes the 1 that also stops dumps to a core_pattern pipe";
	return NULL;
}

/* The call has run: judge the limit the process has now against the one
 * it had (x[0], x[1]), both as the kernel reports them.  x[2]: the process. */
static void exit_core_limit(struct tem_call *c, long ret)
{
	struct rlimit before = { (rlim_t)c->x[0], (rlim_t)c->x[1] }, now;
	pid_t tg = (pid_t)c->x[2];

	(void)ret;
	if (prlimit(tg, RLIMIT_CORE, NULL, &now) != 0)
		snprintf(c->why, sizeof c->why, "refused (cannot read RLIMIT_CORE after the call: %s): process stopped",
		         strerror(errno));
	else if (core_limit_opens(&before, &now) != NULL)
		snprintf(c->why, sizeof c->why, "refused (RLIMIT_CORE became %lld/%lld, from %lld/%lld: the struct "
		         "changed after it was judged): process stopped", (long long)now.rlim_cur,
		         (long long)now.rlim_max, (long long)before.rlim_cur, (long long)before.rlim_max);
	else
		return;
	c->kill = 1;
}

static void judge_core_limit(struct tem_call *c, pid_t tgid, uint64_t resource, uint64_t addr)
{
	struct rlimit cur, nw;
	const char *bad;

	if (resource != RLIMIT_CORE || addr == 0)
		return;   /* another limit, or only a read */
	c->needs_freeze = 1;   /* no task of the group runs until the result is judged */
	if (prlimit(tgid, RLIMIT_CORE, NULL, &cur) != 0) {
		c->refuse_errno = EPERM;
		snprintf(c->why, sizeof c->why, "refused (cannot read the process's RLIMIT_CORE)");
		return;
	}
	c->x[0] = (uint64_t)cur.rlim_cur;
	c->x[1] = (uint64_t)cur.rlim_max;
	c->x[2] = (uint64_t)tgid;
	c->on_exit = exit_core_limit;   /* the result, whatever the memory held */
	if (tem_arg_read(c, addr, &nw, sizeof nw) != (ssize_t)sizeof nw)
		return;   /* the kernel fails it with EFAULT (the exit judges all the same) */
	if ((bad = core_limit_opens(&cur, &nw)) != NULL) {
		c->refuse_errno = EPERM;
		snprintf(c->why, sizeof c->why, "refused (%s)", bad);
	}
}

void tem_chk_setrlimit(struct tem_call *c)
{
	judge_core_limit(c, c->t->tgid, c->a[0], c->a[1]);
}


/* prlimit64(pid, resource, new, old): judged here when the target is the
 * caller's own process (0, a task of its thread group or address space).
 * A new RLIMIT_CORE for another process of the address space (a CLONE_VM
 * sibling, a vfork parent or child) is refused outright: the verdict on its
 * result is given at the caller's exit stop, and a caller killed before
 * that stop (SIGKILL from any process of the user) would leave the other
 * process with the limit unjudged -- a caller that sets its own limit takes
 * its whole thread group with it when it dies, so nothing is left there. */
void tem_chk_prlimit_core(struct tem_call *c)
{
	pid_t pid = (pid_t)c->a[0], tg;
	const struct tem_thread *o;

	if (pid == 0 || pid == c->t->tid || pid == c->t->tgid)
		tg = c->t->tgid;
	else if ((o = tem_thread_find(pid)) != NULL && o->proc == c->t->proc)
		tg = o->tgid;
	else if ((tg = tem_proc_tgid(pid)) != c->t->tgid)
		return;   /* another process: its target row decides */
	if (tg != c->t->tgid && c->a[1] == RLIMIT_CORE && c->a[2] != 0) {
		c->refuse_errno = EPERM;
		snprintf(c->why, sizeof c->why, "refused (RLIMIT_CORE of another process of the address space: "
		         "its result could not be judged if the caller died first)");
		return;
	}
	judge_core_limit(c, tg, c->a[1], c->a[2]);
}
