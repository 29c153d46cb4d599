#!/usr/bin/env bash
# pagecache.sh measures Broadsheet's article page against PRODUCT.md's
# budgets, side by side in one run on 127.0.0.1:
#
#   broadsheet-cached    broadsheet serve --demo (page cache and access log on)
#   nginx                the same page's bytes as a static file
#   memserver            a minimal Go net/http server with the bytes in memory
#   memserver-cl         the same, also setting Content-Length
#   memserver-hdr        the same, sending every header Broadsheet sends with
#                        the page (same bytes on the wire, not only the body)
#   broadsheet-uncached  broadsheet serve --page-cache=false (renders from SQLite)
#
# Each target gets a 2 s warm-up, then wrk -t$THREADS -c$CONNS -d$DURATION.
# Everything it starts is stopped on exit, on success or failure.
#
# Environment: DURATION (seconds, default 10), CONNS (32), THREADS (2),
# ROUNDS (1; with more, targets take turns and the table shows medians),
# GZIP (1: also run an informative Accept-Encoding: gzip round; 0: skip),
# EXTRA_FLAGS (more flags for both Broadsheet servers, e.g. --access-log=false),
# KEEP (1: keep the temp folder with logs and configs).
set -euo pipefail

DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
GZIP=${GZIP:-1}
ROUNDS=${ROUNDS:-1}
EXTRA_FLAGS=${EXTRA_FLAGS:-}
KEEP=${KEEP:-0}
WARMUP=2

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init bench
need go nginx wrk curl timeout

# run_nginx_static PORT: becomes nginx on PORT, serving $tmp/www as
# static files.
run_nginx_static() {
	run_nginx "$tmp/nginx" "    types { text/html html; }
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    gzip off;
    server {
        listen 127.0.0.1:$1;
        root $tmp/www;
    }"
}

say "building into $tmp"
load_before=$(loadavg)
(cd "$repo" && go build -o "$tmp/broadsheet" ./cmd/broadsheet && go build -o "$tmp/memserver" ./bench/memserver)

# Broadsheet with the page cache (the default) and the access log on.
# shellcheck disable=SC2086 # EXTRA_FLAGS is a list of flags
start broadsheet-cached "$tmp/broadsheet-cached.log" "http://127.0.0.1:@PORT@/readyz" \
	"$tmp/broadsheet" serve --demo --data "$tmp/data" --addr "127.0.0.1:@PORT@" --log-format json --base-url http://bench.example $EXTRA_FLAGS
port_cached=$port
pid_cached=${pids[-1]}

# The first article linked from the home page.
path=$(curl -fsS --max-time 5 "http://127.0.0.1:$port_cached/" | grep -o 'href="/article/[^"]*"' | head -n 1 | cut -d'"' -f2) ||
	true
