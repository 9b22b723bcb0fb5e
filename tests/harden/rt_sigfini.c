/* SPDX-License-Identifier: MIT */
/* rt_sigfini.c: red team 62's sigfini as a test -- erim_fini never replaces a
 * signal stack under a thread that is in liberim's trusted signal entry.
 *
 * On kernels that write signal frames with every key enabled (6.12), liberim's
 * signal entry (erim_sigentry.S) runs its relay with the trusted PKRU on the
 * thread's signal stack in trusted memory.  erim_fini's wipe counted only
 * gate slots and the slow path's lock, so it went ahead while a relay ran;
 * erim_fini then replaced that stack with plain memory, another thread filled
 * it with the address of its own function, and the relay's next `ret` ran
 * that function with the trusted key open (it read the still-keyed entry
 * table).  Now the entry counts itself in (keyed) before it uses the stack
 * and reads the dead flag; the wipe sets the flag, then reads the count, and
 * returns -EBUSY while a thread is in; an entry that finds the wipe final
 * stops the process without using the stack.
 *
 * Each try is a fresh child: two threads take SIGTRAP (int3) in a loop, each
 * time with %rsp on a fresh transparent huge page of their own, so that the
 * relay's copy of the frame faults and each relay lasts long; a third thread
 * waits until a signal stack is plain memory (write(2) of it stops failing
 * with EFAULT) and fills the top 12 KiB of both with the address of `grab`;
 * the main thread calls erim_fini until it does not return -EBUSY.
 * Static-PIE (liberim's tables by name).
 *
 *   rt_sigfini mpk [TRIES]   expected: `grab` never runs with the trusted key
 *                            open; erim_fini met a thread in the relay
 *                            (-EBUSY) in at least one try -- else the test
 *                            showed nothing and fails
 *   rt_sigfini mpk selfsig [TRIES]
 *                            a thread sends SIGUSR1 (a handler installed
 *                            through liberim) to the thread calling erim_fini,
 *                            as fast as it can: erim_fini must finish (before,
 *                            a signal taken during the wipe entered the
 *                            trusted entry, found the runtime dead and waited
 *                            for the wipe's lock, held by its own thread:
 *                            red team 63); a child still running after 30 s
 *                            is a hang
 * Exit 0 when the expectation holds, 1 when not, 2 on a set-up failure, 77
 * (with the reason) where liberim has no signal stacks in trusted memory. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim.h"
#include "erim_internal.h"

#define NAME "rt_sigfini"
#define TRIES 6
#define TRAPPERS 2
#define CHUNK (2UL << 20)
#define NCHUNK 32
#define FILL 12288

struct shared {                   /* offsets used by grab (below) */
	volatile uint32_t pkru;       /* 0: the PKRU grab ran with */
	volatile uint32_t ran;        /* 4 */
	volatile uint32_t key_open;   /* 8 */
	volatile uint32_t plain;      /* 12: a signal stack became plain memory */
	volatile uint64_t word;       /* 16: what grab read from keyed memory */
	volatile uint64_t traps;      /* 24 */
	volatile uint64_t busy;       /* 32: erim_fini's -EBUSY returns */
	volatile int64_t fini;        /* 40: its last result */
};
_Static_assert(__builtin_offsetof(struct shared, word) == 16, "grab's offsets");

struct shared *rs_sh;
uint32_t rs_admask;              /* the trusted key's access-disable bit */
uintptr_t rs_probe;              /* a word keyed until erim_fini replaces the tables */
static uintptr_t top[TRAPPERS];
static volatile int done, ready[TRAPPERS];
static int pfd[2];
static unsigned id_noop;

/* what the relay's `ret` should reach: no stack, records and spins */
void rs_grab(void);
__asm__(".text\n.globl rs_grab\n.type rs_grab,@function\nrs_grab:\n"
        "\txorl %ecx, %ecx\n\t.byte 0x0f,0x01,0xee\n"                    /* rdpkru */
        "\tmovq rs_sh(%rip), %rdx\n\tmovl %eax, 0(%rdx)\n\tmovl $1, 4(%rdx)\n"
        "\ttestl rs_admask(%rip), %eax\n\tjnz 1f\n"
        "\tmovl $1, 8(%rdx)\n"
        "\tmovq rs_probe(%rip), %rcx\n\tmovq (%rcx), %rcx\n\tmovq %rcx, 16(%rdx)\n"
        "1:\tpause\n\tjmp 1b\n.size rs_grab, .-rs_grab\n");

static long rs_noop(void *a)
{
	(void)a;
	return 0;
}

static const struct erim_entry rs_entries[] = { { "rs", "rs_noop", rs_noop, ERIM_ENTRY_PUBLIC } };

static void on_trap(int s)
{
	(void)s;
}

