/* SPDX-License-Identifier: MIT */
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crafted_expect.h"
#include "erim_check.h"
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
	EXPECT(rc == 0);
	EXPECT(st.bytes > 0);
	size_t in_crafted = 0;
	for (size_t i = 0; i < s.n; i++)
		if (s.addr[i] >= (uintptr_t)crafted_begin && s.addr[i] < (uintptr_t)crafted_end)
			in_crafted++;
#define CHECK_ONE(label, off, k, c)                                                   \
	do {                                                                          \
		int at = seen_find(&s, (uintptr_t)label + (off));                       \
		if (at < 0) {                                                         \
			CHECK(0, "%s", "not found: " #label);                                 \
		} else {                                                              \
			EXPECT(s.kind[at] == k);                                \
			EXPECT(s.cls[at] == c);                                 \
		}                                                                     \
		expected++;                                                           \
	} while (0);
	size_t expected = 0;
	CRAFTED_EXPECT(CHECK_ONE)
	/* nothing else inside crafted.S: look-alikes (lfence, rdpkru, fxrstor) are not hits */
	EXPECT(in_crafted == expected);
}

/* liberim's own WRPKRUs (the gates) are accepted by exact address. */
static void test_liberim_gate_wrpkrus_accepted_by_address(void)
{
	const uintptr_t *sites = NULL;
	size_t n = erim__gate_sites(&sites);
	REQUIRE(n > 0 && sites != NULL);
	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	EXPECT(rc == 0);
	for (size_t i = 0; i < n; i++) {
		int at = seen_find(&s, sites[i]);
		EXPECT(at >= 0);
		if (at >= 0) {
			EXPECT(s.kind[at] == SCAN_WRPKRU);
			EXPECT(s.cls[at] == SCAN_RUNTIME_GATE);
		}
	}
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

static void child_refuse(void *unused)
{
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 0, GATES, NULL);
	if (rc != -EPERM)
		_exit(1);
	if (memcmp(crafted_wrpkru_insn, "\x0f\x01\xef", 3) != 0)
		_exit(2);   /* REFUSE must not patch the program's own code */
	if (!has_exec(crafted_in_imm))
		_exit(3);
	_exit(0);
}

static void test_refuse_policy_fails_with_eperm_and_leaves_code_alone(void)
{
	CHECK_EXITS("child_refuse", child_refuse, NULL, 0, NULL);
}

static void child_noexec(void *unused)
{
	struct inspect_stats st;
	int rc = inspect_process_run(ERIM_INSPECT_NOEXEC, 1, 0, GATES, &st);
	if (rc != 0)
		_exit(1);
	if (st.noexec < 2)
		_exit(2);
	if (has_exec(crafted_in_imm) || has_exec(crafted_span_page))
		_exit(3);
	if (!has_exec((const void *)(uintptr_t)child_noexec))
		_exit(4);       /* our own page is still executable: we got here */
	/* calling into a stripped page faults */
	fflush(NULL);
	pid_t p = fork();
	if (p == 0) {
		((void (*)(void))(uintptr_t)crafted_in_imm)();
		_exit(0);
	}
	int ws;
	waitpid(p, &ws, 0);
	_exit(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSEGV ? 0 : 5);
}

static void test_noexec_policy_strips_execute_from_unsafe_pages_only(void)
{
	CHECK_EXITS("child_noexec", child_noexec, NULL, 0, NULL);
}

static void child_patch(void *unused)
{
	struct inspect_stats st;
	int rc = inspect_process_run(ERIM_INSPECT_PATCH, 1, 0, GATES, &st);
	if (rc != 0)
		_exit(1);
	if (memcmp(crafted_wrpkru_insn, "\x0f\x0b\x90", 3) != 0)
		_exit(2);   /* the WRPKRU at a function entry becomes ud2; nop */
	if (memcmp(crafted_in_imm + 2, "\x0f\x01\xef", 3) != 0)
		_exit(3);   /* inside an immediate: not an instruction start, never patched */
	if (has_exec(crafted_in_imm))
		_exit(4);   /* ... but its page lost execute instead */
	_exit(0);
}

static void test_patch_policy_traps_a_provable_wrpkru_and_strips_the_rest(void)
{
	int rc = check_child_rc(child_patch, NULL);
	if (rc == 2 && !dlsym(RTLD_DEFAULT, "crafted_wrpkru_insn"))
		CHECK(0, "crafted symbols are not exported (link with -export-dynamic)");
	EXPECT(rc == 0);
}

static void child_known(void *unused)
{
	const uint8_t *w = pkey_set_wrpkru();
	if (!w)
		_exit(10);
	/* NOEXEC also neutralises the crafted code, so the run succeeds */
	if (inspect_process_run(ERIM_INSPECT_NOEXEC, 1, 0, GATES, NULL) != 0)
		_exit(1);
	_exit(memcmp(w, "\x0f\x0b\x90", 3) == 0 ? 0 : 2);
}

