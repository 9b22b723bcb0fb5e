/* test_inspect_process.c: in-process inspection of a program that carries
 * crafted.S (WRPKRU/XRSTOR in every disguise).  A dry run must report every
 * crafted occurrence at its address with its class; each policy then runs in a
 * forked child (policies change the process for good): REFUSE fails with
 * -EPERM, NOEXEC strips execute from the crafted pages (calling them faults,
 * the test itself keeps running), PATCH writes a trap over the WRPKRU at a
 * function entry, and glibc's pkey_set WRPKRU is patched under every policy.
 * Also: a WRPKRU split across two adjacent mappings, and an execute-only
 * mapping (read through /proc/self/mem). */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crafted_expect.h"
#include "erim_cunit.h"
#include "erim_hooks.h"
#include "inspect.h"
#include "inspect_maps.h"
#include "scan.h"

/* liberim's gate table, accepted as runtime gates as erim_init does */
static const uintptr_t *gate_table(void)
{
	const uintptr_t *sites = NULL;
	erim__gate_sites(&sites);
	return sites;
}
static size_t gate_count(void)
{
	const uintptr_t *sites = NULL;
	return erim__gate_sites(&sites);
}
#define GATES gate_table(), gate_count()

#define DECLARE(label, off, kind, cls) extern const uint8_t label[];
CRAFTED_EXPECT(DECLARE)
extern const uint8_t crafted_begin[], crafted_end[];

struct seen {
	uint64_t addr[256];
	int kind[256], cls[256];
	size_t n;
};

static void observe(uint64_t addr, int kind, int cls, void *arg)
{
	struct seen *s = arg;
	if (s->n < 256) {
		s->addr[s->n] = addr;
		s->kind[s->n] = kind;
		s->cls[s->n] = cls;
		s->n++;
	}
}

static int seen_find(const struct seen *s, uint64_t addr)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->addr[i] == addr)
			return (int)i;
	return -1;
}

static void test_dry_run_reports_every_crafted_occurrence_with_its_class(void)
{
	/* static, not on the stack: stale code addresses on the stack would make
	 * later NOEXEC runs (which refuse to strip a page the stack points into)
	 * refuse */
	static struct seen s;
	struct inspect_stats st;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, &st);
	inspect_process_observe(NULL, NULL);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(st.bytes > 0);
	size_t in_crafted = 0;
	for (size_t i = 0; i < s.n; i++)
		if (s.addr[i] >= (uintptr_t)crafted_begin && s.addr[i] < (uintptr_t)crafted_end)
			in_crafted++;
#define CHECK_ONE(label, off, k, c)                                                   \
	do {                                                                          \
		int at = seen_find(&s, (uintptr_t)label + (off));                       \
		if (at < 0) {                                                         \
			CU_FAIL("not found: " #label);                                 \
		} else {                                                              \
			CU_ASSERT_EQUAL(s.kind[at], k);                                \
			CU_ASSERT_EQUAL(s.cls[at], c);                                 \
		}                                                                     \
		expected++;                                                           \
	} while (0);
	size_t expected = 0;
	CRAFTED_EXPECT(CHECK_ONE)
	/* nothing else inside crafted.S: look-alikes (lfence, rdpkru, fxrstor) are not hits */
	CU_ASSERT_EQUAL(in_crafted, expected);
}

/* liberim's own WRPKRUs (the gates) are accepted by exact address. */
static void test_liberim_gate_wrpkrus_accepted_by_address(void)
{
	const uintptr_t *sites = NULL;
	size_t n = erim__gate_sites(&sites);
	CU_ASSERT_FATAL(n > 0 && sites != NULL);
	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	CU_ASSERT_EQUAL(rc, 0);
	for (size_t i = 0; i < n; i++) {
		int at = seen_find(&s, sites[i]);
		CU_ASSERT(at >= 0);
		if (at >= 0) {
			CU_ASSERT_EQUAL(s.kind[at], SCAN_WRPKRU);
			CU_ASSERT_EQUAL(s.cls[at], SCAN_RUNTIME_GATE);
		}
	}
}

/* Run FN in a child; returns its exit status, or 128 + signal. */
static int in_child(int (*fn)(void))
{
	fflush(NULL);
	pid_t p = fork();
	if (p == 0)
		_exit(fn());
	int st;
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const uint8_t *pkey_set_wrpkru(void)
{
	const uint8_t *f = dlsym(RTLD_DEFAULT, "pkey_set");
	if (!f)
		return NULL;
	for (size_t i = 0; i < 128; i++)
		if (f[i] == 0x0f && f[i + 1] == 0x01 && f[i + 2] == 0xef)
			return f + i;
	return NULL;
}

static int has_exec(const void *addr)
{
	struct inspect_map *m;
	long n = inspect_maps_exec(0, &m);
	int found = 0;
	for (long i = 0; i < n; i++)
		if (m[i].start <= (uintptr_t)addr && (uintptr_t)addr < m[i].end)
			found = 1;
	if (n >= 0)
		free(m);
	return found;
}

static int child_refuse(void)
{
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 0, GATES, NULL);
	if (rc != -EPERM)
		return 1;
	if (memcmp(crafted_wrpkru_insn, "\x0f\x01\xef", 3) != 0)
		return 2;   /* REFUSE must not patch the program's own code */
	if (!has_exec(crafted_in_imm))
		return 3;
	return 0;
}

