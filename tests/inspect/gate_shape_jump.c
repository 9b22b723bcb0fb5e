/* SPDX-License-Identifier: MIT */
/* gate_shape_jump.c (VM suite, real PKU): a WRPKRU in the shape erim once
 * accepted by its bytes -- xor ecx,ecx; xor edx,edx; mov eax,IMM; wrpkru;
 * cmp eax,IMM; jne -- in untrusted code is refused at erim_init.  With IMM = 0
 * the compare passes when the sequence runs from its start, so calling it
 * opens every key (red-team round 4, "gengate_accept").
 *
 *   gate_shape_jump        inspection on (refuse): erim_init fails with -EPERM
 *                          naming the WRPKRU, nothing stays set up
 *   gate_shape_jump off    control, inspection off: calling the sequence loads
 *                          PKRU = 0 and reads the trusted secret */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"
#include "erim_check.h"

#define SECRET 0x6a7e5ec7e75ec7e7ull
#define LEAK_STATUS 42

static ERIM_TRUSTED volatile uint64_t secret = SECRET;
static int control;
static const char *suite;

/* the 8 bytes at P, read after the gate-shaped WRPKRU loaded PKRU = 0 */
__attribute__((noinline)) static uint64_t gate_shaped_read(const volatile uint64_t *p)
{
	uint64_t v;
	__asm__ volatile(".byte 0x31, 0xc9, 0x31, 0xd2\n\t"        /* xor ecx, ecx; xor edx, edx */
	                 ".byte 0xb8\n\t.long 0\n\t"                /* mov eax, 0 */
	                 ".byte 0x0f, 0x01, 0xef\n\t"               /* wrpkru */
	                 ".byte 0x3d\n\t.long 0\n\t"                /* cmp eax, 0 */
	                 "jne 1f\n\t"
	                 "movq (%1), %0\n\t"
	                 "jmp 2f\n"
	                 "1:\tud2\n"
	                 "2:\n"
	                 : "=r"(v) : "r"(p) : "rax", "rcx", "rdx", "memory");
	return v;
}

static int init_mpk(enum erim_inspect_policy p)
{
	struct erim_config c = { .backend = ERIM_BACKEND_MPK, .require_mpk = 1, .inspect = p, .quiet = 1 };
	return erim_init(&c);
}

TEST(gate_shaped_wrpkru_refused_at_init)
{
	if (!erim_pku_available())
		SKIP("no protection keys here (this suite runs in the PKU guest)");
	int rc = init_mpk(ERIM_INSPECT_REFUSE);
	const char *why = erim_strerror();
	CHECK(rc == -EPERM, "erim_init: %d (%s), want -EPERM", rc, why);
	CHECK(strstr(why, "wrpkru") != NULL, "refusal does not name the WRPKRU: %s", why);
	CHECK(!erim_initialized() && erim_pkey() < 0, "something stayed set up after the refusal");
}

TEST(control_inspection_off_gate_shape_reads_the_secret)
{
	if (!erim_pku_available())
		SKIP("no protection keys here (this suite runs in the PKU guest)");
	int rc = init_mpk(ERIM_INSPECT_OFF);
	CHECK(rc == 0, "erim_init(inspect off): %d (%s)", rc, erim_strerror());
	if (rc)
		return;
	fflush(NULL);
	pid_t p = fork();
	if (p == 0)
		_exit(gate_shaped_read(&secret) == SECRET ? LEAK_STATUS : 1);
	int st = 0;   /* a failed fork/wait leaves it 0: the check below fails too */
	CHECK(p > 0 && waitpid(p, &st, 0) == p, "fork/wait failed");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == LEAK_STATUS,
	      "the gate shape did not read the secret with inspection off (status %#x): "
	      "the control does not show the mechanism", st);
}

int main(int argc, char **argv)
{
	control = argc > 1 && strcmp(argv[1], "off") == 0;
	suite = control ? "gate_shape_jump_control" : "gate_shape_jump";
	if (control)
		RUN(control_inspection_off_gate_shape_reads_the_secret);
	else
		RUN(gate_shaped_wrpkru_refused_at_init);
	return check_done(suite);
}