static void test_glibc_pkey_set_wrpkru_becomes_a_trap(void)
{
	if (!pkey_set_wrpkru())
		SKIP("this libc's pkey_set contains no WRPKRU");
	CHECK_EXITS("child_known", child_known, NULL, 0, NULL);
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

static void child_xrstor(void *unused)
{
	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	if (rc != 0)
		_exit(1);
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
		_exit(10);
	/* NOEXEC also neutralises the crafted code, so the run succeeds */
	if (inspect_process_run(ERIM_INSPECT_NOEXEC, 1, 0, GATES, NULL) != 0)
		_exit(2);
	for (size_t i = 0; i < nk; i++) {
		if (memcmp((const void *)(uintptr_t)site[i], known[i]->replace, known[i]->len) != 0)
			_exit(3);
		struct xr_one o = { site[i], -1, 0 };
		scan_buffer((const uint8_t *)(uintptr_t)site[i], known[i]->len, site[i], xr_hit, &o);
		if (o.cls != SCAN_CHECKED_XRSTOR || o.n != 1)
			_exit(4);
	}
	/* first call of a libc function from this program: lazy binding */
	volatile int r = strverscmp("erim-1.9", "erim-1.10");
	_exit(r < 0 ? 0 : 5);
}

static void test_glibc_resolver_xrstor_rewritten_and_lazy_binding_works(void)
{
	int rc = check_child_rc(child_xrstor, NULL);
	if (rc == 10)
		SKIP("no known XRSTOR site (glibc's lazy-binding trampoline) in this process");
	EXPECT(rc == 0);
}

/* Two adjacent mappings (anonymous, then a file) with 0F ending the first
 * and 01 EF starting the second: one WRPKRU at the seam. */
static void test_wrpkru_across_two_adjacent_mappings_found(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint8_t *two = mmap(NULL, 2 * (size_t)psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(two != MAP_FAILED);
	memset(two, 0x90, (size_t)psz);
	two[psz - 1] = 0x0f;
	char path[] = "/tmp/erim-seam.XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	unlink(path);
	uint8_t page[65536];
	memset(page, 0x90, (size_t)psz);
	page[0] = 0x01;
	page[1] = 0xef;
	REQUIRE(write(fd, page, (size_t)psz) == psz);
	void *second = mmap(two + psz, (size_t)psz, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0);
	REQUIRE(second == two + psz);
	close(fd);
	REQUIRE(mprotect(two, (size_t)psz, PROT_READ | PROT_EXEC) == 0);

	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	EXPECT(rc == 0);
	int at = seen_find(&s, (uintptr_t)two + (uint64_t)psz - 1);
	EXPECT(at >= 0);
	if (at >= 0) {
		EXPECT(s.kind[at] == SCAN_WRPKRU);
		EXPECT(s.cls[at] == SCAN_UNSAFE);
	}
	munmap(two, 2 * (size_t)psz);
}

/* execute-only code is made readable for the scan (not read through
 * /proc/self/mem, which erim-tem refuses) and execute-only again after,
 * with the protection key it had: KEY < 0 the kernel's choice (its
 * execute-only key where there are keys), else pkey_mprotect with KEY */
static void xonly_inspected_and_restored(int key)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, (size_t)psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memset(p, 0xc3, (size_t)psz);
	memcpy(p + 100, "\x0f\x01\xef", 3);
	REQUIRE(key < 0 ? mprotect(p, (size_t)psz, PROT_EXEC) == 0
	                : syscall(SYS_pkey_mprotect, p, (size_t)psz, PROT_EXEC, (long)key) == 0);
	int before = inspect_map_pkey((uintptr_t)p);
	static struct seen s;
	s.n = 0;
	inspect_process_observe(observe, &s);
	int rc = inspect_process_run(ERIM_INSPECT_REFUSE, 1, 1, GATES, NULL);
	inspect_process_observe(NULL, NULL);
	EXPECT(rc == 0);
	EXPECT(seen_find(&s, (uintptr_t)p + 100) >= 0);
	struct inspect_map *maps = NULL;
	long n = inspect_maps_exec(0, &maps);
	int found = 0;
	for (long i = 0; i < n; i++)
		if (maps[i].start == (uintptr_t)p) {
			found = 1;
			EXPECT(maps[i].end == (uintptr_t)p + (uint64_t)psz);
			EXPECT(maps[i].prot == PROT_EXEC);
		}
	free(maps);
	EXPECT(found);
	int after = inspect_map_pkey((uintptr_t)p);
	printf("  protection key of the execute-only page: %d before, %d after (-%d: no keys)\n", before, after, ENOENT);
	EXPECT(after == before);
	EXPECT(key < 0 || after == key);
	munmap(p, (size_t)psz);
}

static void test_execute_only_mapping_inspected_and_left_execute_only(void)
{
	xonly_inspected_and_restored(-1);
}

static void test_execute_only_mapping_keeps_a_key_of_the_program(void)
{
	int key = (int)syscall(SYS_pkey_alloc, 0UL, 0UL);
	if (key < 0)
		SKIP("pkey_alloc: %s (no protection keys here)", strerror(errno));
	xonly_inspected_and_restored(key);
	syscall(SYS_pkey_free, (long)key);
}

int main(void)
{
	RUN(test_glibc_resolver_xrstor_rewritten_and_lazy_binding_works);
	RUN(test_dry_run_reports_every_crafted_occurrence_with_its_class);
	RUN(test_liberim_gate_wrpkrus_accepted_by_address);
	RUN(test_refuse_policy_fails_with_eperm_and_leaves_code_alone);
	RUN(test_noexec_policy_strips_execute_from_unsafe_pages_only);
	RUN(test_patch_policy_traps_a_provable_wrpkru_and_strips_the_rest);
	RUN(test_glibc_pkey_set_wrpkru_becomes_a_trap);
	RUN(test_wrpkru_across_two_adjacent_mappings_found);
	RUN(test_execute_only_mapping_inspected_and_left_execute_only);
	RUN(test_execute_only_mapping_keeps_a_key_of_the_program);
	return check_done("test_inspect_process");
}
