/* SPDX-License-Identifier: MIT */
/* test_elf_hostile.c: the ELF reader (inspect/elf_scan.c) on hostile and
 * broken files: truncated at every length, program headers and sections
 * pointing outside the file, huge counts, wrapping offsets, random byte flips.
 * Each must give a clean error (or a clean scan), never a crash or a read
 * outside the image -- run it under --enable-asan to make the latter loud.
 * The image is copied into an exact-size heap buffer, so any over-read past
 * the file is an over-read of that buffer. */
#include "config.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_scan.h"
#include "erim_check.h"

static int count_hit(const struct elf_scan_hit *h, void *arg)
{
	(*(size_t *)arg)++;
	(void)h;
	return 0;
}

/* Scan a copy of IMG[0..N) that ends exactly at the heap block's end. */
static int scan_copy(const uint8_t *img, size_t n, size_t *hits, char *err, size_t errlen)
{
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy) {
		CHECK(0, "out of memory for a %zu-byte copy", n);
		return -1;
	}
	memcpy(copy, img, n);
	struct elf_scan_result res;
	size_t h = 0;
	int rc = elf_scan_mem(copy, n, "hostile", count_hit, &h, &res, err, errlen);
	free(copy);
	if (hits)
		*hits = h;
	return rc;
}

/* The ELF header both builders share: x86-64, little-endian, TYPE, PHNUM
 * program headers right after it. */
static Elf64_Ehdr *init_ehdr(uint8_t *b, uint16_t type, uint16_t phnum)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;

	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = type;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_phoff = sizeof *e;
	e->e_ehsize = sizeof *e;
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = phnum;
	return e;
}

/* A minimal executable: ELF header, one PT_LOAD R+X covering the file, and
 * 64 bytes of "code" with a WRPKRU in it. */
#define CODE_OFF (sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr))
static size_t build_exec(uint8_t *b)
{
	size_t n = CODE_OFF + 64;
	memset(b, 0, n);
	Elf64_Ehdr *e = init_ehdr(b, ET_EXEC, 1);
	e->e_entry = 0x400000 + CODE_OFF;
	e->e_shentsize = sizeof(Elf64_Shdr);
	Elf64_Phdr *p = (Elf64_Phdr *)(b + sizeof *e);
	p->p_type = PT_LOAD;
	p->p_flags = PF_R | PF_X;
	p->p_offset = 0;
	p->p_vaddr = p->p_paddr = 0x400000;
	p->p_filesz = p->p_memsz = n;
	p->p_align = 0x1000;
	memset(b + CODE_OFF, 0x90, 64);
	memcpy(b + CODE_OFF + 10, "\x0f\x01\xef", 3);
	return n;
}

static void test_minimal_executable_scanned_with_its_one_wrpkru(void)
{
	uint8_t b[512];
	char err[256];
	size_t n = build_exec(b), hits;
	EXPECT(scan_copy(b, n, &hits, err, sizeof err) == ELF_SCAN_OK);
	EXPECT(hits == 1);
}

static void test_truncated_executable_at_every_length_is_an_error_not_a_crash(void)
{
	uint8_t b[512];
	char err[256];
	size_t n = build_exec(b);
	for (size_t len = 0; len < n; len++) {
		int rc = scan_copy(b, len, NULL, err, sizeof err);
		EXPECT(rc == ELF_SCAN_ERROR || rc == ELF_SCAN_NOT_ELF);
		if (len >= CODE_OFF && rc == ELF_SCAN_ERROR)
			EXPECT(strstr(err, "outside the file") != NULL);
	}
}

static void test_bogus_program_headers_give_errors(void)
{
	uint8_t b[512];
	char err[256];
	size_t n;
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;
	Elf64_Phdr *p = (Elf64_Phdr *)(b + sizeof *e);

	n = build_exec(b);
	e->e_phoff = 0xffffffff00ull;
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);

	n = build_exec(b);
	e->e_phnum = 0xffff;           /* huge count */
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);

	n = build_exec(b);
	e->e_phnum = PN_XNUM;          /* extended count, but no section 0 to hold it */
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);

	n = build_exec(b);
	p->p_offset = 0x100000;        /* segment beyond EOF */
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);
	EXPECT(strstr(err, "outside the file") != NULL);

	n = build_exec(b);
	p->p_filesz = 0x7fffffffffffffffull;   /* huge size */
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);

	n = build_exec(b);
	p->p_offset = 0xffffffffffffff00ull;   /* offset + size wraps */
	p->p_filesz = 0x200;
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);

	n = build_exec(b);
	p->p_vaddr = 0xffffffffffffffc0ull;    /* address wraps */
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);

	n = build_exec(b);
	e->e_shoff = 0xfffffffffff0ull;        /* bogus section table: only names are lost */
	e->e_shnum = 0xffff;
	e->e_shstrndx = 0x1234;
	int rc = scan_copy(b, n, NULL, err, sizeof err);
	EXPECT(rc == ELF_SCAN_OK || rc == ELF_SCAN_ERROR);

	n = build_exec(b);
	e->e_machine = EM_AARCH64;
	EXPECT(scan_copy(b, n, NULL, err, sizeof err) == ELF_SCAN_ERROR);
}

