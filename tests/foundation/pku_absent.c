/* SPDX-License-Identifier: MIT */
/* pku_absent.c: in a guest started with -cpu max,-pku, protection keys must be
 * reported absent everywhere: CPUID, pkey_alloc, erim_pku_available(). */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"
#include "erim_check.h"

TEST(cpuid_reports_no_pku) { CHECK(!erim_cpu_has_pku(), "CPUID reports PKU+OSPKE"); }

TEST(pkey_alloc_fails)
{
	long key = syscall(SYS_pkey_alloc, 0UL, 0UL);
	CHECK(key < 0, "pkey_alloc returned key %ld", key);
}

TEST(runtime_reports_unavailable) { CHECK(!erim_pku_available(), "erim_pku_available() says yes"); }

int main(void)
{
	RUN(cpuid_reports_no_pku);
	RUN(pkey_alloc_fails);
	RUN(runtime_reports_unavailable);
	return check_done("pku_absent");
}
