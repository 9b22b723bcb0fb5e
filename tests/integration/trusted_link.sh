#!/bin/sh
# SPDX-License-Identifier: MIT
# trusted_link.sh: erim-trusted-link (doc/erim-trusted-link.1), the link step
# that makes a trusted component and the static libraries it calls one
# "trusted closure" (doc/security.md, "library state").  Checks, on crafted
# trusted objects:
#  - libc's memcpy/memset/__memcpy_chk/malloc calls become erim_* calls;
#  - .data/.bss leave for erim_trusted, and in a linked program the closure's
#    variable lies inside the erim_trusted section, which erim_init tags: an
#    untrusted read of it is stopped under mprotect (control: under none the
#    same read works);
#  - every global but the *_impl functions becomes local;
#  - printf, qsort, stdio through an archive member, TLS, IFUNC and LTO are
#    refused with a message naming the symbol and the object or archive
#    member, a non-zero exit and no output file (a stale one is removed);
#  - controls: --allow printf lets the printf object through (the refusal is
#    the list's), --stub turns an import into a local stub that stops the
#    process when called;
#  - --report lists each import kept with its rule and reason (an allow
#    file's comments, built-in, --gates), each stub used or not, the command
#    line; a refused link leaves none;
#  - the keyvault example's closure: no writable section outside
#    erim_trusted, no global libsodium symbol, no libc string import.
. "$srcdir/lib/sh_check.sh"
for t in nm objcopy readelf ld; do
	command -v $t >/dev/null || { echo "trusted_link: skipped: $t (binutils) not installed"; exit 77; }
done
tool="$top_srcdir/tools/erim-trusted-link"
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-tlink-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cc_o() { $CC -O2 -fPIE -c -o "$tmp/$1.o" -x c - 2>"$tmp/$1.cc.err" || sh_abort trusted_link "cannot compile $1: $(cat "$tmp/$1.cc.err")"; }
tlink() { CC=$CC "$tool" "$@"; }

