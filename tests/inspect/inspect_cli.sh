#!/bin/sh
# SPDX-License-Identifier: MIT
# inspect_cli.sh: the erim-inspect command end to end -- what it reports for
# crafted.S (as a .o and linked into a program), --json and --quiet, exit
# statuses 0/1/2, directory walks (non-ELF skipped but counted, symlinks and
# loops visited once, dangling links ignored), hostile files, and --pid.
set -u
. "$srcdir/lib/sh_check.sh"
INSPECT=$top_builddir/inspect/erim-inspect
OBJ=$builddir/inspect/crafted_obj.o
PROG=$builddir/inspect/test_inspect_process
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erim-inspect-cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# run NAME WANT_RC CMD...: output in $tmp/out, stderr in $tmp/err
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	echo $?
}

t=crafted_object_reported_hit_by_hit
rc=$(run "$INSPECT" "$OBJ")
want="crafted_wrpkru_insn+0: wrpkru unsafe
crafted_in_imm+0x2: wrpkru unsafe
crafted_in_disp+0x2: wrpkru unsafe
crafted_span_insns+0x1: wrpkru unsafe
crafted_gate8+0x9: wrpkru unsafe
crafted_gate32+0x9: wrpkru unsafe
crafted_gate_bad+0x9: wrpkru unsafe
crafted_xrstor_benign+0x7: xrstor unsafe
crafted_xrstor_pkru+0x7: xrstor unsafe
crafted_xrstor_bare+0: xrstor unsafe
crafted_xrstor64_benign+0x8: xrstor64 unsafe
crafted_xrstor64_bare+0x1: xrstor64 unsafe
crafted_xrstor_r8+0x6: xrstor unsafe
crafted_xrstor_checked+0: xrstor checked-xrstor
crafted_xrstor64_checked+0x1: xrstor64 checked-xrstor
crafted_xrstor_check_bad+0: xrstor unsafe
crafted_span_page+0: wrpkru unsafe"
got=$(grep -v '^erim-inspect:' "$tmp/out" | sed 's/^.* \.text\.erim_crafted //')
if [ "$rc" = 1 ] && [ "$got" = "$want" ] && grep -q '17 occurrences (8 wrpkru, 9 xrstor): 15 unsafe' "$tmp/out"; then sh_pass $t
else sh_fail $t "exit $rc; got:"; cat "$tmp/out"; fi

t=crafted_object_reports_file_offsets
# the section's file offset plus the symbol offset: the bytes there are 0f 01 ef
off=$(grep 'crafted_in_imm+0x2' "$tmp/out" | sed -n 's/.*(file offset \(0x[0-9a-f]*\)).*/\1/p')
bytes=$(od -An -tx1 -j $((off)) -N3 "$OBJ" | tr -d ' \n')
if [ "$bytes" = 0f01ef ]; then sh_pass $t; else sh_fail $t "bytes at $off are $bytes"; fi

t=linked_program_reported_by_segment
rc=$(run "$INSPECT" "$PROG")
if [ "$rc" = 1 ] && grep -q 'crafted_span_page+0: wrpkru unsafe' "$tmp/out" &&
   grep -q 'crafted_gate8+0x9: wrpkru unsafe' "$tmp/out" &&
   grep -q '17 occurrences' "$tmp/out"; then sh_pass $t
else sh_fail $t "exit $rc"; cat "$tmp/out"; fi

t=json_report_is_valid_and_counts_match
rc=$(run "$INSPECT" --json "$OBJ")
if ! command -v python3 >/dev/null 2>&1; then
	sh_skip $t "python3 not installed (needed to parse the JSON)"
