/* SPDX-License-Identifier: MIT */
/* inspect_vm_refuse.c (VM suite, real PKU): a program carrying unsafe
 * WRPKRU/XRSTOR sequences (crafted.S) is refused by erim_init under the mpk
 * back end with -EPERM, and nothing stays set up.  Under ERIM_INSPECT=noexec
 * it starts, but the crafted WRPKRU can no longer execute: calling it faults
 * (SIGSEGV) instead of silently writing PKRU, which it would do on this CPU. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crafted_expect.h"
#include "erim.h"
#include "erim_arch.h"
#include "erim_check.h"

extern const uint8_t crafted_wrpkru_insn[];

static struct erim_config cfg(enum erim_inspect_policy p)
{
	struct erim_config c = { .backend = ERIM_BACKEND_MPK, .require_mpk = 1, .inspect = p, .quiet = 1 };
	return c;
}

static void refuse_child(void *unused)
{
	struct erim_config c = cfg(ERIM_INSPECT_REFUSE);
	int rc = erim_init(&c);
	printf("erim_init: %d (%s)\n", rc, erim_strerror());
	if (rc != -EPERM)
		_exit(1);
	if (erim_initialized())
		_exit(2);
	if (erim_pkey() >= 0)
		_exit(3);
	_exit(0);
}

TEST(unsafe_program_refused_at_init_under_mpk)
{
	if (!erim_pku_available())
		SKIP("no protection keys here (this suite runs in the PKU guest)");
	int rc = check_child_rc(refuse_child, NULL);
	CHECK(rc == 0, "child result %d (1: wrong erim_init result, 2/3: something stayed set up)", rc);
}

static void noexec_child(void *unused)
{
	struct erim_config c = cfg(ERIM_INSPECT_NOEXEC);
	int rc = erim_init(&c);
	if (rc != 0) {
		printf("erim_init: %d (%s)\n", rc, erim_strerror());
		_exit(1);
	}
	uint32_t pkru = erim_rdpkru();
	fflush(NULL);
	pid_t p = fork();
	if (p == 0) {
		__asm__ volatile("xor %%ecx, %%ecx\n\txor %%edx, %%edx\n\tcall *%0"
		                 : : "r"(crafted_wrpkru_insn), "a"(0) : "rcx", "rdx", "memory");
		_exit(erim_rdpkru() == 0 ? 10 : 11);  /* the WRPKRU ran: PKRU = 0 */
	}
	int st;
	waitpid(p, &st, 0);
	if (erim_rdpkru() != pkru)
		_exit(2);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV) {
		printf("grandchild: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
		       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		_exit(3);
	}
	_exit(0);
}

TEST(noexec_policy_starts_but_the_unsafe_wrpkru_never_runs)
{
	if (!erim_pku_available())
		SKIP("no protection keys here (this suite runs in the PKU guest)");
	int rc = check_child_rc(noexec_child, NULL);
	CHECK(rc == 0, "child result %d (1: init failed, 3: the crafted WRPKRU did not fault)", rc);
}

int main(void)
{
	RUN(unsafe_program_refused_at_init_under_mpk);
	RUN(noexec_policy_starts_but_the_unsafe_wrpkru_never_runs);
	return check_done("inspect_vm_refuse");
}
