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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init comments
need_count READERS DURATION
need go curl timeout
check_engines

say "building into $tmp"
load_before=$(loadavg)
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
	engine_db "$engine" "$data" "broadsheet_bench_$$"
	# shellcheck disable=SC2086 # EXTRA_FLAGS is a list of flags
	start "broadsheet ($engine)" "$tmp/broadsheet-$engine.log" "http://127.0.0.1:@PORT@/readyz" \
		"$tmp/broadsheet" serve --demo --data "$data" --addr "127.0.0.1:@PORT@" --access-log=false "${db_flags[@]}" "${spread_server[@]}" $EXTRA_FLAGS
	say "$engine: $READERS readers for ${DURATION}s on 127.0.0.1:$port (load average $(loadavg))"
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
	stop_and_forget "$server" "$client"
	echo
done

[[ -s $results ]] || die "no results (see the logs in $tmp)"
addresses="all from 127.0.0.1"
[[ $SPREAD_IPS == 1 ]] && addresses="one address each (X-Forwarded-For)"
echo "comments.sh: $READERS readers ($addresses), ${DURATION}s per engine, 127.0.0.1, $(nproc) cores;" \
	"load average (1, 5, 15 min) $load_before before, $(loadavg) after"
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
