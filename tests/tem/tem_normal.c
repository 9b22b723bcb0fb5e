/* SPDX-License-Identifier: MIT */
/* tem_normal.c: ordinary programs run unchanged under erim-tem: one that
 * dlopens a clean library (libm) after registering, JIT-compiles clean code,
 * starts threads and forks.  Also pins the registration protocol: the first
 * registration wins and a second one is refused.  Run both with and without
 * erim-tem (the argument says which is expected). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erim_check.h"
#include "tem_proto.h"

static int expect_tem;
static const char *libm = "libm.so.6";
static long first_reply;

static long do_register(void)
{
	static struct tem_registration reg;

	memset(&reg, 0, sizeof reg);
	reg.version = TEM_VERSION;
	reg.pkey = -1;
	return syscall(TEM_NR_REGISTER, TEM_MAGIC, &reg, sizeof reg);
}

TEST(registration_answer_says_where_we_run)
{
	if (expect_tem)
		CHECK(first_reply == TEM_REPLY, "reply %ld", first_reply);
	else
		CHECK(first_reply == -1, "reply %ld without erim-tem", first_reply);
}

TEST(second_registration_is_refused)
{
	long r = do_register();

	if (!expect_tem)
		SKIP("only meaningful under erim-tem");
	CHECK(r == -1 && errno == EPERM, "second registration returned %ld (%s)", r, strerror(errno));
}

TEST(dlopen_of_a_clean_library_works)
{
	void *h = dlopen(libm, RTLD_NOW | RTLD_LOCAL);
	double (*fn)(double);

	CHECK(h != NULL, "dlopen(%s): %s", libm, dlerror());
	if (!h)
		return;
	*(void **)&fn = dlsym(h, "sqrt");
	CHECK(fn && fn(81.0) == 9.0, "sqrt(81) from the dlopened libm");
	dlclose(h);
}

TEST(clean_jit_code_is_granted_and_runs)
{
	static const unsigned char code[] = { 0xb8, 0x07, 0x00, 0x00, 0x00, 0xc3 };
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap");
	if (p == MAP_FAILED)
		return;
	memcpy(p, code, sizeof code);
	CHECK(mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0, "mprotect(RX): %s", strerror(errno));
	CHECK(((int (*)(void))(void *)p)() == 7, "the JIT code returned the wrong value");
	CHECK(mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0, "mprotect back to RW: %s", strerror(errno));
	munmap(p, 4096);
}

static void *worker(void *arg)
{
	return (void *)((long)arg * 2);
}

TEST(threads_and_fork_work)
{
	pthread_t th[4];
	long i, sum = 0;
	int st;
	pid_t pid;

	for (i = 0; i < 4; i++)
		CHECK(pthread_create(&th[i], NULL, worker, (void *)i) == 0, "pthread_create");
	for (i = 0; i < 4; i++) {
		void *r;

		pthread_join(th[i], &r);
		sum += (long)r;
	}
	CHECK(sum == 12, "threads returned %ld", sum);
	pid = fork();
	if (pid == 0)
		_exit(42);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "forked child's status");
}

/* Opens and JIT grants hold the other threads stopped while they are
 * judged: many of them at once from several threads must neither deadlock
 * nor fail. */
static void *busy(void *arg)
{
	static const unsigned char code[] = { 0xb8, 0x05, 0x00, 0x00, 0x00, 0xc3 };
	long i, bad = 0;

	(void)arg;
	for (i = 0; i < 50; i++) {
		unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int fd = open("/dev/null", O_RDONLY);

		if (fd < 0)
			bad++;
		else
			close(fd);
		if (p == MAP_FAILED) {
			bad++;
			continue;
		}
		memcpy(p, code, sizeof code);
		if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0 || ((int (*)(void))(void *)p)() != 5)
			bad++;
		munmap(p, 4096);
	}
	return (void *)bad;
}

TEST(concurrent_opens_and_jit_grants_work)
{
	pthread_t th[4];
	long i, bad = 0;

	for (i = 0; i < 4; i++)
		CHECK(pthread_create(&th[i], NULL, busy, NULL) == 0, "pthread_create");
	for (i = 0; i < 4; i++) {
		void *r;

		pthread_join(th[i], &r);
		bad += (long)r;
	}
	CHECK(bad == 0, "%ld opens or grants failed", bad);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--under-tem") == 0)
			expect_tem = 1;
		else if (strcmp(argv[i], "--lib") == 0 && i + 1 < argc)
			libm = argv[++i];   /* the VM guest has libm only where we put it */
	}
	first_reply = do_register();
	RUN(registration_answer_says_where_we_run);
	RUN(second_registration_is_refused);
	RUN(dlopen_of_a_clean_library_works);
	RUN(clean_jit_code_is_granted_and_runs);
	RUN(threads_and_fork_work);
	RUN(concurrent_opens_and_jit_grants_work);
	return check_done(expect_tem ? "tem_normal_under_tem" : "tem_normal_without_tem");
}
