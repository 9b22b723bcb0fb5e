/* SPDX-License-Identifier: MIT */
/* tem_regs.c: the only code that touches a stopped tracee's registers, XSAVE
 * area and memory.  PKRU is XSAVE state component 9; its offset in the
 * standard-format XSAVE area that PTRACE_GETREGSET(NT_X86_XSTATE) returns is
 * CPUID.(EAX=0DH,ECX=9):EBX on this very CPU, and XSTATE_BV (the first 8
 * bytes of the XSAVE header at offset 512) says whether the component is
 * present; an absent component is in its init state, which for PKRU is 0
 * (every key fully accessible). */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "erim_x86.h"
#include "tem.h"

#define TEM_XSAVE_MAX 16384          /* larger than any XSAVE area in use */
#define TEM_XSTATE_BV_OFF 512

int tem_getregs(pid_t tid, struct user_regs_struct *r)
{
	return ptrace(PTRACE_GETREGS, tid, 0, r) == 0 ? 0 : -errno;
}

int tem_setregs(pid_t tid, const struct user_regs_struct *r)
{
	return ptrace(PTRACE_SETREGS, tid, 0, r) == 0 ? 0 : -errno;
}

void tem_set_arg(struct user_regs_struct *r, int i, uint64_t v)
{
	switch (i) {
	case 0: r->rdi = v; break;
	case 1: r->rsi = v; break;
	case 2: r->rdx = v; break;
	case 3: r->r10 = v; break;
	case 4: r->r8 = v; break;
	default: r->r9 = v; break;
	}
}

static uint32_t pkru_offset = (uint32_t)-1;

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(sub));
}

int tem_pkru_supported(void)
{
	if (pkru_offset == (uint32_t)-1) {
		uint32_t r[4];

		cpuid(0, 0, r);
		pkru_offset = 0;
		if (r[0] >= 0xd) {
			cpuid(0xd, ERIM_XFEATURE_PKRU, r);
			/* EAX = size (4), EBX = offset in the standard format */
			if (r[0] >= 4 && r[1] >= 576)
				pkru_offset = r[1];
		}
	}
	return pkru_offset != 0;
}

static uint8_t xbuf[TEM_XSAVE_MAX] __attribute__((aligned(64)));

/* TID's XSAVE area into xbuf, its length into *LEN: 0, or -errno (-EIO
 * when it is too short to hold PKRU and XSTATE_BV). */
static int xstate_get(pid_t tid, size_t *len)
{
	struct iovec iov = { xbuf, sizeof xbuf };

	if (!tem_pkru_supported())
		return -ENOTSUP;
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_X86_XSTATE, &iov) != 0)
		return -errno;
	*len = iov.iov_len;
	if (*len < pkru_offset + 4 || *len < TEM_XSTATE_BV_OFF + 8)
		return -EIO;
	return 0;
}

int tem_pkru_get(pid_t tid, uint32_t *pkru)
{
	size_t len = 0;
	uint64_t bv;
	int rc;

	if ((rc = xstate_get(tid, &len)) < 0)
		return rc;
	memcpy(&bv, xbuf + TEM_XSTATE_BV_OFF, 8);
	if (!(bv & (1ull << ERIM_XFEATURE_PKRU)))
		*pkru = 0; /* init state: all access */
	else
		memcpy(pkru, xbuf + pkru_offset, 4);
	return 0;
}

int tem_pkru_set(pid_t tid, uint32_t pkru)
{
	struct iovec iov;
	size_t len = 0;
	uint64_t bv;
	int rc;

	if ((rc = xstate_get(tid, &len)) < 0)
		return rc;
	memcpy(xbuf + pkru_offset, &pkru, 4);
	memcpy(&bv, xbuf + TEM_XSTATE_BV_OFF, 8);
	bv |= 1ull << ERIM_XFEATURE_PKRU;
	memcpy(xbuf + TEM_XSTATE_BV_OFF, &bv, 8);
	iov.iov_base = xbuf;
	iov.iov_len = len;
	if (ptrace(PTRACE_SETREGSET, tid, (void *)NT_X86_XSTATE, &iov) != 0)
		return -errno;
	return 0;
}

ssize_t tem_mem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

/* process_vm_readv ignores protection keys: a verdict that depended on bytes
 * read at an address untrusted code chose would make erim-tem an oracle for
 * trusted memory (red team 20, rt_truncate_oracle: a path in trusted memory,
 * EPERM or EFAULT by its bytes).  So the bytes are read as the caller's
 * kernel will read them: nothing at or past the first page of a trusted
 * range (the kernel faults there, the rule sees a short read and leaves the
 * call to the kernel's EFAULT). */
ssize_t tem_user_read(const struct tem_proc *p, int trusted, pid_t tid, uint64_t addr, void *buf, size_t len)
{
	uint64_t lim = len;
	size_t i;

	if (!trusted && p) {
		if (addr + len < addr)
			lim = 0 - addr;
		for (i = 0; i < p->nranges; i++) {
			uint64_t s = p->range[i].start & ~(uint64_t)(TEM_PAGE - 1), e = p->range[i].end;

			if (e <= addr || s >= addr + lim)
				continue;
			if (s <= addr)
				return -EFAULT;
			lim = s - addr;
		}
		if (lim == 0)
			return -EFAULT;
	}
	return tem_mem_read(tid, addr, buf, (size_t)lim);
}

ssize_t tem_arg_read(const struct tem_call *c, uint64_t addr, void *buf, size_t len)
{
	return tem_user_read(c->t->proc, c->trusted, c->t->tid, addr, buf, len);
}
