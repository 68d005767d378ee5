#!/usr/bin/env bash
# Import benchmark (SPEC S6): `dialbook import` of a large, messy CRM export into a fresh
# SQLite database, next to a raw `sqlite3 .import` of the same file as the floor.
#
#   bash bench/import.sh                 1,000,000 rows
#   ROWS=20000 bash bench/import.sh      quick check
#
# Environment: ROWS (default 1000000), SEED (generator seed, default 1), KEEP=1 keeps the
# temporary directory (databases, outputs), DIALBOOK_BIN (default build/dialbook),
# IMPORT_DATA_DIR (where generated CSVs are cached, default bench/data), TMPDIR.
# The CSV comes from bench/gen_import_csv.mjs and is cached as
# bench/data/import_<ROWS>_s<SEED>_<generator hash>.csv, so later runs skip generating it.
# Run from anywhere; needs node, sqlite3 (Debian package sqlite3, in scripts/setup.sh) and
# GNU time (/usr/bin/time, for the peak RSS).
# Progress goes to stderr; a markdown block for bench/RESULTS.md goes to stdout at the end.
# Exit status: 0 when the import ran and its counts match what the generator expects, 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
SEED="${SEED:-1}"
BIN="${DIALBOOK_BIN:-build/dialbook}"
DATA_DIR="${IMPORT_DATA_DIR:-bench/data}"
KEEP="${KEEP:-0}"

die() { echo "import.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
now() { date +%s.%N; }

[[ "$ROWS" =~ ^[0-9]+$ && "$ROWS" -gt 0 ]] || die "ROWS must be a positive whole number (got '$ROWS')"
[[ -x "$BIN" ]] || die "$BIN not found or not executable (build it first)"
# (`dialbook import --help` exits 0 even without the command: CLI11 then prints the main help.)
"$BIN" --help 2>&1 | grep -qE '^[[:space:]]+import[[:space:]]' || die "$BIN has no 'import' command yet (not in $BIN --help)"
command -v node >/dev/null || die "node is not installed"
command -v sqlite3 >/dev/null || die "sqlite3 is not installed (Debian package sqlite3; scripts/setup.sh installs it)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is not installed (Debian package time)"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# The commit is taken before the run (src/ may change while it runs).
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -n "$(git status --porcelain -- src 2>/dev/null)" ]] && COMMIT="$COMMIT (+ uncommitted changes in src/)"

# ------------------------------------------------------------------ data (cached)
GEN_HASH="$(sha1sum bench/gen_import_csv.mjs | cut -c1-8)"
mkdir -p "$DATA_DIR"
CSV="$DATA_DIR/import_${ROWS}_s${SEED}_${GEN_HASH}.csv"
STATS="${CSV%.csv}.stats.json"
if [[ -s "$CSV" && -s "$STATS" ]]; then
  log "using cached $CSV"
else
  log "generating $ROWS rows (seed $SEED) into $CSV"
  t0=$(now)
  node bench/gen_import_csv.mjs --rows "$ROWS" --seed "$SEED" --out "$CSV.part" --stats-json "$STATS.part" 2>/dev/null \
    || { rm -f "$CSV.part" "$STATS.part"; die "the generator failed"; }
  mv "$CSV.part" "$CSV"; mv "$STATS.part" "$STATS"
  log "generated in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
fi
FILE_BYTES=$(stat -c %s "$CSV")

