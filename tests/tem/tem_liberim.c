/* SPDX-License-Identifier: MIT */
/* tem_liberim.c: liberim and erim-tem together.  erim_init() registers the
 * trusted ranges and key with erim-tem (runtime/tem_client.c), so a second
 * registration is refused; gate calls keep working under erim-tem with every
 * back end (the mprotect back end's own mprotect calls on trusted ranges are
 * let through, the mpk back end's are judged by PKRU); and untrusted code
 * cannot reach an ERIM_TRUSTED global through /proc/self/mem, munmap or
 * pkey_mprotect.  Execute-only code made by start-up is inspected by
 * erim_init under erim-tem too (made readable for the scan: no memory file
 * for start-up code) and stays execute-only.  Modes: --under-tem, --without (a notice, init succeeds),
 * --require-without (ERIM_REQUIRE=tem set by the caller: init fails closed). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_check.h"
#include "tem_proto.h"

static ERIM_TRUSTED volatile long secret = 0x5ec7e7;
static unsigned id_get;
static int mode;   /* 0 under, 1 without, 2 require-without */
static int ready;

static long e_get(void *p)
{
	(void)p;
	return secret;
}

static void *secret_page(void)
{
	return (void *)((uintptr_t)&secret & ~(uintptr_t)4095);
}

/* a page of code (RET) made execute-only by start-up code */
static void *xonly_page(void)
{
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0xc3, 4096);
	return mprotect(p, 4096, PROT_EXEC) == 0 ? p : NULL;
}

/* the permissions /proc/self/maps shows at P ("" if none) */
static void perms_at(const void *p, char out[5])
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;

	out[0] = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, out) == 3 && lo <= (uintptr_t)p && (uintptr_t)p < hi)
			break;
		else
			out[0] = 0;
	if (f)
		fclose(f);
}

TEST(init_result_matches_where_we_run)
{
	void *xo = xonly_page();
	int rc = erim_init(NULL);
	char perms[5];

	if (mode == 2) {
		CHECK(rc == -ENOTSUP, "erim_init with ERIM_REQUIRE=tem outside erim-tem returned %d (%s)", rc, erim_strerror());
		return;
	}
	CHECK(rc == 0, "erim_init: %d (%s)", rc, erim_strerror());
	ready = rc == 0;
	perms_at(xo, perms);
	CHECK(xo && strcmp(perms, "--xp") == 0, "start-up's execute-only page %p is %s after erim_init", xo,
	      perms[0] ? perms : "gone");
	if (xo && strcmp(perms, "--xp") == 0)
		((void (*)(void))xo)();
}

TEST(erim_init_made_the_registration)
{
	struct tem_registration reg;
	long r;

	if (mode == 2)
		SKIP("init failed on purpose");
	memset(&reg, 0, sizeof reg);
	reg.version = TEM_VERSION;
	r = syscall(TEM_NR_REGISTER, TEM_MAGIC, &reg, sizeof reg);
	if (mode == 0)
		CHECK(r == -1 && errno == EPERM, "a late registration returned %ld (%s)", r, strerror(errno));
	else
		CHECK(r == -1 && errno == ENOSYS, "without erim-tem the call returned %ld", r);
}

TEST(gate_calls_work)
{
	if (!ready)
		SKIP("erim_init did not succeed");
	CHECK(erim_gate_call(id_get, NULL) == 0x5ec7e7, "the entry did not read the secret");
}

TEST(untrusted_cannot_write_trusted_global_through_proc_self_mem)
{
	long evil = 0x0bad;
	int fd;

	if (!ready || mode != 0)
		SKIP("needs erim-tem");
	fd = open("/proc/self/mem", O_RDWR);
	CHECK(fd < 0 && errno == EPERM, "open(/proc/self/mem) by untrusted code: fd %d", fd);
	if (fd >= 0) {
		if (pwrite(fd, &evil, sizeof evil, (off_t)(uintptr_t)&secret) > 0)
			CHECK(0, "wrote the trusted global");
		close(fd);
	}
	CHECK(erim_gate_call(id_get, NULL) == 0x5ec7e7, "the secret changed");
}

TEST(untrusted_cannot_unmap_or_rekey_trusted_memory)
{
	if (!ready || mode != 0)
		SKIP("needs erim-tem");
	CHECK(munmap(secret_page(), 4096) != 0 && errno == EPERM, "munmap of a trusted page");
	CHECK(madvise(secret_page(), 4096, MADV_DONTNEED) != 0 && errno == EPERM, "madvise(DONTNEED) of a trusted page");
	if (erim_pkey() > 0)
		CHECK(syscall(SYS_pkey_mprotect, secret_page(), 4096, PROT_READ | PROT_WRITE, 0) != 0 && errno == EPERM,
		      "pkey_mprotect of a trusted page to key 0");
	CHECK(erim_gate_call(id_get, NULL) == 0x5ec7e7, "the secret changed");
}

/* Under erim-tem the trusted ranges and the read-only page are frozen (with
 * or without a key), so erim_fini could never finish: it refuses with -EPERM
 * before anything changed, whatever the back end.  Without erim-tem it
 * succeeds and the trusted global is wiped (the entry, now a direct call,
 * reads zero). */
TEST(erim_fini_is_refused_under_tem_and_changes_nothing)
{
	int r, keyed = erim_pkey() > 0;

	if (!ready)
		SKIP("erim_init did not succeed");
	r = erim_fini();
	if (mode == 0) {
		CHECK(r == -EPERM, "erim_fini under erim-tem (%s) returned %d (%s)",
		      keyed ? "mpk" : "no key", r, erim_strerror());
		CHECK(erim_initialized(), "the refused erim_fini left the runtime uninitialised");
		CHECK(erim_gate_call(id_get, NULL) == 0x5ec7e7, "the secret changed");
	} else {
		CHECK(r == 0, "erim_fini (without erim-tem, %s) returned %d (%s)",
		      keyed ? "mpk" : "no key", r, erim_strerror());
		CHECK(erim_gate_call(id_get, NULL) == 0, "the trusted global survived erim_fini");
	}
}

int main(int argc, char **argv)
{
	static const struct erim_entry tab[] = { { "tem", "get", e_get, ERIM_ENTRY_PUBLIC } };
	const char *name;

	mode = argc > 1 && strcmp(argv[1], "--without") == 0 ? 1
	     : argc > 1 && strcmp(argv[1], "--require-without") == 0 ? 2 : 0;
	name = mode == 0 ? "tem_liberim_under_tem" : mode == 1 ? "tem_liberim_without_tem" : "tem_liberim_require_tem";
	if (erim_register_entries(tab, 1, &id_get) != 0) {
		printf("%s: 0 passed, 1 failed, 0 skipped\n", name);
		return 1;
	}
	RUN(init_result_matches_where_we_run);
	RUN(erim_init_made_the_registration);
	RUN(gate_calls_work);
	RUN(untrusted_cannot_write_trusted_global_through_proc_self_mem);
	RUN(untrusted_cannot_unmap_or_rekey_trusted_memory);
	RUN(erim_fini_is_refused_under_tem_and_changes_nothing);
	return check_done(name);
}
