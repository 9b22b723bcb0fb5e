#!/bin/sh
# SPDX-License-Identifier: MIT
# liberim_writable.sh: every writable variable of liberim.so (.data, .bss)
# is listed below with the reason trusted code never trusts it.  liberim's
# writable data is untrusted memory: any thread may rewrite it.  Red team 63
# turned two such variables into ways in -- `release_id`, the id through
# which erim_fini called its trusted wipe (finiskip: redirected to a public
# entry, the wipe and its busy check were skipped), and `region`, through
# which the signal-stack claim (trusted) read its owner page (regionoracle).
# A new variable fails this test until someone has checked that no trusted
# path and no safety decision reads it, and listed it here: a policy that
# denies what it does not list, not a list of known attacks.
# Control: the same comparison reports a variable missing from the list.
. "$srcdir/lib/sh_check.sh"
so="$top_builddir/runtime/.libs/liberim.so"
if ! command -v nm >/dev/null; then
	sh_skip "all" "nm (binutils) not installed"
	sh_done liberim_writable
fi
if [ ! -f "$so" ]; then
	sh_fail "liberim.so" "not built: $so"
	sh_done liberim_writable
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-writable.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# name  why no trusted path or safety decision reads it
cat >"$tmp/allowed" <<'EOF'
_DYNAMIC                          the loader's; relocated, then read-only (full RELRO)
_GLOBAL_OFFSET_TABLE_             read-only after relocation (full RELRO, bind-now)
__TMC_END__                       compiler start-up
__do_global_dtors_aux_fini_array_entry compiler start-up
__frame_dummy_init_array_entry    compiler start-up
__dso_handle                      compiler start-up
completed.0                       compiler start-up (crtstuff)
__cpu_model                       libgcc's CPU feature cache: untrusted callers only
__cpu_features2                   libgcc's CPU feature cache: untrusted callers only
erim__ro_page                     the sealed read-only page itself (PROT_READ after erim_init)
fix_page                          erim_signal.c's sealed fixed page (read-only but for an update by erim_init)
tab_page                          erim_signal.c's sealed table page (read-only but for an update under tab_lock)
tab_lock                          untrusted sigaction() serialisation; protects no decision
erim__site_table                  .data.rel.ro: read-only after relocation
erim__site_table_end              .data.rel.ro: read-only after relocation
erim__tls_slot                    TLS hint, read with untrusted rights and checked by the gate
atfork_done                       erim_init only (the only thread)
region                            erim_init only; trusted code takes the owner page from erim__ro.sigstk_owner
region_size                       erim_init only
prog                              erim_init only; trusted code uses erim__ro.sigstk_prog
backend_names                     constant names, untrusted messages
cur_backend                       erim_backend() answer for untrusted callers
direct_allow                      direct mode (none back end, after erim_fini): no trust boundary
direct_in_callback                direct mode: no trust boundary
direct_nallow                     direct mode: no trust boundary
errbuf                            erim_strerror() text for untrusted callers
init_lock                         serialises untrusted erim_init/erim_fini callers; the wipe takes its own lock in trusted memory
reg_lock                          serialises erim_register_entries; the table is in trusted memory
require_mlock                     ERIM_REQUIRE=mlock, read by erim_init only
tem_attached                      erim_fini's early -EPERM under erim-tem; cleared, it gets the wipe and the half-way stop (erim-tem refuses the remap)
exit_key                          pthread key of the thread-exit hook; the hook calls entry 0, a constant
exit_key_ok                       same
segv_installed                    untrusted sigaction() bookkeeping
mp_lock                           mprotect back end: switching is untrusted by design (doc/runtime.md)
mp_open_count                     mprotect back end: same
real_main                         ERIM_AUTOINIT's main wrapper, before erim_init
real.0                            dlsym cache of the C library's pthread_create (untrusted interposer)
ctx.0                             erim_init's PLT pass, before the page is sealed (the only thread)
disp_arenas                       load-time inspection (untrusted, before and outside gates)
disp_narenas                      load-time inspection
ip_observer                       load-time inspection's observer (untrusted)
ip_observer_arg                   same
ip_refusal                        load-time inspection's refusal text
inspect_known_sites               load-time inspection
inspect_known_xrstors             load-time inspection
inspect_names                     load-time inspection
scan_class_names                  load-time inspection
scan_kind_names                   load-time inspection
scan_forced                       load-time inspection
have.1                            load-time inspection's CPU probe cache (scan_core.c)
EOF
awk '{print $1}' "$tmp/allowed" | sort >"$tmp/allowed.names"

# writable variables of a shared object, defined in it: .data (d D) and .bss (b B)
writable() {
	nm --defined-only "$1" | awk '$2 ~ /^[bBdD]$/ {print $3}' | sort -u
}

# --- control: a library with one unlisted variable is reported
printf 'int listed_one = 1;\nint unlisted_var;\nint get(void) { return listed_one + unlisted_var; }\n' >"$tmp/c.c"
if ${CC:-cc} -shared -fPIC -o "$tmp/c.so" "$tmp/c.c" 2>"$tmp/cc.err"; then
	writable "$tmp/c.so" | grep -v -e '^_' -e '^completed' -e '^__' >"$tmp/c.names"
	echo listed_one >"$tmp/c.allowed"
	comm -23 "$tmp/c.names" "$tmp/c.allowed" >"$tmp/c.extra"
	sh_check "control: an unlisted variable is reported" grep -qx unlisted_var "$tmp/c.extra"
else
	sh_fail "control" "cannot build the control library: $(cat "$tmp/cc.err")"
fi

writable "$so" >"$tmp/names"
comm -23 "$tmp/names" "$tmp/allowed.names" >"$tmp/extra"
if [ -s "$tmp/extra" ]; then
	sh_fail "liberim.so has no unlisted writable variable" \
		"not reviewed (check that no trusted path or safety decision reads it, then list it in $0): $(tr '\n' ' ' <"$tmp/extra")"
else
	sh_pass "liberim.so has no unlisted writable variable ($(wc -l <"$tmp/names") listed)"
fi
for v in release_id; do
	sh_check "$v (red team 63, finiskip) is not a variable of liberim's" sh -c "! grep -qx '$v' '$tmp/names'"
done
sh_done liberim_writable
