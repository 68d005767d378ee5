#!/usr/bin/env bash
# Dialbook benchmark: fresh server on a temporary SQLite database, bulk load, then wrk.
#
#   bash bench/run.sh [COUNT]            COUNT contacts (default: $COUNT or 1000000)
#
# Environment: BENCH_DURATION (wrk -d, default 30s), BENCH_SEED (generator seed, default 1),
# DIALBOOK_BIN (default build/dialbook), BENCH_WARMUP (search warm-up with one connection,
# and get_by_id warm-up with the measured run's connections, before each is timed;
# default 5s; 0 to skip), BENCH_TIMEOUT (wrk --timeout, default 10s: slower answers would be
# dropped from the latency histogram and counted as socket errors), BENCH_PER_KIND=1 also
# times each search kind alone (5 more wrk runs of BENCH_DURATION), BENCH_KEEP=1 keeps the
# temporary directory (database, server log, wrk outputs).
# Run from the repository root. Prints a markdown block for bench/RESULTS.md at the end.
# Exit status: 0 when everything ran without errors, 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
COUNT="${1:-${COUNT:-1000000}}"
DURATION="${BENCH_DURATION:-30s}"
SEED="${BENCH_SEED:-1}"
WARMUP="${BENCH_WARMUP:-5s}"
TIMEOUT="${BENCH_TIMEOUT:-10s}"
PER_KIND="${BENCH_PER_KIND:-0}"
BIN="${DIALBOOK_BIN:-build/dialbook}"
THREADS=2
CONNS=8
CMDLINE="bash bench/run.sh $*"
for v in BENCH_PER_KIND BENCH_TIMEOUT BENCH_WARMUP BENCH_SEED BENCH_DURATION; do
  [[ -n "${!v:-}" ]] && CMDLINE="$v=${!v} $CMDLINE"
done
[[ $# -eq 0 && -n "${COUNT:-}" ]] && CMDLINE="COUNT=$COUNT $CMDLINE"

die() { echo "run.sh: $*" >&2; exit 1; }
[[ "$COUNT" =~ ^[0-9]+$ && "$COUNT" -gt 0 ]] || die "COUNT must be a positive whole number (got '$COUNT')"
[[ -x "$BIN" ]] || die "$BIN not found or not executable (build it first)"
command -v wrk >/dev/null || die "wrk is not installed"
command -v node >/dev/null || die "node is not installed"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/dialbook-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "run.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "== $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

DBFILE="$TMP/bench.db"
DB="sqlite:$DBFILE"
EMAIL="bench@dialbook.local"
PASSWORD="bench-$(date +%s)-$$"

log "temp dir $TMP"
"$BIN" workspace create "Bench" --admin-email "$EMAIL" --admin-password "$PASSWORD" --db "$DB" >"$TMP/cli.log" 2>&1 \
  || { cat "$TMP/cli.log" >&2; die "workspace create failed"; }
TOKEN="$("$BIN" token create --email "$EMAIL" --workspace "Bench" --name bench --db "$DB" 2>>"$TMP/cli.log" | tail -n 1)"
[[ -n "$TOKEN" ]] || { cat "$TMP/cli.log" >&2; die "token create failed"; }
export TOKEN

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --stop-with-parent >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 200); do
  grep -q "listening on" "$TMP/server.log" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "server exited during start-up"; }
  sleep 0.1
  [[ $i == 200 ]] && { cat "$TMP/server.log" >&2; die "server did not print 'listening on' within 20 s"; }
done
log "server pid $SERVER_PID on $BASE"

# ------------------------------------------------------------------ load
log "loading $COUNT contacts (seed $SEED)"
t0=$(now)
set +e
node bench/gen_contacts.mjs --load "$BASE" --token "$TOKEN" --count "$COUNT" --seed "$SEED" \
  --batch 10000 --concurrency 2 --sample-out "$TMP/samples.txt" >"$TMP/load.out"
LOAD_RC=$?
set -e
t1=$(now)
cat "$TMP/load.out" >&2
RESULT_LINE="$(grep '^RESULT ' "$TMP/load.out" || true)"
[[ -n "$RESULT_LINE" ]] || die "the loader did not finish (exit $LOAD_RC)"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $RESULT_LINE"; }
CREATED=$(field created); LOAD_ERRORS=$(field errors); LOAD_RATE=$(field rate)
MIN_ID=$(field min_id); MAX_ID=$(field max_id)
LOAD_WALL=$(elapsed "$t0" "$t1")
[[ "$CREATED" -gt 0 ]] || die "no contact was created"

