# SPDX-License-Identifier: MIT
# erim.m4: autoconf macros for projects that build programs with erim (the
# .erim interface compiler erimgen and the runtime liberim).  Installed into
# $(datadir)/aclocal, so aclocal finds it like pkg.m4.
#
#   ERIM_PROG_ERIMGEN([MIN-VERSION], [ACTION-IF-NOT-FOUND])
#   ERIM_INIT([MIN-VERSION])   (below: for .erim files listed as sources,
#                               with the erim.am fragment erimize copies)
#
# Finds erim through pkg-config (erim.pc): sets and substitutes ERIM_CFLAGS
# and ERIM_LIBS (compile and link flags for liberim), ERIMGEN (the erimgen
# the installed erim.pc names in its `erimgen' variable; a user's ERIMGEN=
# overrides it), ERIM_LDFLAGS (-Wl,-T,.../erim_trusted.ld: the linker script
# that page-aligns trusted globals; every program or library that defines
# ERIM_TRUSTED variables must be linked with it), ERIM_MK (the installed
# automake/make fragment erim.mk) and ERIM_MK_INCLUDE ("include ERIM_MK"),
# which a Makefile.am pulls in with the line @ERIM_MK_INCLUDE@ (automake
# passes it through; make includes the fragment), and ERIM_TRUSTED_LINK
# (erim-trusted-link, next to erimgen: erim.mk's trusted-closure rule).  The default ACTION-IF-NOT-FOUND stops configure with a message
# saying how to point pkg-config at an erim installation.
#
# Serial numbers let aclocal pick the newest copy when several are installed.
# serial 4

AC_DEFUN([ERIM_PROG_ERIMGEN],
[AC_REQUIRE([PKG_PROG_PKG_CONFIG])dnl
AC_ARG_VAR([ERIMGEN], [the erimgen interface compiler (default: from erim.pc)])dnl
AC_ARG_VAR([ERIM_TRUSTED_LINK], [erim's trusted-closure link step (default: next to erimgen)])dnl
erim_m4_found=yes
PKG_CHECK_MODULES([ERIM], [erim >= m4_default([$1], [0.1])], [], [erim_m4_found=no])
AS_IF([test "x$erim_m4_found" = xyes], [
  AC_MSG_CHECKING([for erimgen])
  AS_IF([test -z "$ERIMGEN"], [ERIMGEN=`$PKG_CONFIG --variable=erimgen erim`])
  AS_IF([test -n "$ERIMGEN" && test -x "$ERIMGEN"],
        [AC_MSG_RESULT([$ERIMGEN])],
        [AC_MSG_RESULT([no (erim.pc names '$ERIMGEN')])
         erim_m4_found=no])
])
AS_IF([test "x$erim_m4_found" = xyes], [
  AC_MSG_CHECKING([for erim-trusted-link])
  AS_IF([test -z "$ERIM_TRUSTED_LINK"], [ERIM_TRUSTED_LINK=`AS_DIRNAME(["$ERIMGEN"])`/erim-trusted-link])
  AS_IF([test -x "$ERIM_TRUSTED_LINK"], [AC_MSG_RESULT([$ERIM_TRUSTED_LINK])],
        [AC_MSG_RESULT([no (an erim older than erim-trusted-link)])])
  erim_m4_datadir=`$PKG_CONFIG --variable=erimdatadir erim`
  AC_MSG_CHECKING([for erim.mk])
  ERIM_MK=$erim_m4_datadir/erim.mk
  AS_IF([test -r "$ERIM_MK"],
        [AC_MSG_RESULT([$ERIM_MK])],
        [AC_MSG_RESULT([no ($ERIM_MK)])
         erim_m4_found=no])
  AC_MSG_CHECKING([for the trusted-globals linker script])
  AS_IF([test -r "$erim_m4_datadir/erim_trusted.ld"],
        [ERIM_LDFLAGS="-Wl,-T,$erim_m4_datadir/erim_trusted.ld"
         AC_MSG_RESULT([$erim_m4_datadir/erim_trusted.ld])],
        [ERIM_LDFLAGS=
         AC_MSG_RESULT([none (this erim needs none)])])
])
AS_IF([test "x$erim_m4_found" = xyes],
      [ERIM_MK_INCLUDE="include $ERIM_MK"],
      [ERIM_MK_INCLUDE=
       m4_default([$2], [AC_MSG_ERROR([erim m4_default([$1], [0.1]) or newer not found: install erim (make install), and if it is not under /usr or /usr/local, run configure with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig])])])
AC_SUBST([ERIMGEN])dnl
AC_SUBST([ERIM_LDFLAGS])dnl
AC_SUBST([ERIM_MK])dnl
AC_SUBST([ERIM_MK_INCLUDE])dnl
m4_ifdef([AM_SUBST_NOTMAKE], [AM_SUBST_NOTMAKE([ERIM_MK_INCLUDE])])dnl
])

# ERIM_INIT([MIN-VERSION])
#
# For projects that list .erim files as sources (the erim.am fragment that
# `erimize' copies into the tree, included from Makefile.am; ERIM_INIT runs
# erimize itself at autoreconf time when it is in PATH or named by $ERIMIZE,
# like autoreconf runs libtoolize).  Runs
# ERIM_PROG_ERIMGEN, checks that the project has erim.am, and -- after every
# configure test, so they are unaffected -- adds erim's flags to the
# Makefiles' defaults: $(ERIM_CFLAGS) to CPPFLAGS, $(ERIM_LDFLAGS) (the
# trusted-globals linker script) to LDFLAGS, $(ERIM_LIBS) and
# $(ERIM_WRAP_FLAGS) (the -Wl,--wrap flags of interposed interfaces in that
# directory, from erim.am) to LIBS.
AC_DEFUN([ERIM_INIT],
[dnl At autoreconf time (whenever m4 reads configure.ac): erimize copies
dnl erim.am into the tree, or replaces an older serial; $ERIMIZE, else the
dnl erimize in PATH.  Without one, the user runs erimize by hand.
m4_esyscmd([erimize=${ERIMIZE:-erimize}; if command -v "$erimize" >/dev/null 2>&1; then "$erimize" --quiet >&2; fi])dnl
AC_REQUIRE([AC_PROG_CC])dnl
ERIM_PROG_ERIMGEN([$1])
AS_IF([test -r "$srcdir/erim.am"], [],
      [AC_MSG_ERROR([$srcdir/erim.am is missing: run erimize (from erim) in the source tree, or autoreconf -fi with erim's bindir in PATH])])
AC_CONFIG_COMMANDS_PRE([CPPFLAGS="$CPPFLAGS \$(ERIM_CFLAGS)"
LDFLAGS="$LDFLAGS \$(ERIM_LDFLAGS)"
LIBS="\$(ERIM_LIBS) \$(ERIM_WRAP_FLAGS) $LIBS"])dnl
])
