/* SPDX-License-Identifier: MIT */
/* erim_globals.c: finding the trusted globals (ERIM_TRUSTED, section
 * "erim_trusted") of every loaded module -- the executable and each shared
 * object can have its own such section.
 *
 * Section headers are not mapped, so each module's ELF file is read (the
 * executable through /proc/self/exe).  The rule: the pages tagged with the
 * trusted key must hold nothing but trusted globals, so the section must start
 * and end on a page boundary, and no other allocated section may share one of
 * its pages.  Linking with erim_trusted.ld (-Wl,-T,erim_trusted.ld, an INSERT
 * script that page-aligns both ends) guarantees this; when a module breaks the
 * rule, erim_init fails closed and says which section shares which page. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erim_internal.h"

struct walk {
	struct erim_grange *out;
	size_t max, n;
	int err;
	char *msg;
	size_t msglen;
};

static int read_at(int fd, void *buf, size_t n, off_t off)
{
	ssize_t r = pread(fd, buf, n, off);

	return r == (ssize_t)n ? 0 : -1;
}

/* Look at one module; returns 0 or a negative errno (message in W). */
static int module(struct walk *w, const char *path, uintptr_t bias)
{
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL;
	char *names = NULL;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (!strchr(path, '/'))
			return 0;    /* the vDSO: no file, no trusted section */
		/* a module we cannot read might have trusted globals: fail closed */
		snprintf(w->msg, w->msglen, "cannot read %s to find its trusted globals: %s",
		         path, strerror(e));
		return -e;
	}
	if (read_at(fd, &eh, sizeof eh, 0) != 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    eh.e_shnum == 0 || eh.e_shstrndx >= eh.e_shnum)
		goto out;
	sh = calloc(eh.e_shnum, sizeof *sh);
	if (!sh || read_at(fd, sh, eh.e_shnum * sizeof *sh, (off_t)eh.e_shoff) != 0)
		goto out;
	names = calloc(1, sh[eh.e_shstrndx].sh_size + 1);
	if (!names || read_at(fd, names, sh[eh.e_shstrndx].sh_size,
	                      (off_t)sh[eh.e_shstrndx].sh_offset) != 0)
		goto out;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		uintptr_t s, e, ps, pe;

		if (sh[i].sh_name >= sh[eh.e_shstrndx].sh_size ||
		    strcmp(names + sh[i].sh_name, "erim_trusted") != 0 ||
		    !(sh[i].sh_flags & SHF_ALLOC) || sh[i].sh_size == 0)
			continue;
		s = bias + sh[i].sh_addr;
		e = s + sh[i].sh_size;
		ps = s & ~(ERIM_PAGE - 1);
		pe = (e + ERIM_PAGE - 1) & ~(ERIM_PAGE - 1);
		for (unsigned j = 0; j < eh.e_shnum; j++) {
			uintptr_t os, oe;

			if (j == i || !(sh[j].sh_flags & SHF_ALLOC) || (sh[j].sh_flags & SHF_TLS) ||
			    sh[j].sh_size == 0)
				continue;
			os = bias + sh[j].sh_addr;
			oe = os + sh[j].sh_size;
			if (os < pe && oe > ps) {
				snprintf(w->msg, w->msglen,
				         "trusted globals (section erim_trusted) of %s share a page "
				         "with section %s; link that module with -Wl,-T,erim_trusted.ld "
				         "so the section starts and ends on a page boundary",
				         path, sh[j].sh_name < sh[eh.e_shstrndx].sh_size
				                   ? names + sh[j].sh_name : "?");
				r = -EINVAL;
				goto out;
			}
		}
		if (w->n >= w->max) {
			snprintf(w->msg, w->msglen, "too many modules with trusted globals (max %zu)",
			         w->max);
			r = -ENOSPC;
			goto out;
		}
		w->out[w->n].start = ps;
		w->out[w->n].end = pe;
		snprintf(w->out[w->n].module, sizeof w->out[w->n].module, "%s", path);
		w->n++;
	}
out:
	free(names);
	free(sh);
	close(fd);
	return r;
}

static int each(struct dl_phdr_info *info, size_t size, void *data)
{
	struct walk *w = data;
	const char *path = info->dlpi_name;

	(void)size;
	if (!path || !*path)
		path = "/proc/self/exe";
	w->err = module(w, path, (uintptr_t)info->dlpi_addr);
	return w->err;
}

int erim__globals_find(struct erim_grange *out, size_t max, size_t *n, char *err, size_t errlen)
{
	struct walk w = { out, max, 0, 0, err, errlen };

	dl_iterate_phdr(each, &w);
	*n = w.n;
	return w.err;
}
