/* SPDX-License-Identifier: MIT */
/* xrstor_jump.c (VM suite, real PKU): no XRSTOR left in executable memory after
 * erim_init can load PKRU for untrusted code.
 *
 * After erim_init(mpk) this program is untrusted code with a trusted secret it
 * cannot read.  It finds EVERY XRSTOR/XRSTOR64 byte sequence (0F AE /5 with a
 * memory operand, at every offset, by its own byte search, independent of the
 * project's scanner) in every readable executable mapping -- ld.so's
 * lazy-binding trampolines, the copy of them in static glibc, anything else --
 * and, in a fresh child per site, jumps straight onto it the way an attacker
 * would: EAX = 0x200 (PKRU only), EDX = 0, the operand's registers aimed at an
 * XSAVE area whose PKRU component is 0, RBX/RSP/R11 set so that the code after
 * the trampoline's XRSTOR "returns" into a landing function that reads the
 * secret.  A child that reads it exits 42 (a leak); one stopped by the check
 * after a rewritten XRSTOR exits 107; any other end is no access either.
 *
 *   xrstor_jump          inspection on (ERIM_INSPECT=refuse): no site leaks,
 *                        every site is stopped by the check, lazy binding works
 *   xrstor_jump off      control, inspection off: the same jumps load PKRU = 0
 *                        and read the secret (the mechanism is real)
 *
 * XRSTORS (0F C7 /3) is privileged: it faults (#GP) at CPL 3, which the last
 * test shows, so it is no user-mode gadget. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"
#include "erim_check.h"

#define SECRET 0x5ec7e75ec7e7ull
#define LEAK_STATUS 42
#define CHECK_STATUS 107       /* SCAN_XRSTOR_CHECK_STATUS in inspect/scan.h */

static ERIM_TRUSTED volatile uint64_t secret = SECRET;
static int control;            /* inspection off */
static int inited;
static const char *suite;

/* ---- the jump ---------------------------------------------------------------- */

/* Registers by x86 number: rax rcx rdx rbx rsp rbp rsi rdi r8 .. r15. */
struct xj_regs {
	uint64_t r[16];
};
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11 };

__attribute__((visibility("hidden"))) uint64_t xj_target;
void xj_go(const struct xj_regs *r) __attribute__((noreturn));
__asm__(".text\n"
        ".globl xj_go\n"
        ".hidden xj_go\n"
        ".type xj_go, @function\n"
        "xj_go:\n\t"
        "mov 0(%rdi), %rax\n\t"
        "mov 8(%rdi), %rcx\n\t"
        "mov 16(%rdi), %rdx\n\t"
        "mov 24(%rdi), %rbx\n\t"
        "mov 32(%rdi), %rsp\n\t"
        "mov 40(%rdi), %rbp\n\t"
        "mov 48(%rdi), %rsi\n\t"
        "mov 64(%rdi), %r8\n\t"
        "mov 72(%rdi), %r9\n\t"
        "mov 80(%rdi), %r10\n\t"
        "mov 88(%rdi), %r11\n\t"
        "mov 96(%rdi), %r12\n\t"
        "mov 104(%rdi), %r13\n\t"
        "mov 112(%rdi), %r14\n\t"
        "mov 120(%rdi), %r15\n\t"
        "mov 56(%rdi), %rdi\n\t"
        "jmp *xj_target(%rip)\n\t"
        ".size xj_go, . - xj_go\n");

/* Where the trampoline's `jmp r11` goes: untrusted code reading the secret. */
__attribute__((noreturn, used)) static void landing(void)
{
	_exit(secret == SECRET ? LEAK_STATUS : 43);
}

/* ---- the XSAVE area with PKRU = 0 -------------------------------------------- */

static uint32_t pkru_off;      /* offset of the PKRU component (standard format) */

static int xsave_pkru_supported(void)
{
	uint32_t r[4];
	erim_cpuid(0, 0, r);
	if (r[0] < 0xd)
		return 0;
	erim_cpuid(1, 0, r);
	if (!(r[2] & (1u << 27)))   /* OSXSAVE */
		return 0;
	erim_cpuid(0xd, 0, r);
	if (!(r[0] & (1u << 9)))    /* XCR0 may enable PKRU */
		return 0;
	erim_cpuid(0xd, 9, r);
	pkru_off = r[1];
	return pkru_off >= 576 && pkru_off < 8192;
}

static void xsave_area_pkru0(uint8_t *a)
{
	memset(a, 0, pkru_off + 64);
	uint32_t mxcsr = 0x1f80;
	memcpy(a + 24, &mxcsr, 4);          /* valid MXCSR, in case SSE is requested */
	uint64_t bv = 1ull << 9;            /* XSTATE_BV: PKRU present */
	memcpy(a + 512, &bv, 8);            /* XCOMP_BV (a + 520) stays 0: standard form */
	/* PKRU (a + pkru_off) = 0: every key readable and writable */
}

