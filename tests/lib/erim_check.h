/* SPDX-License-Identifier: MIT */
/* erim_check.h: erim's one harness for C test programs.  Header only, so the
 * static programs run inside the VM need nothing else; sh_check.sh is its
 * twin for suites written in sh.
 *
 *     TEST(reads_fault) { CHECK(x == 1, "x is %d", x); EXPECT(p != NULL); }
 *     int main(void) { RUN(reads_fault); return check_done("pku_basic"); }
 *
 * CHECK(cond, fmt, ...)  records a failure (with the message) and goes on;
 * EXPECT(cond)           the same, the condition's text is the message;
 * REQUIRE(cond)          records a failure and ends the current test;
 * SKIP(fmt, ...)         ends the current test as skipped: it must say why;
 * CHECK_DIES(what, fn, arg, SIG, pattern) / CHECK_EXITS(what, fn, arg, STATUS,
 * pattern): the death test.  fn(arg) runs in a forked child with its stdout
 * and stderr captured; it passes when the child is killed by SIG (exits with
 * STATUS) and, unless pattern is NULL, its output matches the extended
 * regular expression pattern.  A failure prints what the child really did
 * and its output.  check_child() is the bare runner for tests that judge the
 * wait status themselves, check_child_rc() for those that branch on the
 * child's exit code.
 *
 * A test passes when none of its checks failed and it did not SKIP.
 * check_done() prints "SUITE: N passed, N failed, N skipped" (the line
 * tests/run-suite.sh and tests/summary.sh read) and returns the exit status:
 * the number of failures (capped at 76, so it never reads as automake's 77 =
 * skipped), or 77 when every test was skipped. */
#ifndef ERIM_CHECK_H
#define ERIM_CHECK_H

#include <regex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int check_passed_, check_failed_, check_skipped_;
/* (unused in a program that takes only the child runners below) */
__attribute__((unused)) static int check_cur_failed_, check_cur_skipped_;

#define TEST(name) static void name(void)

/* print the "FAIL file:line: cond: " prefix and mark the running test failed */
static inline void check_fail_(const char *file, int line, const char *cond)
{
	check_cur_failed_ = 1;
	fprintf(stdout, "  FAIL %s:%d: %s: ", file, line, cond);
}

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			check_fail_(__FILE__, __LINE__, #cond);                \
			fprintf(stdout, __VA_ARGS__);                          \
			fputc('\n', stdout);                                   \
			fflush(stdout);                                        \
		}                                                              \
	} while (0)

#define EXPECT(cond) CHECK(cond, "%s", "expected to hold")

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond)) {                                                 \
			CHECK(0, "%s", "required: " #cond ", test ends here"); \
			return;                                                \
		}                                                              \
	} while (0)

/* End the current test as skipped, with a reason. */
#define SKIP(...)                                                              \
	do {                                                                   \
		check_cur_skipped_ = 1;                                        \
		fprintf(stdout, "  skipped: ");                                \
		fprintf(stdout, __VA_ARGS__);                                  \
		fputc('\n', stdout);                                           \
		return;                                                        \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
		check_cur_failed_ = check_cur_skipped_ = 0;                    \
		fprintf(stdout, "%s ...\n", #fn);                              \
		fflush(stdout);                                                \
		fn();                                                          \
		if (check_cur_failed_)                                         \
			check_failed_++;                                       \
		else if (check_cur_skipped_)                                   \
			check_skipped_++;                                      \
		else                                                           \
			check_passed_++;                                       \
		fprintf(stdout, "%s: %s\n", #fn,                               \
		        check_cur_failed_ ? "FAIL"                             \
		        : check_cur_skipped_ ? "SKIP" : "ok");                 \
		fflush(stdout);                                                \
	} while (0)

static inline int check_done(const char *suite)
{
	printf("%s: %d passed, %d failed, %d skipped\n", suite, check_passed_,
	       check_failed_, check_skipped_);
	fflush(stdout);
	if (check_failed_)
		return check_failed_ > 76 ? 76 : check_failed_;
	if (check_passed_ == 0 && check_skipped_ > 0) {
		printf("skipped: every test of %s was skipped (reasons above)\n", suite);
		return 77;
	}
	return 0;
}

/* ---- children and death tests ------------------------------------------------ */

typedef void (*check_child_fn)(void *arg);

/* seconds a child may run before SIGALRM kills it (0: no limit) */
static unsigned check_child_timeout;
/* the output of the last child that check_child() ran */
static char check_child_out[8192];

/* Run FN(ARG) in a forked child whose stdout and stderr go to OUT (always
 * NUL-terminated; the rest is read and dropped); the child exits 0 when FN
 * returns.  Returns the wait status, -1 when no child could be started. */
static inline int check_child(check_child_fn fn, void *arg, char *out, size_t outlen)
{
	int pfd[2], st = 0;
	size_t n = 0;
	ssize_t r;
	char sink[512];
	pid_t pid;

	if (pipe(pfd) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		setvbuf(stdout, NULL, _IONBF, 0);
		if (check_child_timeout)
			alarm(check_child_timeout);
		fn(arg);
		_exit(0);
	}
	close(pfd[1]);
	for (;;) {
		if (n + 1 < outlen)
			r = read(pfd[0], out + n, outlen - 1 - n);
		else
			r = read(pfd[0], sink, sizeof sink);
		if (r <= 0)
			break;
		if (n + 1 < outlen)
			n += (size_t)r;
	}
	if (outlen)
		out[n] = 0;
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0)
		;
	return st;
}

