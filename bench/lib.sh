# shellcheck shell=bash
# lib.sh is the machinery the bench scripts share, so that starting,
# waiting for and stopping servers works (and fails) the same way in each.
# A script reads its settings, then:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   bench_init NAME     # temp folder ${TMPDIR:-/tmp}/broadsheet-NAME.XXXXXX
#
# bench_init sets repo (the checkout), tmp (a fresh temp folder), pids (the
# processes to stop on exit) and pg_db (empty), and traps EXIT, INT and
# TERM. On any exit, success, failure or Ctrl-C, every process in pids is
# stopped, the PostgreSQL database named in pg_db (if any) is dropped, and
# tmp is removed; with KEEP=1 the database and tmp are kept, and after a
# failure tmp is kept for its logs. Messages name the script from $0.
#
#   say TEXT...              a line on stderr
#   die TEXT...              "SCRIPT.sh: TEXT" on stderr, then exit 1
#   need TOOL...             dies unless every TOOL is installed
#   need_count NAME...       dies unless each variable NAME holds a whole number >= 1
#   stop PID...              asks each process to stop, gives it 5 s, kills it, reaps it
#   stop_and_forget PID...   stop, and take the PIDs out of pids
#   free_port                sets port to a port on 127.0.0.1 that nothing uses
#   wait_http PID URL SECS [POLL]
#                            waits until URL answers 200, asking every POLL s (0.1);
#                            returns 1 if PID exits first, dies after SECS
#   start NAME LOG URL CMD...
#                            starts CMD in the background on a free port (@PORT@ in URL
#                            and CMD stands for it), waits until URL answers; sets port
#                            and pid; a failed start is tried on another port, 3 times
#   loadavg                  prints the 1, 5 and 15 minute load averages
#   cpu_ticks PID            CPU time (user + system, clock ticks) of PID and its children
#   to_ms LATENCY            a wrk latency ("812.00us", "1.23ms", "1.02s") in ms
#   trim_logs FILE...        empties each FILE past 32 MiB
#   run_nginx DIR HTTP       becomes nginx (2 workers, no access log) with the lines HTTP
#                            in its http block, its pid, logs and temp folders in DIR
#   check_engines            ENGINES must be sqlite and/or postgres; for postgres, psql
#                            must be installed and PG_DSN a server on 127.0.0.1 that answers
#   pg_sql SQL               runs one statement on the server of PG_DSN
#   pg_dsn_for NAME          PG_DSN with its database replaced by NAME
#   fresh_pg_db NAME         sets pg_db to NAME and (re)creates that database on PG_DSN's server
#   engine_db ENGINE DATA NAME
#                            makes the folder DATA and sets db (the database, for a load
#                            client) and db_flags (for broadsheet serve): for postgres a
#                            fresh database NAME, for sqlite DATA/broadsheet.db

say() { printf '%s\n' "$*" >&2; }
die() {
	say "$(basename "$0"): $*"
	exit 1
}

bench_init() {
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-$1.XXXXXX")
	pids=()
	pg_db=""
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

bench_cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop "${pids[@]}"
	if [[ -n $pg_db ]]; then
		if [[ ${KEEP:-0} == 1 ]]; then
			say "PostgreSQL database $pg_db kept"
		else
			pg_sql "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" || say "could not drop PostgreSQL database $pg_db"
		fi
	fi
	if [[ ${KEEP:-0} == 1 || $rc != 0 ]]; then
		say "logs kept in $tmp"
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}

need() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || die "$tool is not installed"
	done
}

need_count() {
	local name
	for name in "$@"; do
		[[ ${!name} =~ ^[0-9]+$ && ${!name} -ge 1 ]] || die "$name must be a whole number, at least 1 (got \"${!name}\")"
	done
}

