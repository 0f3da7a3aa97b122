#!/usr/bin/env bash
# Benchmarks `smdr ingest` against the reference `psql \copy` of the same lines into a
# one-text-column table, both in the same run on the same throw-away PostgreSQL cluster
# (DESIGN §10: report the ratio, never a bare time).
#
#   scripts/bench-ingest.sh                 # 1,000,000 generated lines
#   LINES=200000 SEED=3 scripts/bench-ingest.sh
#   BENCH_INPUT=capture.txt scripts/bench-ingest.sh
#   SMDR_BIN=/path/to/other/smdr scripts/bench-ingest.sh   # another build (before/after)
#
# Prints lines/s of both and the ratio smdr/psql (goal: >= 0.6).
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
SEED=${SEED:-1}
bin=${SMDR_BIN:-.build/release/smdr}
if [ ! -x "$bin" ]; then
    swift build -c release --product smdr
fi

work=$(mktemp -d /tmp/smdr-bench.XXXXXX)
chmod 755 "$work"  # the server may run as the postgres user
data="$work/data"
cleanup() {
    "$bin" db stop --data-dir "$data" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
# Use only the embedded cluster of this run, whatever the environment says.
unset PGHOST PGHOSTADDR PGSERVICE PGDATABASE PGPORT PGUSER SMDR_DATABASE SMDR_DATA

input="$work/lines.txt"
if [ -n "${BENCH_INPUT:-}" ]; then
    cp "$BENCH_INPUT" "$input"
else
    "$bin" generate --lines "$LINES" --seed "$SEED" > "$input"
fi
lines=$(grep -c '' "$input" || true)
echo "input: $lines lines, $(du -h "$input" | cut -f1)"

"$bin" db start --data-dir "$data" >/dev/null
socket="$data/postgres"
conn="host=$socket port=5432 user=postgres"
psql -X -q "$conn dbname=postgres" -c "CREATE DATABASE bench_reference"
psql -X -q "$conn dbname=bench_reference" -c "CREATE TABLE line (line text)"

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

# Reference: psql \copy, CSV with delimiter and quote bytes that never occur, so every line is one value.
start=$(now)
psql -X -q "$conn dbname=bench_reference" \
    -c "\\copy line FROM '$input' WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')"
copy_seconds=$(calc "$(now) - $start")

# smdr ingest into the fresh smdr database of the same cluster (first run migrates it).
"$bin" migrate --data-dir "$data" >/dev/null
start=$(now)
set +e
"$bin" ingest --data-dir "$data" --time-zone Europe/London --no-progress "$input"
status=$?
set -e
smdr_seconds=$(calc "$(now) - $start")
if [ "$status" -gt 1 ]; then
    echo "smdr ingest failed (exit $status)" >&2
    exit "$status"
fi

copied=$(psql -X -Atq "$conn dbname=bench_reference" -c "SELECT count(*) FROM line")
stored=$(psql -X -Atq "$conn dbname=smdr" -c "SELECT count(*) FROM smdr.raw_record")
copy_rate=$(calc "$copied / $copy_seconds")
smdr_rate=$(calc "$stored / $smdr_seconds")
printf 'psql \\copy:  %8d lines in %6.2f s = %8.0f lines/s\n' "$copied" "$copy_seconds" "$copy_rate"
printf 'smdr ingest: %8d lines in %6.2f s = %8.0f lines/s\n' "$stored" "$smdr_seconds" "$smdr_rate"
printf 'ratio smdr/psql: %.2f (goal >= 0.60)\n' "$(calc "$smdr_rate / $copy_rate")"
