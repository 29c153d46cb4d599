#!/usr/bin/env bash
# discovery.sh measures search, section fronts, topic pages and sitemaps
# on a large database (fill one with bench/articlegen first):
#
#   go run ./bench/articlegen -db /work/bigdata/sqlite.db -n 1000000
#   bash bench/discovery.sh /work/bigdata/sqlite.db
#   bash bench/discovery.sh 'postgres://postgres@127.0.0.1:5432/big?sslmode=disable'
#
# It starts `broadsheet serve` on the database with the page cache off
# (every request reaches the database, the worst case a cache miss
# meets), runs bench/discoveryload against it on 127.0.0.1 and stops it.
# Environment: DURATION (per kind, default 10s, after a 2 s warm-up that is
# not counted), CONNS (4), ONLY (kinds).
set -euo pipefail
db=${1:?usage: discovery.sh SQLITE_FILE_OR_POSTGRES_URL}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-4}
ONLY=${ONLY:-}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-discovery.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$repo"
go build -o "$tmp/broadsheet" ./cmd/broadsheet
go build -o "$tmp/discoveryload" ./bench/discoveryload
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$tmp/broadsheet" serve --db "$db" --data "$tmp/data" --addr "127.0.0.1:$port" --base-url "$base" \
	--page-cache=false --access-log=false --log-level warn >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
	if curl -fs "$base/readyz" >/dev/null 2>&1; then break; fi
	sleep 0.5
done
curl -fs "$base/readyz" >/dev/null || { echo "the server did not start:"; cat "$tmp/server.log"; exit 1; }
echo "database: $db"
echo "server: page cache off, access log off; $CONNS clients, $DURATION per kind"
"$tmp/discoveryload" -base "$base" -duration "$DURATION" -c "$CONNS" -only "$ONLY"
