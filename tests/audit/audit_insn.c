/* SPDX-License-Identifier: MIT */
/* audit_insn.c: Zydis decoding and memory-operand addresses.  Addresses are
 * computed from the traced thread's registers: base + index * scale + disp
 * (RIP-relative from the next instruction), plus the fs/gs base; hidden stack
 * operands of push/call write below RSP; rep string instructions cover RCX
 * elements in the direction EFLAGS.DF says. */
#include "config.h"

#include "audit_insn.h"

#include <cpuid.h>
#include <string.h>

static ZydisDecoder dec;
static ZydisFormatter fmt;
static size_t xsave_size = 4096;

void audit_insn_init(void)
{
	unsigned a, b, c, d;

	ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_ATT);
	if (__get_cpuid_count(0xd, 0, &a, &b, &c, &d) && b >= 576)
		xsave_size = b;   /* the XSAVE area size for the features enabled in XCR0 */
}

int audit_insn_decode(const uint8_t *code, size_t n, uintptr_t rip, struct audit_insn *out)
{
	memset(out, 0, sizeof *out);
	out->rip = rip;
	if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, code, n, &out->in, out->ops)))
		return -1;
	if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&fmt, &out->in, out->ops, out->in.operand_count_visible,
	                                                  out->text, sizeof out->text, rip, NULL)))
		strcpy(out->text, "(unformattable)");
	return 0;
}

int audit_insn_is_syscall(const struct audit_insn *i)
{
	return i->in.mnemonic == ZYDIS_MNEMONIC_SYSCALL || i->in.mnemonic == ZYDIS_MNEMONIC_SYSENTER
	       || (i->in.mnemonic == ZYDIS_MNEMONIC_INT && i->ops[0].type == ZYDIS_OPERAND_TYPE_IMMEDIATE
	           && i->ops[0].imm.value.u == 0x80);
}

/* value of a general-purpose register (any width) or RIP */
static int reg_value(ZydisRegister reg, const struct user_regs_struct *r, uintptr_t next_rip, uint64_t *v)
{
	ZydisRegister big;
	uint64_t x;
	ZyanU16 w;

	if (reg == ZYDIS_REGISTER_NONE) {
		*v = 0;
		return 0;
	}
	if (reg == ZYDIS_REGISTER_RIP || reg == ZYDIS_REGISTER_EIP) {
		*v = reg == ZYDIS_REGISTER_EIP ? (uint32_t)next_rip : next_rip;
		return 0;
	}
	big = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg);
	switch (big) {
	case ZYDIS_REGISTER_RAX: x = r->rax; break;
	case ZYDIS_REGISTER_RBX: x = r->rbx; break;
	case ZYDIS_REGISTER_RCX: x = r->rcx; break;
	case ZYDIS_REGISTER_RDX: x = r->rdx; break;
	case ZYDIS_REGISTER_RSI: x = r->rsi; break;
	case ZYDIS_REGISTER_RDI: x = r->rdi; break;
	case ZYDIS_REGISTER_RBP: x = r->rbp; break;
	case ZYDIS_REGISTER_RSP: x = r->rsp; break;
	case ZYDIS_REGISTER_R8: x = r->r8; break;
	case ZYDIS_REGISTER_R9: x = r->r9; break;
	case ZYDIS_REGISTER_R10: x = r->r10; break;
	case ZYDIS_REGISTER_R11: x = r->r11; break;
	case ZYDIS_REGISTER_R12: x = r->r12; break;
	case ZYDIS_REGISTER_R13: x = r->r13; break;
	case ZYDIS_REGISTER_R14: x = r->r14; break;
	case ZYDIS_REGISTER_R15: x = r->r15; break;
	default: return -1;   /* vector index (VSIB) or something unexpected */
	}
	w = ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LONG_64, reg);
	if (w == 32)
		x = (uint32_t)x;
	else if (w == 16)
		x = (uint16_t)x;
	else if (w == 8)
		x = (reg >= ZYDIS_REGISTER_AH && reg <= ZYDIS_REGISTER_BH) ? (uint8_t)(x >> 8) : (uint8_t)x;
	*v = x;
	return 0;
}

