#!/usr/bin/env bash
# cluster.sh measures Broadsheet as several instances on one PostgreSQL
# database, on 127.0.0.1, behind deploy/nginx/broadsheet.conf:
#
#   nginx-1, nginx-2, nginx-3   nginx in front of 1, 2 and 3 instances
#   varnish                     varnishd with deploy/varnish/default.vcl in
#                               front of nginx-3 (skipped, with a message,
#                               when that file or varnishd is missing)
#
# For each: req/s and p99 of wrk on a cached article page, and on an
# uncached mix (searches, section pages at random ?after cursors, API
# list reads at random cursors), with the CPU time each instance (and
# nginx, Varnish) spent per request. Then the propagation delay of
# headline edits made through instance 1's API until instances 2 and 3
# (and Varnish) show them (bench/propagation). Every wait is capped: an
# edit not seen within CAP seconds is reported "not within CAP s".
#
# It creates a fresh database on the server at PG_URL and drops it on
# exit, and stops everything it started, on success or failure.
#
# Environment: DURATION (seconds of wrk per measurement, default 5),
# CONNS (16), THREADS (2), EDITS (200), CAP (seconds one edit may take to
# show, 2), PROPAGATION_BUDGET (seconds for all the edits, 40),
# PG_URL (postgres://postgres@127.0.0.1:5432), VCL (default
# deploy/varnish/default.vcl), EXTRA_FLAGS (more flags for every
# instance), KEEP (1: keep the temp folder with logs and configs, and the
# database).
set -euo pipefail

DURATION=${DURATION:-5}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
EDITS=${EDITS:-200}
CAP=${CAP:-2}
PROPAGATION_BUDGET=${PROPAGATION_BUDGET:-40}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
EXTRA_FLAGS=${EXTRA_FLAGS:-}
KEEP=${KEEP:-0}
WARMUP=1

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init cluster
VCL=${VCL:-$repo/deploy/varnish/default.vcl}
PG_DSN=$PG_URL/postgres?sslmode=disable
db=broadsheet_cluster_$$

if ! command -v wrk >/dev/null; then
	say "installing wrk"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } ||
		die "wrk is not installed and apt-get could not install it"
fi
PATH=$PATH:/usr/sbin # Debian's nginx and varnishd
need go nginx wrk curl psql timeout
pg_sql 'SELECT 1' || die "no PostgreSQL answers at $PG_URL"

# run_nginx_front DIR PORT UPSTREAM...: writes a copy of deploy/nginx for
# PORT and the UPSTREAM addresses (with the shipped health settings) into
# DIR, and becomes nginx on it.
run_nginx_front() {
	local dir=$1 port=$2 health u
	shift 2
	mkdir -p "$dir"
	grep -q '^    listen 80;$' "$repo/deploy/nginx/broadsheet.conf" || die "deploy/nginx/broadsheet.conf has no 'listen 80;' line"
	sed "s/^    listen 80;\$/    listen 127.0.0.1:$port;/" "$repo/deploy/nginx/broadsheet.conf" >"$dir/broadsheet.conf"
	health=$(awk '$1 == "server" {sub(/;$/, ""); $1 = $2 = ""; sub(/^ +/, ""); print; exit}' "$repo/deploy/nginx/broadsheet-upstreams.conf")
	: >"$dir/broadsheet-upstreams.conf"
	for u in "$@"; do
		echo "server $u $health;" >>"$dir/broadsheet-upstreams.conf"
	done
	run_nginx "$dir" "    include broadsheet.conf;"
}

# run_varnish PORT BACKEND_PORT: becomes varnishd on a copy of $VCL whose
# first backend points at 127.0.0.1:BACKEND_PORT.
run_varnish() {
	awk -v port="$2" '
		/^backend / && !done { inb = 1 }
		inb && /\.host *=/ { sub(/"[^"]*"/, "\"127.0.0.1\"") }
		inb && /\.port *=/ { sub(/"[^"]*"/, "\"" port "\"") }
		inb && /^}/ { inb = 0; done = 1 }
		{ print }' "$VCL" >"$tmp/varnish.vcl"
	# varnishd reads the VCL as its own unprivileged user.
	chmod go+rx "$tmp"
	chmod go+r "$tmp/varnish.vcl"
	exec varnishd -F -n "$tmp/varnish" -a "127.0.0.1:$1" -f "$tmp/varnish.vcl" -s malloc,128m -p thread_pool_min=20
}

say "building into $tmp"
load_before=$(loadavg)
(cd "$repo" && go build -o "$tmp/broadsheet" ./cmd/broadsheet && go build -o "$tmp/propagation" ./bench/propagation)

