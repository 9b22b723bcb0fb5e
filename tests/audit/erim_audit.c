/* SPDX-License-Identifier: MIT */
/* erim-audit: the trusted-path audit.  Runs a target program under ptrace,
 * lets it initialise erim and stop itself (raise(SIGSTOP)), then single-steps
 * every instruction until it ends.  Each instruction executed while PKRU
 * grants the trusted key (read per step from the XSAVE area) is decoded with
 * Zydis, and every memory access it makes must hit
 *   - trusted memory (a mapping carrying the trusted protection key), or
 *   - sealed read-only memory (a mapping without write permission; this relies
 *     on erim-tem keeping such mappings read-only), or
 *   - untrusted memory touched by a named copy routine (audit_policy.c) in the
 *     direction its rule allows.
 * Anything else is a finding, printed with the instruction, the address, the
 * mapping and the symbol.  Code fetched with the trusted PKRU must come from a
 * non-writable mapping.  Syscalls made with the trusted PKRU are listed as notes.
 * And at every such step whose %rsp lies outside trusted memory -- where a
 * signal would have the kernel write every register, with trusted rights,
 * into memory the caller chose -- no general register and no byte of the
 * XSAVE state (x87/MMX, XMM, YMM, opmask, ZMM) may hold AUDIT_RESIDUE, the
 * value the "residue" scenario's trusted entry leaves for the gate to scrub.
 *
 *   erim-audit [--name N] [--expect exit0|segv|killed|any] [--expect-finding SYM]
 *              [--signal-at N] [--timeout S] [--max-steps N] -- PROG [ARGS]...
 *
 * Closing line "audit_N: P passed, F failed"; exit status = F (capped). */
#include "config.h"

#include "audit_insn.h"
#include "audit_policy.h"
#include "audit_residue.h"
#include "audit_space.h"

#include <cpuid.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FINDINGS 256
#define XSAVE_MAX 16384

struct finding {
	uintptr_t rip, vma_start;
	int kind;                 /* 0 read, 1 write, 2 fetch, 3 unmapped, 4 unresolved */
	unsigned long count;
};

struct copy_entry {
	uintptr_t addr;
	const struct audit_copy_rule *rule;
};

static const char *name = "target";
static const char *expect = "exit0";
static const char *expect_sym;
static unsigned long signal_at, max_steps = 4000000;
static unsigned timeout_s = 240;
static volatile sig_atomic_t timed_out;

static pid_t child;
static int memfd = -1;
static struct audit_space space;
static int maps_dirty;
static int tkey = -1;
static uint32_t pkru_off;
static struct finding findings[MAX_FINDINGS];
static unsigned nfindings;
static unsigned long nfind_total, expect_hits;
static unsigned long steps, ntrusted, nacc, acc_trusted, acc_sealed, acc_copy, nsyscalls_t;
static unsigned long nexposed, nresidue;   /* trusted steps with %rsp untrusted; of those with residue */
static uint8_t xsave_buf[XSAVE_MAX] __attribute__((aligned(64)));
static size_t xsave_len;
static struct copy_entry *copy_entries;
static size_t ncopy_entries;
static struct {
	int active;
	uintptr_t limit;
	const struct audit_copy_rule *rule;
} copy_state;
static int passed, failed;

static void pass(const char *what)
{
	printf("  ok   %s\n", what);
	passed++;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("  FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failed++;
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static int read_pkru(pid_t pid, uint32_t *pkru)
{
	uint8_t *buf = xsave_buf;
	struct iovec iov = { buf, sizeof xsave_buf };
	uint64_t bv;

	xsave_len = 0;
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &iov) != 0)
		return -1;
	xsave_len = iov.iov_len;
	if (iov.iov_len < 520 || pkru_off + 4 > iov.iov_len)
		return -1;
	memcpy(&bv, buf + 512, sizeof bv);
	if (!(bv & (1u << 9))) {
		*pkru = 0;   /* PKRU in its init state: every key accessible */
		return 0;
	}
	memcpy(pkru, buf + pkru_off, 4);
	return 0;
}

static int pkru_grants(uint32_t pkru, int key)
{
	return !(pkru & (1u << (2 * key)));
}

static int maps_reload(void)
{
	if (audit_space_load_maps(&space, child) != 0)
		return -1;
	audit_space_load_syms(&space);
	maps_dirty = 0;
	return 0;
}