# ------------------------------------------------------------------ size on disk
size_of() { [[ -e "$1" ]] && du -b "$1" | cut -f1 || echo 0; }
DB_BYTES=$(size_of "$DBFILE"); WAL_BYTES=$(size_of "$DBFILE-wal"); SHM_BYTES=$(size_of "$DBFILE-shm")
TOTAL_BYTES=$((DB_BYTES + WAL_BYTES))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
per_million() { awk -v b="$1" -v n="$CREATED" 'BEGIN { printf "%.0f", b / 1048576 * 1000000 / n }'; }
PER_MILLION=$(per_million "$TOTAL_BYTES"); DB_PER_MILLION=$(per_million "$DB_BYTES")

# The server must survive every phase; when it does not, say how it ended and show its log.
SERVER_DEATH=""
check_server() {
  [[ -n "$SERVER_DEATH" ]] && return 1
  kill -0 "$SERVER_PID" 2>/dev/null && return 0
  local rc=0
  wait "$SERVER_PID" 2>/dev/null || rc=$?
  if [[ $rc -gt 128 ]]; then SERVER_DEATH="killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo '?'))"
  else SERVER_DEATH="exited with status $rc"; fi
  SERVER_DEATH="$SERVER_DEATH during or before: $1"
  SERVER_PID=""
  FAILED=1
  echo "run.sh: the server died: $SERVER_DEATH; last lines of its log:" >&2
  tail -n 20 "$TMP/server.log" >&2
  return 1
}

# After a death, the remaining wrk runs are skipped (their rows stay empty).
alive() {
  [[ -z "$SERVER_DEATH" ]] && return 0
  echo "run.sh: skipped (the server is dead)" >&2
  return 1
}
for f in search healthz byid kind-name kind-phone kind-tag kind-tag_name kind-sorted; do : >"$TMP/$f.txt"; done

# ------------------------------------------------------------------ wrk
WRK=(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout "$TIMEOUT" --latency)
FAILED=0

if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
  log "warm-up: search mix, 1 thread, 1 connection, $WARMUP (failures name the exact request)"
  SAMPLES="$TMP/samples.txt" SEED=99 wrk -t1 -c1 -d"$WARMUP" -s bench/search_mix.lua "$BASE" >"$TMP/warmup.txt" 2>&1 || true
  grep -E '^(OK|FAIL)|first bad' "$TMP/warmup.txt" >&2 || true
  grep -q '^FAIL' "$TMP/warmup.txt" && FAILED=1
fi
check_server "the warm-up" || true

log "search mix: ${WRK[*]} -s bench/search_mix.lua"
alive && SAMPLES="$TMP/samples.txt" "${WRK[@]}" -s bench/search_mix.lua "$BASE" | tee "$TMP/search.txt" >&2 || true
check_server "the search mix" || true
log "healthz: ${WRK[*]} $BASE/healthz"
alive && "${WRK[@]}" "$BASE/healthz" | tee "$TMP/healthz.txt" >&2 || true
check_server "healthz" || true
if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
  # Like the search mix, reads by id are timed warm: each of the server's reader connections
  # maps the database file for itself, and its first reads of each part of a file just
  # written fault the pages in (measured on 1M contacts, 0.10 faults a read in a cold first
  # run, by id at 0.56 of /healthz where the same server gave 0.63 warm).
  log "warm-up: get_by_id, $WARMUP, other ids (SEED=98)"
  alive && SEED=98 MINID="$MIN_ID" MAXID="$MAX_ID" wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s bench/get_by_id.lua "$BASE" >"$TMP/byid-warmup.txt" 2>&1 || true
  grep -E '^(OK|FAIL)' "$TMP/byid-warmup.txt" >&2 || true
  grep -q '^FAIL' "$TMP/byid-warmup.txt" && FAILED=1
  check_server "the get_by_id warm-up" || true
fi
log "get_by_id: ${WRK[*]} -s bench/get_by_id.lua (ids $MIN_ID..$MAX_ID)"
alive && MINID="$MIN_ID" MAXID="$MAX_ID" "${WRK[@]}" -s bench/get_by_id.lua "$BASE" | tee "$TMP/byid.txt" >&2 || true
check_server "get_by_id" || true

KIND_LIST=(name phone tag tag_name sorted)
if [[ "$PER_KIND" == 1 ]]; then
  for k in "${KIND_LIST[@]}"; do
    log "search kind $k alone: ${WRK[*]} -s bench/search_mix.lua (KINDS=$k)"
    alive && KINDS="$k" SAMPLES="$TMP/samples.txt" "${WRK[@]}" -s bench/search_mix.lua "$BASE" | tee "$TMP/kind-$k.txt" >&2 || true
    grep -q '^OK ' "$TMP/kind-$k.txt" || FAILED=1
    check_server "search kind $k" || true
  done
fi