/* What the loader makes executable is whole pages: bytes after p_filesz in
 * the segment's last page are scanned (red team 21, insp_tail). */
static void test_bytes_after_filesz_in_the_segments_last_page_are_scanned(void)
{
	uint8_t b[512];
	char err[256];
	size_t n = build_exec(b), hits;
	Elf64_Phdr *p = (Elf64_Phdr *)(b + sizeof(Elf64_Ehdr));

	p->p_filesz = p->p_memsz = CODE_OFF + 8;   /* the WRPKRU at +10 lies after it */
	EXPECT(scan_copy(b, n, &hits, err, sizeof err) == ELF_SCAN_OK);
	EXPECT(hits == 1);
}

/* An executable whose PT_DYNAMIC holds TAG (VAL), then DT_NULL; no WRPKRU. */
static size_t build_dyn(uint8_t *b, int64_t tag, uint64_t val)
{
	size_t phoff = sizeof(Elf64_Ehdr), code = phoff + 2 * sizeof(Elf64_Phdr), dyn = code + 64;
	size_t n = dyn + 2 * sizeof(Elf64_Dyn);
	Elf64_Phdr *p = (Elf64_Phdr *)(b + phoff);
	Elf64_Dyn d[2] = { { tag, { val } }, { DT_NULL, { 0 } } };

	memset(b, 0, n);
	init_ehdr(b, ET_DYN, 2);
	p[0].p_type = PT_LOAD;
	p[0].p_flags = PF_R | PF_X;
	p[0].p_filesz = p[0].p_memsz = n;
	p[0].p_align = 0x1000;
	p[1].p_type = PT_DYNAMIC;
	p[1].p_flags = PF_R;
	p[1].p_offset = p[1].p_vaddr = dyn;
	p[1].p_filesz = p[1].p_memsz = sizeof d;
	memset(b + code, 0x90, 64);
	memcpy(b + dyn, d, sizeof d);
	return n;
}

static int scan_res(const uint8_t *img, size_t n, struct elf_scan_result *res, char *err, size_t errlen)
{
	size_t h = 0;

	return elf_scan_mem(img, n, "dyn", count_hit, &h, res, err, errlen);
}

/* Text relocations: the loader writes into code at load time (red team 21,
 * insp_textrel: 0F 01 00 completed to WRPKRU; RET), so the file's bytes
 * are not what runs: unsafe, by DT_TEXTREL or DF_TEXTREL; the control
 * (DT_FLAGS without DF_TEXTREL) is clean. */
static void test_text_relocations_are_unsafe(void)
{
	uint8_t b[512];
	char err[256];
	struct elf_scan_result res;
	size_t n;

	n = build_dyn(b, DT_TEXTREL, 0);
	EXPECT(scan_res(b, n, &res, err, sizeof err) == ELF_SCAN_OK);
	EXPECT(res.textrel == 1 && res.unsafe == 1 && res.hits == 0);
	n = build_dyn(b, DT_FLAGS, DF_TEXTREL | DF_BIND_NOW);
	EXPECT(scan_res(b, n, &res, err, sizeof err) == ELF_SCAN_OK);
	EXPECT(res.textrel == 1 && res.unsafe == 1);
	n = build_dyn(b, DT_FLAGS, DF_BIND_NOW);
	EXPECT(scan_res(b, n, &res, err, sizeof err) == ELF_SCAN_OK);
	EXPECT(res.textrel == 0 && res.unsafe == 0);
	n = build_dyn(b, DT_TEXTREL, 0);
	((Elf64_Phdr *)(b + sizeof(Elf64_Ehdr)))[1].p_offset = 0x100000;   /* dynamic beyond EOF */
	EXPECT(scan_res(b, n, &res, err, sizeof err) == ELF_SCAN_ERROR);
	EXPECT(strstr(err, "dynamic segment") != NULL);
}

