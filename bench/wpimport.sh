#!/usr/bin/env bash
# wpimport.sh measures `broadsheet import wordpress` on a generated
# WordPress export (bench/wxrgen): the wall time, the CPU time and the
# peak memory (maximum resident set, from /usr/bin/time) of a first
# import, of a second run of the same file (which must change nothing),
# and of a dry run, on each engine.
#
#   N=100000 ENGINES="sqlite postgres" PG_DSN=postgres://postgres@127.0.0.1:5432/postgres bench/wpimport.sh
#
# N posts (default 100000); ENGINES as in lib.sh (default sqlite).
set -euo pipefail
N=${N:-100000}
ENGINES=${ENGINES:-sqlite}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init wpimport
need_count N
need /usr/bin/time
check_engines
cd "$repo"
go build -o "$tmp/broadsheet" ./cmd/broadsheet
go run ./bench/wxrgen -n "$N" -o "$tmp/site.xml"
say "export: $(du -h "$tmp/site.xml" | cut -f1) for $N posts; load average $(loadavg)"

measure() { # LABEL ARGS...
	local label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$tmp/broadsheet" import wordpress "$tmp/site.xml" "$@" >"$tmp/out" 2>"$tmp/err" ||
		die "$label failed: $(tail -3 "$tmp/err")"
	read -r wall user sys rss <"$tmp/time"
	printf '%-9s %-12s wall %7.1f s  cpu %7.1f s  peak RSS %5d MiB  %s\n' "$engine" "$label" "$wall" "$(echo "$user + $sys" | bc)" \
		$((rss / 1024)) "$(grep -m1 'articles:' "$tmp/out" | tr -s ' ')"
}

for engine in $ENGINES; do
	if [[ $engine == postgres ]]; then
		fresh_pg_db broadsheet_wpimport
		db=$(pg_dsn_for broadsheet_wpimport)
	else
		db=$tmp/$engine/broadsheet.db
	fi
	measure "dry run" --db "$db" --dry-run
	measure "import" --db "$db"
	measure "again" --db "$db"
done
say "load average after: $(loadavg)"
