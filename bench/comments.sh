#!/usr/bin/env bash
# comments.sh measures posting comments against PRODUCT.md's budget:
# >= 1,000 accepted comments/s on SQLite, none lost, each visible to
# readers within 1 s.
#
# For each engine it starts `broadsheet serve --demo` on 127.0.0.1 with a
# fresh database, then runs bench/commentload: READERS signed-in readers
# (the anti-manipulation limits raised for the run) post comments at once
# for DURATION seconds, one kept-alive connection each, while a probe looks
# for accepted comments on the public list. The client then counts what
# the database holds and prints accepted, stored (they must be equal) and
# comments per second.
#
# Everything it starts is stopped on exit, on success or failure, and the
# PostgreSQL database it created is dropped.
#
# Environment: ENGINES ("sqlite postgres"), READERS (200), DURATION
# (seconds, 30), PG_DSN (postgres://postgres@127.0.0.1:5432/test?sslmode=disable:
# a server on this machine; the run creates its own database there and
# drops it), SPREAD_IPS (1: each reader posts from its own address, sent
# in X-Forwarded-For with the server trusting 127.0.0.1 as its proxy; 0,
# the default: all readers share 127.0.0.1, as behind one NAT or an
# untrusted proxy), EXTRA_FLAGS (more flags for broadsheet serve), KEEP
# (1: keep the temp folder and the PostgreSQL database).
set -euo pipefail

ENGINES=${ENGINES:-sqlite postgres}
READERS=${READERS:-200}
DURATION=${DURATION:-30}
PG_DSN=${PG_DSN:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
SPREAD_IPS=${SPREAD_IPS:-0}
EXTRA_FLAGS=${EXTRA_FLAGS:-}
KEEP=${KEEP:-0}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-comments.XXXXXX")
pids=()
pg_db=""

say() { printf '%s\n' "$*" >&2; }
die() {
	say "comments.sh: $*"
	exit 1
}

# stop PID: asks the process to stop, gives it 5 s, then kills it.
stop() {
	kill -TERM "$1" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do
		stop "$pid"
	done
	if [[ -n $pg_db ]]; then
		if [[ $KEEP == 1 ]]; then
			say "PostgreSQL database $pg_db kept"
		else
			pg_sql "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" || say "could not drop PostgreSQL database $pg_db"
		fi
	fi
	if [[ $KEEP == 1 || $rc != 0 ]]; then
		say "logs kept in $tmp"
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ $READERS =~ ^[0-9]+$ && $READERS -ge 1 ]] || die "READERS must be a positive whole number"
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 ]] || die "DURATION must be a whole number of seconds"
for tool in go curl timeout; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done
for engine in $ENGINES; do
	[[ $engine == sqlite || $engine == postgres ]] || die "unknown engine $engine in ENGINES (want sqlite and/or postgres)"
done

# pg_sql SQL: runs one statement on the server of PG_DSN.
pg_sql() {
	PGCONNECT_TIMEOUT=5 PGOPTIONS="-c client_min_messages=warning" timeout 60 psql "$PG_DSN" -v ON_ERROR_STOP=1 -qAtc "$1" >/dev/null
}