# stop asks all the processes first, so that they wind down side by side.
stop() {
	local p
	for p in "$@"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "$@"; do
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

stop_and_forget() {
	local p q left=()
	stop "$@"
	for p in "${pids[@]}"; do
		for q in "$@"; do
			[[ $p == "$q" ]] && continue 2
		done
		left+=("$p")
	done
	pids=("${left[@]}")
}

# free_port takes ports below the ephemeral range that no socket uses in any
# state and nothing answers on. Other people's servers may come and go, so
# start retries a failed bind on another port.
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

wait_http() {
	local pid=$1 url=$2 deadline=$((SECONDS + $3)) poll=${4:-0.1}
	until curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; do
		kill -0 "$pid" 2>/dev/null || return 1
		((SECONDS < deadline)) || die "$url did not answer within $3 s"
		sleep "$poll"
	done
}

start() {
	local name=$1 log=$2 tmpl=$3 try
	shift 3
	for try in 1 2 3; do
		free_port
		"${@//@PORT@/$port}" >>"$log" 2>&1 &
		pid=$!
		pids+=("$pid")
		if wait_http "$pid" "${tmpl//@PORT@/$port}" 60; then
			return
		fi
		wait "$pid" 2>/dev/null || true
		say "$name did not start on port $port (try $try): $(tail -n 3 "$log")"
	done
	die "$name would not start; see $log"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

cpu_ticks() {
	local sum=0 p
	for p in "$1" $(pgrep -P "$1" || true); do
		# Fields 14 and 15 of /proc/PID/stat; the names have no spaces.
		sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$sum"
}

to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000
		else if (v ~ /ms$/) n = n
		else if (v ~ /m$/) n *= 60000
		else if (v ~ /s$/) n *= 1000
		printf "%.2f", n
	}'
}

# trim_logs keeps access logs (a line per request) from filling the disk;
# the servers append, so emptying a file under them is safe.
trim_logs() {
	local f
	for f in "$@"; do
		if [[ -f $f ]] && (($(stat -c %s "$f") > 32 << 20)); then
			: >"$f"
		fi
	done
}

run_nginx() {
	local dir=$1 user_line=""
	if [[ $(id -u) == 0 ]]; then
		user_line="user root;" # the workers write the temp folders in DIR
	fi
	cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
$2
}
EOF
	exec nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
}

check_engines() {
	local engine pg_host
	for engine in $ENGINES; do
		[[ $engine == sqlite || $engine == postgres ]] || die "unknown engine $engine in ENGINES (want sqlite and/or postgres)"
	done
	[[ " $ENGINES " == *" postgres "* ]] || return 0
	command -v psql >/dev/null || die "psql is not installed (needed to create the run's database); set ENGINES=sqlite to skip PostgreSQL"
	# Only a server on this machine: a run writes tens of thousands of rows.
	pg_host=${PG_DSN#*://}
	pg_host=${pg_host%%[/?]*}
	pg_host=${pg_host##*@}
	pg_host=${pg_host%:*}
	case $pg_host in
	127.0.0.1 | localhost | "[::1]") ;;
	*) die "PG_DSN must name a server on 127.0.0.1 (got host \"$pg_host\")" ;;
	esac
	pg_sql "SELECT 1" || die "cannot reach PostgreSQL at PG_DSN=$PG_DSN; start it or set ENGINES=sqlite"
}

pg_sql() {
	PGCONNECT_TIMEOUT=5 PGOPTIONS="-c client_min_messages=warning" timeout 60 psql "$PG_DSN" -v ON_ERROR_STOP=1 -qAtc "$1" >/dev/null
}

pg_dsn_for() {
	local base=${PG_DSN%%\?*} query=""
	[[ $PG_DSN == *\?* ]] && query="?${PG_DSN#*\?}"
	local rest=${base#*://}
	if [[ $rest == */* ]]; then
		base=${base%/*}
	fi
	printf '%s/%s%s' "$base" "$1" "$query"
}

# fresh_pg_db sets pg_db before creating the database, so that a run that
# fails from here on still drops it.
fresh_pg_db() {
	pg_db=$1
	pg_sql "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"
	pg_sql "CREATE DATABASE $pg_db"
}

engine_db() {
	mkdir -p "$2"
	if [[ $1 == postgres ]]; then
		fresh_pg_db "$3"
		db=$(pg_dsn_for "$pg_db")
		db_flags=(--db "$db")
	else
		db=$2/broadsheet.db
		db_flags=()
	fi
}
