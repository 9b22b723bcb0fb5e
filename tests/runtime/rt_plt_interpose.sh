#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_plt_interpose.sh: erim_init resolves a lazy, writable PLT slot to the
# definition ld.so would bind -- also when that is an unversioned interposer
# (runtime/erim_plt.c, erim_plt_sym.c).  Real libraries, built here:
#   libertver.so     erim_t_bind@@ERIM_T_1 (a version script): returns 1
#   libertuse.so     erim_t_use() calls erim_t_bind@ERIM_T_1 through a lazy
#                    PLT slot outside RELRO (partial RELRO: -z relro -z lazy)
#   libertinterp.so  erim_t_bind without a version (no version script; it
#                    has version information for its libc references, which
#                    is what made dlvsym skip it): returns 2
# The program calls erim_t_use() after erim_init (none and mprotect back
# ends), with and without LD_PRELOAD=libertinterp.so.
# Controls: without erim_init, ld.so itself binds the interposer (2) and
# says so under LD_DEBUG=bindings; with erim_init, ld.so binds nothing
# (erim_init resolved the slot and retargeted the stub), so the answer is
# erim_plt's; without the interposer the versioned definition (1) is bound.
. "$srcdir/lib/sh_check.sh"
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null; then
	sh_skip "all" "no C compiler ($cc) to build the test libraries"
	sh_done rt_plt_interpose
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-interpose.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
rt="$top_builddir/runtime/.libs"

printf 'int erim_t_bind(void);\nint erim_t_bind(void) { return 1; }\n' >"$tmp/ver.c"
printf 'ERIM_T_1 { global: erim_t_bind; local: *; };\n' >"$tmp/ver.map"
printf 'int erim_t_bind(void);\nint erim_t_use(void);\nint erim_t_use(void) { return erim_t_bind(); }\n' >"$tmp/use.c"
printf '#include <unistd.h>\nint erim_t_bind(void);\nint erim_t_bind(void) { return getpid() > 0 ? 2 : 0; }\n' >"$tmp/interp.c"
cat >"$tmp/main.c" <<'EOF2'
#include <stdio.h>
#include <string.h>
#include "erim.h"
int erim_t_use(void);
int main(int argc, char **argv)
{
	struct erim_config c = { 0 };

	if (argc > 1 && strcmp(argv[1], "plain") != 0) {
		c.backend = strcmp(argv[1], "mprotect") == 0 ? ERIM_BACKEND_MPROTECT : ERIM_BACKEND_NONE;
		c.quiet = 1;
		if (erim_init(&c) != 0) {
			fprintf(stderr, "erim_init: %s\n", erim_strerror());
			return 2;
		}
	}
	printf("bound to %d\n", erim_t_use());
	return 0;
}
EOF2
build() {
	(cd "$tmp" &&
	 $cc -shared -fPIC -Wl,--version-script=ver.map -Wl,-soname,libertver.so -o libertver.so ver.c &&
	 $cc -shared -fPIC -Wl,-z,relro -Wl,-z,lazy -Wl,-soname,libertuse.so -o libertuse.so use.c \
		-L. -lertver -Wl,-rpath,"$tmp" &&
	 $cc -shared -fPIC -Wl,-soname,libertinterp.so -o libertinterp.so interp.c &&
	 $cc -o main main.c -I"$top_srcdir/runtime" -L. -lertuse -lertver -L"$rt" -lerim \
		-Wl,-rpath,"$tmp":"$rt")
}
sh_check "the test libraries and program build" build
# the premise: the reference is versioned, the interposer's definition not
sh_check "libertuse.so references erim_t_bind@ERIM_T_1" \
	sh -c 'readelf -W --dyn-syms "$0/libertuse.so" | grep -q "erim_t_bind@ERIM_T_1"' "$tmp"
sh_check "libertinterp.so has version information, erim_t_bind without a version" \
	sh -c 'readelf -W -V "$0/libertinterp.so" | grep -q "section .\.gnu\.version. contains" &&
	       readelf -W --dyn-syms "$0/libertinterp.so" | grep -E "FUNC .* erim_t_bind$"' "$tmp"

run() {  # run EXPECTED ARG [ENV...]: the program's answer must be EXPECTED
	want=$1 arg=$2; shift 2
	out=$(env -u LD_BIND_NOW "$@" "$tmp/main" "$arg" 2>&1 | tail -n 1)
	[ "$out" = "bound to $want" ] || { echo "    got: $out"; return 1; }
}
ldso_bound() {  # ldso_bound ARG YES|NO: the interposer's answer, and ld.so's
	# own binding line for erim_t_bind present (YES) or absent (NO)
	out=$(env -u LD_BIND_NOW LD_PRELOAD="$tmp/libertinterp.so" LD_DEBUG=bindings \
		"$tmp/main" "$1" 2>&1)
	echo "$out" | grep -qx "bound to 2" || { echo "$out" | tail -n 3; return 1; }
	line=$(echo "$out" | grep "binding file [^ ]*/libertuse.so .*symbol .erim_t_bind'")
	echo "    ld.so: ${line:-no binding of erim_t_bind}"
	if [ "$2" = YES ]; then [ -n "$line" ]; else [ -z "$line" ]; fi
}
export ERIM_QUIET=1
sh_check "control: ld.so alone binds the interposer" run 2 plain LD_PRELOAD="$tmp/libertinterp.so"
sh_check "control: ld.so alone, no interposer: the versioned definition" run 1 plain
sh_check "control: ld.so did that binding itself (LD_DEBUG=bindings)" ldso_bound plain YES
for be in none mprotect; do
	sh_check "$be: no interposer: erim_init binds the versioned definition" run 1 "$be"
	sh_check "$be: erim_init binds the unversioned interposer, as ld.so" \
		run 2 "$be" LD_PRELOAD="$tmp/libertinterp.so"
	sh_check "$be: the binding is erim_init's (ld.so bound nothing)" ldso_bound "$be" NO
done
sh_done rt_plt_interpose
