#!/usr/bin/env bash
# stampede.sh measures readers of a page that a write keeps dropping from
# the page cache, before and after one render per page at a time
# (internal/web/flight.go).
#
# For each engine and each build it starts `broadsheet serve --demo` on
# 127.0.0.1 with a fresh database, then runs bench/stampedeload: READERS
# readers (one kept-alive connection each) read one article page and its
# section front for DURATION seconds after a 2 s warm-up, while a writer
# edits another article of the same section through the API every
# 100 ms, which drops both pages. It prints p50/p99 and requests/s.
#
# Builds: "before" is the commit before internal/web/flight.go was added
# (or BEFORE_REV), "after" the working tree. On PostgreSQL the "after"
# build also runs with --db-max-conns 4, the pool "before" had on 2 cores,
# to tell the two changes apart.
#
# Everything it starts is stopped on exit, on success or failure, and the
# PostgreSQL databases it created are dropped.
#
# Environment: ENGINES ("sqlite postgres"), READERS (200), DURATION
# (seconds, 15), BEFORE_REV, PG_DSN (postgres://postgres@127.0.0.1:5432/test?sslmode=disable:
# a server on this machine), KEEP (1: keep the temp folder).
set -euo pipefail

ENGINES=${ENGINES:-sqlite postgres}
READERS=${READERS:-200}
DURATION=${DURATION:-15}
PG_DSN=${PG_DSN:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
KEEP=${KEEP:-0}
EXTRA_FLAGS=""

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-stampede.XXXXXX")
pids=()
pg_db=""

say() { printf '%s\n' "$*" >&2; }
die() {
	say "stampede.sh: $*"
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
if [[ -z ${BEFORE_REV:-} ]]; then
	added=$(cd "$repo" && git log --diff-filter=A --format=%H -- internal/web/flight.go | tail -n 1)
	[[ -n $added ]] || die "internal/web/flight.go has no commit; set BEFORE_REV"
	BEFORE_REV=$added~1
fi
mkdir -p "$tmp/before-src"
(cd "$repo" && git archive "$BEFORE_REV" | tar -x -C "$tmp/before-src")
(cd "$tmp/before-src" && timeout 600 go build -o "$tmp/broadsheet-before" ./cmd/broadsheet)
(cd "$repo" && timeout 600 go build -o "$tmp/broadsheet-after" ./cmd/broadsheet &&
	timeout 600 go build -o "$tmp/stampedeload" ./bench/stampedeload)

results=$tmp/results.txt
# measure ENGINE BUILD LABEL FLAGS...: one run on a fresh database.
measure() {
	local engine=$1 build=$2 label=$3 data db client
	shift 3
	data=$tmp/$label
	mkdir -p "$data"
	local db_flags=()
	if [[ $engine == postgres ]]; then
		pg_db=broadsheet_stampede_$$
		pg_sql "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"
		pg_sql "CREATE DATABASE $pg_db"
		db=$(pg_dsn_for "$pg_db")
		db_flags=(--db "$db")
	else
		db=$data/broadsheet.db
	fi
	start "broadsheet ($label)" "$tmp/$label.log" \
		"$tmp/broadsheet-$build" serve --demo --data "$data" --addr "127.0.0.1:@PORT@" --access-log=false --log-level warn "${db_flags[@]}" "$@"
	local server=$pid
	say "$label: $READERS readers for ${DURATION}s on 127.0.0.1:$port (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	timeout $((DURATION + 120)) "$tmp/stampedeload" -db "$db" -url "http://127.0.0.1:$port" -label "$label" \
		-readers "$READERS" -duration "${DURATION}s" >>"$results" &
	client=$!
	pids+=("$client")
	wait "$client" || say "$label: the load client failed"
	stop "$server"
	local left=()
	for p in "${pids[@]}"; do
		[[ $p == "$server" || $p == "$client" ]] || left+=("$p")
	done
	pids=("${left[@]}")
	if [[ $engine == postgres ]]; then
		pg_sql "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"
		pg_db=""
	fi
}

for engine in $ENGINES; do
	measure "$engine" before "$engine-before"
	measure "$engine" after "$engine-after"
	if [[ $engine == postgres ]]; then
		measure "$engine" after "$engine-after-conns4" --db-max-conns 4
	fi
done

[[ -s $results ]] || die "no results (see the logs in $tmp)"
echo "stampede.sh: $READERS readers, ${DURATION}s per run after a 2 s warm-up, an edit every 100 ms; 127.0.0.1, $(nproc) cores;" \
	"load average (1, 5, 15 min) $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
column -t -s $'\t' "$results"
