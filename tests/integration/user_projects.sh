#!/bin/sh
# SPDX-License-Identifier: MIT
# user_projects.sh: erim in its users' build systems.  This tree is installed
# with `make install DESTDIR=...` into a staging directory, and two small
# out-of-tree user projects (tests/integration/proj: a trusted global, a .erim
# importing another, an interposed library function) are built against it --
# one with automake (erimize + ERIM_INIT + `include erim.am`, .erim files
# listed in app_SOURCES), one with CMake (find_package(erim CONFIG),
# erim_add_interface).  Each program must work under `none' and `mprotect',
# its trusted globals must be readable without protection (control) and
# stopped under mprotect, and after an edit of the imported common.erim the
# build must rebuild exactly what depends on it.  The automake project's own
# `make distcheck' must pass (VPATH build from the tarball, read-only sources,
# nothing left after distclean).
set -u
top_builddir=${top_builddir:?}
srcdir=${srcdir:?}
. "$srcdir/lib/sh_check.sh"
proj=$srcdir/integration/proj
suite=user_projects
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-users.XXXXXX") || exit 99
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# A nested make must not inherit the running `make check''s command line.
unset MAKEFLAGS MFLAGS MAKELEVEL
stage=$tmp/stage
echo "--- make install DESTDIR=$stage"
# flock: examples/install_and_build.sh also runs `make install' in this build
# tree; two makes there at once could both regenerate an out-of-date Makefile
if ! flock "$top_builddir/tests/.make-install.lock" make -C "$top_builddir" install DESTDIR="$stage" >"$tmp/install.log" 2>&1; then
	tail -n 30 "$tmp/install.log"; sh_fail make_install; sh_done "$suite"
fi
cfgprefix=$(sed -n 's/^prefix=//p' "$top_builddir/runtime/erim.pc")
prefix=$stage$cfgprefix
for f in bin/erimize share/erim/erim.am share/aclocal/erim.m4 lib/cmake/erim/erimConfig.cmake \
         lib/cmake/erim/erimConfigVersion.cmake lib/cmake/erim/erimGenerate.cmake; do
	if [ -e "$prefix/$f" ]; then sh_pass "installs_$f"; else sh_fail "installs_$f" "missing"; fi
done

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export PKG_CONFIG="pkg-config --define-prefix"
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export ERIM_QUIET=1
libs=$($PKG_CONFIG --libs erim 2>/dev/null)
case $libs in *"-L$prefix/lib"*-lerim*) sh_pass pkg_config_still_gives_liberim ;;
*) sh_fail pkg_config_still_gives_liberim "got '$libs'" ;; esac

