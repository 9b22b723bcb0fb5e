#!/bin/sh
# SPDX-License-Identifier: MIT
# rt_noplt.sh: liberim's trusted paths take no control data from writable
# memory through the dynamic linker (issue 10, item 2).  Checks the built code:
#  1. liberim.so is linked with full RELRO and bind-now: DT_FLAGS BIND_NOW,
#     DT_FLAGS_1 NOW, and PT_GNU_RELRO covers .got (and .got.plt if any), so
#     every GOT slot is resolved at load time and read-only afterwards;
#  2. it exports only the API (no JUMP_SLOT/GLOB_DAT relocation names a
#     function liberim defines itself: its own calls bind directly);
#  3. no function reachable (direct calls and tail jumps) from a trusted entry
#     point -- the gate, its slow path, callbacks, the heap, the registry,
#     refusals and fatal errors -- calls through the PLT or through a
#     RIP-relative memory operand (GOT), in liberim.so AND in a static program
#     (runtime/rt_mpk_static: there libc's ifuncs are *ABS*@plt calls).
# Known calls owned by another piece of work are listed in PENDING below with
# the reason; the suite fails if one of them disappears (remove it then).
. "$srcdir/lib/sh_check.sh"

so="$top_builddir/runtime/.libs/liberim.so"
static="$builddir/runtime/rt_mpk_static"
ROOTS="erim__gate_mpk erim__gate_none erim__gate_slow erim__cb_mpk erim__cb_none
erim_callback_call erim_malloc erim_calloc erim_realloc erim_aligned_alloc erim_free
erim_refuse erim__fatal erim__die erim__write_str erim_overlaps_trusted erim_in_trusted
erim__cb_bad_return erim__gate_abort_report erim__fini_trusted release_entry erim__abort"
# libc functions still called on a trusted path (none left; an entry here
# names a known call and the suite fails once it disappears).
PENDING=""
# caller:callee edges not followed, with the reason: they run only when no
# trusted PKRU exists (before erim_init, direct mode, checked in the sealed
# page), or under the mprotect back end, which has no PKRU to protect.
# The gate calls erim__note_thread only after its exit WRPKRU (untrusted
# rights: pthread_setspecific registers the thread-exit hook), and
# erim_callback_call touches its TLS only in direct mode
# (erim__callback_direct, chosen by the mode in the sealed page).  Entry 0
# (release_entry) reaches erim__fini_trusted through the hook in the sealed
# page: an indirect call the walk does not follow, so both are roots.
CUT="heap_alloc:erim__reserve_default erim_callback_call:erim__cb_mprot
erim__gate_mpk:erim__note_thread erim__gate_none:erim__note_thread
erim__gate_mprot:erim__note_thread erim_callback_call:erim__callback_direct"

if ! command -v objdump >/dev/null || ! command -v readelf >/dev/null; then
	sh_skip "all" "objdump/readelf (binutils) not installed"; # control: the same check does find libc calls where they exist (erim_init
# calls getenv, mmap, ... and is not a trusted path)
control() { ROOTS=erim_init trusted_calls "$so" "" 2>/dev/null | grep -q -- "-> getenv"; }
sh_check "control: the checker reports erim_init's libc calls" control
sh_done rt_noplt
fi

dyn=$(readelf -d "$so")
sh_check "liberim.so: DT_FLAGS has BIND_NOW" sh -c 'echo "$0" | grep -q "(FLAGS) .*BIND_NOW"' "$dyn"
sh_check "liberim.so: DT_FLAGS_1 has NOW" sh -c 'echo "$0" | grep -q "(FLAGS_1) .*NOW"' "$dyn"

