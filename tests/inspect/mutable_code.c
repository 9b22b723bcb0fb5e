/* SPDX-License-Identifier: MIT */
/* mutable_code.c: erim_init refuses executable memory whose bytes can change
 * after inspection without a system call anyone judges (red-team round 9:
 * atk_jit_rwx, atk_jit_alias, atk_execstack).  Each case maps its code
 * before erim_init, as a program's start-up would:
 *   rwx       an anonymous read+write+execute JIT arena;
 *   memfd     a memfd mapped private read+execute, with a shared read+write
 *             view of the same memfd;
 *   shared    a memfd mapped shared read+execute (and writable through it);
 *   execstack (the program built with -z execstack) code on the stack.
 * After init the "attacker" writes `mov $42,%eax; ret` through the writable
 * view and calls it -- under mpk a WRPKRU stub would follow the same path.
 * With inspection on, erim_init must refuse, naming the mapping; the
 * control (ERIM_INSPECT=off) shows the bytes really change and run.
 * `mutable_code` runs every case of its kind, each in its own child. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

static const unsigned char stub[] = { 0xb8, 42, 0, 0, 0, 0xc3 };   /* mov $42,%eax; ret */

static void run(unsigned char *wr, unsigned char *ex)
{
	int (*f)(void);

	if (erim_init(NULL) < 0) {
		printf("refused: %s\n", erim_strerror());
		_exit(3);
	}
	for (size_t i = 0; i < sizeof stub; i++)   /* untrusted code from here on */
		((volatile unsigned char *)wr)[i] = stub[i];
	__asm__ volatile("" ::: "memory");
	f = (int (*)(void))(void *)ex;
	printf("CHANGED: the new bytes ran and returned %d\n", f());
	_exit(0);
}

#ifndef MUTABLE_EXECSTACK
static void case_rwx(void *a)
{
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)a;
	if (p == MAP_FAILED)
		_exit(4);
	memset(p, 0xc3, 4096);
	run(p, p);
}

static void case_memfd(void *a)
{
	int fd = memfd_create("jit", 0);
	unsigned char *ex, *wr;

	if (fd < 0 || ftruncate(fd, 4096) != 0)
		_exit(4);
	wr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (wr == MAP_FAILED)
		_exit(4);
	memset(wr, 0xc3, 4096);
	ex = mmap(NULL, 4096, PROT_READ | PROT_EXEC, a ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	if (ex == MAP_FAILED)
		_exit(4);
	run(wr, ex);
}
#endif

#ifdef MUTABLE_EXECSTACK
static void case_stack(void *a)
{
	unsigned char code[64] __attribute__((aligned(16)));

	(void)a;
	memset(code, 0xc3, sizeof code);
	run(code, code);
}
#endif

static void expect(const char *what, check_child_fn fn, void *arg, const char *reason)
{
	int st;

	setenv("ERIM_INSPECT", "off", 1);
	st = check_child(fn, arg, check_child_out, sizeof check_child_out);
	printf("  control, %s, inspection off: %s", what, check_child_out);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(check_child_out, "returned 42"),
	      "control: with inspection off the bytes written after erim_init must run");
	unsetenv("ERIM_INSPECT");
	st = check_child(fn, arg, check_child_out, sizeof check_child_out);
	printf("  %s: %s", what, check_child_out);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "erim_init accepted %s", what);
	CHECK(strstr(check_child_out, reason) != NULL, "the refusal does not say \"%s\"", reason);
}

#ifdef MUTABLE_EXECSTACK
TEST(executable_stack_is_refused)
{
	expect("an executable stack", case_stack, NULL, "W+X");
}
#else
TEST(rwx_jit_arena_is_refused)
{
	expect("an RWX arena", case_rwx, NULL, "W+X");
}

TEST(memfd_with_a_writable_view_is_refused)
{
	expect("a memfd with a writable view", case_memfd, NULL, "memfd");
}

TEST(shared_executable_mapping_is_refused)
{
	expect("a shared executable memfd mapping", case_memfd, (void *)1, "shared");
}
#endif

int main(void)
{
	if (!getenv("ERIM_BACKEND"))
		setenv("ERIM_BACKEND", "mprotect", 1);
	setenv("ERIM_QUIET", "1", 1);
	printf("mutable_code: back end %s\n", getenv("ERIM_BACKEND"));
#ifdef MUTABLE_EXECSTACK
	RUN(executable_stack_is_refused);
	return check_done("mutable_code_execstack");
#else
	RUN(rwx_jit_arena_is_refused);
	RUN(memfd_with_a_writable_view_is_refused);
	RUN(shared_executable_mapping_is_refused);
	return check_done("mutable_code");
#endif
}