static uint8_t *read_file(const char *path, size_t *n)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct stat st;
	uint8_t *b = NULL;
	if (fstat(fd, &st) == 0 && (b = malloc((size_t)st.st_size)) != NULL &&
	    read(fd, b, (size_t)st.st_size) != st.st_size) {
		free(b);
		b = NULL;
	}
	*n = b ? (size_t)st.st_size : 0;
	close(fd);
	return b;
}

static const char *crafted_obj(void)
{
	static char path[4096];
	const char *bd = getenv("builddir");
	snprintf(path, sizeof path, "%s/inspect/crafted_obj.o", bd ? bd : ".");
	return path;
}

static void test_relocatable_with_bogus_sections_gives_errors(void)
{
	size_t n, hits;
	char err[256];
	uint8_t *o = read_file(crafted_obj(), &n);
	if (!o)
		SKIP("inspect/crafted_obj.o not built (run from make check)");
	EXPECT(scan_copy(o, n, &hits, err, sizeof err) == ELF_SCAN_OK);
	EXPECT(hits == 17);
	Elf64_Ehdr *e = (Elf64_Ehdr *)o;
	for (unsigned i = 1; i < e->e_shnum; i++) {
		Elf64_Shdr *sh = (Elf64_Shdr *)(o + e->e_shoff + i * sizeof(Elf64_Shdr));
		Elf64_Shdr keep = *sh;
		sh->sh_offset = n + 1;           /* beyond EOF */
		int rc = scan_copy(o, n, NULL, err, sizeof err);
		EXPECT(rc == ELF_SCAN_OK || rc == ELF_SCAN_ERROR);
		if (keep.sh_flags & SHF_EXECINSTR && keep.sh_size)
			EXPECT(rc == ELF_SCAN_ERROR);
		*sh = keep;
		sh->sh_size = 0xfffffffffffff000ull;
		rc = scan_copy(o, n, NULL, err, sizeof err);
		EXPECT(rc == ELF_SCAN_OK || rc == ELF_SCAN_ERROR);
		*sh = keep;
		sh->sh_name = 0xffffff;          /* name outside the string table */
		rc = scan_copy(o, n, NULL, err, sizeof err);
		EXPECT(rc == ELF_SCAN_OK || rc == ELF_SCAN_ERROR);
		*sh = keep;
		sh->sh_link = 0xffff;            /* symbol table linking nowhere */
		rc = scan_copy(o, n, NULL, err, sizeof err);
		EXPECT(rc == ELF_SCAN_OK || rc == ELF_SCAN_ERROR);
		*sh = keep;
	}
	e->e_shstrndx = 0xfff0;          /* no section names: still scanned or a clean error */
	int rc = scan_copy(o, n, NULL, err, sizeof err);
	EXPECT(rc == ELF_SCAN_OK || rc == ELF_SCAN_ERROR);
	free(o);
}

static void test_random_byte_flips_never_crash(void)
{
	size_t n;
	char err[256];
	uint8_t *o = read_file(crafted_obj(), &n);
	if (!o)
		SKIP("inspect/crafted_obj.o not built (run from make check)");
	uint8_t *m = malloc(n);
	REQUIRE(m != NULL);
	srand(4242);
	int ok = 0, bad = 0;
	for (int round = 0; round < 3000; round++) {
		memcpy(m, o, n);
		int flips = 1 + rand() % 8;
		for (int k = 0; k < flips; k++) {
			/* mostly the headers, where offsets and counts live */
			size_t at = (rand() % 4) ? (size_t)rand() % 64 : (size_t)rand() % n;
			if (rand() % 2) {
				size_t sh = ((Elf64_Ehdr *)o)->e_shoff;
				if (sh < n)
					at = sh + (size_t)rand() % (n - sh);
			}
			m[at] = (uint8_t)rand();
		}
		int rc = scan_copy(m, n, NULL, err, sizeof err);
		if (rc == ELF_SCAN_OK)
			ok++;
		else
			bad++;
	}
	EXPECT(ok + bad == 3000);
	free(m);
	free(o);
}

int main(void)
{
	RUN(test_minimal_executable_scanned_with_its_one_wrpkru);
	RUN(test_truncated_executable_at_every_length_is_an_error_not_a_crash);
	RUN(test_bogus_program_headers_give_errors);
	RUN(test_relocatable_with_bogus_sections_gives_errors);
	RUN(test_random_byte_flips_never_crash);
	RUN(test_bytes_after_filesz_in_the_segments_last_page_are_scanned);
	RUN(test_text_relocations_are_unsafe);
	return check_done("test_elf_hostile");
}
