#!/bin/sh
# SPDX-License-Identifier: MIT
# native_policy.sh: erim-tem's system call table is complete and is what the
# manual says.
#  - every number the kernel headers define (asm/unistd_64.h from
#    linux-libc-dev) has a row in `erim-tem --policy`, under the same name,
#    so a new kernel cannot silently open a door;
#  - a number without a row is refused: a real call (getpid) made unlisted
#    with --test-unlist fails with ENOSYS under erim-tem and runs without it
#    (the control), and numbers above the table fail under erim-tem;
#  - the table in doc/erim-tem.1 equals `erim-tem --policy=man`.
. "$srcdir/lib/sh_check.sh"
tem=$top_builddir/tem/erim-tem
sc=$builddir/tem/tem_syscall
hdr=${ERIM_UNISTD_H:-/usr/include/x86_64-linux-gnu/asm/unistd_64.h}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

"$tem" --policy > "$tmp/policy" 2>&1
sh_check "erim-tem --policy runs (the table is consistent)" test -s "$tmp/policy"
if [ -r "$hdr" ]; then
	sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$/\2 \1/p' "$hdr" | sort -k1,1 > "$tmp/kernel"
	awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1, $2 }' "$tmp/policy" | sort -u | sort -k1,1 > "$tmp/table"
	# numbers in the headers missing from the table, or listed under another name
	join -a 1 -e MISSING -o 0,1.2,2.2 "$tmp/kernel" "$tmp/table" 2>/dev/null |
		awk '$2 != $3 { print "  no row for", $1, $2, "(table: " $3 ")" }' > "$tmp/missing"
	cat "$tmp/missing"
	sh_check "every number of $(basename "$hdr") ($(wc -l < "$tmp/kernel") calls) has a row under its name" \
		test -s "$tmp/kernel" -a ! -s "$tmp/missing"
	n=$(wc -l < "$tmp/kernel")
	sh_check "the header list is not empty ($n numbers)" test "$n" -gt 300
else
	sh_skip "every header number has a row" "no $hdr (install linux-libc-dev)"
fi

out=$("$sc" 39 2>&1); rc=$?
echo "  without erim-tem: $out"
sh_check "control: getpid (39) runs without erim-tem" test "$rc" = 0
out=$("$tem" --test-unlist=39 "$sc" 39 2>&1); rc=$?
echo "  under erim-tem --test-unlist=39: $out"
sh_check "getpid without a row is refused with ENOSYS" test "$rc" = 1
out=$("$tem" "$sc" 39 2>&1); rc=$?
sh_check "getpid with its row runs under erim-tem" test "$rc" = 0
for nr in 470 471 500 1000 32367; do
	out=$("$tem" "$sc" $nr 2>&1); rc=$?
	echo "  under erim-tem: $out"
	sh_check "number $nr (no row) is refused with ENOSYS" test "$rc" = 1
done

"$tem" --policy=man > "$tmp/man.gen" 2>&1
sed -n '/^\.\\" BEGIN POLICY/,/^\.\\" END POLICY/p' "$top_srcdir/doc/erim-tem.1" | sed '1d;$d' > "$tmp/man.doc"
if ! cmp -s "$tmp/man.gen" "$tmp/man.doc"; then
	diff "$tmp/man.doc" "$tmp/man.gen" | head -n 20
	echo "  doc/erim-tem.1 differs from the program: run 'make update-tem-policy'"
fi
sh_check "the table in doc/erim-tem.1 is erim-tem --policy=man" cmp -s "$tmp/man.gen" "$tmp/man.doc"
sh_done native_policy
