#!/bin/sh
# SPDX-License-Identifier: MIT
# doc_links.sh: the README stays short (<= 20 KB) and every relative link in
# README.md and doc/*.md leads to a file that exists (and, with #anchor, to a
# heading of that file); every doc/*.md is shipped by `make dist`.  A control
# run on a scratch file with a broken link and a broken anchor must fail.
set -u
. "$top_srcdir/tests/lib/sh_check.sh"
src=$top_srcdir

# GitHub's anchor of a heading: lower case, punctuation other than - and _
# dropped, spaces to dashes.
anchors() {
	sed -n 's/^#\{1,6\} \{1,\}//p' "$1" | tr 'A-Z' 'a-z' |
		sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}

# links FILE: every "](target)" of FILE that is not a URL, one a line.
links() {
	grep -o '](\([^)]*\))' "$1" | sed -e 's/^](//' -e 's/)$//' -e 's/ .*//' |
		grep -v -E '^(https?|mailto|ftp):'
}

# check_file FILE: prints every broken link; fails if there is one.
check_file() {
	f=$1 dir=$(dirname "$1") bad=0
	for l in $(links "$f"); do
		path=${l%%#*}
		case $l in *'#'*) anchor=${l#*#} ;; *) anchor= ;; esac
		[ -n "$path" ] && target=$dir/$path || target=$f
		if [ ! -e "$target" ]; then
			echo "$f: link to $l: no file $target"; bad=1; continue
		fi
		if [ -n "$anchor" ] && [ -f "$target" ]; then
			anchors "$target" | grep -qx -- "$anchor" ||
				{ echo "$f: link to $l: no heading #$anchor in $target"; bad=1; }
		fi
	done
	return $bad
}

size=$(wc -c <"$src/README.md")
echo "README.md: $size bytes"
sh_check "README.md is at most 20 KB ($size bytes)" test "$size" -le 20480

for f in "$src/README.md" "$src"/doc/*.md; do
	check_file "$f"
	sh_check "every relative link of ${f#$src/} resolves" check_file "$f"
done

for f in "$src"/doc/*.md; do
	b=$(basename "$f")
	sh_check "doc/$b is in doc/local.am (shipped and installed)" grep -q "$b" "$src/doc/local.am"
done

# control: the checker finds a missing file and a missing heading (the
# scratch files' names are built from $md so no document of the tree seems
# to cite them)
md=md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/doc_links.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
printf '# Title\n\n## A section\n\n[ok](#a-section) [ok](good.%s)\n' "$md" >"$tmp/good.$md"
printf '[bad](missing.%s)\n' "$md" >"$tmp/badfile.$md"
printf '[bad](good.%s#no-such-section)\n' "$md" >"$tmp/badanchor.$md"
sh_check "control: a good file passes" check_file "$tmp/good.$md"
if check_file "$tmp/badfile.$md" >/dev/null; then r=1; else r=0; fi
sh_check "control: a link to a missing file is reported" test "$r" -eq 0
if check_file "$tmp/badanchor.$md" >/dev/null; then r=1; else r=0; fi
sh_check "control: a link to a missing heading is reported" test "$r" -eq 0
sh_done doc_links
