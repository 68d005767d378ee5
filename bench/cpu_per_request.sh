#!/usr/bin/env bash
# CPU time per request of /healthz and of GET /api/v1/contacts/{id}, on one server over an
# existing database: where the by-id / healthz throughput ratio of bench/run.sh comes from.
#
#   bash bench/cpu_per_request.sh DB_FILE [RUNS]
#
# DB_FILE: a SQLite database with a workspace "Bench" whose admin is $EMAIL and contacts with
# ids up to MAXID (e.g. one kept by `BENCH_KEEP=1 bash bench/run.sh`); it is opened by the
# server as is (a newer binary migrates it). RUNS (default 1): healthz then by id, repeated.
# Environment: DIALBOOK_BIN (build/dialbook), MAXID (840000), DURATION (wrk -d, 10s), EMAIL
# (b@x.io; bench/run.sh's database: bench@dialbook.local),
# THREADS (server --threads, 4 = the serve default), PORT (18090).
# Prints per run and load: req/s, the server's user and system CPU µs per request (from
# /proc/PID/stat) and its page faults per request (minor: pages of the mmap'd database a
# thread touched first), wrk's CPU µs per request (GNU time), and the whole machine's busy µs per
# request (/proc/stat), all on the same 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:?usage: bench/cpu_per_request.sh DB_FILE [RUNS]}"
RUNS="${2:-1}"
BIN="${DIALBOOK_BIN:-build/dialbook}"
MAXID="${MAXID:-840000}"
DURATION="${DURATION:-10s}"
PORT="${PORT:-18090}"
[[ -f "$DB" ]] || { echo "cpu_per_request.sh: no database at $DB" >&2; exit 1; }
TOKEN=$("$BIN" token create --email "${EMAIL:-b@x.io}" --workspace Bench --name "cpu-$$" --db "sqlite:$DB" | tail -1)
"$BIN" serve --db "sqlite:$DB" --listen "127.0.0.1:$PORT" --threads "${THREADS:-4}" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
TICK=$(getconf CLK_TCK)
field() { awk -v f="$1" '{print $f}' "/proc/$SERVER/stat"; }
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
measure() {  # NAME wrk-args…
  local name=$1; shift
  local u0 s0 m0 f0 u1 s1 m1 f1 out n rps w
  u0=$(field 14) s0=$(field 15) m0=$(busy) f0=$(field 10)
  out=$({ /usr/bin/time -f "WRKCPU %U %S" "$@"; } 2>&1)
  u1=$(field 14) s1=$(field 15) m1=$(busy) f1=$(field 10)
  n=$(awk '/requests in/{print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  w=$(awk '/WRKCPU/{print $2+$3}' <<<"$out")
  awk -v name="$name" -v rps="$rps" -v n="$n" -v t="$TICK" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v m=$((m1 - m0)) -v w="$w" \
    -v f=$((f1 - f0)) \
    'BEGIN { printf "%-8s %9.0f req/s  server user %5.1f µs  system %5.1f µs  faults %5.2f  wrk %5.1f µs  machine %5.1f µs\n",
             name, rps, u * 1e6 / t / n, s * 1e6 / t / n, f / n, w * 1e6 / n, m * 1e6 / t / n }'
}
# Warm the page cache with reads by id first.
TOKEN="$TOKEN" MAXID="$MAXID" wrk -t2 -c8 -d5s -s bench/get_by_id.lua "http://127.0.0.1:$PORT" >/dev/null
for run in $(seq "$RUNS"); do
  h=$(measure healthz wrk -t2 -c8 -d"$DURATION" "http://127.0.0.1:$PORT/healthz")
  b=$(TOKEN="$TOKEN" MAXID="$MAXID" measure "by id" wrk -t2 -c8 -d"$DURATION" -s bench/get_by_id.lua "http://127.0.0.1:$PORT")
  echo "$h"
  echo "$b"
  awk -v h="$(awk '{print $2}' <<<"$h")" -v b="$(awk '{print $3}' <<<"$b")" 'BEGIN { printf "ratio %.2f\n", b / h }'
done
