#!/bin/sh
# SPDX-License-Identifier: MIT
# idl_fuzz_smoke.sh: a short coverage-guided run of the .erim front end under
# libFuzzer + ASan/UBSan (about IDL_FUZZ_SECONDS, default 20), seeded with the
# saved corpus and every golden test input.  New corpus entries go to a
# temporary directory, never into the source tree; a crash, hang (>5 s per
# input) or leak fails the suite and shows the input so it can be saved under
# fuzz/crashers/idl/ as a regression test.
: "${srcdir:=$(dirname "$0")/..}"
: "${builddir:=.}"
. "$srcdir/lib/sh_check.sh"
fuzzer="$builddir/fuzz/idl_fuzz"
secs=${IDL_FUZZ_SECONDS:-20}
if [ ! -x "$fuzzer" ]; then
	sh_skip front_end_survives_fuzzing "no libFuzzer binary ($fuzzer): configure found no clang"
	sh_done idl_fuzz_smoke
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/idl-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/corpus" "$tmp/seeds" "$tmp/artifacts"
# seed with every .erim/.edl the golden tests use
find "$srcdir/idl" -name '*.erim' -o -name '*.edl' | while read -r f; do
	cp "$f" "$tmp/seeds/$(echo "$f" | tr '/' '_')"
done
"$fuzzer" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -max_len=4096 \
	-dict="$srcdir/fuzz/idl.dict" -artifact_prefix="$tmp/artifacts/" -print_final_stats=1 \
	"$tmp/corpus" "$srcdir/fuzz/corpus/idl" "$tmp/seeds" >"$tmp/log" 2>&1
rc=$?
grep -E '^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)' "$tmp/log" | tail -n 4
if [ $rc -ne 0 ] || [ -n "$(ls "$tmp/artifacts")" ]; then
	tail -n 60 "$tmp/log"
	for a in "$tmp"/artifacts/*; do
		[ -f "$a" ] || continue
		echo "crashing input $(basename "$a") (base64; save it under fuzz/crashers/idl/):"
		base64 "$a"
	done
	sh_fail front_end_survives_fuzzing "libFuzzer exit $rc or a crashing input (above)"
else
	sh_pass front_end_survives_fuzzing
fi
sh_done idl_fuzz_smoke
