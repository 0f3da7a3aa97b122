#!/usr/bin/env bash
# Benchmarks `smdr ingest` against the reference `psql \copy` of the same lines into a
# one-text-column table, both in the same run on the same throw-away PostgreSQL cluster
# (DESIGN §10: report the ratio, never a bare time).
#
#   scripts/bench-ingest.sh                 # 1,000,000 generated lines
#   LINES=200000 SEED=3 scripts/bench-ingest.sh
#   BENCH_INPUT=capture.txt scripts/bench-ingest.sh
#
# Prints lines/s of both and the ratio smdr/psql (goal: >= 0.6).
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
SEED=${SEED:-1}
bin=.build/release/smdr
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
elif "$bin" --help 2>/dev/null | grep -qE "^ +generate"; then
    "$bin" generate --lines "$LINES" --seed "$SEED" > "$input"
else
    # `smdr generate` is not in this build yet: synthesize 35-field lines of the same shape.
    python3 - "$LINES" "$SEED" > "$input" <<'PY'
import random, sys, datetime
n, seed = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)
names = ["Joe Bloggs", "Conor O'Brien", "Zoë Ångström", "Тароватова М", "Extn2008", "Ann \"Nan\" Lee"]
t = datetime.datetime(2025, 3, 24, 8, 0, 0)
out = sys.stdout.buffer
for i in range(n):
    t += datetime.timedelta(seconds=rnd.randint(0, 6))
    call = 1000000 + i
    ext = rnd.randint(2000, 2099)
    inbound = rnd.random() < 0.5
    num = "0%d" % rnd.randint(1000000000, 1999999999)
    rec = (t + datetime.timedelta(minutes=2)).strftime("%Y/%m/%d %H:%M:%S")
    f = [t.strftime("%Y/%m/%d %H:%M:%S"), "00:%02d:%02d" % (rnd.randint(0, 59), rnd.randint(0, 59)), str(rnd.randint(0, 30)),
         num if inbound else str(ext), "I" if inbound else "O", str(ext) if inbound else "9" + num, str(ext) if inbound else "9" + num,
         str(rnd.randint(100, 999)) if rnd.random() < 0.2 else "", "0", str(call), "0", "E%d" % ext, rnd.choice(names),
         "T90%02d" % rnd.randint(1, 12), "Line %d.1" % rnd.randint(1, 12), "0", "0", "", "", "", "", "", "", "", "", "", "",
         "U" if not inbound else "", "", "", "192.0.2.10", str(rnd.randint(1000, 9999)), "", "", rec]
    out.write((",".join(f) + "\r\n").encode())
PY
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