static int is_xsave_family(ZydisMnemonic m)
{
	switch (m) {
	case ZYDIS_MNEMONIC_XSAVE: case ZYDIS_MNEMONIC_XSAVE64:
	case ZYDIS_MNEMONIC_XSAVEC: case ZYDIS_MNEMONIC_XSAVEC64:
	case ZYDIS_MNEMONIC_XSAVEOPT: case ZYDIS_MNEMONIC_XSAVEOPT64:
	case ZYDIS_MNEMONIC_XSAVES: case ZYDIS_MNEMONIC_XSAVES64:
	case ZYDIS_MNEMONIC_XRSTOR: case ZYDIS_MNEMONIC_XRSTOR64:
	case ZYDIS_MNEMONIC_XRSTORS: case ZYDIS_MNEMONIC_XRSTORS64:
		return 1;
	default:
		return 0;
	}
}

size_t audit_insn_accesses(const struct audit_insn *i, const struct user_regs_struct *r,
                           struct audit_access *acc, size_t max)
{
	uintptr_t next = i->rip + i->in.length;
	int rep = (i->in.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE)) != 0;
	size_t n = 0;

	switch (i->in.mnemonic) {
	case ZYDIS_MNEMONIC_NOP:          /* multi-byte NOPs: a memory operand, no access */
	case ZYDIS_MNEMONIC_PREFETCH: case ZYDIS_MNEMONIC_PREFETCHNTA:
	case ZYDIS_MNEMONIC_PREFETCHT0: case ZYDIS_MNEMONIC_PREFETCHT1:
	case ZYDIS_MNEMONIC_PREFETCHT2: case ZYDIS_MNEMONIC_PREFETCHW:
		return 0;                 /* hints: never fault, return no data */
	default:
		break;
	}
	for (unsigned k = 0; k < i->in.operand_count && n < max; k++) {
		const ZydisDecodedOperand *op = &i->ops[k];
		uint64_t base, idx, a;
		size_t len;
		int rd, wr;

		if (op->type != ZYDIS_OPERAND_TYPE_MEMORY || op->mem.type != ZYDIS_MEMOP_TYPE_MEM)
			continue;   /* lea (AGEN) and MIB touch no memory */
		rd = (op->actions & (ZYDIS_OPERAND_ACTION_READ | ZYDIS_OPERAND_ACTION_CONDREAD)) != 0;
		wr = (op->actions & (ZYDIS_OPERAND_ACTION_WRITE | ZYDIS_OPERAND_ACTION_CONDWRITE)) != 0;
		if (!rd && !wr)
			continue;
		len = op->size / 8;
		if (is_xsave_family(i->in.mnemonic))
			len = xsave_size;
		if (len == 0)
			len = 1;
		if (reg_value(op->mem.base, r, next, &base) != 0 || reg_value(op->mem.index, r, next, &idx) != 0) {
			acc[n].addr = 0;
			acc[n].len = len;
			acc[n].write = wr;
			acc[n++].unresolved = 1;
			continue;
		}
		a = base + idx * (op->mem.scale ? op->mem.scale : 1) + (uint64_t)op->mem.disp.value;
		if (i->in.address_width == 32)
			a = (uint32_t)a;
		if (op->mem.segment == ZYDIS_REGISTER_FS)
			a += r->fs_base;
		else if (op->mem.segment == ZYDIS_REGISTER_GS)
			a += r->gs_base;
		if (op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN) {
			ZydisRegister b = op->mem.base;

			if ((b == ZYDIS_REGISTER_RSP || b == ZYDIS_REGISTER_ESP) && wr && !rd) {
				a -= len;   /* push, call: the store is below RSP */
			} else if ((b == ZYDIS_REGISTER_RSI || b == ZYDIS_REGISTER_RDI
			            || b == ZYDIS_REGISTER_ESI || b == ZYDIS_REGISTER_EDI) && rep) {
				uint64_t cnt = i->in.address_width == 32 ? (uint32_t)r->rcx : r->rcx;

				if (cnt == 0)
					continue;   /* rep with RCX = 0 touches nothing */
				if (cnt > (1ULL << 40) / len)
					cnt = (1ULL << 40) / len;
				if (r->eflags & (1UL << 10))   /* DF: downwards */
					a -= (cnt - 1) * len;
				len *= cnt;
			}
		}
		if (rd) {
			acc[n] = (struct audit_access){ (uintptr_t)a, len, 0, 0 };
			n++;
		}
		if (wr && n < max) {
			acc[n] = (struct audit_access){ (uintptr_t)a, len, 1, 0 };
			n++;
		}
	}
	return n;
}
