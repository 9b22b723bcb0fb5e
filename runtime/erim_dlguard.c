/* SPDX-License-Identifier: MIT */
/* erim_dlguard.c: modules with trusted globals loaded after erim_init are
 * refused, fail closed.
 *
 * erim_init tags the ERIM_TRUSTED section of every module loaded at that
 * point.  A module dlopened later would bring trusted globals that nobody
 * tags, so untrusted code could read whatever trusted code stores there.
 * Tagging them late cannot be made safe in general (the module's
 * constructors and any thread of the process have run with the pages
 * untagged), so liberim.so interposes dlopen and dlmopen: after the real call
 * returns, and before the caller gets the handle, every loaded module is
 * looked at again (erim__globals_find) and any trusted section that is not in
 * the range registry stops the process with a message naming the module.
 * Scanning all modules, not only the new one, also catches a module that
 * untrusted code loaded behind this wrapper's back, at the next dlopen.
 *
 * Nothing else: the objects' PLT stubs are left as ld.so made them (trusted
 * code never runs them; erim_plt.c says why liberim writes no code page after
 * erim_init).  The check reads ld.so's link map, which untrusted code can
 * write: it stops honest mistakes (a module linked with trusted globals), not
 * an attacker, who gains nothing by hiding such a module -- its globals are
 * untagged, untrusted memory either way, and trusted code never uses them.
 *
 * Shared library only (see runtime/local.am): a static program has no
 * interposable dlopen; there a module with trusted globals must be loaded
 * before erim_init (documented limit). */
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <stdint.h>

#include "erim_internal.h"

typedef void *(*dlopen_fn)(const char *, int);
typedef void *(*dlmopen_fn)(Lmid_t, const char *, int);

static void check_after_load(const char *file)
{
	struct erim_grange g[16];
	char err[256];
	size_t n = 0;
	int r;

	if (!erim_initialized())
		return;
	err[0] = 0;
	r = erim__globals_find(g, sizeof g / sizeof g[0], &n, err, sizeof err);
	if (r < 0)
		erim__fatal("erim: dlopen(%s) after erim_init refused: %s\n",
		            file ? file : "NULL", err[0] ? err : "cannot inspect the loaded modules");
	for (size_t i = 0; i < n; i++)
		if (!erim_overlaps_trusted((const void *)g[i].start, g[i].end - g[i].start))
			erim__fatal("erim: dlopen(%s) after erim_init refused: %s has trusted "
			            "globals (section erim_trusted, %p-%p) that erim can no longer "
			            "protect; link the module or dlopen it before erim_init\n",
			            file ? file : "NULL", g[i].module, (void *)g[i].start,
			            (void *)g[i].end);
}

void *dlopen(const char *file, int mode)
{
	dlopen_fn real = (dlopen_fn)dlsym(RTLD_NEXT, "dlopen");
	void *h;

	if (!real)
		erim__fatal("erim: cannot find the C library's dlopen\n");
	h = real(file, mode);
	if (h)
		check_after_load(file);
	return h;
}

void *dlmopen(Lmid_t lmid, const char *file, int mode)
{
	dlmopen_fn real = (dlmopen_fn)dlsym(RTLD_NEXT, "dlmopen");
	void *h;

	if (!real)
		erim__fatal("erim: cannot find the C library's dlmopen\n");
	h = real(lmid, file, mode);
	if (h)
		check_after_load(file);
	return h;
}