# ---- an acceptable trusted object: redirection, data, localization
cc_o good <<'EOF'
#include <stdlib.h>
#include <string.h>
int tl_state[64] = { 1 };               /* .data */
char tl_buf[4096];                      /* .bss */
void tl_helper(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void tl_clear(void *d, size_t n) { memset(d, 0, n); }
int tl_copy_impl(const char *s, size_t n)
{
	tl_helper(tl_buf, s, n);
	tl_clear(tl_buf + 2048, n);
	return tl_state[0] + tl_buf[0];
}
void *tl_alloc_impl(size_t n) { return malloc(n); }
void tl_free_impl(void *p) { free(p); }
void *tl_addr_impl(void) { return tl_state; }
EOF
tlink -o "$tmp/good_cl.o" "$tmp/good.o" >"$tmp/good.out" 2>&1
rc=$?
cat "$tmp/good.out"
sh_result "an object calling memcpy/memset/malloc links" $rc
nm -u "$tmp/good_cl.o" >"$tmp/good.u" 2>&1
sh_check "memcpy is redirected to erim_memcpy" grep -q ' U erim_memcpy$' "$tmp/good.u"
sh_check "memset, malloc and free are redirected" sh -c "grep -q ' U erim_memset\$' '$tmp/good.u' && grep -q ' U erim_malloc\$' '$tmp/good.u' && grep -q ' U erim_free\$' '$tmp/good.u'"
sh_check "no libc import is left" sh -c "! grep -E ' U (memcpy|memset|malloc|free)\$' '$tmp/good.u'"
# control: the object before the link did import memcpy
sh_check "control: the input imports memcpy" sh -c "nm -u '$tmp/good.o' | grep -q ' U memcpy\$'"
sh_check "no .data/.bss left in the closure" sh -c "! readelf -SW '$tmp/good_cl.o' | grep -E ' \.(data|bss)[. ]'"
sh_check "the closure has an erim_trusted section" sh -c "readelf -SW '$tmp/good_cl.o' | grep -q ' erim_trusted '"
sh_check "control: the input has .data and .bss" sh -c "readelf -SW '$tmp/good.o' | grep -q ' \.data ' && readelf -SW '$tmp/good.o' | grep -q ' \.bss '"
sh_check "tl_copy_impl stays global" sh -c "nm '$tmp/good_cl.o' | grep -q ' T tl_copy_impl\$'"
sh_check "tl_helper, tl_clear and tl_state become local" sh -c "nm '$tmp/good_cl.o' | grep -q ' t tl_helper\$' && nm '$tmp/good_cl.o' | grep -q ' t tl_clear\$' && nm '$tmp/good_cl.o' | grep -q ' [bd] tl_state\$'"

# ---- fortify: __memcpy_chk goes to erim_memcpy_chk
cc_o fort <<'EOF'
#define _FORTIFY_SOURCE 2
#include <string.h>
static char tl_small[8];
int tl_fort_impl(const char *src, size_t n) { memcpy(tl_small, src, n); return tl_small[1]; }
EOF
if nm -u "$tmp/fort.o" | grep -q '__memcpy_chk'; then
	tlink -o "$tmp/fort_cl.o" "$tmp/fort.o"
	sh_check "__memcpy_chk is redirected to erim_memcpy_chk" sh -c "nm -u '$tmp/fort_cl.o' | grep -q ' U erim_memcpy_chk\$'"
else
	sh_skip "__memcpy_chk is redirected" "the compiler emitted no __memcpy_chk here"
fi

# ---- in a program: the closure's variable is in erim_trusted, and erim_init tags it
so="$top_builddir/runtime/.libs/liberim.so"
# a liberim built with --enable-asan needs ASan's run-time first in the program
san_link=
[ -r "$so" ] && readelf -d "$so" | grep -q 'libasan' && san_link=-fsanitize=address
if [ -r "$so" ]; then
	cat >"$tmp/main.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include "erim.h"
void *tl_addr_impl(void);
int main(void)
{
	volatile int *p = tl_addr_impl();       /* its address only: no access */
	printf("state at %p\n", (void *)p);
	fflush(stdout);
	if (erim_init(NULL) != 0) { fprintf(stderr, "erim_init: %s\n", erim_strerror()); return 2; }
	printf("untrusted read: %d\n", *p);
	return 0;
}
EOF
	if $CC -O2 $san_link -I"$top_srcdir/runtime" -o "$tmp/prog" "$tmp/main.c" "$tmp/good_cl.o" \
		-Wl,-T,"$top_srcdir/runtime/erim_trusted.ld" -L"$top_builddir/runtime/.libs" -lerim \
		-Wl,-rpath,"$top_builddir/runtime/.libs" -Wl,-z,relro,-z,now >"$tmp/ld.out" 2>&1; then
		addr=$(nm "$tmp/prog" | awk '$3 == "tl_state" { print $1 }')
		range=$(readelf -SW "$tmp/prog" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '$1 == "erim_trusted" { print $3, $5 }')
		inside() {
			[ -n "$addr" ] && [ -n "$range" ] || { echo "tl_state '$addr', erim_trusted '$range'"; return 1; }
			a=$((0x$addr)); lo=$((0x${range% *})); hi=$((lo + 0x${range#* }))
			echo "tl_state 0x$addr, erim_trusted 0x${range% *} + 0x${range#* }"
			[ "$a" -ge "$lo" ] && [ "$a" -lt "$hi" ]
		}
		sh_check "in the program, the closure's .data is inside erim_trusted" inside
		ERIM_BACKEND=none ERIM_QUIET=1 "$tmp/prog" >"$tmp/none.out" 2>&1
		sh_check "control: under none, untrusted code reads the closure's state" grep -q '^untrusted read: 1$' "$tmp/none.out"
		ERIM_BACKEND=mprotect ERIM_QUIET=1 "$tmp/prog" >"$tmp/mp.out" 2>&1
		rc=$?
		cat "$tmp/mp.out"
		sh_check "under mprotect, the untrusted read of the closure's state is stopped" \
			sh -c "[ $rc -ne 0 ] && ! grep -q '^untrusted read' '$tmp/mp.out' && grep -q 'violation' '$tmp/mp.out'"
	else
		cat "$tmp/ld.out"
		sh_fail "linking a program with the closure"
	fi
else
	sh_skip "the closure in a program" "$so not built"
fi

# ---- refusals
refused() {   # refused WHAT SYMBOL-OR-WORD WHERE OUT ARGS...: exit 1, message, no OUT
	what=$1 word=$2 where=$3 o=$4; shift 4
	echo stale >"$o"
	tlink -o "$o" "$@" >"$tmp/r.out" 2>&1
	rc=$?
	sed 's/^/    /' "$tmp/r.out"
	sh_check "$what: refused (exit 1)" test "$rc" -eq 1
	sh_check "$what: the message names $word and $where" \
		sh -c "grep -F -- '$word' '$tmp/r.out' | grep -q -F -- '$where'"
	sh_check "$what: no output file left (the stale one is gone)" test ! -e "$o"
}
cc_o pf <<'EOF'
#include <stdio.h>
int tl_print_impl(int x) { printf("x=%d\n", x); return x; }
EOF
refused "printf" "printf" "pf.o" "$tmp/pf_cl.o" "$tmp/pf.o"
cc_o qs <<'EOF'
#include <stdlib.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
void tl_sort_impl(int *v, size_t n) { qsort(v, n, sizeof *v, cmp); }
EOF
refused "qsort" "qsort" "qs.o" "$tmp/qs_cl.o" "$tmp/qs.o"
# stdio reached through an archive member the trusted object pulls in
cc_o lib1 <<'EOF'
#include <stdio.h>
#include <stdlib.h>
void *tl_lib_alloc(const char *path) { FILE *f = fopen(path, "r"); void *p = malloc(64); if (f) fclose(f); return p; }
EOF
(cd "$tmp" && ar cr libtlbad.a lib1.o) || sh_abort trusted_link "ar failed"
cc_o uses <<'EOF'
void *tl_lib_alloc(const char *path);
void *tl_open_impl(void) { return tl_lib_alloc("/etc/hostname"); }
EOF
refused "stdio in an archive member" "fopen" "libtlbad.a(lib1.o)" "$tmp/ar_cl.o" "$tmp/uses.o" "$tmp/libtlbad.a"
cc_o tls <<'EOF'
__thread int tl_count;
int tl_tls_impl(void) { return ++tl_count; }
EOF
refused "thread-local storage" "thread-local" "tls.o" "$tmp/tls_cl.o" "$tmp/tls.o"
cc_o ifn <<'EOF'
static int one(void) { return 1; }
static int (*pick(void))(void) { return one; }
int tl_ifunc_impl(void) __attribute__((ifunc("pick")));
EOF
refused "IFUNC" "IFUNC symbol tl_ifunc_impl" "erim-trusted-link" "$tmp/ifn_cl.o" "$tmp/ifn.o"

printf 'int tl_lto_impl(int x) { return x + 1; }\n' >"$tmp/lto.c"
if $CC -O2 -flto -c -o "$tmp/lto.o" "$tmp/lto.c" 2>/dev/null && readelf -SW "$tmp/lto.o" | grep -q '\.gnu\.lto_'; then
	refused "LTO object" "LTO objects" "refused" "$tmp/lto_cl.o" "$tmp/lto.o"
else
	sh_skip "LTO object refused" "$CC cannot compile with -flto here"
fi

# ---- controls: --allow and --stub
tlink -o "$tmp/pf2_cl.o" --allow printf "$tmp/pf.o" >"$tmp/allow.out" 2>&1
sh_result "control: --allow printf lets the printf object through" $?
cc_o rnd <<'EOF'
#include <sys/random.h>
long tl_rand_impl(void *b, unsigned long n) { return getrandom(b, n, 0); }
EOF
tlink -o "$tmp/rnd_cl.o" --stub getrandom "$tmp/rnd.o" >"$tmp/stub.out" 2>&1
rc=$?
cat "$tmp/stub.out"
sh_result "--stub getrandom links" $rc

# ---- --report: each import kept with its rule and reason
printf '# why printf:\n# two lines\nprintf\nputs  # inline reason\n\n# a block a blank line ends\n\nqsort\n' >"$tmp/allow.list"
cc_o pq <<'EOF'
#include <stdio.h>
#include <stdlib.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int tl_pq_impl(int *v, size_t n, const char *s) { qsort(v, n, sizeof *v, cmp); puts(s); printf("%d\n", v[0]); return v[0]; }
EOF
tlink -o "$tmp/pq_cl.o" --report "$tmp/pq.report" --allow-file "$tmp/allow.list" --allow 'getrandom # for the test' \
	--stub getrandom --stub mmap "$tmp/pq.o" "$tmp/rnd.o" >"$tmp/pq.out" 2>&1
rc=$?
cat "$tmp/pq.out" "$tmp/pq.report"
sh_result "--report: the link with an allow file succeeds" $rc
rfield() { awk -F '\t' -v k="$1" -v s="$2" '$1 == k && $2 == s { print $3 }' "$tmp/pq.report"; }
sh_check "--report: the comment lines above an ERE are its reason" \
	test "$(rfield import printf)" = "--allow-file $tmp/allow.list: why printf: two lines"
sh_check "--report: the comment on an ERE's line is its reason" \
	test "$(rfield import puts)" = "--allow-file $tmp/allow.list: inline reason"
sh_check "--report: an ERE without a comment says so (a blank line ends a comment block)" \
	test "$(rfield import qsort)" = "--allow-file $tmp/allow.list: (no reason given)"
sh_check "--report: built-in rules are named" \
	test "$(rfield import erim_trusted_stub_called)" = "built-in: liberim's API"
sh_check "--report: a used stub names its importer" \
	test "$(rfield stub getrandom)" = "stops the process if called; imported by $tmp/rnd.o"
sh_check "--report: an unused stub says so" test "$(rfield stub mmap)" = "imported by no input (unused)"
sh_check "--report: the stubbed function is no import" test -z "$(rfield import getrandom)"
awk -F '\t' '$1 == "import" { print $2 }' "$tmp/pq.report" | sort >"$tmp/pq.a"
nm -u "$tmp/pq_cl.o" | awk 'NF == 2 { print $2 }' | sort -u >"$tmp/pq.b"
sh_check "--report: the imports listed are the closure's" cmp -s "$tmp/pq.a" "$tmp/pq.b"
sh_check "--report: the command line is recorded" grep -q "^command	'-o' '$tmp/pq_cl.o' '--report'" "$tmp/pq.report"
echo stale >"$tmp/pf.report"
tlink -o "$tmp/pf3_cl.o" --report "$tmp/pf.report" "$tmp/pf.o" >/dev/null 2>&1
sh_check "--report: a refused link leaves no report (the stale one is gone)" test ! -e "$tmp/pf.report"
sh_check "the stub replaces the import, local, calling erim_trusted_stub_called" \
	sh -c "nm '$tmp/rnd_cl.o' | grep -q ' t getrandom\$' && nm -u '$tmp/rnd_cl.o' | grep -q ' U erim_trusted_stub_called\$' && ! nm -u '$tmp/rnd_cl.o' | grep -q ' getrandom\$'"
if [ -r "$so" ]; then
	printf '#include <stdio.h>\nlong tl_rand_impl(void *, unsigned long);\nint main(void) { char b[8]; printf("got %%ld\\n", tl_rand_impl(b, 8)); return 0; }\n' >"$tmp/rmain.c"
	if $CC $san_link -o "$tmp/rprog" "$tmp/rmain.c" "$tmp/rnd_cl.o" -L"$top_builddir/runtime/.libs" -lerim \
		-Wl,-rpath,"$top_builddir/runtime/.libs" >"$tmp/rld.out" 2>&1; then
		"$tmp/rprog" >"$tmp/rrun.out" 2>&1
		rc=$?
		cat "$tmp/rrun.out"
		sh_check "a stubbed function called from the closure stops the process with its name" \
			sh -c "[ $rc -ne 0 ] && grep -q 'trusted code called getrandom, stubbed out' '$tmp/rrun.out' && ! grep -q '^got' '$tmp/rrun.out'"
	else
		cat "$tmp/rld.out"; sh_fail "linking the stub program"
	fi
fi

# ---- the keyvault example's closure, as built
kv="$top_builddir/examples/keyvault/keyvault_closure.o"
if [ -r "$kv" ]; then
	# (a sanitizer build's constructor arrays stay: the loader runs them)
	sh_check "keyvault closure: no writable section outside erim_trusted" \
		sh -c "! readelf -SW '$kv' | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '\$1 != \"erim_trusted\" && \$7 ~ /W/ && \$7 ~ /A/ && \$2 !~ /_ARRAY\$/' | grep ."
	sh_check "keyvault closure: libsodium's symbols are local" \
		sh -c "nm '$kv' | grep -q ' t crypto_sign_detached\$' && ! nm -g --defined-only '$kv' | grep -q ' crypto_\| sodium_'"
	sh_check "keyvault closure: exports only the *_impl functions" \
		sh -c "! nm -g --defined-only '$kv' | awk '{ print \$3 }' | grep -v '_impl\$'"
	sh_check "keyvault closure: no libc string, stdio or malloc import" \
		sh -c "! nm -u '$kv' | grep -E ' U (mem[a-z]+|str[a-z]+|malloc|free|printf|fprintf|__[a-z_]*_chk|abort|__stack_chk_fail)\$'"
else
	sh_skip "keyvault closure" "examples/keyvault/keyvault_closure.o not built (no libsodium.a, or libsodium missing)"
fi
sh_done trusted_link