elif [ "$rc" = 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
hits = d["files"][0]["hits"]
assert s["occurrences"] == 17 and s["unsafe"] == 15 and len(hits) == 17, s
assert any(h["symbol"] == "crafted_in_imm" and h["symoff"] == "0x2" and h["class"] == "unsafe" for h in hits)
assert any(h["class"] == "checked-xrstor" and h["kind"] == "xrstor64" for h in hits)
' "$tmp/out"; then sh_pass $t
else sh_fail $t "exit $rc"; cat "$tmp/out"; fi

t=quiet_prints_only_unsafe_occurrences
rc=$(run "$INSPECT" --quiet "$OBJ")
n=$(grep -c . "$tmp/out")
if [ "$rc" = 1 ] && [ "$n" = 15 ] && ! grep -q -e checked -e '^erim-inspect:' "$tmp/out"; then sh_pass $t
else sh_fail $t "exit $rc, $n lines"; cat "$tmp/out"; fi

t=clean_programs_exit_zero
rc=$(run "$INSPECT" /bin/true /bin/ls)
if [ "$rc" = 0 ] && grep -q '0 occurrences' "$tmp/out"; then sh_pass $t; else sh_fail $t "exit $rc"; cat "$tmp/out"; fi

t=directory_walk_skips_non_elf_and_visits_each_file_once
d=$tmp/tree
mkdir -p "$d/sub/deeper"
cp "$OBJ" "$d/sub/deeper/a.o"
echo "not an ELF file" >"$d/readme.txt"
ln -s deeper/a.o "$d/sub/link-to-a.o"        # same inode twice
ln -s .. "$d/sub/deeper/loop"                 # a directory loop
ln -s /nonexistent/x "$d/dangling"            # a dangling link
rc=$(run "$INSPECT" -r "$d")
if [ "$rc" = 1 ] && grep -q '2 files, 1 ELF, 1 skipped (not ELF), 0 errors' "$tmp/out" &&
   grep -q '17 occurrences' "$tmp/out"; then sh_pass $t
else sh_fail $t "exit $rc"; cat "$tmp/out" "$tmp/err"; fi

t=missing_file_is_an_error_exit_2
rc=$(run "$INSPECT" "$OBJ" "$tmp/no-such-file")
if [ "$rc" = 2 ] && grep -q 'no-such-file' "$tmp/err" && grep -q '17 occurrences' "$tmp/out"; then sh_pass $t
else sh_fail $t "exit $rc"; cat "$tmp/err"; fi

t=truncated_and_garbled_elf_files_are_errors_not_crashes
head -c 200 "$OBJ" >"$tmp/trunc.o"
cp "$OBJ" "$tmp/garbled.o"
printf '\377\377\377\377\377\377\377\377' | dd of="$tmp/garbled.o" bs=1 seek=40 conv=notrunc 2>/dev/null  # e_shoff
rc1=$(run "$INSPECT" "$tmp/trunc.o"); e1=$(cat "$tmp/err")
rc2=$(run "$INSPECT" "$tmp/garbled.o"); e2=$(cat "$tmp/err")
if [ "$rc1" = 2 ] && [ "$rc2" = 2 ] && [ -n "$e1" ] && [ -n "$e2" ]; then sh_pass $t
else sh_fail $t "exit $rc1/$rc2: $e1 / $e2"; fi

t=running_process_inspected_through_proc_pid_mem
sleep 30 &
pid=$!
sleep 0.2
rc=$(run "$INSPECT" --pid "$pid")
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
# Debian 12's libc carries one WRPKRU (pkey_set); sleep maps libc
if [ "$rc" = 2 ] && grep -q 'Hint' "$tmp/err"; then
	sh_skip $t "no ptrace access to /proc/$pid/mem here"
elif [ "$rc" = 1 ] && grep -q 'libc.so.6+0x[0-9a-f]*: wrpkru unsafe' "$tmp/out"; then sh_pass $t
else sh_fail $t "exit $rc"; cat "$tmp/out" "$tmp/err"; fi

t=no_such_pid_is_an_error
rc=$(run "$INSPECT" --pid 999999999)
rc2=$(run "$INSPECT" --pid 4194304)
if [ "$rc" = 2 ] && [ "$rc2" = 2 ]; then sh_pass $t; else sh_fail $t "exit $rc/$rc2"; fi

sh_done inspect_cli
