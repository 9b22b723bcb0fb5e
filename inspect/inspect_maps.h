/* SPDX-License-Identifier: MIT */
/* inspect_maps.h: reading a process's executable mappings from
 * /proc/PID/maps, shared by in-process inspection (PID "self") and
 * `erim-inspect --pid`.  Uses open/read only (no stdio), so it can run at
 * erim_init. */
#ifndef ERIM_INSPECT_MAPS_H
#define ERIM_INSPECT_MAPS_H

#include <stddef.h>
#include <stdint.h>

struct inspect_map {
	uint64_t start, end;
	unsigned prot;          /* PROT_READ | PROT_WRITE | PROT_EXEC */
	int private_;           /* 'p' (copy on write) rather than 's' */
	uint64_t offset;        /* file offset of START */
	char path[256];         /* file, "[vdso]", "[stack]", "" for anonymous */
};

/* Read the mappings of PID ("self" when PID <= 0) whose permissions include
 * execute.  *OUT receives a malloc'ed array the caller frees; returns the
 * number of entries or -errno. */
long inspect_maps_exec(int pid, struct inspect_map **out);

/* The protection key of this process's mapping that starts at START, from
 * /proc/self/smaps: the key, -ENOENT when smaps shows no keys (a kernel or
 * CPU without protection keys) or no such mapping, -EPROTO on a line it
 * cannot read, or -errno. */
int inspect_map_pkey(uint64_t start);

/* Read LEN bytes at ADDR of process PID ("self" if <= 0) through
 * /proc/PID/mem into BUF (ignores page protections).  0 or -errno. */
int inspect_mem_read(int memfd, uint64_t addr, void *buf, size_t len);

/* Open /proc/PID/mem read-only ("self" if PID <= 0); fd or -errno. */
int inspect_mem_open(int pid);

#endif /* ERIM_INSPECT_MAPS_H */