static pid_t fini_tid;
static volatile uint64_t usr1_seen;

static void on_usr1(int s)
{
	(void)s;
	usr1_seen++;
}

static void *sender(void *unused)
{
	(void)unused;
	while (!done)
		syscall(SYS_tgkill, getpid(), fini_tid, SIGUSR1);
	return NULL;
}

/* selfsig: signals to erim_fini's own thread; 16 when erim_fini finished */
static int child_selfsig(void)
{
	pthread_t s;
	int r = -EBUSY;

	alarm(30);
	fini_tid = (pid_t)syscall(SYS_gettid);
	if (pthread_create(&s, NULL, sender, NULL) != 0)
		return 2;
	while (usr1_seen < 100)
		;
	for (int i = 0; i < 100000 && r == -EBUSY; i++) {
		r = erim_fini();
		rs_sh->busy += r == -EBUSY;
	}
	rs_sh->fini = r;
	done = 1;
	pthread_join(s, NULL);
	rs_sh->traps = usr1_seen;
	return 16;
}

static int plain(uintptr_t p)
{
	char b[8];

	if (write(pfd[1], (const void *)p, 8) != 8)
		return 0;
	return read(pfd[0], b, 8) == 8;
}

static void *trapper(void *arg)
{
	int me = (int)(long)arg;
	stack_t cur;
	char *reg, *base;

	/* the kernel's record (liberim's sigaltstack() reports the program's own) */
	if (syscall(SYS_sigaltstack, NULL, &cur) != 0 || (cur.ss_flags & SS_DISABLE)) {
		ready[me] = -1;
		return NULL;
	}
	top[me] = (uintptr_t)cur.ss_sp + cur.ss_size;
	reg = mmap(NULL, CHUNK * (NCHUNK + 1), PROT_READ | PROT_WRITE,
	           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (reg == MAP_FAILED) {
		ready[me] = -1;
		return NULL;
	}
	base = (char *)(((uintptr_t)reg + CHUNK - 1) & ~(CHUNK - 1));
	madvise(base, CHUNK * NCHUNK, MADV_HUGEPAGE);
	ready[me] = 1;
	while (!done) {
		for (int c = 0; c < NCHUNK && !done; c++) {
			uintptr_t sp = (uintptr_t)base + c * CHUNK + CHUNK / 2;

			/* the kernel writes the frame on the signal stack; the
			 * relay copies it to the interrupted stack: a fresh page */
			__asm__ volatile("movq %%rsp, %%rbx\n\tmovq %0, %%rsp\n\tint3\n\tmovq %%rbx, %%rsp"
			                 : : "r"(sp) : "rbx", "memory");
			__atomic_fetch_add(&rs_sh->traps, 1, __ATOMIC_RELAXED);
		}
		madvise(base, CHUNK * NCHUNK, MADV_DONTNEED);
	}
	return NULL;
}

static void *filler(void *unused)
{
	(void)unused;
	while (!done && !plain(top[0] - 8) && !plain(top[1] - 8))
		;
	if (done)
		return NULL;
	rs_sh->plain = 1;
	for (long rep = 0; rep < 200000 && !rs_sh->ran && !done; rep++)
		for (int b = 0; b < TRAPPERS; b++)
			if (plain(top[b] - 8))
				for (uintptr_t p = top[b] - FILL; p < top[b]; p += 8)
					*(volatile uintptr_t *)p = (uintptr_t)rs_grab;
	return NULL;
}

static int child(void)
{
	pthread_t t[TRAPPERS], f;
	int r;

	alarm(60);
	if (pipe(pfd) != 0)
		return 2;
	for (int i = 0; i < TRAPPERS; i++)
		if (pthread_create(&t[i], NULL, trapper, (void *)(long)i) != 0)
			return 2;
	for (int i = 0; i < TRAPPERS; i++) {
		while (!ready[i])
			;
		if (ready[i] < 0)
			return 2;
	}
	if (pthread_create(&f, NULL, filler, NULL) != 0)
		return 2;
	while (rs_sh->traps < 20)
		;
	for (int i = 0; i < 100000; i++) {
		r = erim_fini();
		rs_sh->fini = r;
		if (r != -EBUSY)
			break;
		rs_sh->busy++;
	}
	for (volatile long i = 0; i < 3000000 && !rs_sh->ran; i++)
		;
	done = 1;
	return 16;
}

/* one try: FN in a fresh child, the shared page cleared; its wait status,
 * -1 when fork or waitpid failed */
static int try_child(int (*fn)(void))
{
	int st;
	pid_t p;

	memset(rs_sh, 0, sizeof *rs_sh);
	fflush(NULL);
	p = fork();
	if (p < 0)
		return -1;
	if (p == 0)
		_exit(fn());
	return waitpid(p, &st, 0) < 0 ? -1 : st;
}

int main(int argc, char **argv)
{
	int tries, open_ = 0, busy_tries = 0, hung = 0;
	struct sigaction sa;
	char why[160];

	int selfsig = argc > 2 && strcmp(argv[2], "selfsig") == 0;

	if (argc < 2 || argc > 3 + selfsig || strcmp(argv[1], "mpk")) {
		fprintf(stderr, "usage: %s mpk [selfsig] [TRIES]\n", argv[0]);
		return 2;
	}
	setenv("ERIM_BACKEND", argv[1], 1);
	tries = argc > 2 + selfsig ? atoi(argv[2 + selfsig]) : TRIES;
	setvbuf(stdout, NULL, _IOLBF, 0);
	rs_sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rs_sh == MAP_FAILED)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_trap;
	if (sigaction(SIGTRAP, &sa, NULL) != 0)
		return 2;
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		return 2;
	if (erim_register_entries(rs_entries, 1, &id_noop) != 0 || erim_init(NULL) < 0) {
		printf(NAME ": SET-UP FAILED: %s\n", erim_strerror());
		return 2;
	}
	if (!erim__ro.sigstk_lo) {
		snprintf(why, sizeof why, "liberim has no signal stacks in trusted memory here (the "
		         "kernel writes frames with the interrupted PKRU, or no mpk)");
		printf(NAME ": SKIP: %s\n", why);
		printf(NAME ": 0 passed, 0 failed, 1 skipped\n");
		return 77;
	}
	rs_admask = 1u << (2 * erim__ro.pkey);
	rs_probe = (uintptr_t)erim__ro.entries + ((uintptr_t)id_noop << ERIM_IENTRY_SHIFT) +
	           ERIM_IENTRY_FN;
	if (selfsig) {
		int ok = 0, bad = 0;

		for (int t = 0; t < tries; t++) {
			int st = try_child(child_selfsig);

			if (st == -1)
				return 2;
			printf(NAME " selfsig: try %d: child %s %d; %llu signals handled; erim_fini "
			       "-EBUSY %llu times, then %lld\n", t,
			       WIFSIGNALED(st) ? "killed by signal" : "exited",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
			       (unsigned long long)rs_sh->traps, (unsigned long long)rs_sh->busy,
			       (long long)rs_sh->fini);
			if (WIFEXITED(st) && WEXITSTATUS(st) == 16 && rs_sh->fini == 0)
				ok++;
			else
				bad++;
		}
		printf(NAME " selfsig: %s (%d of %d tries finished)\n", bad ? "FAIL: erim_fini hung "
		       "or failed while its own thread took signals" : "ok: erim_fini finished while "
		       "its own thread took signals", ok, tries);
		printf(NAME ": %d passed, %d failed\n", !bad, !!bad);
		return !!bad;
	}
	for (int t = 0; t < tries; t++) {
		int st = try_child(child);

		if (st == -1)
			return 2;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
			printf(NAME ": SET-UP FAILED in try %d\n", t);
			return 2;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
			hung++;
		open_ += !!rs_sh->key_open;
		busy_tries += rs_sh->busy > 0;
		printf(NAME ": try %d: child %s %d; %llu traps; erim_fini -EBUSY %llu times, then %lld; "
		       "a signal stack turned plain: %s; grab ran: %s%s\n", t,
		       WIFSIGNALED(st) ? "killed by signal" : "exited",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
		       (unsigned long long)rs_sh->traps, (unsigned long long)rs_sh->busy,
		       (long long)rs_sh->fini, rs_sh->plain ? "yes" : "no",
		       !rs_sh->ran ? "no" : rs_sh->key_open ? "WITH THE TRUSTED KEY OPEN" : "without the key",
		       rs_sh->key_open && rs_sh->word == (uintptr_t)rs_noop ?
		               " (read the keyed entry table's record)" : "");
	}
	printf(NAME ": %d tries: grab ran with the trusted key open in %d; erim_fini met a thread in "
	       "the signal relay (-EBUSY) in %d; hung %d\n", tries, open_, busy_tries, hung);
	if (open_ || hung)
		printf(NAME ": FAIL: %s\n", open_ ? "attacker code ran with the trusted key open after "
		                                    "erim_fini replaced a signal stack" : "a child hung");
	else if (!busy_tries)
		printf(NAME ": FAIL: erim_fini never met a thread in the signal relay -- the test "
		       "showed nothing\n");
	else
		printf(NAME ": ok: erim_fini waited for the relays (-EBUSY) and no relay ran on a "
		       "plain stack\n");
	printf(NAME ": %d passed, %d failed\n", !(open_ || hung || !busy_tries),
	       !!(open_ || hung || !busy_tries));
	return open_ || hung || !busy_tries;
}