static void test_refuse_policy_fails_with_eperm_and_leaves_code_alone(void)
{
	CU_ASSERT_EQUAL(in_child(child_refuse), 0);
}

static int child_noexec(void)
{
	struct inspect_stats st;
	int rc = inspect_process_run(ERIM_INSPECT_NOEXEC, 1, 0, GATES, &st);
	if (rc != 0)
		return 1;
	if (st.noexec < 2)
		return 2;
	if (has_exec(crafted_in_imm) || has_exec(crafted_span_page))
		return 3;
	if (!has_exec((const void *)(uintptr_t)child_noexec))
		return 4;       /* our own page is still executable: we got here */
	/* calling into a stripped page faults */
	fflush(NULL);
	pid_t p = fork();
	if (p == 0) {
		((void (*)(void))(uintptr_t)crafted_in_imm)();
		_exit(0);
	}
	int ws;
	waitpid(p, &ws, 0);
	return WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSEGV ? 0 : 5;
}

static void test_noexec_policy_strips_execute_from_unsafe_pages_only(void)
{
	CU_ASSERT_EQUAL(in_child(child_noexec), 0);
}

static int child_patch(void)
{
	struct inspect_stats st;
	int rc = inspect_process_run(ERIM_INSPECT_PATCH, 1, 0, GATES, &st);
	if (rc != 0)
		return 1;
	if (memcmp(crafted_wrpkru_insn, "\x0f\x0b\x90", 3) != 0)
		return 2;   /* the WRPKRU at a function entry becomes ud2; nop */
	if (memcmp(crafted_in_imm + 2, "\x0f\x01\xef", 3) != 0)
		return 3;   /* inside an immediate: not an instruction start, never patched */
	if (has_exec(crafted_in_imm))
		return 4;   /* ... but its page lost execute instead */
	return 0;
}

static void test_patch_policy_traps_a_provable_wrpkru_and_strips_the_rest(void)
{
	int rc = in_child(child_patch);
	if (rc == 2 && !dlsym(RTLD_DEFAULT, "crafted_wrpkru_insn"))
		CU_FAIL("crafted symbols are not exported (link with -export-dynamic)");
	CU_ASSERT_EQUAL(rc, 0);
}

static int child_known(void)
{
	const uint8_t *w = pkey_set_wrpkru();
	if (!w)
		return 10;
	/* NOEXEC also neutralises the crafted code, so the run succeeds */
	if (inspect_process_run(ERIM_INSPECT_NOEXEC, 1, 0, GATES, NULL) != 0)
		return 1;
	return memcmp(w, "\x0f\x0b\x90", 3) == 0 ? 0 : 2;
}

static void test_glibc_pkey_set_wrpkru_becomes_a_trap(void)
{
	if (!pkey_set_wrpkru())
		ERIM_CU_SKIP("this libc's pkey_set contains no WRPKRU");
	CU_ASSERT_EQUAL(in_child(child_known), 0);
}

/* glibc's lazy-binding trampolines (ld.so): their XRSTOR was accepted only
 * because of the mov before it.  After inspection each is rewritten so the
 * check of EAX bit 9 follows it (it scans as checked), and lazy binding,
 * which runs through the rewritten code, still works. */
struct xr_one { uint64_t addr; int cls; int n; };

static int xr_hit(const struct scan_hit *h, void *arg)
{
	struct xr_one *o = arg;
	if (h->addr == o->addr)
		o->cls = (int)h->cls;
	o->n++;
	return 0;
}

