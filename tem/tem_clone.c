/* SPDX-License-Identifier: MIT */
/* tem_clone.c: new tasks.  Every task that shares an address space, an fd
 * table or signal handlers with the caller of a judged call must be seen and
 * held while that call is judged (an fd usable before its exit check, a
 * range on its way to execute, a struct read from memory), so tasks are
 * grouped by what they really share with their creator (kcmp KCMP_VM,
 * KCMP_FILES, KCMP_SIGHAND), not by thread group or by the kind of event:
 * clone(CLONE_VM) without CLONE_THREAD and vfork report as forks yet share
 * the mm; clone(CLONE_FILES) without CLONE_VM shares only the fd table.
 * CLONE_UNTRACED would start a task erim-tem never sees (it could not be
 * held while a check is raced), so it is refused; clone3 keeps its flags in
 * memory another thread could rewrite after they were read, so it answers
 * ENOSYS and glibc falls back to clone. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tem.h"

#ifndef KCMP_FILES
#define KCMP_FILES 2
#endif
#ifndef KCMP_VM
#define KCMP_VM 1
#endif
#ifndef KCMP_SIGHAND
#define KCMP_SIGHAND 4
#endif

int tem_kcmp_same(pid_t a, pid_t b, int type)
{
	long r = syscall(SYS_kcmp, a, b, type, 0, 0);

	return r == 0 ? 1 : r > 0 ? 0 : -1;
}

int tem_clone_shares(pid_t parent, pid_t child, const struct user_regs_struct *regs)
{
	static const struct { int kcmp, share; uint64_t flag; } k[] = {
		{ KCMP_VM, TEM_SHARE_VM, CLONE_VM },
		{ KCMP_FILES, TEM_SHARE_FILES, CLONE_FILES },
		{ KCMP_SIGHAND, TEM_SHARE_SIGHAND, CLONE_SIGHAND },
	};
	uint64_t flags;
	int known = 1, shares = 0, i;

	/* what the call asked for: x86-64 clone(flags, ...) in rdi; fork
	 * shares nothing, vfork the mm; anything else: unknown */
	switch ((long)regs->orig_rax) {
	case SYS_clone: flags = regs->rdi; break;
	case SYS_fork: flags = 0; break;
	case SYS_vfork: flags = CLONE_VM | CLONE_VFORK; break;
	default: known = 0; flags = 0; break;
	}
	for (i = 0; i < 3; i++) {
		int same = tem_kcmp_same(parent, child, k[i].kcmp);

		if (same < 0) {
			tem_log(2, "kcmp(%d, %d, %d): %m (judged by the clone flags)", (int)parent, (int)child, k[i].kcmp);
			same = !known || (flags & k[i].flag);
		}
		if (same)
			shares |= k[i].share;
	}
	return shares;
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