# copy the shared sources and one build system's files into DIR
mkproject() {
	mkdir -p "$1"
	cp "$proj"/*.c "$proj"/*.h "$proj"/*.erim "$proj/$2"/* "$1/"
}

# run_checks KIND APP: the program under both back ends
run_checks() {
	kind=$1 app=$2
	for be in none mprotect; do
		out=$(ERIM_BACKEND=$be "$app" run 2>"$tmp/err")
		sh_check "${kind}_app_works_under_$be" [ "$out" = "total=42 pin_ok=1 pin_bad=0" ]
		[ "$out" = "total=42 pin_ok=1 pin_bad=0" ] || { echo "  got: $out"; cat "$tmp/err"; }
	done
	# control: without protection untrusted code reads the trusted globals
	out=$(ERIM_BACKEND=none "$app" peek 2>&1)
	sh_check "${kind}_control_peek_reads_trusted_globals_under_none" [ "$out" = "peek: total=0 pin=4711" ]
	# (in an inner shell that waits for it, so the shell's own "Segmentation
	# fault" report is captured too)
	out=$(ERIM_BACKEND=mprotect sh -c '"$0" peek; exit $?' "$app" 2>&1); rc=$?
	if [ $rc -ne 0 ] && ! echo "$out" | grep -q 'pin=4711' && echo "$out" | grep -q 'violation'; then
		sh_pass "${kind}_peek_stopped_under_mprotect"
	else
		sh_fail "${kind}_peek_stopped_under_mprotect" "rc=$rc out=$out"
	fi
	# pin_check ran through the generated gate (__wrap_pin_check)
	sh_check "${kind}_pin_check_is_interposed" sh -c "nm '$app' | grep -q ' T __wrap_pin_check\$'"
}

# rebuilt_set DIR FILE...: the FILEs (relative to DIR) newer than $tmp/mark
rebuilt_set() {
	d=$1; shift
	for f in "$@"; do [ "$d/$f" -nt "$tmp/mark" ] && printf '%s ' "$f"; done
}

# edit_import SRCDIR: change the imported interface (a new struct member)
edit_import() {
	sleep 1
	sed -i 's/int32_t b; }/int32_t b; int32_t c; }/' "$1/common.erim"
}

# ---------------------------------------------------------------- automake
am_src=$tmp/am/src am_build=$tmp/am/build
mkproject "$am_src" am
mkdir -p "$am_build"
echo "--- automake project: erimize, autoreconf, VPATH configure and make"
# erimize by hand: copies erim.am, a second run leaves it alone
mkdir -p "$tmp/erimize"
if (cd "$tmp/erimize" && "$prefix/bin/erimize" && "$prefix/bin/erimize") >"$tmp/erimize.log" 2>&1 &&
   cmp -s "$tmp/erimize/erim.am" "$prefix/share/erim/erim.am" && grep -q 'is up to date' "$tmp/erimize.log"; then
	sh_pass erimize_copies_erim_am_once
else
	cat "$tmp/erimize.log"; sh_fail erimize_copies_erim_am_once
fi
# autoreconf alone: ERIM_INIT runs the erimize in PATH at autoreconf time
if (cd "$am_src" && PATH="$prefix/bin:$PATH" ACLOCAL_PATH="$prefix/share/aclocal" autoreconf -fi) >"$tmp/autoreconf.log" 2>&1 &&
   [ -f "$am_src/erim.am" ]; then
	sh_pass am_autoreconf_installs_erim_am_with_Wall_Werror
else
	cat "$tmp/autoreconf.log"; sh_fail am_autoreconf_installs_erim_am_with_Wall_Werror; sh_done "$suite"
fi
if (cd "$am_build" && "$am_src/configure") >"$tmp/configure.log" 2>&1; then
	sh_pass am_configure_finds_erim
else
	tail -n 20 "$tmp/configure.log"; sh_fail am_configure_finds_erim; sh_done "$suite"
fi
if make -C "$am_build" -j2 >"$tmp/make.log" 2>&1; then
	sh_pass am_make_j2_vpath_build
else
	tail -n 30 "$tmp/make.log"; sh_fail am_make_j2_vpath_build; sh_done "$suite"
fi
# a first build that names one program (no BUILT_SOURCES pass): the headers
# must still come first and the --wrap flags still reach the link
mkdir -p "$tmp/am/build2"
if (cd "$tmp/am/build2" && "$am_src/configure" >/dev/null 2>&1 && make -j2 app) >"$tmp/make-app.log" 2>&1 &&
   [ "$(ERIM_BACKEND=mprotect "$tmp/am/build2/app" run 2>&1)" = "total=42 pin_ok=1 pin_bad=0" ]; then
	sh_pass am_fresh_make_app_orders_headers_and_wraps
else
	tail -n 30 "$tmp/make-app.log"; sh_fail am_fresh_make_app_orders_headers_and_wraps
fi
sh_check am_headers_named_after_the_erim_files test -f "$am_build/counter_erim.h" -a -f "$am_build/pin_trusted.h"
run_checks am "$am_build/app"

am_files="app counter.o pin.o app.o trusted.o pinlib.o counter_erim.h counter_trusted.h pin_erim.h pin_trusted.h"
touch "$tmp/mark"
make -C "$am_build" >"$tmp/make2.log" 2>&1
got=$(rebuilt_set "$am_build" $am_files)
sh_check am_second_make_rebuilds_nothing [ -z "$got" ]
[ -z "$got" ] || echo "  rebuilt: $got"
edit_import "$am_src"
if make -C "$am_build" >"$tmp/make3.log" 2>&1; then
	got=$(rebuilt_set "$am_build" $am_files)
	want="app counter.o app.o trusted.o counter_erim.h counter_trusted.h "
	sh_check am_import_edit_rebuilds_exactly_its_dependents [ "$got" = "$want" ]
	[ "$got" = "$want" ] || echo "  rebuilt: '$got', expected: '$want'"
	sh_check am_import_edit_reaches_the_header grep -q 'int32_t c;' "$am_build/counter_erim.h"
else
	tail -n 30 "$tmp/make3.log"; sh_fail am_import_edit_rebuilds_exactly_its_dependents "make failed"
fi
out=$(ERIM_BACKEND=mprotect "$am_build/app" run 2>&1)
sh_check am_app_works_after_rebuild [ "$out" = "total=42 pin_ok=1 pin_bad=0" ]
# erim.am makes one object per interface: --split-ocalls (two C files) is
# refused with a message, leaving no object and nothing of its run behind
rm -f "$am_build/counter.o"
if ! make -C "$am_build" ERIMGEN_FLAGS=--split-ocalls counter.o >"$tmp/make-split.log" 2>&1 &&
   grep -q 'counter.erim: erim.am compiles one gates file per .erim into one object: drop --split-ocalls' "$tmp/make-split.log" &&
   [ ! -e "$am_build/counter.o" ] && [ ! -e "$am_build/counter.erim-t" ]; then
	sh_pass am_split_ocalls_refused
else
	tail -n 20 "$tmp/make-split.log"; sh_fail am_split_ocalls_refused
fi
make -C "$am_build" >"$tmp/make4.log" 2>&1
sh_check am_builds_again_without_split_ocalls test -f "$am_build/counter.o"

echo "--- automake project: make distcheck"
if make -C "$am_build" distcheck >"$tmp/distcheck.log" 2>&1; then
	sh_pass am_make_distcheck
else
	tail -n 40 "$tmp/distcheck.log"; sh_fail am_make_distcheck
fi
tarball=$am_build/erim-am-user-1.0.tar.gz
if [ -f "$tarball" ] && tar tzf "$tarball" | grep -q '/common\.erim$' && tar tzf "$tarball" | grep -q '/erim\.am$'; then
	sh_pass am_dist_has_imported_erim_and_fragment
else
	sh_fail am_dist_has_imported_erim_and_fragment
fi
make -C "$am_build" clean >/dev/null 2>&1
left=$(cd "$am_build" && ls -- *_erim.h *_trusted.h *.erim.d *.o 2>/dev/null)
sh_check am_make_clean_removes_generated_files [ -z "$left" ]

# ------------------------------------------------------------------- CMake
if ! command -v cmake >/dev/null 2>&1; then
	sh_skip cmake_project "cmake is not installed (tools/install-deps installs it)"
	sh_done "$suite"
fi
# cmake_project GENERATOR TAG
cmake_project() {
	gen=$1 tag=$2
	cm_src=$tmp/$tag/src cm_build=$tmp/$tag/build
	mkproject "$cm_src" cmake
	echo "--- CMake project ($gen)"
	if cmake -G "$gen" -S "$cm_src" -B "$cm_build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/$tag.cfg.log" 2>&1; then
		sh_pass "${tag}_find_package_erim_config"
	else
		cat "$tmp/$tag.cfg.log"; sh_fail "${tag}_find_package_erim_config"; return
	fi
	if cmake --build "$cm_build" -j 2 >"$tmp/$tag.build.log" 2>&1; then
		sh_pass "${tag}_build"
	else
		tail -n 30 "$tmp/$tag.build.log"; sh_fail "${tag}_build"; return
	fi
	sh_check "${tag}_links_the_trusted_section_script" \
		grep -rqs -- "-Wl,-T,$prefix/share/erim/erim_trusted.ld" "$cm_build/CMakeFiles" "$cm_build/build.ninja"
	run_checks "$tag" "$cm_build/app"
	# counter.erim is added with SPLIT_OCALLS: its ocalls file is written
	# (named after the .erim, including the renamed headers) and compiled
	sh_check "${tag}_split_ocalls_file_compiled" test -f "$cm_build/CMakeFiles/app.dir/counter_ocalls.c.o"
	sh_check "${tag}_split_ocalls_file_includes_the_stem_headers" \
		grep -q '#include "counter_trusted.h"' "$cm_build/counter_ocalls.c"
	o=CMakeFiles/app.dir
	l=CMakeFiles/pinlib.dir
	files="app $o/app.c.o $o/trusted.c.o $l/pinlib.c.o $o/counter_gates.c.o $l/pin_gates.c.o libpinlib.a counter_erim.h counter_trusted.h pin_erim.h"
	touch "$tmp/mark"
	cmake --build "$cm_build" >"$tmp/$tag.build2.log" 2>&1
	got=$(rebuilt_set "$cm_build" $files)
	sh_check "${tag}_second_build_rebuilds_nothing" [ -z "$got" ]
	[ -z "$got" ] || echo "  rebuilt: $got"
	edit_import "$cm_src"
	if cmake --build "$cm_build" >"$tmp/$tag.build3.log" 2>&1; then
		got=$(rebuilt_set "$cm_build" $files)
		want="app $o/app.c.o $o/trusted.c.o $o/counter_gates.c.o counter_erim.h counter_trusted.h "
		sh_check "${tag}_import_edit_rebuilds_exactly_its_dependents" [ "$got" = "$want" ]
		[ "$got" = "$want" ] || echo "  rebuilt: '$got', expected: '$want'"
	else
		tail -n 30 "$tmp/$tag.build3.log"; sh_fail "${tag}_import_edit_rebuilds_exactly_its_dependents" "build failed"
	fi
	out=$(ERIM_BACKEND=mprotect "$cm_build/app" run 2>&1)
	sh_check "${tag}_app_works_after_rebuild" [ "$out" = "total=42 pin_ok=1 pin_bad=0" ]
}
# fail closed: the outputs are named after the file, so a file declaring two
# interfaces is refused with a message, and nothing is written
mkdir -p "$tmp/two"
printf 'interface one {\n    trusted { public int f1(void); };\n};\ninterface two {\n    trusted { public int f2(void); };\n};\n' >"$tmp/two/both.erim"
out=$(cmake -DERIMGEN="$prefix/bin/erimgen" -DSRC="$tmp/two/both.erim" -DOUT="$tmp/two" -DSTEM=both \
	-P "$prefix/lib/cmake/erim/erimGenerate.cmake" 2>&1); rc=$?
flat=$(echo "$out" | tr '\n' ' ' | tr -s ' ')   # CMake wraps its messages
if [ $rc -ne 0 ] && echo "$flat" | grep -q 'exactly one interface per .erim file (found 2)' &&
   [ "$(ls "$tmp/two")" = "both.erim" ]; then
	sh_pass cmake_two_interfaces_in_one_file_refused
else
	sh_fail cmake_two_interfaces_in_one_file_refused "rc=$rc out=$out"
fi
cmake_project "Unix Makefiles" cmake
# erim_add_trusted_closure: the same project with trusted.c linked as a
# trusted closure (erim-trusted-link); app.c's peek names counter_total, so
# it is kept global (--keep), and still stopped under mprotect
echo "--- CMake project with erim_add_trusted_closure"
cc_src=$tmp/closure/src cc_build=$tmp/closure/build
mkproject "$cc_src" cmake
cat >"$cc_src/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.21)
project(erim_cmake_closure C)
find_package(erim 0.1 CONFIG REQUIRED)
add_library(pinlib STATIC pinlib.c)
erim_add_interface(pinlib pin.erim INTERPOSE OPTIONS -Werror)
add_executable(app app.c)
target_link_libraries(app PRIVATE pinlib erim::erim)
erim_add_interface(app counter.erim)
erim_add_trusted_closure(app SOURCES trusted.c INTERFACES counter.erim OPTIONS --keep counter_total)
EOF
if cmake -S "$cc_src" -B "$cc_build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/closure.cfg.log" 2>&1 &&
   cmake --build "$cc_build" -j 2 >"$tmp/closure.build.log" 2>&1; then
	sh_pass cmake_closure_build
	run_checks cmake_closure "$cc_build/app"
	sh_check cmake_closure_object_exports_only_impl_and_kept \
		sh -c "nm -g --defined-only '$cc_build/app_closure.o' | awk '{ print \$3 }' | sort | tr '\\n' ' ' | grep -qx 'counter_add_impl counter_get_impl counter_total '"
else
	tail -n 30 "$tmp/closure.cfg.log" "$tmp/closure.build.log"; sh_fail cmake_closure_build
fi
if command -v ninja >/dev/null 2>&1; then
	cmake_project Ninja cmake_ninja
else
	sh_skip cmake_ninja "ninja is not installed (optional: the Makefile generator is tested)"
fi
sh_done "$suite"