/* ---- finding and aiming -------------------------------------------------------- */

struct site {
	uint64_t addr;     /* where the jump lands (the 0F byte, or a REX before it) */
	const uint8_t *op; /* the 0F byte */
	uint8_t rex;
	char where[96];
};

static struct site sites[256];
static size_t nsites;

static void add_site(const uint8_t *p, uint8_t rex, const char *path)
{
	if (nsites == sizeof sites / sizeof *sites)
		return;
	struct site *s = &sites[nsites++];
	s->op = p;
	s->rex = rex;
	s->addr = (uint64_t)(uintptr_t)p - (rex ? 1 : 0);
	snprintf(s->where, sizeof s->where, "%s%s", rex ? "REX+" : "", path);
}

/* Every 0F AE /5 (mod != 3) in readable executable mappings. */
static void find_sites(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	nsites = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8], path[256] = "";
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perms, path) < 3)
			continue;
		if (perms[0] != 'r' || perms[2] != 'x' || strcmp(path, "[vsyscall]") == 0)
			continue;
		const uint8_t *b = (const uint8_t *)lo;
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		for (unsigned long i = 0; i + 3 <= hi - lo; i++) {
			if (b[i] != 0x0f || b[i + 1] != 0xae)
				continue;
			uint8_t m = b[i + 2];
			if (((m >> 3) & 7) != 5 || (m >> 6) == 3)
				continue;
			char where[128];
			snprintf(where, sizeof where, "%s+%#lx", *base ? base : "anon", i);
			add_site(b + i, 0, where);
			if (i > 0 && (b[i - 1] & 0xf0) == 0x40)
				add_site(b + i, b[i - 1], where);
		}
	}
	fclose(f);
}

/* Decode the operand; fill R so that it addresses AREA.  0, or a reason. */
static const char *aim(const struct site *s, struct xj_regs *r, uint8_t *area)
{
	const uint8_t *p = s->op;
	uint8_t m = p[2], mod = m >> 6, rm = m & 7;
	int rb = s->rex & 1, rx = (s->rex >> 1) & 1;
	int base = -1, index = -1;
	int64_t disp = 0;
	size_t at = 3;
	if (rm == 4) {
		uint8_t sib = p[3];
		at = 4;
		int ix = ((sib >> 3) & 7) | rx << 3;
		index = ix == 4 ? -1 : ix;
		if ((sib & 7) == 5 && mod == 0) {
			int32_t d;
			memcpy(&d, p + at, 4);
			disp = d;
		} else {
			base = (sib & 7) | rb << 3;
		}
	} else if (rm == 5 && mod == 0) {
		return "RIP-relative operand (fixed address, not aimable)";
	} else {
		base = rm | rb << 3;
	}
	if (mod == 1) {
		disp = (int8_t)p[at];
	} else if (mod == 2) {
		int32_t d;
		memcpy(&d, p + at, 4);
		disp = d;
	}
	if (base < 0)
		return "absolute operand (fixed address, not aimable)";
	if (base == index)
		return "operand uses one register twice";
	if (index >= 0)
		r->r[index] = 0;
	uint64_t v = (uint64_t)(uintptr_t)area - (uint64_t)disp;
	if (base == RAX && !(v & 0x200))
		return "RAX is the base and cannot carry bit 9";
	r->r[base] = v;
	return NULL;
}

static const char *try_site(const struct site *s, int *status)
{
	const size_t len = 1 << 20;
	uint8_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return "mmap failed";
	/* area at 512 KiB (+0x200 keeps bit 9 set in an address-based RAX) */
	uint8_t *area = mem + (len / 2) + 0x200;
	xsave_area_pkru0(area);
	struct xj_regs r;
	uint64_t stack = (uint64_t)(uintptr_t)(mem + len / 4) & ~15ull;
	for (int i = 0; i < 16; i++)
		r.r[i] = stack;
	r.r[RAX] = 0x200;                      /* requested features: PKRU only */
	r.r[RDX] = 0;
	r.r[RBX] = stack;                      /* the trampoline: mov rsp, rbx; ...; add rsp, 0x18 */
	r.r[RSP] = stack - 4096;
	r.r[R11] = (uint64_t)(uintptr_t)landing;   /* ... jmp r11 */
	const char *why = aim(s, &r, area);
	if (why) {
		munmap(mem, len);
		return why;
	}
	xj_target = s->addr;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(5);
		xj_go(&r);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	munmap(mem, len);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return NULL;
}

/* ---- tests ------------------------------------------------------------------------ */

