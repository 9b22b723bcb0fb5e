#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz_smoke.sh: a short libFuzzer run of the ELF reader (fuzz_elf.c) from a
# seed corpus of real objects, so make check catches a crash the fuzzer finds
# quickly.  Longer runs: inspect/fuzz_elf -max_total_time=600 CORPUS_DIR.
set -u
. "$srcdir/lib/sh_check.sh"
fuzzer=$builddir/inspect/fuzz_elf
if [ ! -x "$fuzzer" ]; then
	sh_skip elf_reader_survives_20000_fuzzed_inputs "clang was not found by configure, so the libFuzzer harness is not built"
	sh_done fuzz_smoke
fi
corpus=$(mktemp -d "${TMPDIR:-/tmp}/erim-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$corpus"' EXIT
cp "$builddir/inspect/crafted_obj.o" "$corpus/"
for f in /bin/true /lib64/ld-linux-x86-64.so.2; do [ -r "$f" ] && cp "$f" "$corpus/"; done
"$fuzzer" -runs=20000 -max_len=65536 -seed=1 "$corpus" >"$corpus.log" 2>&1
rc=$?
tail -n 5 "$corpus.log"
rm -f "$corpus.log"
sh_result elf_reader_survives_20000_fuzzed_inputs "$rc"
sh_done fuzz_smoke
