/* SPDX-License-Identifier: MIT */
/* erim_statics.h: every static and global variable of liberim (runtime/*.c),
 * who reads it, and where it lives -- the table the trusted-path audit relies
 * on.  The rule (issue 10): while PKRU grants the trusted key, trusted code
 * takes no control data from memory untrusted code can write.  liberim's
 * .data/.bss/TLS are plain key-0 memory, so anything trusted code reads must
 * be in the sealed read-only page (struct erim_ro, erim__ro_page: written
 * before erim_init seals it, PROT_READ afterwards, kept so by erim-tem), in
 * the runtime region (trusted key), in .rodata/.data.rel.ro (read-only after
 * relocation; -z relro -z now), or be checked before use.
 *
 *  variable                      file              read with trusted PKRU by           lives in
 *  ----------------------------  ----------------  ----------------------------------  -----------------------
 *  erim__ro_page (erim__ro)      erim_ro.c         gate, slow path, callbacks, heap,   sealed RO page
 *                                                  registry, violation handler
 *  erim__ro.fini_trusted         erim_init.c sets  entry 0 (erim_entries.c) -> the     sealed RO page, stored by
 *    (function pointer)          it before seal    trusted wipe (erim_wipe.c)          erim_init before each seal
 *  erim__layout                  (macro)           callbacks (stack_size), slots_init  erim__ro.layout (RO page)
 *  heap meta pointer H           erim_heap.c       every heap operation                erim__ro.heap_meta (RO page)
 *  struct heap_meta, page map,   erim_heap.c       heap                                runtime region (trusted key)
 *    live map, free chains
 *  class_size[]                  erim_heap.c       heap                                .rodata
 *  entry table, slots            erim_entries.c,   gate, slow path                     runtime region; base and
 *                                erim_slots.c                                          count in the RO page
 *  erim__site_table              erim_gate.S       erim__gate_sites (inspection)       .data.rel.ro (RELRO)
 *  (no abort stack)              erim_abort.S      abort paths drop PKRU in a checked  nothing: no memory touched
 *                                                  loop, then raw syscalls             before the drop
 *  erim__tls_slot                erim_slots.c      gate, slow path, callbacks          TLS (untrusted!): range-
 *                                                                                      checked, slot claimed by CAS
 *  release_id; exit_key,         erim_entries.c;   erim__note_thread and the thread-   .bss; read only with
 *    exit_key_ok                 erim_thread.c     exit hook, both after the exit      untrusted rights (an id is
 *                                                  WRPKRU                              checked by the gate anyway)
 *  direct_allow/_nallow/         erim_direct.c     direct mode only (before init:      TLS; no trusted PKRU then
 *    _in_callback                                  everything is trusted memory)
 *  mp_lock, mp_open_count        erim_mp.c         mprotect back end's switch hooks    .bss: that back end isolates
 *                                                  (no PKRU there)                     between switches only
 *  reg_lock                      erim_entries.c    erim_register_entries (before init) .bss; not after init
 *  init_lock, cur_backend,       erim_init.c       erim_init/erim_fini (untrusted      .bss; never read with the
 *    errbuf                                        callers), erim_backend()            trusted PKRU
 *  backend_names, inspect_names  erim_init.c       configuration                       .data.rel.ro
 *  old_segv, installed           erim_violation.c  SIGSEGV handler: runs with the      .bss; the handler never has
 *                                                  kernel's default PKRU               the trusted key
 *  real_main                     erim_autoinit.c   start-up wrapper (before init)      .bss; not a trusted path
 *  (none)                        erim_dlguard.c    dlopen wrapper (untrusted caller)   reads only the RO page
 *  (none)                        erim_wipe.c       erim__fini_trusted (internal entry  reads the RO page and the
 *                                                  0 through the RO-page hook,         runtime region; the dead
 *                                                  trusted); the rest of erim_fini     flag is slot 0's `release`
 *                                                  runs untrusted
 *  ip_observer (function ptr),    inspect_process.c erim_init's inspection (trusted     .bss; only before the first
 *    scan_forced                 scan_core.c       start-up) and the tests             switch to untrusted code
 *  inspection/scan/tem statics   inspect_*.c,      erim_init (trusted start-up,        .bss; only before the first
 *                                scan_core.c,      before any untrusted code runs)     switch to untrusted code
 *                                tem_client.c
 *
 * Trusted paths call no libc function: erim_refuse/erim__fatal/erim__die
 * format with erim_fmt.c and die with raw system calls (erim_sys.h), the heap
 * uses erim_lock.h; tests/runtime/rt_noplt.sh checks the built code for PLT and
 * GOT-indirect calls reachable from the trusted entry points. */
#ifndef ERIM_STATICS_H
#define ERIM_STATICS_H
#endif
