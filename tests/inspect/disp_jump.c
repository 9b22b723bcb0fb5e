/* SPDX-License-Identifier: MIT */
/* disp_jump.c: a WRPKRU inside the rel32 of a call (disp_crafted.S, the shape
 * of Debian 12 libcrypto's `call ERR_set_mark@plt`) is neutralised at
 * erim_init by retargeting the call through a trampoline; raw bytes of the
 * same shape with no function around them are still refused.
 *
 *   disp_jump         native (backend none) and in the PKU guest (mpk):
 *                     erim_init succeeds under the default policy (refuse),
 *                     the rel32 no longer holds 0f 01 ef, the call still
 *                     returns 42 through `jmp [rip+0]; .quad disp_target`;
 *                     in the guest a jump into the displacement with EAX = 0
 *                     cannot read the trusted secret
 *   disp_jump raw     an anonymous RX page holding e8 0f 01 ef ff (no
 *                     function, no unwind info): refuse fails with -EPERM
 *                     naming the WRPKRU and leaves the bytes alone
 *   disp_jump off     control (guest): with inspection off the same jump
 *                     executes the WRPKRU, loads PKRU = 0, reads the secret */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

#define SECRET 0x5ec7e7d15b1acedull
#define LEAK_STATUS 42

extern int disp_caller(void);
extern int disp_target(void);
extern const uint8_t disp_call[];

static ERIM_TRUSTED volatile uint64_t secret = SECRET;

/* e8 0f 01 ef ff, kept in data and compared byte by byte: a compiler would
 * otherwise fold a memcmp with it into an immediate holding 0f 01 ef, which
 * inspection rightly refuses */
static volatile const uint8_t call_bytes[5] = { 0xe8, 0x0f, 0x01, 0xef, 0xff };

static int same_as_call_bytes(const uint8_t *p)
{
	for (int i = 0; i < 5; i++)
		if (p[i] != call_bytes[i])
			return 0;
	return 1;
}

static int holds_wrpkru(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (p[i] == call_bytes[1] && p[i + 1] == call_bytes[2] && p[i + 2] == call_bytes[3])
			return 1;
	return 0;
}

static int init(enum erim_inspect_policy p)
{
	int pku = erim_pku_available();
	struct erim_config c = { .backend = pku ? ERIM_BACKEND_MPK : ERIM_BACKEND_NONE,
	                         .require_mpk = pku, .inspect = p, .quiet = 1 };
	return erim_init(&c);
}

/* jump to disp_call+1 with EAX = ECX = EDX = 0; if the WRPKRU there runs,
 * ff e3 (jmp rbx) lands on the read of *P */
__attribute__((noinline)) static uint64_t jump_into_disp(const volatile uint64_t *p)
{
	uint64_t v;
	__asm__ volatile("lea 1f(%%rip), %%rbx\n\t"
	                 "xor %%ecx, %%ecx\n\t"
	                 "xor %%edx, %%edx\n\t"
	                 "xor %%eax, %%eax\n\t"
	                 "jmp *%2\n"
	                 "1:\tmovq (%1), %0\n\t"
	                 : "=&r"(v) : "r"(p), "r"(disp_call + 1) : "rax", "rbx", "rcx", "rdx", "memory");
	return v;
}

static int leak_status(void)
{
	fflush(NULL);
	pid_t p = fork();
	if (p == 0)
		_exit(jump_into_disp(&secret) == SECRET ? LEAK_STATUS : 1);
	int st;
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return st;
}

TEST(wrpkru_in_call_rel32_retargeted_and_call_works)
{
	CHECK(same_as_call_bytes(disp_call),
	      "disp_crafted.S did not assemble to e8 0f 01 ef ff");
	int rc = init(ERIM_INSPECT_REFUSE);
	CHECK(rc == 0, "erim_init(refuse): %d (%s)", rc, erim_strerror());
	if (rc)
		return;
	CHECK(disp_call[0] == 0xe8, "the call is no longer a call");
	CHECK(!holds_wrpkru(disp_call, 5), "the rel32 still holds 0f 01 ef");
	int32_t rel;
	memcpy(&rel, disp_call + 1, 4);
	const uint8_t *t = disp_call + 5 + rel;
	uint64_t to;
	memcpy(&to, t + 6, 8);
	CHECK(memcmp(t, "\xff\x25\0\0\0\0", 6) == 0 && to == (uintptr_t)disp_target,
	      "the call does not go through jmp [rip+0]; .quad disp_target");
	CHECK(disp_caller() == 42, "the retargeted call does not reach disp_target");
}

TEST(jump_into_the_retargeted_displacement_cannot_load_pkru)
{
	if (!erim_pku_available())
		SKIP("no protection keys here: the jump into the displacement runs in the PKU guest");
	CHECK(erim_initialized(), "erim_init did not succeed in the test before");
	if (!erim_initialized())
		return;
	int st = leak_status();
	CHECK(!(WIFEXITED(st) && WEXITSTATUS(st) == LEAK_STATUS),
	      "a jump into the retargeted displacement still read the secret");
}

TEST(raw_bytes_without_a_function_still_refused)
{
	uint8_t *pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(pg != MAP_FAILED, "mmap");
	if (pg == MAP_FAILED)
		return;
	memset(pg, 0xcc, 4096);
	for (int i = 0; i < 5; i++)
		pg[100 + i] = call_bytes[i];
	CHECK(mprotect(pg, 4096, PROT_READ | PROT_EXEC) == 0, "mprotect");
	int rc = init(ERIM_INSPECT_REFUSE);
	const char *why = erim_strerror();
	CHECK(rc == -EPERM, "erim_init: %d (%s), want -EPERM", rc, why);
	CHECK(strstr(why, "wrpkru") != NULL, "refusal does not name the WRPKRU: %s", why);
	CHECK(same_as_call_bytes(pg + 100), "the unprovable bytes were changed");
}

TEST(control_inspection_off_jump_reads_the_secret)
{
	if (!erim_pku_available())
		SKIP("no protection keys here (the control runs in the PKU guest)");
	int rc = init(ERIM_INSPECT_OFF);
	CHECK(rc == 0, "erim_init(inspect off): %d (%s)", rc, erim_strerror());
	if (rc)
		return;
	int st = leak_status();
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == LEAK_STATUS,
	      "the jump into the displacement did not read the secret with inspection off "
	      "(status %#x): the control does not show the mechanism", st);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "off") == 0) {
		RUN(control_inspection_off_jump_reads_the_secret);
		return check_done("disp_jump_control");
	}
	if (strcmp(mode, "raw") == 0) {
		RUN(raw_bytes_without_a_function_still_refused);
		return check_done("disp_jump_raw");
	}
	RUN(wrpkru_in_call_rel32_retargeted_and_call_works);
	RUN(jump_into_the_retargeted_displacement_cannot_load_pkru);
	return check_done("disp_jump");
}