/* Run FN(ARG) in a child as check_child() does, print its output and return
 * what a shell would: its exit status, 128 + the signal that killed it, or -1
 * when no child could be started. */
static inline int check_child_rc(check_child_fn fn, void *arg)
{
	int st = check_child(fn, arg, check_child_out, sizeof check_child_out);

	fputs(check_child_out, stdout);
	if (st == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* what a wait status says, for failure messages */
static inline const char *check_status_text(int st, char *buf, size_t len)
{
	if (st == -1)
		snprintf(buf, len, "no child (fork or pipe failed)");
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
	else
		snprintf(buf, len, "wait status %#x", (unsigned)st);
	return buf;
}

enum check_end { CHECK_BY_SIGNAL, CHECK_BY_EXIT };

/* does OUT match the extended regular expression PATTERN (NULL: anything)?
 * ^ and $ match at line ends, as in grep -E. */
static inline int check_matches(const char *out, const char *pattern)
{
	regex_t re;
	int ok;

	if (!pattern)
		return 1;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0)
		return 0;
	ok = regexec(&re, out, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static inline int check_death_(const char *file, int line, const char *what,
                               check_child_fn fn, void *arg, enum check_end how,
                               int code, const char *pattern)
{
	char got[96];
	int st = check_child(fn, arg, check_child_out, sizeof check_child_out);
	int ended = how == CHECK_BY_SIGNAL ? st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == code
	                                   : st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code;
	int ok = ended && check_matches(check_child_out, pattern);

	size_t len = strlen(check_child_out);
	const char *nl = len && check_child_out[len - 1] == '\n' ? "" : "\n";

	check_status_text(st, got, sizeof got);
	if (!ok) {
		check_fail_(file, line, what);
		fprintf(stdout, "expected %s %d%s%s%s; got: %s; output:\n%s%s",
		        how == CHECK_BY_SIGNAL ? "death by signal" : "exit with status", code,
		        pattern ? " and output matching \"" : "", pattern ? pattern : "",
		        pattern ? "\"" : "", got, check_child_out, nl);
	} else {
		fprintf(stdout, "  %s: %s, as expected: %s%s", what, got, check_child_out, nl);
	}
	fflush(stdout);
	return ok;
}

#define CHECK_DIES(what, fn, arg, sig, pattern)                                \
	check_death_(__FILE__, __LINE__, (what), (fn), (void *)(uintptr_t)(arg), \
	             CHECK_BY_SIGNAL, (sig), (pattern))
#define CHECK_EXITS(what, fn, arg, status, pattern)                            \
	check_death_(__FILE__, __LINE__, (what), (fn), (void *)(uintptr_t)(arg), \
	             CHECK_BY_EXIT, (status), (pattern))

#endif /* ERIM_CHECK_H */
