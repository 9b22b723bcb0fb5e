/* SPDX-License-Identifier: MIT */
/* tem_judge.c: judging one trapped call: the caller's domain (by its PKRU),
 * the ranges rule (tem_freeze.c), then every row the table (tem_table.c)
 * holds for the number -- the rows of tem_policy.c and tem_target.c -- in
 * turn; the first refusal wins.  The rows are data the table owns the order
 * of; this file only runs them, so neither the policy nor the table calls
 * back into the other. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "erim_x86.h"
#include "tem.h"
#include "tem_table.h"

const struct tem_rule *tem_rule_for(long nr)
{
	return tem_rule_next(nr, NULL);   /* tem_rules[], tem_target_rules[], refuse rows */
}

/* ---- judging -------------------------------------------------------------------- */

/* Calls whose untrusted rows guard the caller's own address space (what may
 * become executable, what may be unmapped or re-keyed, where the kernel may
 * write at exit).  An image exec'd after registration has an address space
 * of its own with no trusted memory in it, so these rows have nothing to
 * guard there (and its libc holds WRPKRU bytes, pkey_set's): it is judged
 * untrusted by every other row -- those that reach other processes, files,
 * devices and the kernel. */
static int own_memory_row(long nr)
{
	switch (nr) {
	case SYS_mmap: case SYS_mprotect: case SYS_pkey_mprotect: case SYS_mremap: case SYS_remap_file_pages:
	case SYS_shmat: case SYS_personality: case SYS_modify_ldt: case SYS_munmap: case SYS_madvise:
	case SYS_pkey_free: case SYS_sigaltstack: case SYS_set_tid_address: case SYS_set_robust_list:
	case SYS_munlock: case SYS_munlockall:
		return 1;
	default:
		return 0;
	}
}

void tem_judge(struct tem_call *c)
{
	struct tem_proc *p = c->t->proc;
	const struct tem_rule *r = c->rule;
	int applies;

	c->pkru = 0;
	if (!p->registered && p->exec_after_reg) {
		/* descended from a registered process after its registration
		 * (an image exec'd by it, a fork of such an image): it never
		 * registers, so it would stay "start-up" for ever -- but its
		 * code is what untrusted code chose.  Untrusted from its first
		 * instruction (tem_main.c, PTRACE_EVENT_EXEC). */
		c->trusted = 0;
		c->domain = "untrusted (exec'd after registration)";
	} else if (!p->registered) {
		c->trusted = 1;
		c->domain = "start-up";
	} else if (p->pkey >= 1 && tem_pkru_get(c->t->tid, &c->pkru) == 0) {
		c->trusted = !(c->pkru & ERIM_PKRU_KEY_BITS(p->pkey));
		c->domain = c->trusted ? "trusted" : "untrusted";
	} else {
		c->trusted = 0;
		c->domain = "untrusted";
	}
	/* whole page-rounded ranges, trusted and frozen memory (tem_freeze.c),
	 * whatever the number's rows say */
	if (p->registered && !c->trusted && tem_freeze_judge(c))
		return;
	/* every row of the number applies in turn; the first refusal wins */
	for (; r; r = tem_rule_next(c->nr, r)) {
		switch (r->who) {
		case TEM_W_ALWAYS: applies = 1; break;
		case TEM_W_UNTRUSTED:
			applies = !c->trusted && !(p->exec_after_reg && !p->registered && own_memory_row(c->nr));
			break;
		case TEM_W_TRUSTED: applies = c->trusted && p->registered; break;
		default: applies = p->registered; break;
		}
		if (!applies)
			continue;
		c->rule = r;
		if (!r->check) {
			snprintf(c->why, sizeof c->why, "refused (%s)", r->what);
			c->refuse_errno = EPERM;
			return;
		}
		r->check(c);
		if (c->refuse_errno || c->kill)
			return;
	}
}
