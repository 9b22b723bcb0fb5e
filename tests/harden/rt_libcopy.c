/* SPDX-License-Identifier: MIT */
/* rt_libcopy.c: a second copy of liberim, mapped by untrusted code after
 * erim_init, must not open the trusted key (red team 55, rt55_dlgadget).
 *
 * Untrusted code copies liberim.so into a memfd and dlopens it as
 * /proc/self/fd/N: ld.so
 * maps a fresh copy that erim_init never ran in.  Its gates check every
 * WRPKRU against its own page of PKRU values; that page was in .bss (PKRU_U
 * 0), so calling the copy's drop routine loaded PKRU 0 and passed its check.
 * Now the page is in the read-only segment (.rodata), holding "every key
 * but 0 denied", and only erim_init opens it.  Each attack runs in a forked child and then reads a
 * trusted global:
 *
 *   drop      the copy's erim__drop_mpk, called from its first byte
 *   site      a jump onto the copy's WRPKRU with EAX 0: the copy's check
 *             fails and its abort path stops the process
 *   register  the copy's erim_register_entries first (it opens the copy's
 *             other page, erim__ro_page), then its drop
 *
 * And a thread storing into the copy's page of PKRU values while ld.so
 * loads it (red team 56, relrorace: in RELRO the page was writable until
 * relocation ended): never written, in every back end; its control is the
 * same thread's stores reaching the copy's writable data page.
 *
 * And the copy's own erim_init (mpk): the PKRU values it sets grant only a
 * key of its own, never the program's (they come from the caller's PKRU).
 * (What that erim_init does besides is the system-call class the threat
 * model admits without erim-tem: its registry finds the program's trusted
 * globals and re-keys them with pkey_mprotect -- as a call of libc's
 * pkey_mprotect would -- and its failure path gives them key 0;
 * doc/security.md.)
 *
 * Control (the mechanism works): the test itself makes the copy's page of
 * PKRU values writable and stores 0 as PKRU_U -- what the page held before
 * the fix -- and the same call reads the secret.  Under `none` (no key) the
 * plain read is the control.  mpk needs the PKU guest (harden/vm_harden.sh);
 * without protection keys the attacks are reported as skipped.
 *
 * --libc: red team 57's second libc.so.6 instead, whose pkey_set opens the
 * key without erim-tem (not covered there, the control) and is refused under
 * it (--under-tem).
 *
 * Usage: rt_libcopy --backend=mpk|none [--libc [--under-tem]] */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <link.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "erim.h"
#include "erim_hooks.h"
#include "erim_check.h"

#define SECRET 0x5ec7e7c0b1e5L
#define ERIM_CLOSED 0xfffffffcu   /* liberim's ERIM_PKRU_CLOSED: every key but 0 denied */

static ERIM_TRUSTED volatile long secret_global[8];
static int backend_mpk, ready;
static unsigned id_setup;

static long e_setup(void *p)
{
	(void)p;
	secret_global[0] = SECRET;
	return 0;
}

static const struct erim_entry entries[] = {
	{ "libcopy", "setup", e_setup, ERIM_ENTRY_PUBLIC },
};