RSS_KB="?"
[[ -n "$SERVER_PID" ]] && RSS_KB=$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo "?")

rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
pct() { awk -v p="$2%" '$1 == p { print $2 }' "$1"; }
avg() { awk '$1 == "Latency" && NF >= 4 { print $2; exit }' "$1"; }
bad_lines() { grep -E '^(FAIL|Non-2xx|  Socket errors)' "$1" || true; }
for f in search byid; do grep -q '^OK ' "$TMP/$f.txt" || FAILED=1; done
[[ -n "$(bad_lines "$TMP/healthz.txt")" || ! -s "$TMP/healthz.txt" ]] && FAILED=1
[[ "$LOAD_ERRORS" == 0 && "$CREATED" == "$COUNT" ]] || FAILED=1

S_RPS=$(rps "$TMP/search.txt"); H_RPS=$(rps "$TMP/healthz.txt"); B_RPS=$(rps "$TMP/byid.txt")
RATIO=$(awk -v a="$B_RPS" -v b="$H_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
row() { echo "| $1 | $(rps "$2") | $(avg "$2") | $(pct "$2" 50) | $(pct "$2" 90) | $(pct "$2" 99) |"; }
status_of() { grep -E '^(OK|FAIL) ' "$1" | head -1 || true; [[ -s "$1" ]] || echo "not run"; }

COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -n "$(git status --porcelain -- src 2>/dev/null)" ]] && COMMIT="$COMMIT (+ uncommitted changes in src/)"
CPU="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM_GB=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)

{
  echo
  echo "### $(date -u +%Y-%m-%d) — $COUNT contacts ($(uname -n))"
  echo
  echo "- Command: \`$CMDLINE\` (wrk \`-t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency\`, server \`serve\` defaults (4 worker threads), commit $COMMIT)"
  echo "- Machine: nproc $(nproc), ${CPU:-unknown CPU}, ${MEM_GB} GiB RAM, $(uname -sr), database in $(dirname "$TMP") ($(df -T "$TMP" | awk 'NR == 2 { print $2 }')); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Binary: \`$BIN\` ($(grep -m1 '^CMAKE_BUILD_TYPE' build/CMakeCache.txt 2>/dev/null | cut -d= -f2 || echo '?'))"
  echo "- Load: $CREATED created, $LOAD_ERRORS errors in ${LOAD_WALL} s wall → **$LOAD_RATE contacts/s** (bulk batches of 10,000, 2 in flight)"
  echo "- Database: $(mib "$DB_BYTES") MiB db + $(mib "$WAL_BYTES") MiB wal = $(mib "$TOTAL_BYTES") MiB → **$PER_MILLION MiB per million contacts** (db file alone: $DB_PER_MILLION MiB per million; shm not counted; the wal is bounded by checkpoints, so small runs overstate the per-million figure)"
  echo "- Server peak RSS: $( [[ "$RSS_KB" =~ ^[0-9]+$ ]] && awk -v k="$RSS_KB" 'BEGIN { printf "%.0f MiB", k / 1024 }' || echo '?')"
  echo
  echo "| wrk run | req/s | avg | p50 | p90 | p99 |"
  echo "|---|---:|---:|---:|---:|---:|"
  row "search mix (\`search_mix.lua\`)" "$TMP/search.txt"
  row "\`GET /healthz\`" "$TMP/healthz.txt"
  row "get by id (\`get_by_id.lua\`, ids $MIN_ID..$MAX_ID)" "$TMP/byid.txt"
  if [[ "$PER_KIND" == 1 ]]; then
    for k in "${KIND_LIST[@]}"; do row "search kind \`$k\` alone" "$TMP/kind-$k.txt"; done
  fi
  echo
  echo "- get_by_id / healthz throughput: **$RATIO**"
  echo "- Checks: search mix: $(status_of "$TMP/search.txt"); get_by_id: $(status_of "$TMP/byid.txt"); healthz: $( [[ ! -s "$TMP/healthz.txt" ]] && echo "not run" || { [[ -z "$(bad_lines "$TMP/healthz.txt")" ]] && echo "no errors" || bad_lines "$TMP/healthz.txt" | tr '\n' ' '; })"
  grep '^search_mix: requests generated' "$TMP/search.txt" | sed 's/^search_mix: /- Search mix: /' || true
  [[ -n "$SERVER_DEATH" ]] && echo "- **The server died**: $SERVER_DEATH"
  [[ "$FAILED" == 0 ]] || echo "- **FAILED**: see the errors above (load errors, non-200 answers, missing totals or socket errors)"
  echo
}

if [[ "$FAILED" != 0 ]]; then
  echo "run.sh: FAIL (see above)" >&2
  exit 1
fi
echo "run.sh: OK" >&2
