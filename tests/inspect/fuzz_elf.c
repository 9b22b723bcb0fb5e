/* SPDX-License-Identifier: MIT */
/* fuzz_elf.c: libFuzzer harness for the ELF reader (inspect/elf_scan.c):
 * any byte string, scanned as an ELF image, must give a result or a clean
 * error -- no crash, no read outside the image (AddressSanitizer).  The input
 * is copied into an exact-size heap block so an over-read is always caught. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_hit(const struct elf_scan_hit *h, void *arg)
{
	/* touch every field, so a bad pointer is dereferenced here */
	size_t *n = arg;
	*n += strlen(h->section) + (h->symbol ? strlen(h->symbol) : 0) + (size_t)h->kind;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	char err[512];
	size_t n = 0;
	struct elf_scan_result res;
	elf_scan_mem(copy, size, "fuzz", fuzz_hit, &n, &res, err, sizeof err);
	free(copy);
	return 0;
}