# every .got* section inside the PT_GNU_RELRO segment
relro_covers_got() {
	relro=$(readelf -lW "$1" | awk '$1 == "GNU_RELRO" { print $3, $6 }')
	[ -n "$relro" ] || { echo "no PT_GNU_RELRO"; return 1; }
	lo=$(($(echo "$relro" | cut -d' ' -f1))); hi=$((lo + $(echo "$relro" | cut -d' ' -f2)))
	n=0
	for sec in $(readelf -SW "$1" | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 ~ /^\.got/ { print $1 ":" $3 ":" $5 }'); do
		a=$((0x$(echo "$sec" | cut -d: -f2))); z=$((0x$(echo "$sec" | cut -d: -f3)))
		if [ "$a" -lt "$lo" ] || [ $((a + z)) -gt "$hi" ]; then
			echo "${sec%%:*} not covered by PT_GNU_RELRO"; return 1
		fi
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}
sh_check "liberim.so: PT_GNU_RELRO covers .got" relro_covers_got "$so"

own_slots() {
	defined=$(nm -D --defined-only "$1" | awk '{ print $3 }')
	readelf -rW "$1" | awk '$3 ~ /JUMP_SLO|GLOB_DAT/ { sub(/@.*/, "", $5); print $5 }' |
	while read -r s; do
		if echo "$defined" | grep -qx "$s"; then echo "slot for own symbol $s"; fi
	done | grep . && return 1
	return 0
}
sh_check "liberim.so: no PLT/GOT slot for liberim's own functions" own_slots "$so"

# Reachability over objdump's disassembly; prints offending calls.
trusted_calls() {
	objdump -d --no-show-raw-insn "$1" | awk -v roots="$ROOTS" -v pending="$PENDING" -v cut="$CUT" -v strict="$2" '
		function base(n) { sub(/[+].*/, "", n); sub(/\.(cold|part|constprop|isra)[.0-9]*$/, "", n); return n }
		BEGIN { nc = split(cut, c, " "); for (i = 1; i <= nc; i++) nofollow[c[i]] = 1 }
		/^[0-9a-f]+ <[^>]+>:$/ { f = $2; gsub(/[<>:]/, "", f); f = base(f); next }
		f != "" && /\t(call|jmp|notrack jmp) / {
			if (match($0, /<[^>]+>/)) {
				t = substr($0, RSTART + 1, RLENGTH - 2)
				if (t ~ /@plt$/) { sub(/@plt$/, "", t); sub(/@.*/, "", t); bad[f] = bad[f] " " t; next }
				t = base(t)
				if (t != f && !((f ":" t) in nofollow)) edge[f] = edge[f] " " t
			}
			if ($0 ~ /\*.*\(%rip\)/) bad[f] = bad[f] " *GOT(" $NF ")"
		}
		END {
			n = split(roots, q, /[ \n]+/); for (i = 1; i <= n; i++) seen[q[i]] = 1
			for (i = 1; i <= n; i++) {
				m = split(edge[q[i]], e, " ")
				for (j = 1; j <= m; j++) if (!(e[j] in seen)) { seen[e[j]] = 1; q[++n] = e[j] }
			}
			nr = 0; for (fn in seen) nr++
			print nr " functions reachable from the trusted entry points" > "/dev/stderr"
			np = split(pending, p, " "); for (i = 1; i <= np; i++) pend[p[i]] = 1
			for (fn in seen) {
				m = split(bad[fn], b, " ")
				for (j = 1; j <= m; j++) {
					if (b[j] in pend) { used[b[j]] = 1; print "pending (gate rework): " fn " -> " b[j] > "/dev/stderr"; continue }
					print fn " -> " b[j]; rc = 1
				}
			}
			for (k in pend) if (!(k in used) && strict) { print "stale PENDING entry " k; rc = 1 }
			exit rc
		}'
}
check_trusted() {
	out=$(trusted_calls "$1" "$2" 2>/dev/null); rc=$?
	[ -n "$out" ] && echo "$out" | sed 's/^/    /'
	return $rc
}
# A sanitizer build (configure --enable-asan / --enable-ubsan) cannot keep the
# rule: the compiler puts a call into the sanitizer's run-time library
# (__asan_report_load8, __ubsan_handle_add_overflow, ...) on every checked
# access, through the PLT of the shared library the run-time is, and that
# run-time calls libc.  The rule is a property of the real build only: say so.
sanitizer_of() {
	{ nm "$1" 2>/dev/null; nm -D "$1" 2>/dev/null; } |
		grep -oE '__(asan|ubsan)_(init|handle_[a-z_0-9]+|report_[a-z_0-9]+)' | head -n 1
}
san_why() { echo "built with a sanitizer (it calls $1): the compiler's sanitizer checks call the sanitizer run-time on trusted paths, so the no-PLT rule holds only in a build without --enable-asan/--enable-ubsan"; }
san=$(sanitizer_of "$so")
echo "trusted paths of liberim.so:"; trusted_calls "$so" 1 2>&1 | sed 's/^/    /'
if [ -n "$san" ]; then
	sh_skip "liberim.so: no PLT/GOT call reachable from a trusted entry point" "$(san_why "$san")"
else
	sh_check "liberim.so: no PLT/GOT call reachable from a trusted entry point" check_trusted "$so" 1
fi
if [ -x "$static" ]; then
	echo "trusted paths of the static program:"; trusted_calls "$static" "" 2>&1 | sed 's/^/    /'
	san=$(sanitizer_of "$static")
	if [ -n "$san" ]; then
		sh_skip "static program: no PLT/GOT call reachable from a trusted entry point" "$(san_why "$san")"
	else
		sh_check "static program: no PLT/GOT call reachable from a trusted entry point" check_trusted "$static"
	fi
	sh_check "static program: PT_GNU_RELRO covers .got" relro_covers_got "$static"
else
	sh_skip "static program" "$static not built"
fi
# control: the same check does find libc calls where they exist (erim_init
# calls getenv, mmap, ... and is not a trusted path)
control() { ROOTS=erim_init trusted_calls "$so" "" 2>/dev/null | grep -q -- "-> getenv"; }
sh_check "control: the checker reports erim_init's libc calls" control
sh_done rt_noplt
