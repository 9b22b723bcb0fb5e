/* SPDX-License-Identifier: MIT */
/* erim_pthread_dyn.c: liberim.so only (and a dynamic program that links
 * liberim.a: bench/gate_roundtrip) -- the C library's pthread_create for
 * erim_sigstack.c's interposer, which calls __pthread_create_2_1: glibc's
 * own in a static link, this function where the link says
 * --defsym,__pthread_create_2_1=erim__pthread_create_dyn (the shared C
 * library does not export that name).  Built as a plain PIC object and handed
 * to the shared link alone, like erim_dlguard.c: a static program would pull
 * dlopen in. */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>

#include "erim_internal.h"

typedef int (*pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

int erim__pthread_create_dyn(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *),
                             void *arg) ERIM_HIDDEN;
int erim__pthread_create_dyn(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	static pthread_create_fn real;

	/* the C library's own, by its handle: RTLD_NEXT would find a
	 * sanitizer's interceptor again when the sanitizer intercepts dlsym
	 * (AddressSanitizer does), which then wrapped the thread twice */
	if (!real) {
		void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);

		if (libc)
			real = (pthread_create_fn)dlsym(libc, "pthread_create");
	}
	if (!real)
		real = (pthread_create_fn)dlsym(RTLD_NEXT, "pthread_create");
	if (!real)
		erim__fatal("erim: cannot find the C library's pthread_create\n");
	return real(t, a, fn, arg);
}