fresh_pg_db "$db"
dsn=$(pg_dsn_for "$db")

with_varnish=false
if [[ ! -f $VCL ]]; then
	say "no $VCL: the Varnish variant is skipped"
elif ! command -v varnishd >/dev/null; then
	say "varnishd is not installed: the Varnish variant is skipped"
else
	with_varnish=true
	free_port
	port_varnish=$port
	next_port=$((next_port + 1))
fi
purge=()
if [[ $with_varnish == true ]]; then
	purge=(--purge-url "http://127.0.0.1:$port_varnish")
fi

# Instance 1 loads the demo paper (and migrates the empty database);
# 2 and 3 start on it once it is there.
inst_url=() inst_pid=()
for i in 1 2 3; do
	demo=()
	[[ $i == 1 ]] && demo=(--demo)
	# shellcheck disable=SC2086 # EXTRA_FLAGS is a list of flags
	start "instance-$i" "$tmp/instance-$i.log" "http://127.0.0.1:@PORT@/readyz" \
		"$tmp/broadsheet" serve --db "$dsn" --data "$tmp/data" --addr "127.0.0.1:@PORT@" --log-format json \
		--base-url http://bench.example --trusted-proxies 127.0.0.1 "${demo[@]}" "${purge[@]}" $EXTRA_FLAGS
	inst_url+=("127.0.0.1:$port")
	inst_pid+=("$pid")
done
token=$("$tmp/broadsheet" token create --db "$dsn" --data "$tmp/data" --email bench@paper.example --name Bench --role editor | tail -n 1)

