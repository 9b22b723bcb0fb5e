/* tem_clone.c: new tasks.  Every task that shares an address space must be
 * seen and held while a decision about that address space is made, so
 * tasks are grouped by the memory they really share (kcmp(KCMP_VM)), not by
 * thread group: clone(CLONE_VM) without CLONE_THREAD reports as a fork yet
 * shares the mm.  CLONE_UNTRACED would start a task erim-tem never sees (it
 * could not be held while a check is raced), so it is refused; clone3 keeps
 * its flags in memory another thread could rewrite after they were read,
 * so it answers ENOSYS and glibc falls back to clone. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem.h"

#ifndef KCMP_VM
#define KCMP_VM 1
#endif

int tem_same_vm(pid_t a, pid_t b)
{
	long r = syscall(SYS_kcmp, a, b, KCMP_VM, 0, 0);

	if (r == 0)
		return 1;
	if (r < 0)
		tem_log(1, "kcmp(%d, %d, KCMP_VM): %m (grouping by thread group only)", (int)a, (int)b);
	return 0;
}

void tem_chk_clone(struct tem_call *c)
{
	uint64_t flags = c->a[0];

	if (flags & CLONE_UNTRACED) {
		c->refuse_errno = EPERM;
		snprintf(c->why, sizeof c->why, "refused (CLONE_UNTRACED: a task erim-tem could not see or hold)");
	} else if (c->trusted && c->t->proc->registered && (flags & CLONE_VM)) {
		c->refuse_errno = EPERM;
		snprintf(c->why, sizeof c->why,
		         "refused (a thread started from trusted code would run with trusted rights)");
	}
}

void tem_chk_clone3(struct tem_call *c)
{
	c->refuse_errno = ENOSYS;
	snprintf(c->why, sizeof c->why, "refused (clone3 flags live in racy memory; use clone)");
}
