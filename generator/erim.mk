# SPDX-License-Identifier: MIT
# erim.mk: make rules that turn .erim interfaces into C, for projects built
# with automake (or plain GNU make).  erimgen writes three files per
# interface file FOO.erim: FOO_erim.h (untrusted side), FOO_trusted.h
# (trusted side) and FOO_gates.c (gates and marshallers), plus a make-style
# dependency file FOO.erim.d listing every .erim it imports, which is
# included below so that editing an import regenerates the code.
# erimgen names its outputs after the INTERFACE, so name FOO.erim after the
# interface it declares (interface FOO { ... };) for these rules to apply.
#
# (Simpler with automake: erim.am, which lets Makefile.am list foo.erim as a
# source -- see erimgen(1), BUILD SYSTEMS.  This file is for plain GNU make
# and for projects that name the generated files themselves.)
#
# automake (configure.ac calls ERIM_PROG_ERIMGEN from erim.m4):
#
#     @ERIM_MK_INCLUDE@
#     bin_PROGRAMS = app
#     app_SOURCES = app.c trusted.c
#     nodist_app_SOURCES = foo_gates.c foo_erim.h foo_trusted.h
#     app_CFLAGS = $(ERIM_CFLAGS)
#     app_LDADD = $(ERIM_LIBS)
#     app_LDFLAGS = $(ERIM_LDFLAGS)      (page-aligns ERIM_TRUSTED globals)
#     BUILT_SOURCES = foo_erim.h foo_trusted.h
#     CLEANFILES = foo_gates.c foo_erim.h foo_trusted.h foo.erim.d
#     EXTRA_DIST = foo.erim
#
# automake does not know the .erim suffix, so the generated files are named
# explicitly: nodist_*_SOURCES makes automake compile and link the gates,
# BUILT_SOURCES makes the headers exist before any C file that includes them
# is compiled.  Plain GNU make: include $(shell pkg-config --variable=
# erimdatadir erim)/erim.mk, set ERIMGEN (pkg-config --variable=erimgen
# erim), list the same files, and link programs that define ERIM_TRUSTED
# globals with -Wl,-T,<erimdatadir>/erim_trusted.ld.
#
# Variables: ERIMGEN (the compiler; configure substitutes it), ERIMGEN_FLAGS
# (extra options, e.g. --interpose or -Werror).
#
# With --split-ocalls in ERIMGEN_FLAGS erimgen also writes FOO_ocalls.c (the
# proxies trusted code calls to reach untrusted functions), which is then
# listed with FOO_gates.c; for one interface only, set it for its files:
#     $(FOO_GEN): ERIMGEN_FLAGS += --split-ocalls

ERIMGEN ?= erimgen
ERIMGEN_FLAGS ?=

# ---- trusted closures (erim-trusted-link(1)) ----------------------------------
# FOO_closure.$(OBJEXT) is made from libFOO_trusted.a (the trusted sources,
# e.g. an automake noinst_LIBRARIES) and the static libraries they call,
# FOO_TRUSTED_LIBS, with the options FOO_TRUSTED_LINK_FLAGS (--gates, --stub,
# --allow): one object whose library state is trusted memory and whose
# imports are checked.  Link it instead of the trusted sources:
#
#     noinst_LIBRARIES = libapp_trusted.a
#     libapp_trusted_a_SOURCES = trusted.c
#     libapp_trusted_a_CFLAGS = $(ERIM_CFLAGS) $(SODIUM_CFLAGS)
#     app_SOURCES = app.c
#     nodist_app_SOURCES = foo_gates.c foo_erim.h foo_trusted.h
#     app_LDADD = app_closure.$(OBJEXT) $(ERIM_LIBS) $(SODIUM_LIBS)
#     app_TRUSTED_LIBS = /usr/lib/x86_64-linux-gnu/libsodium.a
#     app_TRUSTED_LINK_FLAGS = --gates foo_gates.$(OBJEXT)
#     app_closure.$(OBJEXT): foo_gates.$(OBJEXT) $(app_TRUSTED_LIBS)
#     CLEANFILES = app_closure.$(OBJEXT)
#
# (the last rule line only adds prerequisites; the recipe is below).  The
# variables are named after the closure's file name without its directory
# (sub/app_closure.o reads app_TRUSTED_LIBS).
# ERIM_TRUSTED_LINK: the command (configure substitutes it, ERIM_PROG_ERIMGEN).
ERIM_TRUSTED_LINK ?= erim-trusted-link
OBJEXT ?= o
%_closure.$(OBJEXT): lib%_trusted.a
	$(AM_V_GEN)CC='$(CC)' $(ERIM_TRUSTED_LINK) -o $@ $($(notdir $*)_TRUSTED_LINK_FLAGS) --trusted $< $($(notdir $*)_TRUSTED_LIBS)

# One run of erimgen makes all the files (a grouped pattern rule; FOO_ocalls.c
# only under --split-ocalls, and only a program that lists it needs it).  The
# outputs go next to the target, so this works in VPATH builds and for
# interfaces in subdirectories.
%_gates.c %_ocalls.c %_erim.h %_trusted.h: %.erim
	$(AM_V_GEN)$(ERIMGEN) $(ERIMGEN_FLAGS) --depfile $*.erim.d -o $(@D) $<

-include $(wildcard *.erim.d */*.erim.d)