/* entry addresses of libc copy routines, resolved in this process */
static void find_copy_entries(void)
{
	for (const char *const *nm = audit_libc_copy_names; *nm; nm++) {
		void *p = dlsym(RTLD_DEFAULT, *nm);
		const struct audit_copy_rule *rule = audit_copy_rule_for(*nm);
		Dl_info di;
		struct stat st;

		if (!p || !rule || !dladdr(p, &di) || !di.dli_fname || stat(di.dli_fname, &st) != 0)
			continue;
		for (size_t i = 0; i < space.nvma; i++) {
			const struct audit_vma *v = &space.vma[i];
			struct copy_entry *ne;

			if (v->inode != (unsigned long long)st.st_ino || v->off != 0)
				continue;
			ne = realloc(copy_entries, (ncopy_entries + 1) * sizeof *ne);
			if (!ne)
				return;
			copy_entries = ne;
			copy_entries[ncopy_entries].addr = v->start + (uintptr_t)((char *)p - (char *)di.dli_fbase);
			copy_entries[ncopy_entries].rule = rule;
			ncopy_entries++;
			break;
		}
	}
	/* sized symbols of the copy routines in every object (static binaries) */
	for (size_t j = 0; j < space.nobj; j++)
		for (size_t k = 0; k < space.obj[j].nsyms; k++) {
			const struct audit_sym *s = &space.obj[j].syms[k];
			const struct audit_copy_rule *rule;
			struct copy_entry *ne;

			if (s->ifunc || !(rule = audit_copy_rule_for(s->name)))
				continue;
			ne = realloc(copy_entries, (ncopy_entries + 1) * sizeof *ne);
			if (!ne)
				return;
			copy_entries = ne;
			copy_entries[ncopy_entries].addr = s->addr;
			copy_entries[ncopy_entries].rule = rule;
			ncopy_entries++;
		}
}

/* the copy rule in force for the instruction at RIP with stack pointer RSP */
static const struct audit_copy_rule *copy_rule_at(uintptr_t rip, uintptr_t rsp)
{
	const struct audit_obj *o;
	int exact;
	const struct audit_sym *s;

	if (copy_state.active && rsp > copy_state.limit)
		copy_state.active = 0;   /* returned from the routine */
	if (!copy_state.active)
		for (size_t i = 0; i < ncopy_entries; i++)
			if (copy_entries[i].addr == rip) {
				copy_state.active = 1;
				copy_state.limit = rsp;
				copy_state.rule = copy_entries[i].rule;
				break;
			}
	if (copy_state.active)
		return copy_state.rule;
	s = audit_sym_find(&space, rip, &o, &exact);
	if (s && exact && !s->ifunc)
		return audit_copy_rule_for(s->name);
	return NULL;
}

static const char *kind_name(int kind)
{
	static const char *const k[] = { "read", "write", "instruction fetch", "access", "access" };

	return k[kind];
}

static void report(const struct audit_insn *in, int kind, uintptr_t addr, size_t len,
                   const struct audit_vma *v, const char *why)
{
	char where[320];

	nfind_total++;
	if (expect_sym) {
		const struct audit_obj *o;
		int exact;
		const struct audit_sym *s = audit_sym_find(&space, in->rip, &o, &exact);

		if (s && strcmp(s->name, expect_sym) == 0)
			expect_hits++;
	}
	for (unsigned i = 0; i < nfindings; i++)
		if (findings[i].rip == in->rip && findings[i].kind == kind) {
			findings[i].count++;
			return;
		}
	if (nfindings < MAX_FINDINGS)
		findings[nfindings++] = (struct finding){ in->rip, v ? v->start : 0, kind, 1 };
	printf("FINDING %s: %s of %zu bytes at 0x%lx by `%s` at %s [rip 0x%lx]\n", name, kind_name(kind), len,
	       (unsigned long)addr, in->text, audit_describe(&space, in->rip, where, sizeof where), (unsigned long)in->rip);
	if (v)
		printf("        mapping: %s (ProtectionKey %d; trusted key %d)\n", v->line, v->pkey, tkey);
	if (kind <= 1 && audit_describe_data(&space, addr, where, sizeof where))
		printf("        data: %s\n", where);
	if (kind == 0 && len == 8 && (in->in.mnemonic == ZYDIS_MNEMONIC_JMP || in->in.mnemonic == ZYDIS_MNEMONIC_CALL)) {
		uint64_t target;   /* an indirect branch through memory: say where it leads */

		if (pread(memfd, &target, sizeof target, (off_t)addr) == (ssize_t)sizeof target)
			printf("        branch through this slot to: %s\n",
			       audit_describe(&space, (uintptr_t)target, where, sizeof where));
	}
	printf("        why: %s\n", why);
	fflush(stdout);
}

