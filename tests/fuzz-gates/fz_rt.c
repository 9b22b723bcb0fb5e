/* SPDX-License-Identifier: MIT */
/* fz_rt.c: the fixed part of every fuzz-gates driver; see fz_rt.h.
 *
 *   fzprog ROUNDS SEED RACING
 *
 * runs every public function ROUNDS times with valid arguments (checking
 * what the trusted implementation received and what came back), every
 * hostile variant once in a forked child (the expected outcome: the
 * documented refusal -- error(V) returned without the implementation
 * running, or the process stopped with erim's message -- never a sanitizer
 * report or a crash), and RACING calls per function while a second thread
 * flips the bytes of the input buffers and strings.  Prints FZ-FINDING
 * lines and a closing FZ-STATS line; exit 1 if anything was found. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#include "fz_rt.h"

volatile uint64_t fz_log[FZ_LOG_MAX];
volatile int fz_nlog, fz_depth;
volatile long fz_impl_calls, fz_cb_calls;
const char *volatile fz_impl_name = "?";
volatile int fz_cb_mode, fz_quiet_checks, fz_isolating, fz_cbn;
volatile uint64_t fz_cbx[FZ_LOG_MAX];
unsigned char *volatile fz_tblock;
unsigned long fz_calls, fz_findings, fz_hostile_calls, fz_racing_calls;
ERIM_TRUSTED unsigned char fz_secret[8192] = { 'S', 'E', 'C', 'R', 'E', 'T' };
unsigned char *fz_edge;
long fz_reentered;
const void *fz_post_same;
const unsigned char *fz_post_orig;
size_t fz_post_n;
#ifdef FZ_HEAP_SHIM
int fz_heap_shim = 1;
#else
int fz_heap_shim;
#endif
static uint64_t rng = 88172645463325252ull;
static int in_child, cur_expect, cur_has_error, fz_regions;

#ifdef FZ_HEAP_SHIM
/* Under `none` (nothing is protected) the trusted heap is ordinary malloc,
 * so that AddressSanitizer sees every staging buffer the gates allocate. */
void *erim_malloc(size_t n) { return malloc(n); }
void *erim_calloc(size_t a, size_t b) { return calloc(a, b); }
void *erim_realloc(void *p, size_t n) { return realloc(p, n); }
void *erim_aligned_alloc(size_t a, size_t n) { return aligned_alloc(a, (n + a - 1) / a * a); }
void erim_free(void *p) { free(p); }
#endif

void fz_finding(const char *cls, const char *func, const char *fmt, ...)
{
	va_list ap;

	if (++fz_findings > 50)
		return;     /* counted; the first ones say enough */
	printf("FZ-FINDING class=%s func=%s: ", cls, func);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

uint64_t fz_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- untrusted buffers of the current call ---- */
static struct { unsigned char *p; size_t n; } ub[256];
static int nub;

void *fz_ualloc(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	if (nub < 256) {
		ub[nub].p = p;
		ub[nub++].n = n ? n : 1;
	}
	return p;
}

void fz_ufree_all(void)
{
	while (nub > 0)
		free(ub[--nub].p);
}

/* Non-zero if P lies in a buffer the driver passed: the implementation got
 * the caller's own memory instead of a trusted copy. */
int fz_in_caller(const void *p)
{
	for (int i = 0; i < nub; i++)
		if ((const unsigned char *)p >= ub[i].p && (const unsigned char *)p < ub[i].p + ub[i].n)
			return 1;
	return 0;
}

char *fz_ustr(size_t len)
{
	char *s;

	if (fz_rand() % 16 == 0)
		return NULL;
	s = fz_ualloc(len + 1);
	for (size_t i = 0; i < len; i++)
		s[i] = (char)('a' + fz_rand() % 26);
	s[len] = 0;
	return s;
}

/* N non-NUL bytes ending right before a PROT_NONE page */
char *fz_guard_string(size_t n)
{
	static unsigned char *m;
	long pg = sysconf(_SC_PAGESIZE);

	if (!m) {
		m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			perror("mmap");
			exit(2);
		}
		mprotect(m + pg, (size_t)pg, PROT_NONE);
	}
	if (n > (size_t)pg)
		n = (size_t)pg;
	memset(m + pg - n, 'g', n);
	return (char *)(m + pg - n);
}

