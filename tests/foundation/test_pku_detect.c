/* SPDX-License-Identifier: MIT */
/* test_pku_detect.c: PKU detection agrees with the CPU and the kernel. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "erim.h"
#include "erim_arch.h"
#include "erim_check.h"

/* /proc/cpuinfo's "pku" flag is the kernel's view of the same CPUID bit. */
static int cpuinfo_has_flag(const char *flag)
{
	char line[8192];
	int found = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof line, f)) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		for (char *t = strtok(line, " \t\n"); t; t = strtok(NULL, " \t\n"))
			if (strcmp(t, flag) == 0)
				found = 1;
		break;
	}
	fclose(f);
	return found;
}

static void cpuid_agrees_with_cpuinfo(void)
{
	int flag = cpuinfo_has_flag("pku");

	if (flag < 0)
		SKIP("/proc/cpuinfo is not readable");
	EXPECT((erim_cpu_has_pku() != 0) == (flag != 0));
}

static void available_implies_pkey_alloc_works(void)
{
	long key = syscall(SYS_pkey_alloc, 0UL, 0UL);

	if (key >= 0)
		syscall(SYS_pkey_free, (unsigned long)key);
	EXPECT((erim_pku_available() != 0) == (key >= 0 && erim_cpu_has_pku()));
}

int main(void)
{
	RUN(cpuid_agrees_with_cpuinfo);
	RUN(available_implies_pkey_alloc_works);
	return check_done("pku_detect");
}