TMP="$(mktemp -d "${TMPDIR:-/tmp}/dialbook-import-bench.XXXXXX")"
cleanup() {
  local rc=$?
  if [[ "$KEEP" == 1 ]]; then echo "import.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ dialbook import
DBFILE="$TMP/import.db"
DB="sqlite:$DBFILE"
EMAIL="bench@dialbook.local"
PASSWORD="bench-$(date +%s)-$$"
WS="ImportBench"
"$BIN" workspace create "$WS" --admin-email "$EMAIL" --admin-password "$PASSWORD" --db "$DB" >"$TMP/cli.log" 2>&1 \
  || { cat "$TMP/cli.log" >&2; die "workspace create failed"; }

log "dialbook import of $(basename "$CSV") ($ROWS rows, $FILE_BYTES bytes)"
t0=$(now)
set +e
/usr/bin/time -v -o "$TMP/import.time" "$BIN" import "$CSV" --workspace "$WS" --db "$DB" --user "$EMAIL" --json \
  >"$TMP/import.out" 2>"$TMP/import.err"
IMPORT_RC=$?
set -e
t1=$(now)
IMPORT_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
tail -n 5 "$TMP/import.err" >&2 || true
rss_mib() { awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$1"; }
IMPORT_RSS=$(rss_mib "$TMP/import.time")
[[ $IMPORT_RC == 0 ]] || echo "import.sh: dialbook import exited $IMPORT_RC" >&2
size_of() { [[ -e "$1" ]] && stat -c %s "$1" || echo 0; }
DB_BYTES=$(( $(size_of "$DBFILE") + $(size_of "$DBFILE-wal") ))

# The summary: the last line of stdout that is a JSON object. Compared with the generator's
# expectations (each generated row has at most one problem, see gen_import_csv.mjs).
CHECK="$(node - "$TMP/import.out" "$STATS" <<'EOF'
const fs = require('fs');
const [outFile, statsFile] = process.argv.slice(2);
const lines = fs.readFileSync(outFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
const exp = JSON.parse(fs.readFileSync(statsFile, 'utf8'));
let sum = null;
for (let i = lines.length - 1; i >= 0 && !sum; i--) { try { sum = JSON.parse(lines[i]); } catch {} }
console.log(`expected=imported ${exp.expected_imported}, skipped ${JSON.stringify(exp.expected_skipped)}`);
if (!sum) { console.log('ok=0'); console.log('summary=(no JSON summary on stdout)'); process.exit(0); }
const skipped = sum.skipped || {};
const diffs = [];
if (sum.imported !== exp.expected_imported) diffs.push(`imported ${sum.imported} (expected ${exp.expected_imported})`);
for (const [k, v] of Object.entries(exp.expected_skipped))
  if ((skipped[k] || 0) !== v) diffs.push(`skipped.${k} ${skipped[k] || 0} (expected ${v})`);
for (const [k, v] of Object.entries(skipped))
  if (!(k in exp.expected_skipped)) diffs.push(`skipped.${k} ${v} (expected 0)`);
if (sum.rows !== undefined && sum.rows !== exp.rows) diffs.push(`rows ${sum.rows} (expected ${exp.rows})`);
console.log(`ok=${diffs.length ? 0 : 1}`);
console.log(`imported=${sum.imported}`);
console.log(`summary=${JSON.stringify(sum)}`);
console.log(`diffs=${diffs.join('; ')}`);
EOF
)"
get() { sed -n "s/^$1=//p" <<<"$CHECK"; }
COUNTS_OK=$(get ok); IMPORTED=$(get imported); SUMMARY=$(get summary); EXPECTED=$(get expected); DIFFS=$(get diffs)

# ------------------------------------------------------------------ sqlite3 .import (the floor)
log "sqlite3 .import of the same file"
RAW="$TMP/raw.db"
t0=$(now)
set +e
/usr/bin/time -v -o "$TMP/raw.time" sqlite3 "$RAW" ".mode csv" ".import '$CSV' t" >"$TMP/raw.out" 2>&1
RAW_RC=$?
set -e
t1=$(now)
RAW_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
RAW_RSS=$(rss_mib "$TMP/raw.time")
RAW_ROWS=$(sqlite3 "$RAW" "SELECT count(*) FROM t" 2>/dev/null || echo '?')
[[ $RAW_RC == 0 ]] || { echo "import.sh: sqlite3 .import exited $RAW_RC:" >&2; tail -n 5 "$TMP/raw.out" >&2; }

# ------------------------------------------------------------------ report
rate() { awk -v n="$ROWS" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
RATIO=$(awk -v a="$IMPORT_WALL" -v b="$RAW_WALL" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }')
CPU="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
FAILED=0
[[ $IMPORT_RC == 0 && "$COUNTS_OK" == 1 ]] || FAILED=1

cat <<EOF

### $(date -u +%Y-%m-%d) — import of $ROWS rows ($(uname -n))

- Command: \`ROWS=$ROWS SEED=$SEED bash bench/import.sh\` (commit $COMMIT, binary \`$BIN\`; load average before: $LOAD_BEFORE; nproc $(nproc), ${CPU:-unknown CPU}; database in $(dirname "$TMP") ($(df -T "$TMP" | awk 'NR == 2 { print $2 }')))
- File: \`$(basename "$CSV")\` — $ROWS rows, $(mib "$FILE_BYTES") MiB (bench/gen_import_csv.mjs, seed $SEED)

| run | wall | peak RSS | rows/s |
|---|---:|---:|---:|
| \`dialbook import --json\` (CLI, fresh SQLite db) | ${IMPORT_WALL} s | ${IMPORT_RSS:-?} MiB | $(rate "$IMPORT_WALL") |
| \`sqlite3 .mode csv / .import\` (raw, one table of text) | ${RAW_WALL} s | ${RAW_RSS:-?} MiB | $(rate "$RAW_WALL") |

- dialbook import / sqlite3 .import wall time: **${RATIO}×**
- Database after the import: $(mib "$DB_BYTES") MiB (db + wal); sqlite3 .import table rows: $RAW_ROWS (expected $ROWS)
- Import summary: \`$SUMMARY\` (exit $IMPORT_RC)
- Expected from the generator: $EXPECTED
EOF
if [[ "$FAILED" == 1 ]]; then
  echo "- **FAILED**: ${DIFFS:-dialbook import exited $IMPORT_RC}"
  [[ -s "$TMP/import.err" ]] && { echo "- stderr (last lines):"; echo '```'; tail -n 10 "$TMP/import.err"; echo '```'; }
fi
echo
if [[ "$FAILED" == 1 ]]; then echo "import.sh: FAIL" >&2; exit 1; fi
echo "import.sh: OK" >&2
