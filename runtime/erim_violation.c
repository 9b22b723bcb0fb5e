/* SPDX-License-Identifier: MIT */
/* erim_violation.c: the one channel through which erim stops a process --
 * faults on trusted memory (the SIGSEGV handler) and refusals at a gate
 * (erim_refuse).  Both print one line on stderr and then die by SIGSEGV with
 * the default action, after setting RLIMIT_CORE to 1/1: a core dump would write
 * trusted memory to disk (1, not 0: a limit of 0 does not stop a core_pattern
 * pipe, and erim-tem refuses lowering erim_init's 1 to 0).
 *
 * The handler starts with the kernel's default PKRU (only key 0 accessible),
 * so it must not touch trusted memory: it reads only the range registry in
 * the read-only page erim__ro_page and its own locals, and formats with
 * hand-written async-signal-safe helpers (write(2), no stdio).  dladdr() is
 * not on POSIX's async-signal-safe list; it is used anyway to name the
 * faulting code, since the process is about to die. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "erim_internal.h"
#include "erim_signal.h"
#include "erim_sys.h"

#ifndef SEGV_PKUERR
#define SEGV_PKUERR 4
#endif


/* The functions below run with the trusted PKRU (refusals at a gate, heap
 * errors): they call no libc function -- no PLT, no GOT, no errno, no stdio
 * -- only the formatter in erim_fmt.c and raw system calls (erim_sys.h). */
void erim__write_str(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	erim_sys_report(s, n);
}

/* The same drop to the untrusted PKRU and kill as a gate's abort
 * (erim_abort.S erim__abort with r12d = 2, no second message): no core
 * dump, and death by a SIGSEGV no handler can take (red team 32a had
 * another thread's handler catch the first version's tgkill). */
void erim__die(void)
{
	__asm__ volatile("movl $2, %%r12d\n\tjmp erim__abort" : : : "r12", "memory");
	__builtin_unreachable();
}

void erim__fatal(const char *fmt, ...)
{
	char buf[512];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = erim__vfmt(buf, sizeof buf, fmt, ap);
	va_end(ap);
	erim_sys_report(buf, n);
	erim__die();
}

void erim_refuse(const char *iface, const char *func, const char *fmt, ...)
{
	char buf[512];
	size_t n;
	va_list ap;

	n = erim_snprintf(buf, sizeof buf - 1, "erim: %s.%s: ", iface ? iface : "?", func ? func : "?");
	va_start(ap, fmt);
	n += erim__vfmt(buf + n, sizeof buf - 1 - n, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	erim_sys_report(buf, n);
	erim__die();
}

/* ---- async-signal-safe formatting ------------------------------------------ */
static char *put_str(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

static char *put_hex(char *p, char *end, uintptr_t v)
{
	char tmp[2 + 16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	p = put_str(p, end, "0x");
	while (n > 0 && p < end)
		*p++ = tmp[--n];
	return p;
}

static const struct erim_rrange *find_range(uintptr_t a)
{
	for (uint32_t i = 0; i < erim__ro.nranges; i++)
		if (a >= erim__ro.ranges[i].start && a < erim__ro.ranges[i].end)
			return &erim__ro.ranges[i];
	return NULL;
}

/* liberim's SIGSEGV handler (erim_signal.c) asks first: a fault on trusted
 * memory is reported here and ends the process; anything else returns 0 and
 * is chained to the program's handler. */
int erim__segv_report(siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t addr = (uintptr_t)si->si_addr;
	uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	int write_fault = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
	const struct erim_rrange *r = find_range(addr);
	int ours = 0;
	char msg[512], *p = msg, *end = msg + sizeof msg - 2;
	Dl_info di;

	if (r && si->si_code == SEGV_PKUERR)
		ours = 1;
	if (r && si->si_code == SEGV_ACCERR)
		ours = 1;    /* mprotect back end, or a write to the read-only page */
	if (!ours)
		return 0;
	p = put_str(p, end, "erim: violation: untrusted code ");
	p = put_str(p, end, write_fault ? "wrote" : "read");
	p = put_str(p, end, " trusted memory at ");
	p = put_hex(p, end, addr);
	p = put_str(p, end, " (pc=");
	p = put_hex(p, end, pc);
	p = put_str(p, end, ", in ");
	if (dladdr((void *)pc, &di) && di.dli_sname) {
		p = put_str(p, end, di.dli_sname);
		p = put_str(p, end, "+");
		p = put_hex(p, end, pc - (uintptr_t)di.dli_saddr);
	} else {
		p = put_str(p, end, "?");
	}
	if (dladdr((void *)pc, &di) && di.dli_fname) {
		p = put_str(p, end, " of ");
		p = put_str(p, end, di.dli_fname);
	}
	p = put_str(p, end, "; trusted ");
	p = put_str(p, end, r->what);
	p = put_str(p, end, ")\n");
	*p = 0;
	erim__write_str(msg);
	erim__die();
	return 1;
}