home=$(curl -fsS --max-time 5 "http://${inst_url[0]}/")
path=$(grep -o 'href="/article/[^"]*"' <<<"$home" | head -n 1 | cut -d'"' -f2) || true
[[ $path == /article/* ]] || die "no /article/ link on the home page"
article_id=$(cut -d/ -f3 <<<"$path")
mapfile -t sections < <(grep -o 'href="/section/[^"?#]*"' <<<"$home" | cut -d'"' -f2 | sort -u)
((${#sections[@]} > 0)) || die "no /section/ links on the home page"

# The uncached mix: each request a search, a section page at a random
# cursor, or an API list at a random cursor, so that no page cache (the
# instances' or Varnish's) holds it.
cat >"$tmp/mix.lua" <<'EOF'
local words = {"council", "budget", "harbour", "election", "court", "prices", "river", "school",
  "museum", "rain", "market", "hospital", "festival", "bridge", "energy", "students"}
local sections, token, now_s, span_s, max_id = {}, "", 0, 0, 1
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  token, now_s, span_s, max_id = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  for i = 5, #args do sections[#sections + 1] = args[i] end
  math.randomseed(os.time() * 100 + id)
end
local function cursor()
  return (now_s - math.random(span_s)) .. string.format("%03d", math.random(0, 999)) .. "-" .. math.random(max_id)
end
request = function()
  local k = math.random(3)
  if k == 1 then
    return wrk.format("GET", "/search?q=" .. words[math.random(#words)])
  elseif k == 2 then
    return wrk.format("GET", sections[math.random(#sections)] .. "?after=" .. cursor())
  end
  return wrk.format("GET", "/api/v1/articles?limit=10&after=" .. cursor(), {["Authorization"] = "Bearer " .. token})
end
EOF
max_id=$(curl -fsS --max-time 5 -H "Authorization: Bearer $token" "http://${inst_url[0]}/api/v1/articles?limit=1" |
	grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)
mix_args=("$token" "$(date +%s)" $((90 * 86400)) "${max_id:-50}" "${sections[@]}")

# nginx in front of the first 1, 2 and 3 instances.
declare -A front front_pid
variants=()
for n in 1 2 3; do
	start "nginx-$n" "$tmp/nginx-$n.log" "http://127.0.0.1:@PORT@/readyz" run_nginx_front "$tmp/nginx-$n" @PORT@ "${inst_url[@]:0:n}"
	front[nginx-$n]="http://127.0.0.1:$port"
	front_pid[nginx-$n]=$pid
	variants+=("nginx-$n")
done
if [[ $with_varnish == true ]]; then
	port=$port_varnish
	run_varnish "$port_varnish" "${front[nginx-3]#http://127.0.0.1:}" >>"$tmp/varnish.log" 2>&1 &
	pid=$!
	pids+=("$pid")
	if wait_http "$pid" "http://127.0.0.1:$port_varnish/readyz" 30; then
		front[varnish]="http://127.0.0.1:$port_varnish"
		front_pid[varnish]=$pid
		variants+=(varnish)
	else
		say "varnishd did not start, the Varnish variant is skipped: $(tail -n 5 "$tmp/varnish.log")"
		with_varnish=false
	fi
fi

clk_tck=$(getconf CLK_TCK)
per_req() { awk -v c="$1" -v t="$clk_tck" -v n="$2" 'BEGIN {printf "%.0f", c / t * 1e6 / n}'; }

rows=()
# measure VARIANT LOAD: a warm-up, then wrk; adds a row to the table.
measure() {
	local v=$1 load=$2 u=${front[$1]} out r n i c0 c1 f0 f1 cpu=""
	local -a args=()
	if [[ $load == cached ]]; then
		args=("$u$path")
	else
		args=(-s "$tmp/mix.lua" "$u" -- "${mix_args[@]}")
	fi
	say "$v, $load: ${WARMUP}s warm-up, ${DURATION}s run (load average $(loadavg))"
	timeout $((WARMUP + 20)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "${args[@]}" >/dev/null
	local -a before=()
	for i in 0 1 2; do before+=("$(cpu_ticks "${inst_pid[$i]}")"); done
	f0=$(cpu_ticks "${front_pid[$v]}")
	out=$(timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${args[@]}")
	f1=$(cpu_ticks "${front_pid[$v]}")
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	r=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
	[[ -n $r && -n $n && $n -gt 0 ]] || die "could not parse wrk output for $v $load: $out"
	for i in 0 1 2; do
		c1=$(cpu_ticks "${inst_pid[$i]}")
		c0=${before[$i]}
		cpu+="$(per_req $((c1 - c0)) "$n")/"
	done
	errs=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
	rows+=("$(printf '%-9s %-8s %8s %8s   %-16s %8s  %s' "$v" "$load" "$r" "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")" \
		"${cpu%/}" "$(per_req $((f1 - f0)) "$n")" "${errs:--}")")
	trim_logs "$tmp"/instance-*.log
}
for v in "${variants[@]}"; do
	measure "$v" cached
	measure "$v" uncached
done

# propagation LABEL WATCH...: edits through instance 1, polls WATCH.
prop_rows=()
propagation() {
	local label=$1 out
	shift
	say "propagation to $label: up to $EDITS edits, ${CAP}s cap each, ${PROPAGATION_BUDGET}s in all"
	out=$("$tmp/propagation" -edit "http://${inst_url[0]}" -watch "$(
		IFS=,
		echo "$*"
	)" -token "$token" -article "$article_id" -n "$EDITS" -cap "${CAP}s" -budget "${PROPAGATION_BUDGET}s") ||
		die "propagation to $label failed"
	prop_rows+=("$(awk -v label="$label" -v cap="$CAP" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		p50 = (f["p50_ms"] == "-" || f["p50_ms"] == ">cap") ? "not within " cap " s" : f["p50_ms"] " ms"
		p99 = (f["p99_ms"] == "-" || f["p99_ms"] == ">cap") ? "not within " cap " s" : f["p99_ms"] " ms"
		printf "%-26s %6s %6s %6s   %-16s %s", label, f["edits"], f["seen"], f["missed"], p50, p99
	}' <<<"$out")")
}
propagation "instances 2 and 3" "http://${inst_url[1]}" "http://${inst_url[2]}"
if [[ $with_varnish == true ]]; then
	propagation "varnish" "${front[varnish]}"
fi

echo
echo "Broadsheet cluster benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(go version | cut -d' ' -f3)"
echo "one PostgreSQL database ($db, dropped on exit), demo paper; cached page: $path"
echo "load: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency after a ${WARMUP}s warm-up, one target at a time;"
echo "      uncached = searches, section pages at random ?after cursors, API lists at random cursors"
echo "load average (1, 5, 15 min): $load_before before, $(loadavg) after; everything shares the cores"
echo
printf '%-9s %-8s %8s %8s   %-16s %8s  %s\n' variant load req/s p99_ms "cpu_us/req i1/i2/i3" front errors
for row in "${rows[@]}"; do
	echo "$row"
done
echo "(cpu_us/req: CPU time, user + system, each instance spent per request answered; front: nginx's or varnishd's)"
echo
printf '%-26s %6s %6s %6s   %-16s %s\n' "propagation of edits to" edits seen missed p50 p99
for row in "${prop_rows[@]}"; do
	echo "$row"
done
echo "(from the API's 200 on instance 1 until every watched address shows the new headline; an edit not seen"
echo " within ${CAP} s counts as missed, and a percentile among the missed ones reads \"not within ${CAP} s\")"
