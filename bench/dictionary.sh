#!/usr/bin/env bash
# dictionary.sh measures the reader's dictionary against PRODUCT.md's
# budgets (≥ 50,000 look-ups/s, p99 < 1 ms, < 40 MB added to the binary,
# start-up < 1 s), all on 127.0.0.1:
#
#   1. binary size: bench/dictsize/with (a tiny program that looks a word
#      up) against bench/dictsize/without (the same program without the
#      dictionary), and the broadsheet binary itself;
#   2. start-up: the tiny program's decode-and-look-up time, and
#      broadsheet serve from exec to /readyz answering, then to the first
#      look-up answered;
#   3. the Go benchmarks of the dictionary itself and of the whole look-up
#      handler (go test -bench);
#   4. load: wrk -t$THREADS -c$CONNS -d$DURATION on GET /api/v1/dictionary,
#      the words taken in turn from a list of article words, with a
#      2 s warm-up.
#
# Everything it starts is stopped on exit, on success or failure, and
# every step has a time limit.
#
# Environment: DURATION (seconds, default 10), CONNS (32), THREADS (2),
# KEEP (1: keep the temp folder with the logs).
set -euo pipefail

DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
KEEP=${KEEP:-0}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init dict-bench
need go wrk curl timeout

cd "$repo"
now_ms() { date +%s%3N; }

# --- 1. binary size -------------------------------------------------------
say "building…"
timeout 300 go build -o "$tmp/with" ./bench/dictsize/with
timeout 300 go build -o "$tmp/without" ./bench/dictsize/without
timeout 300 go build -o "$tmp/broadsheet" ./cmd/broadsheet
size() { stat -c %s "$1"; }
with=$(size "$tmp/with")
without=$(size "$tmp/without")
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
added=$((with - without))

# --- 2. start-up --------------------------------------------------------------
tiny=$(timeout 20 "$tmp/with")

# timed_start FLAGS...: starts broadsheet serve with FLAGS on $port and
# sets ready_ms to the time from exec until /readyz answers, and first_ms
# until the first look-up is answered. It polls every 20 ms, so the times
# are that precise.
timed_start() {
	local t0
	t0=$(now_ms)
	"$tmp/broadsheet" serve "$@" --data "$tmp/data" --addr "127.0.0.1:$port" --access-log=false \
		--log-format text >>"$tmp/server.log" 2>&1 &
	server_pid=$!
	pids+=("$server_pid")
	wait_http "$server_pid" "http://127.0.0.1:$port/readyz" 30 0.02 || die "broadsheet exited: $(tail -n 5 "$tmp/server.log")"
	ready_ms=$(($(now_ms) - t0))
	curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/api/v1/dictionary?q=signals"
	first_ms=$(($(now_ms) - t0))
}
free_port
timed_start --demo
ready=$ready_ms first=$first_ms

# The second start finds the demo loaded: the start-up of a running site.
stop_and_forget "$server_pid"
timed_start
ready2=$ready_ms first2=$first_ms

# --- 3. Go benchmarks -------------------------------------------------------
say "Go benchmarks…"
timeout 300 go test -run '^$' -bench 'Lookup$|LessCommonWords|Suggest' -benchmem ./internal/dictionary/ >"$tmp/bench-dict.txt"
timeout 300 go test -run '^$' -bench 'API_dictionaryLookup' -benchmem ./internal/server/ >"$tmp/bench-api.txt"

# --- 4. load ----------------------------------------------------------------
cat >"$tmp/words.lua" <<'LUA'
-- Words as readers meet them in articles, taken in turn by each connection.
local words = {"signals", "departed", "lawmakers", "negotiators", "sanctions", "interest%20rates",
  "held", "mice", "economy", "budget", "Workers%E2%80%99", "heat-wave", "better", "pension",
  "demographic", "retiree", "shortfall", "subsidies", "constituencies", "watchdog"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/dictionary?q=" .. words[(i % #words) + 1])
end
LUA
say "load: wrk -t$THREADS -c$CONNS -d${DURATION}s…"
timeout 30 wrk -t"$THREADS" -c"$CONNS" -d2s -s "$tmp/words.lua" "http://127.0.0.1:$port" >/dev/null
read -r cpu0 < <(awk '{print $14 + $15}' "/proc/$server_pid/stat")
timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$tmp/words.lua" \
	"http://127.0.0.1:$port" >"$tmp/wrk.txt"
read -r cpu1 < <(awk '{print $14 + $15}' "/proc/$server_pid/stat")
rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.txt")
reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk.txt")
ticks=$(getconf CLK_TCK)
cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$ticks" -v n="$reqs" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')

# --- report -----------------------------------------------------------------
echo "Dictionary benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | awk '{print $3}'), load average $(loadavg))"
echo
echo "binary size: with the dictionary $(mb "$with"), without $(mb "$without"): adds $(mb "$added") (budget < 40 MB); broadsheet $(mb "$(size "$tmp/broadsheet")")"
echo "tiny program: $tiny"
echo "broadsheet serve --demo (first start, loads the demo): /readyz after ${ready} ms, first look-up answered after ${first} ms"
echo "broadsheet serve (second start): /readyz after ${ready2} ms, first look-up answered after ${first2} ms (budget < 1000 ms)"
echo
echo "Go benchmarks:"
grep -h '^Benchmark' "$tmp/bench-dict.txt" "$tmp/bench-api.txt" | sed 's/^/  /'
echo
echo "HTTP load, GET /api/v1/dictionary, wrk -t$THREADS -c$CONNS -d${DURATION}s, wrk and server on the same cores:"
echo "  $rps requests/s, p99 $p99, ${non2xx:-0} non-2xx, server CPU ${cpu_us} µs per look-up"