/* 64 non-NUL bytes right below the first trusted page */
char *fz_below_trusted_string(void)
{
#ifdef __SANITIZE_ADDRESS__
	/* the 64 bytes below the trusted section may be another global's
	 * redzone: the string placed there is the caller's on purpose */
	__asan_unpoison_memory_region(fz_edge - 64, 64);
#endif
	memset(fz_edge - 64, 'b', 64);
	return (char *)(fz_edge - 64);
}

static int writable(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int w = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 && (uintptr_t)addr >= lo && (uintptr_t)addr < hi)
			w = perms[1] == 'w';
	}
	fclose(f);
	return w;
}

static unsigned char *find_edge(void)
{
	uintptr_t a = (uintptr_t)fz_secret & ~(uintptr_t)4095;

	while (a > 4096 && erim_overlaps_trusted((void *)(a - 1), 1))
		a -= 4096;
	if (a <= 4096 || !erim_overlaps_trusted((void *)a, 1) || !writable((void *)(a - 64)))
		return NULL;
	return (unsigned char *)a;
}

/* ---- the racing thread ---- */
static struct { unsigned char *p; size_t n; int str; uint64_t a, b; } rr[64];
static volatile int nrr, race_on, race_quit;
static volatile unsigned long race_seq, race_ack;

static void *racer(void *arg)
{
	uint64_t x = 0x1234567;

	(void)arg;
	while (!race_quit) {
		unsigned long s = race_seq;
		if (race_on && nrr) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			int i = (int)(x % (uint64_t)nrr);
			if (rr[i].str == 2) {      /* a length or pointer field: between two valid values */
				uint64_t v = (x >> 40) & 1 ? rr[i].a : rr[i].b;
				if (rr[i].n == 8)
					*(volatile uint64_t *)(void *)rr[i].p = v;
				else if (rr[i].n == 4)
					*(volatile uint32_t *)(void *)rr[i].p = (uint32_t)v;
				else if (rr[i].n == 2)
					*(volatile uint16_t *)(void *)rr[i].p = (uint16_t)v;
				else
					*(volatile uint8_t *)rr[i].p = (uint8_t)v;
			} else if (rr[i].n) {
				size_t j = (size_t)(x >> 20) % rr[i].n;
				if (rr[i].str)
					((volatile unsigned char *)rr[i].p)[j] = (x >> 40) & 1 ? 0 : 'r';
				else
					((volatile unsigned char *)rr[i].p)[j] = (unsigned char)(x >> 32);
			}
		}
		race_ack = s;
	}
	return NULL;
}

void fz_race_add(void *p, size_t n, int is_string)
{
	if (p && nrr < 64) {
		rr[nrr].p = p;
		rr[nrr].n = n;
		rr[nrr].str = is_string;
		nrr++;
	}
}

void fz_race_word(void *p, size_t n, uint64_t a, uint64_t b)
{
	if (p && nrr < 64) {
		rr[nrr].p = p;
		rr[nrr].n = n;
		rr[nrr].str = 2;
		rr[nrr].a = a;
		rr[nrr].b = b;
		nrr++;
	}
}

void fz_race_go(void)
{
	fz_quiet_checks = 1;
	race_on = 1;
}

void fz_race_stop(void)
{
	race_on = 0;
	race_seq++;
	while (race_ack != race_seq)
		;
	nrr = 0;
	fz_quiet_checks = 0;
}

/* ---- hostile calls, each in a forked child ---- */
void fz_hostile_returned(const char *func, int impl_ran, int got_error_value)
{
	if (!in_child)
		return;
	if (cur_expect == 2)
		fz_finding("not-stopped", func, "hostile call returned normally (implementation %s)", impl_ran ? "ran" : "did not run");
	else if ((cur_expect == 0 || cur_expect == 3) && impl_ran)
		fz_finding("hostile-accepted", func, "the implementation ran on refused arguments");
	else if ((cur_expect == 0 || cur_expect == 3) && cur_has_error && !got_error_value)
		fz_finding("refusal-value", func, "refused, but the gate did not return the error() value");
}

