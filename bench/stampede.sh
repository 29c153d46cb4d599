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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init stampede
need_count READERS DURATION
need go curl timeout
check_engines

say "building into $tmp"
load_before=$(loadavg)
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
	local engine=$1 build=$2 label=$3 data db db_flags client
	shift 3
	data=$tmp/$label
	engine_db "$engine" "$data" "broadsheet_stampede_$$"
	start "broadsheet ($label)" "$tmp/$label.log" "http://127.0.0.1:@PORT@/readyz" \
		"$tmp/broadsheet-$build" serve --demo --data "$data" --addr "127.0.0.1:@PORT@" --access-log=false --log-level warn "${db_flags[@]}" "$@"
	local server=$pid
	say "$label: $READERS readers for ${DURATION}s on 127.0.0.1:$port (load average $(loadavg))"
	timeout $((DURATION + 120)) "$tmp/stampedeload" -db "$db" -url "http://127.0.0.1:$port" -label "$label" \
		-readers "$READERS" -duration "${DURATION}s" >>"$results" &
	client=$!
	pids+=("$client")
	wait "$client" || say "$label: the load client failed"
	stop_and_forget "$server" "$client"
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
	"load average (1, 5, 15 min) $load_before before, $(loadavg) after"
column -t -s $'\t' "$results"
