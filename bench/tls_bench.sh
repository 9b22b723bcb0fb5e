#!/bin/sh
# tls_bench.sh: `make bench-tls`.  wrk over loopback against Debian's nginx
# (1 worker), all in the same run: stock nginx + OpenSSL with the key file,
# then nginx + erim's provider with the key in trusted memory under the none
# and mprotect back ends.  For each: full handshakes per second (wrk with
# "Connection: close": every request is a new TLS connection; nginx has
# session tickets and the session cache off, so each is a full handshake with
# an RSA-2048 signature -- the provider's count of signatures checks it) and keep-alive requests per second (one
# connection per wrk connection, many requests each); the provider counts
# its gate calls (ERIM_PROVIDER_STATS=1) and the rate is derived.  The mpk
# cost is a PROJECTION: gate calls/s x (gate work + 2 x WRPKRU latency),
# with the gate work measured here (bench/gate_roundtrip: none-gate minus a
# direct call) and the published WRPKRU latency range (11-260 cycles).
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
port=$(free_port)
NGINX_EXTRA="ssl_session_tickets off; ssl_session_cache off;"
export NGINX_EXTRA
url=https://127.0.0.1:$port/
mhz=$(sed -n 's/^cpu MHz[^:]*: //p' /proc/cpuinfo | head -n 1 | cut -d. -f1)

rate() {  # rate WRK-ARGS...: requests/s reported by wrk
	wrk -t1 -c8 -d"${secs}s" "$@" "$url" 2>/dev/null | sed -n 's/^Requests\/sec: *//p'
}
measure() {  # measure LABEL KEY CONF BACKEND
	label=$1
	nginx_stop "$t"
	nginx_conf "$t" "$port" "$t/rsa2048.crt" "$2"
	: >"$t/logs/error.log"
	nginx_start "$t" OPENSSL_CONF="$3" LD_LIBRARY_PATH="$EP_LIBDIR" ERIM_BACKEND="$4" ERIM_QUIET=1 \
		ERIM_PROVIDER_STATS=1 || { echo "$label: nginx did not start"; cat "$t/start.log"; return 1; }
	hs=$(rate -H "Connection: close")
	ka=$(rate)
	nginx_stop "$t"
	calls=$(sed -n 's/.*erim-provider: pid [0-9]*: \([0-9]*\) signing gate calls.*/\1/p' "$t/logs/error.log" "$t/start.log" | awk '{s+=$1} END {print s+0}')
	printf '  round %d: %-24s %12s %14s %12s\n' "$round" "$label" "$hs" "$ka" "$calls"
	eval "ohs=\${hs_$5:-0} oka=\${ka_$5:-0}"
	if awk -v a="$hs" -v b="$ohs" 'BEGIN { exit !(a > b) }'; then eval "hs_$5=\$hs calls_$5=\$calls"; fi
	if awk -v a="$ka" -v b="$oka" 'BEGIN { exit !(a > b) }'; then eval "ka_$5=\$ka"; fi
}
echo "bench-tls: nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), 1 worker, wrk -t1 -c8 -d${secs}s over loopback, RSA-2048 key, TLS 1.3"
echo "host: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores (shared), PKU: $(grep -qw pku /proc/cpuinfo && echo yes || echo no)"
printf '  %-33s %12s %14s %12s\n' "configuration" "handshakes/s" "keep-alive r/s" "gate calls"
round=1
while [ $round -le "$rounds" ]; do
	measure "stock nginx + OpenSSL" "$t/rsa2048.key" /dev/null none stock
	measure "erim provider, none" "$t/rsa2048.ref" "$t/erim.cnf" none none
	measure "erim provider, mprotect" "$t/rsa2048.ref" "$t/erim.cnf" mprotect mprot
	round=$((round + 1))
done
echo
echo "best of $rounds rounds:"
printf '%-28s %12s %14s\n' "configuration" "handshakes/s" "keep-alive r/s"
printf '%-28s %12s %14s\n' "stock nginx + OpenSSL" "$hs_stock" "$ka_stock"
printf '%-28s %12s %14s\n' "erim provider, none" "$hs_none" "$ka_none"
printf '%-28s %12s %14s\n' "erim provider, mprotect" "$hs_mprot" "$ka_mprot"
echo
awk -v hs="$hs_none" -v calls="$calls_none" -v secs="$secs" -v hsm="$hs_mprot" -v hss="$hs_stock" \
    -v kas="$ka_stock" -v kan="$ka_none" -v kam="$ka_mprot" -v mhz="${mhz:-2500}" 'BEGIN {
	printf "gate calls under none: %d for %.0f full handshakes + 8 keep-alive connections (about one ep_sign per full handshake: wrk counts only completed requests);\n", calls, hs * secs
	printf "  gate calls/s = handshakes/s (%.0f at full handshake load); keep-alive requests cross no gate (record keys stay in libssl)\n", hs
	printf "provider vs stock (none back end, same binary): handshakes %.1f%%, keep-alive %.1f%% (RSA signing: BearSSL i62 vs OpenSSL assembly, plus the gate)\n", 100 * (hs / hss - 1), 100 * (kan / kas - 1)
	printf "mprotect vs none: handshakes %.1f%%, keep-alive %.1f%% (6 mprotect calls per gate)\n", 100 * (hsm / hs - 1), 100 * (kam / kan - 1)
	lo = 26 + 2 * 11; hi = 62 + 2 * 260;   # gate work measured 26-62 cycles (bench/gate_roundtrip); WRPKRU 11-260 cycles
	printf "mpk PROJECTION (not measured, no PKU here): %.0f gate calls/s x (%d..%d cycles at %d MHz) = %.4f%%..%.4f%% of one core\n", hs, lo, hi, mhz, 100 * hs * lo / (mhz * 1e6), 100 * hs * hi / (mhz * 1e6)
	printf "  (the ERIM paper: < 1%% overhead at 100,000 switches/s; this server switches %.0f times/s at full handshake load)\n", hs
}'