static unsigned rdpkru(void)
{
	unsigned eax, edx;

	__asm__ volatile(".byte 0x0f,0x01,0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* the secret, read with whatever PKRU this thread has: exit 10 when it was
 * read (a stop by liberim's violation handler otherwise) */
static void read_secret(const char *after)
{
	long v;

	printf("after %s: PKRU %#x; reading the trusted global\n", after,
	       backend_mpk ? rdpkru() : 0u);
	v = secret_global[0];
	if (v == SECRET) {
		printf("SECRET READ after %s\n", after);
		_exit(10);
	}
	printf("read %#lx, not the secret\n", (unsigned long)v);
	_exit(11);
}

/* liberim.so's path, copied into a memfd: its /proc/self/fd path in PATH;
 * the memfd (the caller closes it once the copy is loaded), or -1 */
static int lib_path(char *path, size_t len)
{
	Dl_info di;
	char buf[65536];
	ssize_t n;
	int in, out;

	if (!dladdr((void *)erim_gate_call, &di) || !di.dli_fname) {
		printf("dladdr(erim_gate_call) failed\n");
		return -1;
	}
	in = open(di.dli_fname, O_RDONLY);
	out = memfd_create("liberim-copy", 0);
	if (in < 0 || out < 0) {
		printf("open(%s) / memfd_create: %s\n", di.dli_fname, strerror(errno));
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	snprintf(path, len, "/proc/self/fd/%d", out);
	return out;
}

struct copy {
	void *h;
	uintptr_t drop;       /* its erim__drop_mpk */
	uintptr_t site;       /* the WRPKRU in it */
	uintptr_t keys;       /* its page of PKRU values */
};

/* Map a copy (dlopen of the memfd) and find its
 * drop routine: the gate site preceded by "xor ecx,ecx; xor edx,edx; mov
 * eax,[rip+d]" and followed by "cmp eax,[rip+d]; jne rel32; ret". */
static int map_copy(struct copy *c)
{
	size_t (*sites_fn)(const uintptr_t **);
	const uintptr_t *s;
	struct erim_range r[64];
	Dl_info mine, theirs;
	size_t n;
	char path[4096];

	memset(c, 0, sizeof *c);
	if (lib_path(path, sizeof path) < 0)
		return -1;
	c->h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!c->h) {
		printf("the copy did not load: %s\n", dlerror());
		return -1;
	}
	sites_fn = (size_t (*)(const uintptr_t **))dlsym(c->h, "erim__gate_sites");
	if (!sites_fn || (void *)sites_fn == (void *)erim__gate_sites) {
		printf("no second erim__gate_sites\n");
		return -1;
	}
	n = sites_fn(&s);
	for (size_t i = 0; i < n; i++) {
		const unsigned char *b = (const unsigned char *)s[i];

		if (b[-10] == 0x31 && b[-9] == 0xc9 && b[-8] == 0x31 && b[-7] == 0xd2 &&
		    b[-6] == 0x8b && b[-5] == 0x05 && b[0] == 0x0f && b[1] == 0x01 && b[2] == 0xef &&
		    b[3] == 0x3b && b[4] == 0x05 && b[9] == 0x0f && b[10] == 0x85 && b[15] == 0xc3) {
			c->site = s[i];
			c->drop = s[i] - 10;
			break;
		}
	}
	if (!c->drop) {
		printf("no drop routine among the copy's %zu gate sites\n", n);
		return -1;
	}
	/* its page of PKRU values: where ours is, relative to the object */
	n = erim__trusted_ranges(r, 64);
	for (size_t i = 0; i < n && i < 64; i++)
		if (strcmp(r[i].what, "PKRU values") == 0)
			c->keys = r[i].start;
	if (!c->keys || !dladdr((void *)erim_gate_call, &mine) ||
	    !dladdr((void *)sites_fn, &theirs)) {
		printf("cannot locate the page of PKRU values\n");
		return -1;
	}
	c->keys = c->keys - (uintptr_t)mine.dli_fbase + (uintptr_t)theirs.dli_fbase;
	printf("copy mapped at %p: drop %#lx, PKRU values page %#lx holding %#x %#x\n",
	       theirs.dli_fbase, (unsigned long)c->drop, (unsigned long)c->keys,
	       ((volatile unsigned *)c->keys)[0], ((volatile unsigned *)c->keys)[1]);
	return 0;
}

/* ---- a thread writing the copy's pages while ld.so loads it ------------- */

static volatile uintptr_t race_keys, race_ro;
static volatile int race_stop;
static volatile long hits_keys, hits_ro;

/* getitimer(ITIMER_REAL) stores 32 zero bytes (no timer runs), or fails
 * with EFAULT -- no signal -- where the page is unmapped or read-only */
static void *racer(void *unused)
{
	(void)unused;
	while (!race_stop) {
		uintptr_t k = race_keys, r = race_ro;

		if (k && syscall(SYS_getitimer, ITIMER_REAL, (void *)k) == 0)
			hits_keys++;
		if (r && syscall(SYS_getitimer, ITIMER_REAL, (void *)r) == 0)
			hits_ro++;
	}
	return NULL;
}

/* The copy is mapped where a probe of its span just was (top-down
 * placement); the racer aims at the copy's page of PKRU values and, as the
 * control that it hits the copy at all, at the copy's other page
 * (erim__ro_page, writable data).  Exit 32: the PKRU values page was never
 * written and holds the closed values, the control page was; 30: written;
 * 31: the racer never hit the copy (60 tries: a loaded machine starves the racer). */
static void child_race(void *unused)
{
	struct erim_range r[64];
	Dl_info mine;
	uintptr_t keys_off = 0, ro_off = 0, lo = UINTPTR_MAX, hi = 0;
	size_t n = erim__trusted_ranges(r, 64);
	char path[4096];
	pthread_t t;
	int fd;

	(void)unused;
	if (!dladdr((void *)erim_gate_call, &mine))
		_exit(2);
	for (size_t i = 0; i < n && i < 64; i++) {
		if (strcmp(r[i].what, "PKRU values") == 0)
			keys_off = r[i].start - (uintptr_t)mine.dli_fbase;
		if (strcmp(r[i].what, "runtime") == 0 && r[i].end - r[i].start == 4096)
			ro_off = r[i].start - (uintptr_t)mine.dli_fbase;
	}
	/* the span of liberim's PT_LOAD segments, from its own program headers */
	{
		const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)mine.dli_fbase;
		const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);

		for (int i = 0; i < eh->e_phnum; i++)
			if (ph[i].p_type == PT_LOAD) {
				if ((ph[i].p_vaddr & ~4095ul) < lo)
					lo = ph[i].p_vaddr & ~4095ul;
				if (((ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095ul) > hi)
					hi = (ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095ul;
			}
	}
	if (!keys_off || !ro_off || hi <= lo || (fd = lib_path(path, sizeof path)) < 0)
		_exit(2);
	if (pthread_create(&t, NULL, racer, NULL) != 0)
		_exit(2);
	for (int attempt = 1; attempt <= 60; attempt++) {
		void *probe = mmap(NULL, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		volatile unsigned *k;
		Dl_info theirs;
		void *h, *sym;

		if (probe == MAP_FAILED)
			_exit(2);
		munmap(probe, hi - lo);
		hits_keys = hits_ro = 0;
		race_ro = (uintptr_t)probe + ro_off;
		race_keys = (uintptr_t)probe + keys_off;
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		race_keys = race_ro = 0;
		if (!h || !(sym = dlsym(h, "erim__gate_sites")) || !dladdr(sym, &theirs)) {
			printf("the copy did not load: %s\n", h ? "no erim__gate_sites" : dlerror());
			_exit(2);
		}
		k = (volatile unsigned *)((uintptr_t)theirs.dli_fbase + keys_off);
		printf("try %d: copy at %p (probe %p); the racer's stores: %ld into the PKRU values "
		       "page, %ld into the other page; the copy's values %#x %#x\n", attempt,
		       theirs.dli_fbase, probe, hits_keys, hits_ro, k[0], k[1]);
		if (hits_keys || k[0] != ERIM_CLOSED || k[1] != ERIM_CLOSED) {
			printf("THE COPY'S PKRU VALUES WERE WRITTEN WHILE IT LOADED\n");
			_exit(30);
		}
		if (hits_ro) {
			race_stop = 1;
			pthread_join(t, NULL);
			_exit(32);
		}
		dlclose(h);
		/* a new memfd per try, opened before the old one is closed: a new
		 * name, so dlopen maps the copy again */
		{
			int old = fd;

			if ((fd = lib_path(path, sizeof path)) < 0)
				_exit(2);
			close(old);
		}
	}
	_exit(31);
}

/* Red team 57: a second copy of libc.so.6 mapped after erim_init has its
 * own pkey_set, whose WRPKRU erim_init's inspection never saw.  A
 * root-owned copy in /tmp (dlopen by path: ld.so maps it anew), then the
 * copy's pkey_set(key, 0).  Without erim-tem this opens the key -- the row
 * of new executable memory, not covered without erim-tem (security.md);
 * under erim-tem the copy's code is refused (a WRPKRU in new code). */
static void child_libc(void *unused)
{
	char tmp[] = "/tmp/rt_libcopy_libc.XXXXXX", buf[65536];
	int (*set)(int, unsigned);
	Dl_info di;
	ssize_t n;
	void *h;
	int in, out;

	(void)unused;
	if (!dladdr((void *)pkey_set, &di) || !di.dli_fname)
		_exit(2);
	in = open(di.dli_fname, O_RDONLY);
	out = mkstemp(tmp);
	if (in < 0 || out < 0)
		_exit(2);
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			_exit(2);
	close(in);
	if (fchmod(out, 0755) != 0)
		_exit(2);
	close(out);
	h = dlopen(tmp, RTLD_NOW | RTLD_LOCAL);
	unlink(tmp);
	if (!h) {
		printf("the second libc did not load: %s\n", dlerror());
		_exit(11);
	}
	set = (int (*)(int, unsigned))dlsym(h, "pkey_set");
	if (!set || (void *)set == (void *)pkey_set)
		_exit(2);
	printf("the second libc's pkey_set(%d, 0): %d\n", erim_pkey(), set(erim_pkey(), 0));
	read_secret("the second libc's pkey_set");
}

static void call_with_eax0(uintptr_t at)
{
	__asm__ volatile("xorl %%eax, %%eax\n\txorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\tcall *%0"
	                 : : "r"(at) : "rax", "rcx", "rdx", "memory");
}

enum { A_DROP, A_SITE, A_REGISTER, A_INIT, A_CONTROL };

static void child_attack(void *arg)
{
	int how = (int)(uintptr_t)arg;
	unsigned t, u, ad = 1u << (2 * erim_pkey());
	struct copy c;

	if (map_copy(&c) != 0)
		_exit(2);
	if (how == A_REGISTER) {
		int (*reg)(const struct erim_entry *, size_t, unsigned *) =
			(int (*)(const struct erim_entry *, size_t, unsigned *))dlsym(c.h, "erim_register_entries");
		unsigned first = 0;

		if (!reg || reg(entries, 1, &first) != 0) {
			printf("the copy's erim_register_entries failed\n");
			_exit(2);
		}
		printf("the copy's erim_register_entries: id %u\n", first);
	}
	if (how == A_INIT) {
		int (*init)(const struct erim_config *) =
			(int (*)(const struct erim_config *))dlsym(c.h, "erim_init");
		const char *(*err)(void) = (const char *(*)(void))dlsym(c.h, "erim_strerror");
		struct erim_config cfg = { .backend = ERIM_BACKEND_MPK, .quiet = 1 };

		if (!init || !err) {
			printf("no erim_init in the copy\n");
			_exit(2);
		}
		int r = init(&cfg);

		printf("the copy's erim_init: %d (%s)\n", r, r ? err() : "");
		t = ((volatile unsigned *)c.keys)[0];
		u = ((volatile unsigned *)c.keys)[1];
		printf("its PKRU values now %#x %#x; the program's key is %d\n", t, u, erim_pkey());
		if (!(t & ad) || !(u & ad)) {
			printf("A VALUE GRANTS THE PROGRAM'S KEY\n");
			_exit(20);
		}
		_exit(21);
	}
	if (how == A_CONTROL) {
		if (mprotect((void *)c.keys, 4096, PROT_READ | PROT_WRITE) != 0) {
			printf("mprotect of the copy's page: %s\n", strerror(errno));
			_exit(2);
		}
		((volatile unsigned *)c.keys)[1] = 0;     /* PKRU_U as in .bss */
		printf("control: the copy's PKRU_U set to 0\n");
	}
	if (how == A_SITE)
		call_with_eax0(c.site);
	else
		((void (*)(void))c.drop)();
	read_secret(how == A_SITE ? "a jump onto the copy's WRPKRU with EAX 0"
	                          : "the copy's erim__drop_mpk");
}

static void child_read(void *unused)
{
	(void)unused;
	read_secret("nothing");
}

static const char *const names[] = {
	"the copy's drop routine, called",
	"a jump onto the copy's WRPKRU with EAX 0",
	"the copy's erim_register_entries, then its drop",
};

TEST(second_copy_of_liberim_opens_no_key)
{
	char what[160];

	if (!ready)
		SKIP("erim_init failed");
	if (!backend_mpk)
		SKIP("the copy's gates are protection-key gates: mpk only (the none control "
		     "below shows the read)");
	for (int a = A_DROP; a <= A_REGISTER; a++) {
		snprintf(what, sizeof what, "%s: stopped, secret not read", names[a]);
		/* the stop is liberim's (the copy's after its own erim_init) */
		CHECK_DIES(what, child_attack, a, SIGSEGV, "erim: ");
	}
	CHECK_EXITS("the copy's own erim_init: its PKRU values deny the program's key",
	            child_attack, A_INIT, 21, "its PKRU values now");
}

TEST(copy_values_cannot_be_written_while_it_loads)
{
	if (!ready)
		SKIP("erim_init failed");
	CHECK_EXITS("a thread storing into a copy's PKRU values while ld.so loads it: never "
	            "written (control: its stores reach the copy's writable page)",
	            child_race, 0, 32, "the racer's stores: 0 into the PKRU values page");
}

TEST(control_a_copy_whose_pkru_u_is_0_opens_the_key)
{
	if (!ready)
		SKIP("erim_init failed");
	if (!backend_mpk)
		SKIP("mpk only");
	CHECK_EXITS("control: the copy's drop with its PKRU_U 0 (the page as it was in .bss) reads "
	            "the secret", child_attack, A_CONTROL, 10, "SECRET READ");
}

static int under_tem;

TEST(second_libc_pkey_set_needs_erim_tem)
{
	if (!ready)
		SKIP("erim_init failed");
	if (!backend_mpk)
		SKIP("mpk only");
	if (under_tem)
		CHECK_EXITS("under erim-tem: the second libc.so.6's code is refused (a WRPKRU in new "
		            "code), it does not load", child_libc, 0, 11, "did not load");
	else
		CHECK_EXITS("without erim-tem (not covered, security.md): a second libc.so.6's "
		            "pkey_set opens the key", child_libc, 0, 10, "SECRET READ");
}

TEST(control_plain_read)
{
	if (!ready)
		SKIP("erim_init failed");
	if (backend_mpk)
		CHECK_DIES("a plain read of the trusted global: stopped", child_read, 0, SIGSEGV,
		           "erim: violation");
	else
		CHECK_EXITS("control (none): a plain read gets the secret", child_read, 0, 10,
		            "SECRET READ");
}

int main(int argc, char **argv)
{
	struct erim_config c = { 0 };
	const char *be = argc > 1 && strncmp(argv[1], "--backend=", 10) == 0 ? argv[1] + 10 : "mpk";
	int libc_only = argc > 2 && strcmp(argv[2], "--libc") == 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	backend_mpk = strcmp(be, "mpk") == 0;
	if (erim_register_entries(entries, 1, &id_setup) != 0) {
		printf("rt_libcopy: cannot register entries\n");
		return 1;
	}
	c.backend = backend_mpk ? ERIM_BACKEND_MPK : ERIM_BACKEND_NONE;
	c.require_mpk = backend_mpk;
	c.quiet = 1;
	printf("rt_libcopy: %s back end\n", be);
	if (erim_init(&c) != 0)
		printf("erim_init: %s\n", erim_strerror());
	else
		ready = erim_gate_call(id_setup, NULL) == 0;
	under_tem = libc_only && argc > 3 && strcmp(argv[3], "--under-tem") == 0;
	if (libc_only) {
		RUN(second_libc_pkey_set_needs_erim_tem);
		return check_done("rt_libcopy --libc");
	}
	RUN(second_copy_of_liberim_opens_no_key);
	RUN(copy_values_cannot_be_written_while_it_loads);
	RUN(control_a_copy_whose_pkru_u_is_0_opens_the_key);
	RUN(control_plain_read);
	return check_done("rt_libcopy");
}
