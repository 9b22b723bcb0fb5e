/* SPDX-License-Identifier: MIT */
/* rt_sigtab.c: red team 59 (sigtab) -- liberim's sealed signal table,
 * written by another thread while a sigaction() has it open.
 *
 * liberim keeps the program's handlers in a page it seals read-only and
 * opens for the few stores of each sigaction().  The flags that decided
 * whether the page is sealed again and whether a handler is wrapped lived in
 * that page: a thread that stored 0 there in the window (plain stores, no
 * system call of its own) had every later handler installed unwrapped,
 * without SA_ONSTACK, and red team 50's trap window wrote a frame into
 * trusted globals (6.1 and 6.12, dynamic and static, uid 0 and 1000).
 *
 *   rt_sigtab --backend=mpk|mprotect|none
 *
 * The race, as general as the test can make it without knowing liberim's
 * layout: a thread writes zeros (pread from /dev/zero: one call per page, no
 * fault to handle) over every read-only page of liberim's writable segment,
 * round after round, while the main thread calls sigaction() 20000 times.
 * Then sigaction(SIGTRAP, the test's handler) and the kernel's own record
 * of SIGTRAP (a raw rt_sigaction query): under mpk and mprotect the handler
 * must be liberim's (wrapped) and, where liberim's signal stacks are on, with
 * SA_ONSTACK.  The zeros must have landed at least once (else nothing was
 * shown: the test fails).  Control under none: no wrapping, the kernel has
 * the test's handler (the observation works). */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"

#define CALLS 20000
#define MAXPG 64
#define K_SA_ONSTACK 0x08000000UL

struct ksig {
	uintptr_t handler;
	unsigned long flags;
	uintptr_t restorer;
	uint64_t mask;
};

static int ready, backend_mpk;
static uintptr_t pages[MAXPG];
static size_t npages;
static volatile int stop;
static volatile long landed;
static int zero_fd;

static void h_a(int sig) { (void)sig; }
static void h_b(int sig) { (void)sig; }
static void on_trap(int sig, siginfo_t *si, void *uc) { (void)sig; (void)si; (void)uc; }

/* the read-only pages of liberim's writable PT_LOAD segment, now */
static int find_pages(void)
{
	Dl_info di;
	const ElfW(Ehdr) *eh;
	const ElfW(Phdr) *ph;
	uintptr_t lo = 0, hi = 0;
	char line[512];
	FILE *f;

	if (!dladdr((void *)erim_gate_call, &di))
		return -1;
	eh = (const ElfW(Ehdr) *)di.dli_fbase;
	ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W)) {
			lo = ((uintptr_t)di.dli_fbase + ph[i].p_vaddr) & ~4095ul;
			hi = ((uintptr_t)di.dli_fbase + ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095ul;
		}
	f = fopen("/proc/self/maps", "r");
	if (!lo || !f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) != 3 || p[1] == 'w' || p[2] == 'x')
			continue;
		for (uintptr_t a = s; a < e; a += 4096)
			if (a >= lo && a < hi && npages < MAXPG)
				pages[npages++] = a;
	}
	fclose(f);
	return npages ? 0 : -1;
}

static void *racer(void *unused)
{
	(void)unused;
	while (!stop)
		for (size_t i = 0; i < npages && !stop; i++)
			if (pread(zero_fd, (void *)pages[i], 4096, 0) == 4096)
				landed++;
	return NULL;
}

static void child_race(void *unused)
{
	struct sigaction sa;
	struct ksig k;
	pthread_t t;

	(void)unused;
	zero_fd = open("/dev/zero", O_RDONLY);
	if (zero_fd < 0 || find_pages() != 0) {
		printf("no read-only page in liberim's writable segment\n");
		_exit(2);
	}
	printf("%zu read-only pages in liberim's writable segment\n", npages);
	if (pthread_create(&t, NULL, racer, NULL) != 0)
		_exit(2);
	memset(&sa, 0, sizeof sa);
	for (int i = 0; i < CALLS; i++) {
		sa.sa_handler = i & 1 ? h_b : h_a;
		sigaction(SIGUSR2, &sa, NULL);
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("the zeros landed %ld times\n", (long)landed);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGTRAP, &sa, NULL) != 0 ||
	    syscall(SYS_rt_sigaction, SIGTRAP, NULL, &k, 8) != 0)
		_exit(2);
	printf("the kernel's SIGTRAP action: handler %#lx (the test's %p), flags %#lx\n",
	       (unsigned long)k.handler, (void *)on_trap, k.flags);
	if (k.handler == (uintptr_t)on_trap) {
		printf("UNWRAPPED: the test's handler went to the kernel as it was\n");
		_exit(10);
	}
	/* under mpk without erim-tem liberim's signal stacks are on (6.1 and
	 * 6.12): every handler of liberim's has SA_ONSTACK */
	if (backend_mpk && !(k.flags & K_SA_ONSTACK)) {
		printf("UNWRAPPED: liberim's handler without SA_ONSTACK\n");
		_exit(11);
	}
	_exit(landed ? 0 : 3);
}

TEST(stores_into_an_open_table_wrap_nothing_out)
{
	if (!ready)
		SKIP("erim_init failed");
	if (erim_backend() == ERIM_BACKEND_NONE)
		CHECK_EXITS("control (none): no wrapping, the kernel has the test's handler",
		            child_race, 0, 10, "UNWRAPPED");
	else
		CHECK_EXITS("zeros written over liberim's sealed pages whenever one was open, "
		            "during 20000 sigaction() calls: the window was hit, and the next "
		            "handler is still liberim's", child_race, 0, 0, "zeros landed [1-9]");
}

int main(int argc, char **argv)
{
	struct erim_config c = { 0 };
	const char *be = argc > 1 && strncmp(argv[1], "--backend=", 10) == 0 ? argv[1] + 10 : "mpk";

	setvbuf(stdout, NULL, _IOLBF, 0);
	backend_mpk = strcmp(be, "mpk") == 0;
	c.backend = backend_mpk ? ERIM_BACKEND_MPK
	          : strcmp(be, "mprotect") == 0 ? ERIM_BACKEND_MPROTECT : ERIM_BACKEND_NONE;
	c.require_mpk = backend_mpk;
	c.quiet = 1;
	printf("rt_sigtab: %s back end\n", be);
	if (erim_init(&c) != 0)
		printf("erim_init: %s\n", erim_strerror());
	else
		ready = 1;
	RUN(stores_into_an_open_table_wrap_nothing_out);
	return check_done("rt_sigtab");
}
