#!/bin/sh
# fuzz_smoke.sh: a short libFuzzer run of the ELF reader (fuzz_elf.c) from a
# seed corpus of real objects, so make check catches a crash the fuzzer finds
# quickly.  Longer runs: inspect/fuzz_elf -max_total_time=600 CORPUS_DIR.
set -u
fuzzer=$builddir/inspect/fuzz_elf
if [ ! -x "$fuzzer" ]; then
	echo "skipped: clang was not found by configure, so the libFuzzer harness is not built"
	echo "fuzz_smoke: 0 passed, 0 failed, 1 skipped"
	exit 77
fi
corpus=$(mktemp -d "${TMPDIR:-/tmp}/erim-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$corpus"' EXIT
cp "$builddir/inspect/crafted_obj.o" "$corpus/"
for f in /bin/true /lib64/ld-linux-x86-64.so.2; do [ -r "$f" ] && cp "$f" "$corpus/"; done
"$fuzzer" -runs=20000 -max_len=65536 -seed=1 "$corpus" >"$corpus.log" 2>&1
rc=$?
tail -n 5 "$corpus.log"
rm -f "$corpus.log"
if [ "$rc" = 0 ]; then
	echo "elf_reader_survives_20000_fuzzed_inputs: ok"
	echo "fuzz_smoke: 1 passed, 0 failed, 0 skipped"
	exit 0
fi
echo "elf_reader_survives_20000_fuzzed_inputs: FAIL (libFuzzer exit $rc)"
echo "fuzz_smoke: 0 passed, 1 failed, 0 skipped"
exit 1