/* classify [a, a+len) for one access; reports findings */
static void check_access(const struct audit_insn *in, const struct audit_access *ac,
                         const struct audit_copy_rule *rule)
{
	uintptr_t a = ac->addr, end = ac->addr + ac->len;

	nacc++;
	if (ac->unresolved) {
		report(in, 4, 0, ac->len, NULL, "the address of a memory operand cannot be computed (fail closed)");
		return;
	}
	if (end < a)
		end = UINTPTR_MAX;
	while (a < end) {
		const struct audit_vma *v = audit_vma_find(&space, a);

		if (!v && !maps_dirty) {
			maps_reload();
			v = audit_vma_find(&space, a);
		}
		if (!v) {
			report(in, 3, a, (size_t)(end - a), NULL, "no mapping at this address");
			return;
		}
		if (v->pkey == tkey) {
			acc_trusted++;
		} else if (v->perms[1] != 'w') {
			acc_sealed++;
		} else if (rule && (rule->access & (ac->write ? AUDIT_WRITE : AUDIT_READ))) {
			acc_copy++;
		} else {
			char why[256];

			snprintf(why, sizeof why, "%s memory that untrusted code can write (%s)",
			         ac->write ? "writes" : "reads", rule ? "copy routine not allowed this direction"
			                                          : "not a named copy routine");
			report(in, ac->write, a, (size_t)(end - a), v, why);
		}
		a = v->end;
	}
}

/* A trusted step with %rsp outside trusted memory: would a signal frame
 * written there now carry AUDIT_RESIDUE (in a general register, or anywhere
 * in the XSAVE state read with PKRU by read_pkru)? */
static void check_exposed(const struct user_regs_struct *r)
{
	static const uint64_t mark = AUDIT_RESIDUE;
	static uintptr_t last_rip;
	const struct audit_vma *v = audit_vma_find(&space, r->rsp);
	const char *in = NULL;

	if (v && v->pkey == tkey)
		return;
	nexposed++;
	if (memmem(r, sizeof *r, &mark, sizeof mark))
		in = "a general register";
	else if (memmem(xsave_buf, xsave_len, &mark, sizeof mark))
		in = "the XSAVE state (x87/MMX, vector or opmask registers)";
	if (!in)
		return;
	nresidue++;
	if (r->rip != last_rip && nresidue <= 16) {
		char where[320];

		printf("FINDING %s: trusted residue in %s with the trusted PKRU at %s while %%rsp 0x%llx is in "
		       "%s %s (key %d): a signal here has the kernel write it there\n", name, in,
		       audit_describe(&space, r->rip, where, sizeof where), (unsigned long long)r->rsp,
		       v ? v->perms : "no mapping", v && v->path[0] ? v->path : "", v ? v->pkey : -1);
	}
	last_rip = r->rip;
}

static void check_insn(const struct user_regs_struct *r)
{
	uint8_t code[16];
	ssize_t got = pread(memfd, code, sizeof code, (off_t)r->rip);
	struct audit_insn in;
	struct audit_access acc[AUDIT_MAX_ACCESS];
	const struct audit_copy_rule *rule;
	const struct audit_vma *v;
	size_t n;

	if (maps_dirty)
		maps_reload();
	if (got <= 0 || audit_insn_decode(code, (size_t)got, r->rip, &in) != 0) {
		memset(&in, 0, sizeof in);
		in.rip = r->rip;
		snprintf(in.text, sizeof in.text, "(undecodable)");
		report(&in, 4, r->rip, 1, audit_vma_find(&space, r->rip), "cannot read or decode the instruction");
		return;
	}
	ntrusted++;
	v = audit_vma_find(&space, r->rip);
	if (!v || v->perms[1] == 'w' || v->perms[2] != 'x')
		report(&in, 2, r->rip, in.in.length, v, "code executed with the trusted PKRU from memory untrusted code can write");
	if (audit_insn_is_syscall(&in)) {
		char where[320];

		nsyscalls_t++;
		printf("NOTE %s: syscall %lld with the trusted PKRU at %s\n", name, (long long)r->rax,
		       audit_describe(&space, r->rip, where, sizeof where));
	}
	rule = copy_rule_at(r->rip, r->rsp);
	n = audit_insn_accesses(&in, r, acc, AUDIT_MAX_ACCESS);
	for (size_t k = 0; k < n; k++)
		check_access(&in, &acc[k], rule);
}