static int init_erim(void)
{
	if (inited)
		return inited > 0;
	struct erim_config cfg = { .backend = ERIM_BACKEND_MPK, .require_mpk = 1,
	                           .inspect = control ? ERIM_INSPECT_OFF : ERIM_INSPECT_REFUSE,
	                           .quiet = 1 };
	int rc = erim_init(&cfg);
	inited = rc == 0 ? 1 : -1;
	if (rc != 0)
		printf("  erim_init: %d (%s)\n", rc, erim_strerror());
	return rc == 0;
}

/* in a child, with untrusted rights */
static void read_secret(void *unused)
{
	_exit(secret == SECRET ? LEAK_STATUS : 43);
}

TEST(secret_unreadable_from_untrusted_code)
{
	if (!erim_cpu_has_pku())
		SKIP("no protection keys here (CPUID PKU/OSPKE)");
	CHECK(init_erim(), "erim_init failed");
	if (inited < 0)
		return;
	CHECK_DIES("untrusted read of the secret", read_secret, NULL, SIGSEGV, NULL);
}

TEST(every_xrstor_in_executable_memory_jumped_onto_with_pkru_0)
{
	if (!erim_cpu_has_pku())
		SKIP("no protection keys here (CPUID PKU/OSPKE)");
	if (!xsave_pkru_supported())
		SKIP("XSAVE does not manage PKRU on this CPU");
	if (!init_erim())
		return;
	find_sites();
	size_t leaked = 0, stopped = 0, other = 0, tried = 0;
	for (size_t i = 0; i < nsites; i++) {
		int status = -1;
		const char *why = try_site(&sites[i], &status);
		if (why) {
			printf("  %#llx %s: not tried: %s\n", (unsigned long long)sites[i].addr, sites[i].where, why);
			continue;
		}
		tried++;
		const char *what = status == LEAK_STATUS ? "READ THE SECRET (PKRU loaded)"
		                 : status == CHECK_STATUS ? "stopped by the check after the XRSTOR"
		                 : "no access";
		printf("  %#llx %s: status %d: %s\n", (unsigned long long)sites[i].addr, sites[i].where, status, what);
		if (status == LEAK_STATUS)
			leaked++;
		else if (status == CHECK_STATUS)
			stopped++;
		else
			other++;
	}
	printf("  %zu XRSTOR sites in executable memory, %zu tried: %zu leaked, %zu stopped by the check, %zu other\n",
	       nsites, tried, leaked, stopped, other);
	CHECK(tried > 0, "no XRSTOR found to jump onto (glibc's trampolines should be there)");
	if (control) {
		CHECK(leaked > 0, "control (inspection off): no jump loaded PKRU = 0; the test proves nothing");
	} else {
		CHECK(leaked == 0, "%zu jumps onto an XRSTOR read the trusted secret", leaked);
		CHECK(stopped > 0, "no site was stopped by the check (were glibc's trampolines rewritten?)");
	}
}

extern char _DYNAMIC[] __attribute__((weak));

TEST(lazy_binding_still_works_after_init)
{
	if (inited <= 0)
		SKIP("erim_init did not run (no protection keys)");
	if (!_DYNAMIC)
		SKIP("static program: nothing is bound lazily");
	/* first call of this libc function: bound lazily, through the trampoline */
	volatile int r = strverscmp("erim-1.9", "erim-1.10");
	CHECK(r < 0, "strverscmp returned %d", r);
}

static void run_xrstors(void *area)
{
	__asm__ volatile(".byte 0x0f, 0xc7, 0x1f" /* xrstors (%rdi) */
	                 : : "a"(0x200), "d"(0), "D"(area) : "memory");
}

/* XRSTORS [rdi] (0F C7 /3): privileged, #GP at CPL 3 -> SIGSEGV. */
TEST(xrstors_faults_in_user_mode)
{
	if (!erim_cpu_has_pku())
		SKIP("no protection keys here (CPUID PKU/OSPKE)");
	static uint8_t area[8192] __attribute__((aligned(64)));
	char out[256], got[96];
	int st;

	check_child_timeout = 5;
	st = check_child(run_xrstors, area, out, sizeof out);
	check_child_timeout = 0;
	CHECK(st != -1 && WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGILL),
	      "XRSTORS in user mode: %s", check_status_text(st, got, sizeof got));
}

int main(int argc, char **argv)
{
	control = argc > 1 && strcmp(argv[1], "off") == 0;
	const char *me = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	static char name[64];
	snprintf(name, sizeof name, "%s%s", me, control ? "_control" : "");
	suite = name;
	RUN(secret_unreadable_from_untrusted_code);
	RUN(every_xrstor_in_executable_memory_jumped_onto_with_pkru_0);
	if (!control)
		RUN(lazy_binding_still_works_after_init);
	RUN(xrstors_faults_in_user_mode);
	return check_done(suite);
}