[[ $path == /article/* ]] || die "no /article/ link on the home page"
mkdir -p "$tmp/www" "$tmp/nginx"
curl -fsS --max-time 5 -D "$tmp/article.headers" -o "$tmp/www/article.html" "http://127.0.0.1:$port_cached$path"
size=$(wc -c <"$tmp/www/article.html")
((size > 0)) || die "the article page is empty"

# nginx serving the same bytes as a static file.
start nginx "$tmp/nginx/start.log" "http://127.0.0.1:@PORT@/article.html" run_nginx_static @PORT@
port_nginx=$port
pid_nginx=${pids[-1]}

# The minimal Go server with the bytes in memory.
start memserver "$tmp/memserver.log" "http://127.0.0.1:@PORT@$path" \
	"$tmp/memserver" -addr "127.0.0.1:@PORT@" -file "$tmp/www/article.html"
port_mem=$port
pid_mem=${pids[-1]}

# The same with Content-Length set, so net/http does not chunk: the
# stricter baseline.
start memserver-cl "$tmp/memserver-cl.log" "http://127.0.0.1:@PORT@$path" \
	"$tmp/memserver" -addr "127.0.0.1:@PORT@" -file "$tmp/www/article.html" -content-length
port_mem_cl=$port
pid_mem_cl=${pids[-1]}

# The same sending Broadsheet's own headers for the page (request id,
# CSP, nosniff, referrer policy, cache validators …): the bytes on the
# wire are then the same as the cached page's, not only the body.
start memserver-hdr "$tmp/memserver-hdr.log" "http://127.0.0.1:@PORT@$path" \
	"$tmp/memserver" -addr "127.0.0.1:@PORT@" -file "$tmp/www/article.html" -headers "$tmp/article.headers"
port_mem_hdr=$port
pid_mem_hdr=${pids[-1]}

# Broadsheet without the page cache, on the same data folder (SQLite WAL
# lets the two processes read it side by side).
# shellcheck disable=SC2086
start broadsheet-uncached "$tmp/broadsheet-uncached.log" "http://127.0.0.1:@PORT@/readyz" \
	"$tmp/broadsheet" serve --data "$tmp/data" --addr "127.0.0.1:@PORT@" --log-format json --base-url http://bench.example --page-cache=false $EXTRA_FLAGS
port_uncached=$port
pid_uncached=${pids[-1]}

declare -A url=(
	[broadsheet-cached]="http://127.0.0.1:$port_cached$path"
	[nginx]="http://127.0.0.1:$port_nginx/article.html"
	[memserver]="http://127.0.0.1:$port_mem$path"
	[memserver-cl]="http://127.0.0.1:$port_mem_cl$path"
	[memserver-hdr]="http://127.0.0.1:$port_mem_hdr$path"
	[broadsheet-uncached]="http://127.0.0.1:$port_uncached$path"
	[broadsheet-cached-gzip]="http://127.0.0.1:$port_cached$path"
	[nginx-gzip-off]="http://127.0.0.1:$port_nginx/article.html"
)
targets=(broadsheet-cached nginx memserver memserver-cl memserver-hdr broadsheet-uncached)
if [[ $GZIP == 1 ]]; then
	targets+=(broadsheet-cached-gzip nginx-gzip-off)
fi

# Every target must answer 200 with the same body.
for t in broadsheet-cached nginx memserver memserver-cl memserver-hdr broadsheet-uncached; do
	curl -fsS --max-time 5 -o "$tmp/check.html" "${url[$t]}" || die "$t: GET ${url[$t]} failed"
	cmp -s "$tmp/check.html" "$tmp/www/article.html" || say "warning: $t answers a different body than the saved page"
done

# median FORMAT NUMBERS...: prints the median of NUMBERS with printf FORMAT.
median() {
	local f=$1
	shift
	printf '%s\n' "$@" | sort -g | awk -v f="$f" '{v[NR] = $1} END {printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

declare -A target_pid=(
	[broadsheet-cached]=$pid_cached [nginx]=$pid_nginx [memserver]=$pid_mem [memserver-cl]=$pid_mem_cl [memserver-hdr]=$pid_mem_hdr [broadsheet-uncached]=$pid_uncached
	[broadsheet-cached-gzip]=$pid_cached [nginx-gzip-off]=$pid_nginx
)
clk_tck=$(getconf CLK_TCK)

declare -A rps p99 errs hdr srv_us wrk_us
# measure NAME ROUND: warm-up, then the measured run; appends req/s, p99
# and the CPU time the server and wrk spent per request. The CPU times
# depend far less than req/s on other work competing for the cores.
measure() {
	local name=$1 round=$2 u=${url[$1]} out r c0 c1 n wrk_cpu
	local -a extra=()
	if [[ $name == *gzip* ]]; then
		extra=(-H 'Accept-Encoding: gzip')
	fi
	say "round $round, $name: ${WARMUP}s warm-up, ${DURATION}s run (load average $(loadavg))"
	timeout $((WARMUP + 20)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "${extra[@]}" "$u" >/dev/null
	c0=$(cpu_ticks "${target_pid[$name]}")
	wrk_cpu=$( {
		TIMEFORMAT='%3U %3S'
		time timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${extra[@]}" "$u" \
			>"$tmp/wrk-$name-$round.txt"
	} 2>&1 | awk '{print $1 + $2}')
	c1=$(cpu_ticks "${target_pid[$name]}")
	out=$(<"$tmp/wrk-$name-$round.txt")
	r=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	[[ -n $r && -n $n && $n -gt 0 ]] || die "could not parse wrk output for $name: $out"
	srv_us[$name]+="$(awk -v c=$((c1 - c0)) -v t="$clk_tck" -v n="$n" 'BEGIN {printf "%.1f", c / t * 1e6 / n}') "
	wrk_us[$name]+="$(awk -v c="$wrk_cpu" -v n="$n" 'BEGIN {printf "%.1f", c * 1e6 / n}') "
	rps[$name]+="$r "
	p99[$name]+="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") "
	errs[$name]+=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
	hdr[$name]=$(curl -sS --max-time 5 -o /dev/null -D - "${extra[@]}" "$u" | wc -c)
}

# Latency round. When wrk and the server share both cores, the scheduler
# alone puts even the minimal server's p99 near 8 ms. Here each gets its
# own core — the server on CPU 0 with GOMAXPROCS=1, wrk (one thread) on
# CPU 1 — so the tail shows the server, not the contention.
declare -A lat_p99 lat_rps
latency_round() {
	local name=$1 u=$2 out
	say "latency, $name: server on CPU 0, wrk -t1 -c$CONNS on CPU 1, ${DURATION}s"
	timeout $((WARMUP + 20)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${WARMUP}s" "$u" >/dev/null
	out=$(timeout $((DURATION + 30)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "$u")
	lat_p99[$name]=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
	lat_rps[$name]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
}
pinned=false
if command -v taskset >/dev/null && (($(nproc) >= 2)); then
	pinned=true
	# shellcheck disable=SC2086
	start broadsheet-pinned "$tmp/broadsheet-pinned.log" "http://127.0.0.1:@PORT@/readyz" \
		taskset -c 0 env GOMAXPROCS=1 "$tmp/broadsheet" serve --data "$tmp/data" --addr "127.0.0.1:@PORT@" \
		--log-format json --base-url http://bench.example $EXTRA_FLAGS
	port_pinned=$port
	start memserver-pinned "$tmp/memserver-pinned.log" "http://127.0.0.1:@PORT@$path" \
		taskset -c 0 env GOMAXPROCS=1 "$tmp/memserver" -addr "127.0.0.1:@PORT@" -file "$tmp/www/article.html"
	port_mem_pinned=$port
	latency_round broadsheet-cached "http://127.0.0.1:$port_pinned$path"
	latency_round memserver "http://127.0.0.1:$port_mem_pinned$path"
	trim_logs "$tmp"/broadsheet-*.log
fi

# Rounds take the targets in turn, so that a burst of other work on the
# machine does not land on one target only; the table shows medians.
for round in $(seq "$ROUNDS"); do
	for t in "${targets[@]}"; do
		measure "$t" "$round"
		trim_logs "$tmp"/broadsheet-*.log
	done
done
gzsize=$(curl -sS --max-time 5 -H 'Accept-Encoding: gzip' "${url[broadsheet-cached]}" | wc -c)

declare -A med_rps med_p99 med_srv med_wrk
for t in "${targets[@]}"; do
	# shellcheck disable=SC2086
	med_srv[$t]=$(median %.1f ${srv_us[$t]})
	# shellcheck disable=SC2086
	med_wrk[$t]=$(median %.1f ${wrk_us[$t]})
	# shellcheck disable=SC2086 # the lists are space-separated numbers
	med_rps[$t]=$(median %.0f ${rps[$t]})
	# shellcheck disable=SC2086
	med_p99[$t]=$(median %.2f ${p99[$t]})
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
verdict() { if "$@"; then echo ok; else echo MISSED; fi; }

c=${med_rps[broadsheet-cached]}
echo
echo "Broadsheet page cache benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(go version | cut -d' ' -f3)"
echo "page: $path, $size bytes (body), $gzsize bytes gzipped by Broadsheet"
echo "load: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency after a ${WARMUP}s warm-up, one target at a time;"
echo "      $ROUNDS round(s), medians shown (every round's numbers are in the columns on the right)"
echo "load average (1, 5, 15 min): $load_before before, $(loadavg) after; other work on the machine skews the numbers"
if [[ -n $EXTRA_FLAGS ]]; then
	echo "extra Broadsheet flags: $EXTRA_FLAGS"
fi
echo
printf '%-24s %9s %8s %11s %11s %9s  %-24s %s\n' target req/s p99_ms server_us/req wrk_us/req hdr_bytes "req/s per round" errors
for t in "${targets[@]}"; do
	printf '%-24s %9s %8s %11s %11s %9s  %-24s %s\n' "$t" "${med_rps[$t]}" "${med_p99[$t]}" "${med_srv[$t]}" "${med_wrk[$t]}" \
		"${hdr[$t]}" "${rps[$t]}" "${errs[$t]:--}"
done
echo "(server_us/req and wrk_us/req: CPU time, user + system, per request; 2 cores shared by wrk and the server)"
if [[ $GZIP == 1 ]]; then
	echo "(gzip rows are informative: Broadsheet sends the page gzipped once when cached; nginx has gzip off and sends it plain)"
fi

echo
printf '%-38s %9s   %-10s %s\n' measure value budget verdict
r=$(ratio "$c" "${med_rps[memserver]}")
printf '%-38s %8s%%   %-10s %s\n' "cached / memserver req/s" "$r" ">= 90%" "$(verdict ge "$r" 90)"
r=$(ratio "$c" "${med_rps[memserver-cl]}")
printf '%-38s %8s%%   %-10s %s\n' "cached / memserver-cl req/s" "$r" ">= 90%" "$(verdict ge "$r" 90)"
r=$(ratio "$c" "${med_rps[memserver-hdr]}")
printf '%-38s %8s%%   %-10s %s\n' "cached / memserver-hdr req/s" "$r" ">= 90%" "$(verdict ge "$r" 90)"
r=$(ratio "$c" "${med_rps[nginx]}")
printf '%-38s %8s%%   %-10s %s\n' "cached / nginx req/s" "$r" ">= 40%" "$(verdict ge "$r" 40)"
r=${med_p99[broadsheet-cached]}
printf '%-38s %9s   %-10s %s\n' "cached p99, shared cores (ms)" "$r" "< 5 ms" "$(verdict lt "$r" 5)"
if [[ $pinned == true ]]; then
	r=${lat_p99[broadsheet-cached]}
	printf '%-38s %9s   %-10s %s\n' "cached p99, own cores (ms)" "$r" "< 5 ms" "$(verdict lt "$r" 5)"
	echo "  (own cores: Broadsheet ${lat_rps[broadsheet-cached]} req/s, p99 ${lat_p99[broadsheet-cached]} ms;" \
		"memserver ${lat_rps[memserver]} req/s, p99 ${lat_p99[memserver]} ms)"
fi
r=${med_rps[broadsheet-uncached]}
printf '%-38s %9s   %-10s %s\n' "uncached req/s" "$r" ">= 5000" "$(verdict ge "$r" 5000)"

# On a machine doing nothing else, wrk and the server share the 2 cores, so
# req/s is about 2 s of CPU divided by the CPU both spend per request. This
# estimate holds up when other work competes for the cores.
cost() { awk -v a="${med_srv[$1]}" -v b="${med_wrk[$1]}" 'BEGIN {print a + b}'; }
echo
echo "CPU-cost check (server + wrk CPU per request; less sensitive to other load on the machine):"
r=$(ratio "$(cost memserver)" "$(cost broadsheet-cached)")
printf '%-38s %8s%%   %-10s %s\n' "cached / memserver, by CPU cost" "$r" ">= 90%" "$(verdict ge "$r" 90)"
r=$(ratio "$(cost memserver-cl)" "$(cost broadsheet-cached)")
printf '%-38s %8s%%   %-10s %s\n' "cached / memserver-cl, by CPU cost" "$r" ">= 90%" "$(verdict ge "$r" 90)"
r=$(ratio "$(cost memserver-hdr)" "$(cost broadsheet-cached)")
printf '%-38s %8s%%   %-10s %s\n' "cached / memserver-hdr, by CPU cost" "$r" ">= 90%" "$(verdict ge "$r" 90)"
r=$(ratio "$(cost nginx)" "$(cost broadsheet-cached)")
printf '%-38s %8s%%   %-10s %s\n' "cached / nginx, by CPU cost" "$r" ">= 40%" "$(verdict ge "$r" 40)"
