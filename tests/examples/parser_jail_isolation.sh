#!/bin/sh
# SPDX-License-Identifier: MIT
# parser_jail_isolation.sh: the parser-jail example (trusted application,
# untrusted third-party INI parser interposed with -Wl,--wrap).  A normal
# configuration is parsed through the interposed call under none and
# mprotect; the parser's name-overflow arbitrary read leaks the API token
# under none and is stopped under mprotect with erim's violation report.
# The --wrap flags examples/local.am links with must be the ones erimgen
# prints for the interface.
set -u
. "$srcdir/lib/sh_check.sh"
ex=${top_builddir:?}/examples
app=$ex/parser-jail/parser-jail
attack=$ex/parser-jail/pj_attack

for f in "$app" "$attack"; do
	[ -x "$f" ] || sh_abort parser_jail_isolation "$f not built"
done
for b in none mprotect; do
	echo "--- parses_config_through_interposed_parser ($b)"
	out=$(printf '; test\n[client]\nname = x\n[server]\nendpoint = https://api.example.org/v1\n' |
	      PJ_TOKEN=secret-token ERIM_BACKEND=$b ERIM_QUIET=1 "$app")
	echo "$out"
	[ "$out" = "endpoint: https://api.example.org/v1" ]
	sh_result "parses_config_through_interposed_parser_$b" $?
done
echo "--- link_flags_match_erimgen_print_link_flags"
flags=$("${top_builddir}/generator/erimgen" --print-link-flags "${top_srcdir:?}/examples/parser-jail/parserjail.erim")
echo "erimgen --print-link-flags: $flags"
[ "$flags" = "-Wl,--wrap=pj_run -Wl,--wrap=ini_get" ]
sh_result link_flags_match_erimgen_print_link_flags $?
echo "--- parser_overflow_leaks_token_without_isolation"
ERIM_BACKEND=none ERIM_QUIET=1 "$attack" --expect=stolen "$app"
sh_result parser_overflow_leaks_token_without_isolation $?
echo "--- parser_overflow_stopped_at_token_under_mprotect"
ERIM_BACKEND=mprotect ERIM_QUIET=1 "$attack" --expect=stopped "$app"
sh_result parser_overflow_stopped_at_token_under_mprotect $?
sh_done parser_jail_isolation