# pg_dsn_for NAME: PG_DSN with its database replaced by NAME.
pg_dsn_for() {
	local base=${PG_DSN%%\?*} query=""
	[[ $PG_DSN == *\?* ]] && query="?${PG_DSN#*\?}"
	local rest=${base#*://}
	if [[ $rest == */* ]]; then
		base=${base%/*}
	fi
	printf '%s/%s%s' "$base" "$1" "$query"
}

if [[ " $ENGINES " == *" postgres "* ]]; then
	command -v psql >/dev/null || die "psql is not installed (needed to create the run's database); set ENGINES=sqlite to skip PostgreSQL"
	# Only a server on this machine: the run writes tens of thousands of rows.
	pg_host=${PG_DSN#*://}
	pg_host=${pg_host%%[/?]*}
	pg_host=${pg_host##*@}
	pg_host=${pg_host%:*}
	case $pg_host in
	127.0.0.1 | localhost | "[::1]") ;;
	*) die "PG_DSN must name a server on 127.0.0.1 (got host \"$pg_host\")" ;;
	esac
	pg_sql "SELECT 1" || die "cannot reach PostgreSQL at PG_DSN=$PG_DSN; start it or set ENGINES=sqlite"
fi

# free_port sets port to a port on 127.0.0.1, below the ephemeral range,
# that no socket uses in any state and nothing answers on.
next_port=$((12000 + RANDOM % 18000))
free_port() {
	local p
	for _ in $(seq 500); do
		p=$next_port
		next_port=$((next_port >= 30000 ? 12000 : next_port + 1))
		if command -v ss >/dev/null && [[ -n $(ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null) ]]; then
			continue
		fi
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			port=$p
			return
		fi
	done
	die "no free port found"
}

# wait_http PID URL SECONDS: waits until URL answers 200; returns 1 if the
# process PID exits first, and fails the script after SECONDS.
wait_http() {
	local pid=$1 url=$2 deadline=$((SECONDS + $3))
	until curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || return 1
		((SECONDS < deadline)) || die "$url did not answer within $3 s"
		sleep 0.1
	done
}

# start NAME LOG CMD...: starts CMD in the background on a free port
# (@PORT@ in CMD's arguments stands for it), waits until /readyz answers,
# and sets $port and $pid. A failed start is tried again on another port,
# up to 3 times.
start() {
	local name=$1 log=$2 try
	shift 2
	for try in 1 2 3; do
		free_port
		"${@//@PORT@/$port}" >>"$log" 2>&1 &
		pid=$!
		pids+=("$pid")
		if wait_http "$pid" "http://127.0.0.1:$port/readyz" 60; then
			return
		fi
		wait "$pid" 2>/dev/null || true
		say "$name did not start on port $port (try $try): $(tail -n 3 "$log")"
	done
	die "$name would not start; see $log"
}

say "building into $tmp"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
(cd "$repo" && timeout 600 go build -o "$tmp/broadsheet" ./cmd/broadsheet &&
	timeout 600 go build -o "$tmp/commentload" ./bench/commentload)

results=$tmp/results.tsv
failed=()
spread_server=()
spread_client=()
if [[ $SPREAD_IPS == 1 ]]; then
	spread_server=(--trusted-proxies 127.0.0.1)
	spread_client=(-spread-ips)
fi
for engine in $ENGINES; do
	data=$tmp/$engine
	mkdir -p "$data"
	db_flags=()
	if [[ $engine == postgres ]]; then
		pg_db=broadsheet_bench_$$
		pg_sql "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"
		pg_sql "CREATE DATABASE $pg_db"
		db=$(pg_dsn_for "$pg_db")
		db_flags=(--db "$db")
	else
		db=$data/broadsheet.db
	fi
	# shellcheck disable=SC2086 # EXTRA_FLAGS is a list of flags
	start "broadsheet ($engine)" "$tmp/broadsheet-$engine.log" \
		"$tmp/broadsheet" serve --demo --data "$data" --addr "127.0.0.1:@PORT@" --access-log=false "${db_flags[@]}" "${spread_server[@]}" $EXTRA_FLAGS
	say "$engine: $READERS readers for ${DURATION}s on 127.0.0.1:$port (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	# In the background, so that a signal to this script is handled at
	# once (bash runs traps only between foreground commands) and the
	# client is stopped with the rest.
	server=$pid
	timeout $((DURATION + 300)) "$tmp/commentload" -db "$db" -url "http://127.0.0.1:$port" -engine "$engine" \
		-readers "$READERS" -duration "${DURATION}s" -server-pid "$server" -result "$results" "${spread_client[@]}" &
	client=$!
	pids+=("$client")
	if ! wait "$client"; then
		failed+=("$engine")
	fi
	stop "$server"
	left=()
	for p in "${pids[@]}"; do
		[[ $p == "$server" || $p == "$client" ]] || left+=("$p")
	done
	pids=("${left[@]}")
	echo
done

[[ -s $results ]] || die "no results (see the logs in $tmp)"
addresses="all from 127.0.0.1"
[[ $SPREAD_IPS == 1 ]] && addresses="one address each (X-Forwarded-For)"
echo "comments.sh: $READERS readers ($addresses), ${DURATION}s per engine, 127.0.0.1, $(nproc) cores;" \
	"load average (1, 5, 15 min) $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
awk -F'\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	FNR == 2 { printf "%-9s %7s %7s %9s %9s %5s %10s %7s %7s %11s %11s %10s %6s\n", "engine", "readers", "seconds",
		"accepted", "stored", "equal", "comments/s", "p50_ms", "p99_ms", "vis_p99_ms", "vis_max_ms", "server_us", "busy%" }
	{ printf "%-9s %7s %7s %9s %9s %5s %10s %7s %7s %11s %11s %10s %6s\n", $col["engine"], $col["readers"], $col["seconds"],
		$col["accepted"], $col["stored"], $col["equal"], $col["comments_s"], $col["p50_ms"], $col["p99_ms"],
		$col["vis_p99_ms"], $col["vis_max_ms"], $col["server_us"], $col["busy_pct"] }
' "$results"
echo "(p50/p99: POST latency; vis: from the 201 to a public GET showing the comment; server_us: server CPU per accepted comment;"
echo " busy%: all cores, server + load client + PostgreSQL. Budget: >= 1,000 accepted/s on SQLite, stored = accepted, visible within 1 s)"
if ((${#failed[@]} > 0)); then
	die "failed on: ${failed[*]}"
fi
