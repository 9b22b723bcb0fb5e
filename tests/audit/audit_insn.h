/* SPDX-License-Identifier: MIT */
/* audit_insn.h: decode one instruction with Zydis and list every memory
 * access it makes (explicit and hidden operands: stack pushes and pops,
 * string instructions over their whole rep count, fs/gs-relative operands). */
#ifndef AUDIT_INSN_H
#define AUDIT_INSN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>
#include <Zydis/Zydis.h>

struct audit_insn {
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	uintptr_t rip;
	char text[160];
};

struct audit_access {
	uintptr_t addr;
	size_t len;
	int write;               /* 0 read, 1 write */
	int unresolved;          /* the address could not be computed (VSIB ...) */
};

#define AUDIT_MAX_ACCESS 8

void audit_insn_init(void);
/* Decode CODE (N bytes at RIP); 0 or -1 when it is not an instruction. */
int audit_insn_decode(const uint8_t *code, size_t n, uintptr_t rip, struct audit_insn *out);
/* Fill ACC with the accesses the instruction makes in register state R;
 * returns how many. */
size_t audit_insn_accesses(const struct audit_insn *i, const struct user_regs_struct *r,
                           struct audit_access *acc, size_t max);
int audit_insn_is_syscall(const struct audit_insn *i);

#endif
