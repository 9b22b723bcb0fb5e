/* SPDX-License-Identifier: MIT */
/* test_audit_insn.c: erim-audit's access computation on hand-made register
 * states (native, no protection keys needed): stack pushes land below RSP,
 * pops and returns read at RSP, rep string instructions cover RCX elements in
 * the direction of EFLAGS.DF, fs-relative operands add fs_base, RIP-relative
 * operands count from the next instruction, lea and NOPs touch nothing. */
#include "config.h"

#include <string.h>

#include "audit_insn.h"
#include "erim_check.h"

static struct user_regs_struct regs(void)
{
	struct user_regs_struct r;

	memset(&r, 0, sizeof r);
	r.rsp = 0x7000;
	r.rsi = 0x1000;
	r.rdi = 0x2000;
	r.rcx = 16;
	r.rax = 0x30;
	r.rbp = 0x8000;
	r.fs_base = 0x500000;
	r.rip = 0x400000;
	return r;
}

static size_t accesses(const uint8_t *code, size_t n, const struct user_regs_struct *r,
                       struct audit_access *acc)
{
	struct audit_insn in;

	if (audit_insn_decode(code, n, r->rip, &in) != 0)
		return (size_t)-1;
	return audit_insn_accesses(&in, r, acc, AUDIT_MAX_ACCESS);
}

TEST(push_call_pop_ret)
{
	static const uint8_t push[] = { 0x50 }, call[] = { 0xe8, 0, 0, 0, 0 }, pop[] = { 0x58 }, ret[] = { 0xc3 };
	struct user_regs_struct r = regs();
	struct audit_access a[AUDIT_MAX_ACCESS];

	CHECK(accesses(push, sizeof push, &r, a) == 1 && a[0].write && a[0].addr == 0x6ff8 && a[0].len == 8,
	      "push: %lx", (unsigned long)a[0].addr);
	CHECK(accesses(call, sizeof call, &r, a) == 1 && a[0].write && a[0].addr == 0x6ff8, "call");
	CHECK(accesses(pop, sizeof pop, &r, a) == 1 && !a[0].write && a[0].addr == 0x7000, "pop");
	CHECK(accesses(ret, sizeof ret, &r, a) == 1 && !a[0].write && a[0].addr == 0x7000, "ret");
}

TEST(rep_movsb_whole_range)
{
	static const uint8_t rep_movsb[] = { 0xf3, 0xa4 }, rep_stosq[] = { 0xf3, 0x48, 0xab };
	struct user_regs_struct r = regs();
	struct audit_access a[AUDIT_MAX_ACCESS];
	size_t n = accesses(rep_movsb, sizeof rep_movsb, &r, a);
	int rd = 0, wr = 0;

	for (size_t i = 0; i < n; i++) {
		if (!a[i].write && a[i].addr == 0x1000 && a[i].len == 16)
			rd = 1;
		if (a[i].write && a[i].addr == 0x2000 && a[i].len == 16)
			wr = 1;
	}
	CHECK(n == 2 && rd && wr, "rep movsb: %zu accesses", n);
	r.eflags |= 1UL << 10;   /* DF: downwards */
	n = accesses(rep_stosq, sizeof rep_stosq, &r, a);
	CHECK(n == 1 && a[0].write && a[0].addr == 0x2000 - 15 * 8 && a[0].len == 16 * 8,
	      "std; rep stosq: %lx+%zu", (unsigned long)a[0].addr, a[0].len);
	r.rcx = 0;
	CHECK(accesses(rep_movsb, sizeof rep_movsb, &r, a) == 0, "rep with rcx = 0 touches nothing");
}

TEST(segments_rip_and_non_accesses)
{
	static const uint8_t fsload[] = { 0x64, 0x8b, 0x00 };                   /* mov %fs:(%rax), %eax */
	static const uint8_t riprel[] = { 0x48, 0x8b, 0x05, 0x10, 0, 0, 0 };   /* mov 0x10(%rip), %rax */
	static const uint8_t lea[] = { 0x48, 0x8d, 0x04, 0x24 };
	static const uint8_t nop[] = { 0x66, 0x0f, 0x1f, 0x44, 0, 0 };
	static const uint8_t leave[] = { 0xc9 };
	struct user_regs_struct r = regs();
	struct audit_access a[AUDIT_MAX_ACCESS];

	CHECK(accesses(fsload, sizeof fsload, &r, a) == 1 && a[0].addr == 0x500030 && a[0].len == 4, "fs");
	CHECK(accesses(riprel, sizeof riprel, &r, a) == 1 && a[0].addr == 0x400000 + 7 + 0x10, "rip-relative");
	CHECK(accesses(lea, sizeof lea, &r, a) == 0, "lea");
	CHECK(accesses(nop, sizeof nop, &r, a) == 0, "multi-byte nop");
	CHECK(accesses(leave, sizeof leave, &r, a) == 1 && a[0].addr == 0x8000 && !a[0].write, "leave");
}

int main(void)
{
	audit_insn_init();
	RUN(push_call_pop_ret);
	RUN(rep_movsb_whole_range);
	RUN(segments_rip_and_non_accesses);
	return check_done("test_audit_insn");
}
