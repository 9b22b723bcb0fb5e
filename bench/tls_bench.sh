#!/bin/sh
# SPDX-License-Identifier: MIT
# tls_bench.sh: `make bench-tls`.  wrk over loopback against Debian's nginx
# (1 worker, RSA-2048 key, TLS 1.3 with TLS_AES_128_GCM_SHA256), all in the
# same run:
#   stock            nginx + OpenSSL with the key file
#   keys, none       erim's provider, private key in trusted memory, record
#                    layer in libssl (openssl-erim.cnf without alg_section)
#   keys, mprotect
#   records, none    erim's provider with the record layer too (the shipped
#                    openssl-erim.cnf: AES-GCM / ChaCha20-Poly1305 keys and
#                    key schedules in trusted memory, one gate call per record)
#   records, mprotect
# For each, two phases, each with a fresh nginx: full handshakes per second
# (wrk with "Connection: close"; session tickets and cache off, so each is a
# full handshake with an RSA-2048 signature) and keep-alive requests per
# second (8 connections, many requests each).  The provider counts its own
# gate calls (ERIM_PROVIDER_STATS=1: signing and record gate calls, printed
# by each nginx process at exit); gate calls per second = count / seconds.
# The mpk cost is a PROJECTION (no PKU here; the PKU guest is TCG, whose
# timings mean nothing): gate calls/s x (gate work measured here + 2 x the
# published WRPKRU latency, 11-260 cycles).
# The host is shared: each configuration is measured ROUNDS times,
# interleaved, and the best of each is kept.
#   tls_bench.sh TOP_SRCDIR TOP_BUILDDIR [SECONDS [ROUNDS]]
set -u
top_srcdir=$1 top_builddir=$2 secs=${3:-5} rounds=${4:-3}
srcdir=$top_srcdir/tests builddir=$top_builddir/tests
. "$srcdir/provider/tls_lib.sh"
command -v wrk >/dev/null 2>&1 || { echo "bench-tls: wrk is not installed (tools/install-deps installs it)"; exit 1; }
[ -x "$NGINX" ] || { echo "bench-tls: nginx is not installed"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/erim-bench-tls.XXXXXX") || exit 1
trap 'nginx_stop "$t"; rm -rf "$t"' EXIT
tls_setup "$t" >/dev/null 2>&1 || { echo "bench-tls: cannot make the test PKI"; exit 1; }
sed '/^alg_section/d; /^\[algorithm_sect\]/,/^default_properties/d' "$t/erim.cnf" >"$t/keysonly.cnf"
port=$(free_port)
NGINX_EXTRA="ssl_session_tickets off; ssl_session_cache off; ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;"
export NGINX_EXTRA
url=https://127.0.0.1:$port/
mhz=$(sed -n 's/^cpu MHz[^:]*: //p' /proc/cpuinfo | head -n 1 | cut -d. -f1)

rate() {  # rate WRK-ARGS...: requests/s reported by wrk
	wrk -t1 -c8 -d"${secs}s" "$@" "$url" 2>/dev/null | sed -n 's/^Requests\/sec: *//p'
}
# phase KEY CONF BACKEND WRK-ARGS...: "REQUESTS/S SIGN-CALLS RECORD-CALLS"
phase() {
	key=$1 conf=$2 be=$3; shift 3
	nginx_stop "$t"
	nginx_conf "$t" "$port" "$t/rsa2048.crt" "$key"
	: >"$t/logs/error.log"
	nginx_start "$t" OPENSSL_CONF="$conf" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$be" ERIM_QUIET=1 \
		ERIM_PROVIDER_STATS=1 || { cat "$t/start.log" >&2; echo "0 0 0"; return 1; }
	r=$(rate "$@")
	nginx_stop "$t"
	sleep 0.2
	c=$(sed -n 's/.*erim-provider: pid [0-9]*: \([0-9]*\) signing gate calls, \([0-9]*\) record gate calls.*/\1 \2/p' \
		"$t/logs/error.log" "$t/start.log" | awk '{ s += $1; r += $2 } END { print s + 0, r + 0 }')
	echo "${r:-0} $c"
}
better() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
measure() {  # measure LABEL KEY CONF BACKEND TAG
	label=$1 key=$2 conf=$3 be=$4 tag=$5
	set -- $(phase "$key" "$conf" "$be" -H "Connection: close")
	hs=$1 hsg=$(( $2 + $3 ))
	set -- $(phase "$key" "$conf" "$be")
	ka=$1 kag=$(( $2 + $3 )) karec=$3
	hsr=$(awk -v g="$hsg" -v s="$secs" 'BEGIN { printf "%.0f", g / s }')
	kar=$(awk -v g="$kag" -v s="$secs" 'BEGIN { printf "%.0f", g / s }')
	printf '  round %d: %-22s %10s %12s %14s %14s\n' "$round" "$label" "$hs" "$hsr" "$ka" "$kar"
	eval "ohs=\${hs_$tag:-0} oka=\${ka_$tag:-0}"
	if better "$hs" "$ohs"; then eval "hs_$tag=\$hs hsr_$tag=\$hsr"; fi
	if better "$ka" "$oka"; then eval "ka_$tag=\$ka kar_$tag=\$kar karec_$tag=\$karec"; fi
}
echo "bench-tls: nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), 1 worker, wrk -t1 -c8 -d${secs}s over loopback, RSA-2048 key, TLS 1.3 AES-128-GCM"
echo "host: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores (shared), PKU: $(grep -qw pku /proc/cpuinfo && echo yes || echo no)"
printf '  %-31s %10s %12s %14s %14s\n' "configuration" "hs/s" "gates/s" "keep-alive r/s" "gates/s"
round=1
while [ "$round" -le "$rounds" ]; do
	measure "stock" "$t/rsa2048.key" /dev/null none stock
	measure "keys, none" "$t/rsa2048.ref" "$t/keysonly.cnf" none kn
	measure "keys, mprotect" "$t/rsa2048.ref" "$t/keysonly.cnf" mprotect km
	measure "records, none" "$t/rsa2048.ref" "$t/erim.cnf" none rn
	measure "records, mprotect" "$t/rsa2048.ref" "$t/erim.cnf" mprotect rm
	round=$((round + 1))
done
echo
echo "best of $rounds rounds (gates/s: the provider's own count of gate calls, signing + record, per second of that phase):"
printf '%-44s %12s %9s %15s %9s\n' "configuration" "handshakes/s" "gates/s" "keep-alive r/s" "gates/s"
row() { printf '%-44s %12s %9s %15s %9s\n' "$1" "$2" "$3" "$4" "$5"; }
row "stock nginx + OpenSSL" "$hs_stock" "-" "$ka_stock" "-"
row "erim, private key only, none" "$hs_kn" "$hsr_kn" "$ka_kn" "$kar_kn"
row "erim, private key only, mprotect" "$hs_km" "$hsr_km" "$ka_km" "$kar_km"
row "erim, key + record layer, none" "$hs_rn" "$hsr_rn" "$ka_rn" "$kar_rn"
row "erim, key + record layer, mprotect" "$hs_rm" "$hsr_rm" "$ka_rm" "$kar_rm"
row "erim, key + record layer, mpk" "not measured" "" "not measured" ""
echo
awk -v kas="$ka_stock" -v kan="$ka_rn" -v kam="$ka_rm" -v kakn="$ka_kn" -v gr="$kar_rn" -v hss="$hs_stock" \
    -v hsn="$hs_rn" -v mhz="${mhz:-2500}" -v karec="$karec_rn" -v secs="$secs" 'BEGIN {
	printf "keep-alive with the record layer in trusted memory vs stock: %+.1f%% (none), %+.1f%% (mprotect); keys only (none): %+.1f%%\n", 100 * (kan / kas - 1), 100 * (kam / kas - 1), 100 * (kakn / kas - 1)
	printf "  record gate calls under none: %d in %d s = %.0f/s for %.0f requests/s (%.2f per request: one record in, one out)\n", karec, secs, karec / secs, kan, karec / secs / kan
	printf "handshakes with the record layer in trusted memory vs stock: %+.1f%% (none; RSA signing in BearSSL is the main cost)\n", 100 * (hsn / hss - 1)
	lo = 26 + 2 * 11; hi = 62 + 2 * 260;   # gate work measured 26-62 cycles (bench/gate_roundtrip); WRPKRU 11-260 cycles
	printf "mpk PROJECTION (not measured, no PKU here): %.0f gate calls/s x (%d..%d cycles at %d MHz) = %.2f%%..%.2f%% of one core\n", gr, lo, hi, mhz, 100 * gr * lo / (mhz * 1e6), 100 * gr * hi / (mhz * 1e6)
	printf "  (the ERIM paper: < 1%% overhead at 100,000 switches/s; this server switches %.0f times/s at keep-alive load;\n", gr
	printf "   the projection leaves out the argument copies, which the none row already contains)\n"
}'