static void run_hostile(const struct fz_func *f, int hv)
{
	int pfd[2], st = 0;
	static char out[65536];
	ssize_t n, got = 0;
	pid_t pid;
	const struct fz_hostile *h = &f->hostile[hv];
	char needle[256];

	if (h->needs_isolation && !fz_regions)
		return;
	fflush(stdout);
	if (pipe(pfd) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		in_child = 1;
		cur_expect = h->expect;
		cur_has_error = f->has_error;
		int rc = f->call(1, hv);
		fflush(stdout);
		_exit(rc == -1 ? 77 : 0);
	}
	close(pfd[1]);
	while (got < (ssize_t)sizeof out - 1 && (n = read(pfd[0], out + got, sizeof out - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = 0;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		return;         /* not applicable to the arguments drawn */
	fz_hostile_calls++;
	snprintf(needle, sizeof needle, "erim: %s.", fz_iface);
	for (char *l = out; l && *l; ) {
		char *e = strchr(l, '\n');
		if (strncmp(l, "FZ-FINDING", 10) == 0) {
			fz_findings++;
			printf("%.*s [hostile: %s]\n", (int)(e ? e - l : (long)strlen(l)), l, h->what);
		}
		l = e ? e + 1 : NULL;
	}
	if (strstr(out, "Sanitizer") || strstr(out, "runtime error:")) {
		char *s = strstr(out, "SUMMARY:");
		if (!s)
			s = strstr(out, "runtime error:");
		fz_finding("sanitizer", f->name, "hostile call (%s): %.*s", h->what, (int)strcspn(s, "\n"), s);
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	if (!strstr(out, needle)) {
		fz_finding("crash", f->name, "hostile call (%s) died without erim's message (status %#x): %.200s", h->what, st, out);
		return;
	}
	if (h->expect == 0 && f->has_error && strstr(out, needle) && !strstr(out, "untrusted function"))
		fz_finding("fatal-despite-error", f->name, "hostile call (%s) stopped the process although error() is declared: %.200s",
		           h->what, out);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	int racing = argc > 3 ? atoi(argv[3]) : 10;
	pthread_t t;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rng ^= seed * 0x9E3779B97F4A7C15ull;
	if (!rng)
		rng = 1;
	rc = erim_init(NULL);
	if (rc != 0) {
		printf("FZ-ERROR erim_init: %s (%s)\n", strerror(-rc), erim_strerror());
		return 2;
	}
	fz_regions = erim_overlaps_trusted(fz_secret, 1);
	fz_edge = fz_regions ? find_edge() : NULL;
	/* copies must land in trusted memory -- unless the heap is the ASan shim */
	fz_isolating = fz_regions && !fz_heap_shim;
	printf("FZ-BACKEND %s regions=%d isolating=%d edge=%d\n", erim_backend_name(erim_backend()), fz_regions, fz_isolating, fz_edge != NULL);
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < fz_nfuncs; i++)
			if (fz_funcs[i].is_public)
				fz_funcs[i].call(0, 0);
	for (int i = 0; i < fz_nfuncs; i++)
		for (int hv = 0; hv < fz_funcs[i].nhostile; hv++) {
			run_hostile(&fz_funcs[i], hv);
			fz_cb_mode = 0;
		}
	if (racing > 0 && pthread_create(&t, NULL, racer, NULL) == 0) {
		for (int i = 0; i < fz_nfuncs; i++)
			for (int k = 0; fz_funcs[i].is_public && k < racing; k++) {
				fz_funcs[i].call(2, 0);
				fz_racing_calls++;
			}
		race_quit = 1;
		pthread_join(t, NULL);
	}
	printf("FZ-STATS iface=%s calls=%lu hostile=%lu racing=%lu findings=%lu\n", fz_iface, fz_calls,
	       fz_hostile_calls, fz_racing_calls, fz_findings);
	return fz_findings ? 1 : 0;
}