static int child_xrstor(void)
{
	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	if (rc != 0)
		return 1;
	uint64_t site[16];
	const struct inspect_known_xrstor *known[16];
	size_t nk = 0;
	for (size_t i = 0; i < s.n && nk < 16; i++) {
		if (s.kind[i] != SCAN_XRSTOR || s.cls[i] != SCAN_UNSAFE)
			continue;
		const struct inspect_known_xrstor *k =
			inspect_known_xrstor((const uint8_t *)(uintptr_t)s.addr[i], 16, 64);
		if (k) {
			site[nk] = s.addr[i];
			known[nk++] = k;
		}
	}
	if (nk == 0)
		return 10;
	/* NOEXEC also neutralises the crafted code, so the run succeeds */
	if (inspect_process_run(ERIM_INSPECT_NOEXEC, 1, 0, GATES, NULL) != 0)
		return 2;
	for (size_t i = 0; i < nk; i++) {
		if (memcmp((const void *)(uintptr_t)site[i], known[i]->replace, known[i]->len) != 0)
			return 3;
		struct xr_one o = { site[i], -1, 0 };
		scan_buffer((const uint8_t *)(uintptr_t)site[i], known[i]->len, site[i], xr_hit, &o);
		if (o.cls != SCAN_CHECKED_XRSTOR || o.n != 1)
			return 4;
	}
	/* first call of a libc function from this program: lazy binding */
	volatile int r = strverscmp("erim-1.9", "erim-1.10");
	return r < 0 ? 0 : 5;
}

static void test_glibc_resolver_xrstor_rewritten_and_lazy_binding_works(void)
{
	int rc = in_child(child_xrstor);
	if (rc == 10)
		ERIM_CU_SKIP("no known XRSTOR site (glibc's lazy-binding trampoline) in this process");
	CU_ASSERT_EQUAL(rc, 0);
}

/* Two adjacent mappings (anonymous, then a file) with 0F ending the first
 * and 01 EF starting the second: one WRPKRU at the seam. */
static void test_wrpkru_across_two_adjacent_mappings_found(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint8_t *two = mmap(NULL, 2 * (size_t)psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(two != MAP_FAILED);
	memset(two, 0x90, (size_t)psz);
	two[psz - 1] = 0x0f;
	char path[] = "/tmp/erim-seam.XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	unlink(path);
	uint8_t page[65536];
	memset(page, 0x90, (size_t)psz);
	page[0] = 0x01;
	page[1] = 0xef;
	CU_ASSERT_FATAL(write(fd, page, (size_t)psz) == psz);
	void *second = mmap(two + psz, (size_t)psz, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0);
	CU_ASSERT_FATAL(second == two + psz);
	close(fd);
	CU_ASSERT_FATAL(mprotect(two, (size_t)psz, PROT_READ | PROT_EXEC) == 0);

	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	CU_ASSERT_EQUAL(rc, 0);
	int at = seen_find(&s, (uintptr_t)two + (uint64_t)psz - 1);
	CU_ASSERT(at >= 0);
	if (at >= 0) {
		CU_ASSERT_EQUAL(s.kind[at], SCAN_WRPKRU);
		CU_ASSERT_EQUAL(s.cls[at], SCAN_UNSAFE);
	}
	munmap(two, 2 * (size_t)psz);
}

static void test_execute_only_mapping_inspected_through_proc_mem(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, (size_t)psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CU_ASSERT_FATAL(p != MAP_FAILED);
	memset(p, 0xc3, (size_t)psz);
	memcpy(p + 100, "\x0f\x01\xef", 3);
	CU_ASSERT_FATAL(mprotect(p, (size_t)psz, PROT_EXEC) == 0);
	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(seen_find(&s, (uintptr_t)p + 100) >= 0);
	munmap(p, (size_t)psz);
}

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	CU_pSuite s = CU_add_suite("test_inspect_process", NULL, NULL);
	CU_add_test(s, "glibc_resolver_xrstor_rewritten_and_lazy_binding_works",
	            test_glibc_resolver_xrstor_rewritten_and_lazy_binding_works);
	CU_add_test(s, "dry_run_reports_every_crafted_occurrence_with_its_class",
	            test_dry_run_reports_every_crafted_occurrence_with_its_class);
	CU_add_test(s, "liberim_gate_wrpkrus_accepted_by_address", test_liberim_gate_wrpkrus_accepted_by_address);
	CU_add_test(s, "refuse_policy_fails_with_eperm_and_leaves_code_alone",
	            test_refuse_policy_fails_with_eperm_and_leaves_code_alone);
	CU_add_test(s, "noexec_policy_strips_execute_from_unsafe_pages_only",
	            test_noexec_policy_strips_execute_from_unsafe_pages_only);
	CU_add_test(s, "patch_policy_traps_a_provable_wrpkru_and_strips_the_rest",
	            test_patch_policy_traps_a_provable_wrpkru_and_strips_the_rest);
	CU_add_test(s, "glibc_pkey_set_wrpkru_becomes_a_trap", test_glibc_pkey_set_wrpkru_becomes_a_trap);
	CU_add_test(s, "wrpkru_across_two_adjacent_mappings_found", test_wrpkru_across_two_adjacent_mappings_found);
	CU_add_test(s, "execute_only_mapping_inspected_through_proc_mem",
	            test_execute_only_mapping_inspected_through_proc_mem);
	return erim_cunit_run("test_inspect_process");
}
