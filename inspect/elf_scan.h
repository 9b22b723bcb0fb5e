/* SPDX-License-Identifier: MIT */
/* elf_scan.h: scan ELF files for WRPKRU/XRSTOR with libelf, for erim-inspect
 * and the ELF fuzzer.  Executables and shared objects: the file bytes of every
 * executable PT_LOAD segment, rounded out to whole pages as the loader maps
 * them, and text relocations (unsafe: the loader rewrites code); relocatable objects (.o): every SHF_EXECINSTR
 * section.  Every offset and size read from the file is checked against the
 * file's size, so hostile or truncated files give an error, never a crash. */
#ifndef ERIM_ELF_SCAN_H
#define ERIM_ELF_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "scan.h"

struct elf_scan_hit {
	uint64_t fileoff;          /* offset of the 0F byte in the file */
	uint64_t vaddr;            /* its virtual address (section offset in a .o) */
	enum scan_kind kind;
	enum scan_class cls;
	const char *section;       /* "" when unknown */
	const char *symbol;        /* NULL when no symbol precedes it */
	uint64_t symoff;
	const char *known;         /* a known deliberate site (inspect.h): why; else NULL */
};

typedef int (*elf_scan_fn)(const struct elf_scan_hit *h, void *arg);

struct elf_scan_result {
	const char *type;          /* "exec", "dyn", "rel" */
	size_t regions;            /* segments or sections scanned */
	uint64_t bytes;
	size_t hits, unsafe;       /* unsafe excludes known sites; counts a text relocation */
	int textrel;               /* DT_TEXTREL/DF_TEXTREL: the loader writes into code */
};

enum {
	ELF_SCAN_OK = 0,
	ELF_SCAN_NOT_ELF = 1,      /* not an ELF object (skipped) */
	ELF_SCAN_ERROR = -1,       /* ERR holds the reason */
};

/* Scan the file open on FD (NAME for messages).  Calls FN for each hit. */
int elf_scan_fd(int fd, const char *name, elf_scan_fn fn, void *arg,
                struct elf_scan_result *res, char *err, size_t errlen);

/* The same over an in-memory image (the fuzzer). */
int elf_scan_mem(const void *data, size_t size, const char *name, elf_scan_fn fn,
                 void *arg, struct elf_scan_result *res, char *err, size_t errlen);

#endif /* ERIM_ELF_SCAN_H */