static int trusted_key(void)
{
	int key = -1;

	for (size_t i = 0; i < space.nvma; i++) {
		int k = space.vma[i].pkey;

		if (k == 0 || k == key)
			continue;
		if (key >= 0) {
			printf("  several protection keys in use (%d and %d): which is trusted is ambiguous\n", key, k);
			return -1;
		}
		key = k;
	}
	return key;
}

static int outcome_ok(int status, char *what, size_t n)
{
	if (WIFEXITED(status))
		snprintf(what, n, "exit %d", WEXITSTATUS(status));
	else
		snprintf(what, n, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	if (strcmp(expect, "any") == 0)
		return 1;
	if (strcmp(expect, "exit0") == 0)
		return WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (strcmp(expect, "segv") == 0)
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
	if (strcmp(expect, "killed") == 0)
		return WIFSIGNALED(status);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: erim-audit [--name N] [--expect exit0|segv|killed|any] [--expect-finding SYM]\n"
	                "                  [--signal-at N] [--timeout S] [--max-steps N] -- PROG [ARGS]...\n");
	return 2;
}

static int finish(void)
{
	printf("audit_%s: %d passed, %d failed\n", name, passed, failed);
	return failed > 76 ? 76 : failed;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct user_regs_struct r;
	int status, sig = 0, after_signal = 0, i;
	unsigned cpu[4];
	char path[64], what[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (i + 1 < argc && strcmp(argv[i], "--name") == 0) {
			name = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--expect") == 0) {
			expect = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--expect-finding") == 0) {
			expect_sym = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--signal-at") == 0) {
			signal_at = strtoul(argv[++i], NULL, 0);
		} else if (i + 1 < argc && strcmp(argv[i], "--timeout") == 0) {
			timeout_s = (unsigned)strtoul(argv[++i], NULL, 0);
		} else if (i + 1 < argc && strcmp(argv[i], "--max-steps") == 0) {
			max_steps = strtoul(argv[++i], NULL, 0);
		} else {
			return usage();
		}
	}
	if (i >= argc)
		return usage();
	printf("erim-audit %s: %s\n", name, argv[i]);
	if (!__get_cpuid_count(0xd, 9, &cpu[0], &cpu[1], &cpu[2], &cpu[3]) || cpu[0] < 4 || cpu[1] < 576) {
		printf("skipped: this CPU has no PKRU state component (no protection keys)\n");
		printf("audit_%s: 0 passed, 0 failed, 1 skipped\n", name);
		return 77;
	}
	pkru_off = cpu[1];
	audit_insn_init();

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;   /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	alarm(timeout_s);

	child = fork();
	if (child < 0) {
		fail("fork: %s", strerror(errno));
		return finish();
	}
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execvp(argv[i], argv + i);
		fprintf(stderr, "erim-audit: cannot run %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	/* the exec stop, then run freely until the target stops itself */
	for (;;) {
		if (waitpid(child, &status, 0) < 0) {
			kill(child, SIGKILL);
			fail("the target never reached its audit point (%s)", timed_out ? "timeout" : strerror(errno));
			return finish();
		}
		if (!WIFSTOPPED(status)) {
			outcome_ok(status, what, sizeof what);
			fail("the target ended (%s) before its audit point (raise(SIGSTOP) after erim_init)", what);
			return finish();
		}
		if (WSTOPSIG(status) == SIGSTOP)
			break;
		if (WSTOPSIG(status) == SIGTRAP) {
			ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)(long)PTRACE_O_EXITKILL);
			sig = 0;
		} else {
			sig = WSTOPSIG(status);
		}
		ptrace(PTRACE_CONT, child, NULL, (void *)(long)sig);
	}
	pass("the target reached its audit point after erim_init");
	snprintf(path, sizeof path, "/proc/%d/mem", (int)child);
	memfd = open(path, O_RDONLY | O_CLOEXEC);
	if (memfd < 0 || maps_reload() != 0) {
		fail("cannot read the target's memory or maps: %s", strerror(errno));
		kill(child, SIGKILL);
		return finish();
	}
	tkey = trusted_key();
	if (tkey <= 0) {
		fail("no mapping carries a protection key other than 0: is the target running erim under mpk?");
		kill(child, SIGKILL);
		return finish();
	}
	{
		uint32_t pkru;

		if (read_pkru(child, &pkru) != 0 || pkru_grants(pkru, tkey)) {
			fail("at its audit point the target is not in the untrusted domain (PKRU unreadable or grants key %d)", tkey);
			kill(child, SIGKILL);
			return finish();
		}
		printf("  trusted key %d; untrusted PKRU 0x%08x\n", tkey, pkru);
	}
	find_copy_entries();
	printf("  %zu copy-routine entry points known\n", ncopy_entries);

	sig = 0;
	for (;;) {
		uint32_t pkru;

		if (ptrace(PTRACE_GETREGS, child, NULL, &r) != 0 || read_pkru(child, &pkru) != 0) {
			fail("cannot read the target's registers: %s", strerror(errno));
			break;
		}
		if ((long)r.orig_rax != -1)
			maps_dirty = 1;   /* a syscall just ran: mappings may have changed */
		if (pkru_grants(pkru, tkey) && !after_signal) {
			check_insn(&r);
			check_exposed(&r);
			if (signal_at && ntrusted == signal_at) {
				printf("  delivering SIGUSR1 at trusted instruction %lu (0x%lx)\n", ntrusted, (unsigned long)r.rip);
				sig = SIGUSR1;
			}
		} else if (!after_signal) {
			copy_rule_at(r.rip, r.rsp);   /* keep the copy-routine frame state exact */
		}
		after_signal = 0;
		if (++steps > max_steps) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			fail("step budget of %lu instructions exhausted (a hang?) at 0x%lx", max_steps, (unsigned long)r.rip);
			break;
		}
		if (ptrace(PTRACE_SINGLESTEP, child, NULL, (void *)(long)sig) != 0) {
			fail("PTRACE_SINGLESTEP: %s", strerror(errno));
			break;
		}
		sig = 0;
		if (waitpid(child, &status, 0) < 0) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			fail("%s after %lu steps at 0x%lx", timed_out ? "timed out" : strerror(errno), steps,
			     (unsigned long)r.rip);
			break;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (outcome_ok(status, what, sizeof what)) {
				snprintf(path, sizeof path, "%s", expect);
				printf("  ok   the target ended as expected (%s): %s\n", path, what);
				passed++;
			} else {
				fail("the target ended with %s, expected %s", what, expect);
			}
			break;
		}
		if (WIFSTOPPED(status) && WSTOPSIG(status) != SIGTRAP) {
			sig = WSTOPSIG(status);   /* deliver it on the next step */
			after_signal = 1;         /* the instruction at rip did not run */
		}
	}
	printf("  %lu instructions stepped, %lu with the trusted PKRU; %lu memory accesses checked: "
	       "%lu trusted, %lu sealed read-only, %lu by copy routines; %lu syscalls with the trusted PKRU\n",
	       steps, ntrusted, nacc, acc_trusted, acc_sealed, acc_copy, nsyscalls_t);
	if (acc_sealed)
		printf("  note: sealed read-only accesses are safe only while erim-tem keeps those mappings read-only\n");
	if (ntrusted > 0)
		pass("instructions executed with the trusted PKRU were checked");
	else
		fail("no instruction ran with the trusted PKRU: the scenario never entered the trusted domain");
	printf("  %lu trusted steps with %%rsp outside trusted memory checked for register residue\n", nexposed);
	if (nresidue == 0)
		pass("no trusted register residue where a signal frame would be written to untrusted memory");
	else
		fail("%lu trusted steps with register residue and %%rsp in untrusted memory", nresidue);
	if (expect_sym) {
		if (expect_hits)
			pass("the control finding was reported (the audit can fail)");
		else
			fail("no finding in %s: the audit missed the planted untrusted access", expect_sym);
		printf("  (%u distinct findings, %lu accesses, in this control run)\n", nfindings, nfind_total);
	} else if (nfindings == 0) {
		pass("no trusted-PKRU access outside trusted or sealed read-only memory or the copy routines");
	} else {
		fail("%u distinct findings (%lu accesses) with the trusted PKRU", nfindings, nfind_total);
		for (unsigned k = 0; k < nfindings; k++) {
			char where[320];

			printf("    %s at %s: %lu times\n", kind_name(findings[k].kind),
			       audit_describe(&space, findings[k].rip, where, sizeof where), findings[k].count);
		}
	}
	if (memfd >= 0)
		close(memfd);
	audit_space_free(&space);
	return finish();
}
