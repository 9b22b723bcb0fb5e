/* SPDX-License-Identifier: MIT */
/* test_rt_autoinit.c: ERIM_AUTOINIT=1 initialises erim after every
 * constructor (so entries registered by constructors count) and before main,
 * configured by the environment; a failing automatic init stops the program
 * before main with the reason.  The program re-executes itself with each
 * environment. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

static unsigned id_twice;

static long e_twice(void *p)
{
	return 2 * *(long *)p;
}

/* Like generated code: register from a constructor of the executable. */
__attribute__((constructor)) static void register_entries(void)
{
	static const struct erim_entry tab[] = { { "auto", "twice", e_twice, ERIM_ENTRY_PUBLIC } };

	if (erim_register_entries(tab, 1, &id_twice) != 0)
		abort();
}

/* In the re-executed child: report what main finds. */
static int child(const char *want)
{
	long x = 21;

	if (strcmp(want, "uninitialized") == 0)
		return erim_initialized() ? 2 : 0;
	if (!erim_initialized())
		return 3;
	if (strcmp(erim_backend_name(erim_backend()), want) != 0)
		return 4;
	if (erim_in_trusted())
		return 5;
	return erim_gate_call(id_twice, &x) == 42 ? 0 : 6;
}

/* the environment of a child run: which back end it must find, and its whole
 * ERIM_* environment (a NULL-terminated "VAR=VAL" list) */
struct spawn { const char *want; const char *const *env; };

/* in the child: run ourselves again with that environment */
static void exec_self(void *arg)
{
	const struct spawn *sp = arg;

	unsetenv("ERIM_AUTOINIT");
	unsetenv("ERIM_BACKEND");
	unsetenv("ERIM_REQUIRE");
	for (const char *const *e = sp->env; *e; e++)
		putenv((char *)*e);
	execl("/proc/self/exe", "test_rt_autoinit", "--child", sp->want, (char *)NULL);
	_exit(126);
}

/* Run ourselves with ENV as the whole ERIM_* environment; returns the wait
 * status and the output in OUT. */
static int spawn(const char *want, const char *const *env, char *out, size_t outlen)
{
	struct spawn sp = { want, env };

	return check_child(exec_self, &sp, out, outlen);
}

#define EXITED(st, code) (WIFEXITED(st) && WEXITSTATUS(st) == (code))

TEST(autoinit_runs_after_constructors_with_the_environments_backend)
{
	static const char *const none[] = { "ERIM_AUTOINIT=1", "ERIM_BACKEND=none", "ERIM_QUIET=1", NULL };
	static const char *const mprot[] = { "ERIM_AUTOINIT=1", "ERIM_BACKEND=mprotect", "ERIM_QUIET=1", NULL };
	char out[1024];
	int st;

	st = spawn("none", none, out, sizeof out);
	CHECK(EXITED(st, 0), "none: status %#x, stderr: %s", st, out);
	st = spawn("mprotect", mprot, out, sizeof out);
	CHECK(EXITED(st, 0), "mprotect: status %#x, stderr: %s", st, out);
}

TEST(no_autoinit_without_the_variable)
{
	static const char *const env[] = { "ERIM_BACKEND=none", NULL };
	char out[1024];
	int st = spawn("uninitialized", env, out, sizeof out);

	CHECK(EXITED(st, 0), "status %#x, stderr: %s", st, out);
}

TEST(failing_autoinit_stops_before_main)
{
	static const char *const env[] = { "ERIM_AUTOINIT=1", "ERIM_BACKEND=bogus", NULL };
	char out[1024];
	int st = spawn("none", env, out, sizeof out);

	CHECK(EXITED(st, 1), "status %#x", st);
	CHECK(strstr(out, "erim: cannot start") && strstr(out, "ERIM_BACKEND=bogus"),
	      "stderr: %s", out);
}

TEST(autoinit_with_require_mpk_refuses_to_run_without_pku)
{
	static const char *const env[] = { "ERIM_AUTOINIT=1", "ERIM_REQUIRE=mpk", NULL };
	char out[1024];
	int st;

	if (erim_pku_available())
		SKIP("this machine has protection keys");
	st = spawn("mpk", env, out, sizeof out);
	CHECK(EXITED(st, 1), "status %#x", st);
	CHECK(strstr(out, "protection keys") != NULL, "stderr: %s", out);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return child(argv[2]);
	if (erim_initialized()) {
		printf("rt_autoinit: initialized although ERIM_AUTOINIT is not set here\n");
		printf("rt_autoinit: 0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	RUN(autoinit_runs_after_constructors_with_the_environments_backend);
	RUN(no_autoinit_without_the_variable);
	RUN(failing_autoinit_stops_before_main);
	RUN(autoinit_with_require_mpk_refuses_to_run_without_pku);
	return check_done("rt_autoinit");
}
