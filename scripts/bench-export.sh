#!/usr/bin/env bash
# Benchmarks `smdr export` (csv, jsonl, ledes1998b) of a period's charges against the reference
# `psql \copy (SELECT …) TO FILE` of the same rows — the export's own query, taken from the server
# log — in the same run on the same throw-away cluster (DESIGN §10: a ratio, never a bare time),
# with the peak RSS of each run. Goal (issue 12): >= 0.5x psql's speed, flat memory.
#
#   scripts/bench-export.sh                   # 2,400,000 generated lines: about 1M charges
#   LINES=200000 scripts/bench-export.sh
#   KEEP=1 scripts/bench-export.sh            # leave the cluster running for a closer look
#
# The charges come from `smdr rate --rerate` with a per-leg plan for every client (most charges
# cover one call) and a client_day plan for one client (charges of several calls).
set -euo pipefail
LINES=${LINES:-2400000}
source "$(dirname "$0")/bench-setup.sh"
printf 'plan_id,hourly_rate,currency,increment_seconds,minimum_seconds,grace_seconds,rounding,scope,bill_hold_time,carrier_markup_percent\nSTD,250.00,GBP,360,0,0,up,leg,false,\nDAY,300.00,GBP,360,0,30,nearest,client_day,true,10\n' > "$work/plans.csv"
printf 'plan_id,client_id,matter_id,timekeeper_id,site,effective_from,effective_to\nSTD,,,,bench,,\nDAY,C1001,,,,,\n' > "$work/rates.csv"
s register import plans "$work/plans.csv" >/dev/null
s register import rates "$work/rates.csv" >/dev/null
# Every user on the PBX is a timekeeper (LEDES fee lines need one), found by extension.
psql -X -q "$conn" -c "\\copy (SELECT DISTINCT ON (party1_number) 'TK' || party1_number AS timekeeper_id, party1_name AS name, 'AS' AS classification, 'bench' AS site, party1_number AS extension, '' AS user_name FROM smdr.call_leg WHERE party1_kind = 'extension' AND party1_number IS NOT NULL ORDER BY party1_number, party1_name) TO '$work/timekeepers.csv' WITH (FORMAT csv, HEADER)"
s register import timekeepers "$work/timekeepers.csv" >/dev/null
first_day=$(psql -X -Atq "$conn" -c "SELECT min(call_start_local)::date FROM smdr.call_leg")
last_day=$(psql -X -Atq "$conn" -c "SELECT max(call_start_local)::date FROM smdr.call_leg")
s rate --rerate --from "$first_day" --to "$last_day" >/dev/null || [ $? -eq 1 ]
psql -X -q "$conn" -c "VACUUM ANALYZE"
charges=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.charges")

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
log="$data/postgres/server.log"

# The export's query, as the server received it: one export with every statement logged (this
# run also warms the cache for both sides).
psql -X -q "$conn" -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
lines_before=$(wc -l < "$log")
s export --format csv --from "$first_day" --to "$last_day" --output "$work/warm.csv" 2>/dev/null
psql -X -q "$conn" -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
tail -n +"$((lines_before + 1))" "$log" | awk '
    /statement: COPY \(SELECT/ { on = 1; sub(/.*statement: COPY \(/, "") }
    on { query = query " " $0; if ($0 ~ /TO STDOUT/) exit }
    END { sub(/\)[[:space:]]*TO STDOUT.*/, "", query); gsub(/[[:space:]]+/, " ", query); print query }
' > "$work/query.sql"
[ -s "$work/query.sql" ] || { echo "could not find the export's query in $log"; exit 1; }

# Seconds and peak RSS (KiB) of one command.
timed() {
    local name=$1; shift
    local start; start=$(now)
    /usr/bin/time -f '%M' -o "$work/$name.rss" "$@" > /dev/null 2> "$work/$name.err"
    echo "$(calc "$(now) - $start") $(cat "$work/$name.rss")"
}
reference() {
    # Without JIT, as smdr runs it (JIT would add seconds of compiling to the reference).
    PGOPTIONS="-c jit=off" timed "$1" psql -X -q "$conn" -c "\\copy ($(cat "$work/query.sql")) TO '$work/$1.tsv'"
}
read -r ref1 ref1_rss < <(reference psql1)
read -r csv csv_rss < <(timed csv "$bin" export --format csv --from "$first_day" --to "$last_day" --output "$work/out.csv" --data-dir "$data")
read -r ref2 ref2_rss < <(reference psql2)
read -r jsonl jsonl_rss < <(timed jsonl "$bin" export --format jsonl --from "$first_day" --to "$last_day" --output "$work/out.jsonl" --data-dir "$data")
read -r ledes ledes_rss < <(timed ledes "$bin" export --format ledes1998b --from "$first_day" --to "$last_day" --output "$work/out.ledes" --law-firm-id BENCH --data-dir "$data")
ref=$(calc "($ref1 < $ref2) ? $ref1 : $ref2")
rows=$(wc -l < "$work/psql1.tsv")

echo "charges: $charges ($rows rows with their calls); period $first_day to $last_day"
printf 'psql \\copy of the same query:  %6.2f s and %6.2f s (best %6.2f s), peak RSS %6d KiB\n' "$ref1" "$ref2" "$ref" "$ref1_rss"
for f in csv jsonl ledes; do
    t=${!f}; r=$(eval echo "\$${f}_rss")
    printf 'smdr export --format %-6s   %6.2f s = %8.0f charges/s, peak RSS %6d KiB, %s bytes, speed %.2fx psql\n' \
        "$f" "$t" "$(calc "$charges / $t")" "$r" "$(stat -c %s "$work/out.$f")" "$(calc "$ref / $t")"
done
echo "goal: speed >= 0.5x psql; peak RSS flat (compare LINES=200000)"
