#!/usr/bin/env bash
# Benchmarks `smdr rate --rerate` (read, match, rate, write, switch) over stored legs against the
# reference `CREATE TABLE … AS SELECT` of the same legs, in the same run on the same throw-away
# PostgreSQL cluster (DESIGN §10: report the ratio, never a bare time), with the peak RSS of each
# run. The register has 100k client numbers, 10k codes, two plans and a site default rate.
#
#   scripts/bench-rate.sh                     # 1,000,000 generated lines
#   LINES=200000 scripts/bench-rate.sh
#   SMDR_BIN=/path/to/other/smdr scripts/bench-rate.sh
#   KEEP=1 scripts/bench-rate.sh              # leave the cluster running for a closer look
#
# Runs: the first re-rate of everything (every day new), the same again (no change), after a rate
# change (every charge changes), and one month alone (memory must not grow with the period).
# Prints seconds, legs/s, peak RSS and the ratio re-rate/CTAS (goal: <= 3, and <= 15 s).
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
SEED=${SEED:-1}
NUMBERS=${NUMBERS:-100000}
CODES=${CODES:-10000}
bin=${SMDR_BIN:-.build/release/smdr}
if [ ! -x "$bin" ]; then
    swift build -c release --product smdr
fi

work=$(mktemp -d /tmp/smdr-bench.XXXXXX)
chmod 755 "$work"  # the server may run as the postgres user
data="$work/data"
cleanup() {
    if [ -n "${KEEP:-}" ]; then echo "kept: $work (psql \"host=$data/postgres user=postgres dbname=smdr\")"; return; fi
    "$bin" db stop --data-dir "$data" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
unset PGHOST PGHOSTADDR PGSERVICE PGDATABASE PGPORT PGUSER SMDR_DATABASE SMDR_DATA

"$bin" generate --lines "$LINES" --seed "$SEED" > "$work/lines.txt"
# The register: the generator's own account codes among random ones, some IP Office patterns;
# exact numbers and prefixes, a few covering the generator's number ranges.
python3 - "$work" "$NUMBERS" "$CODES" <<'PY'
import random, sys
work, numbers, codes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(42)
own = ["1001", "1002", "1017", "20457", "20458", "31990", "ACME01", "PROBONO"]
code_list = dict.fromkeys(own + ["9%02d*" % i for i in range(100)])
while len(code_list) < codes:
    code_list["5%05d" % rng.randrange(100000)] = None
code_list = list(code_list)
exact = [c for c in code_list if not c.endswith("*")]  # numbers name exact codes
with open(f"{work}/codes.csv", "w") as f:
    f.write("code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n")
    for c in code_list:
        f.write(f"{c},C{c},Client {c},M1,Matter 1,,true,,\n")
nums = {"+441632960": "prefix", "+442079460": "prefix", "+447700900": "prefix"}
while len(nums) < numbers // 100:
    nums["+44%06d" % rng.randrange(10**6)] = "prefix"
while len(nums) < numbers:
    nums["+44%010d" % rng.randrange(10**10)] = "exact"
with open(f"{work}/numbers.csv", "w") as f:
    f.write("number,match,code,blocked,note\n")
    for n, m in nums.items():
        f.write(f"{n},{m},{rng.choice(exact)},false,\n")
PY

conn="host=$data/postgres port=5432 user=postgres dbname=smdr"
s() { "$bin" "$@" --data-dir "$data"; }
s migrate >/dev/null
s site add bench --time-zone Europe/London --country-code 44 --national-prefix 0 --international-prefix 00 --trunk-access-code 9 >/dev/null
s ingest --site bench --no-progress "$work/lines.txt" >/dev/null || [ $? -eq 1 ]
s register import codes "$work/codes.csv" >/dev/null
s register import numbers "$work/numbers.csv" >/dev/null
printf 'plan_id,hourly_rate,currency,increment_seconds,minimum_seconds,grace_seconds,rounding,scope,bill_hold_time,carrier_markup_percent\nSTD,250.00,GBP,360,0,0,up,leg,false,\nDAY,300.00,GBP,360,0,30,nearest,client_day,true,10\n' > "$work/plans.csv"
printf 'plan_id,client_id,matter_id,timekeeper_id,site,effective_from,effective_to\nSTD,,,,bench,,\nDAY,C1001,,,,,\n' > "$work/rates.csv"
s register import plans "$work/plans.csv" >/dev/null
s register import rates "$work/rates.csv" >/dev/null
psql -X -q "$conn" -c "VACUUM ANALYZE"
legs=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.call_leg")
echo "legs: $legs; register: $(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.client_number") numbers, $(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.account_code") codes"

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
columns="site_id, call_id, call_start_local, leg_ordinal, call_start, connected_seconds, ring_seconds, hold_seconds, park_seconds, direction, is_internal, is_continued, caller_number, caller_host, called_number, dialled_number, account_code, party1_device, party1_name, party2_device, party2_name, call_charge, currency"
first_day=$(psql -X -Atq "$conn" -c "SELECT min(call_start_local)::date FROM smdr.call_leg")
last_day=$(psql -X -Atq "$conn" -c "SELECT max(call_start_local)::date FROM smdr.call_leg")
busiest=$(psql -X -Atq "$conn" -c "SELECT date_trunc('month', call_start_local)::date FROM smdr.call_leg GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
busiest_end=$(psql -X -Atq "$conn" -c "SELECT (DATE '$busiest' + interval '1 month' - interval '1 day')::date")

start=$(now)
psql -X -q "$conn" -c "CREATE TABLE bench_ctas AS SELECT $columns FROM smdr.call_leg"
ctas=$(calc "$(now) - $start")

# Seconds and peak RSS (KiB) of one smdr run; its output goes to $work/NAME.txt.
timed() {
    local name=$1; shift
    local start; start=$(now)
    /usr/bin/time -f '%M' -o "$work/$name.rss" "$bin" "$@" --data-dir "$data" > "$work/$name.txt" || [ $? -eq 1 ]
    echo "$(calc "$(now) - $start") $(cat "$work/$name.rss")"
}
read -r first first_rss < <(timed first rate --rerate --from "$first_day" --to "$last_day")
read -r again again_rss < <(timed again rate --rerate --from "$first_day" --to "$last_day")
psql -X -q "$conn" -c "UPDATE smdr.rate_plan SET hourly_rate = 260.00"
read -r changed changed_rss < <(timed changed rate --rerate --from "$first_day" --to "$last_day")
psql -X -q "$conn" -c "UPDATE smdr.rate_plan SET hourly_rate = 270.00"
read -r month month_rss < <(timed month rate --rerate --from "$busiest" --to "$busiest_end")
month_legs=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.call_leg WHERE call_start_local >= DATE '$busiest' AND call_start_local < DATE '$busiest_end' + 1")
charges=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.charges")
head -3 "$work/first.txt" | sed 's/^/  /'
head -1 "$work/again.txt" | sed 's/^/  /'

echo "charges current: $charges; period $first_day to $last_day; busiest month $busiest ($month_legs legs)"
printf 'CTAS of the columns rate reads:     %6.2f s\n' "$ctas"
printf 'rate --rerate, first (all new):     %6.2f s = %8.0f legs/s, peak RSS %6d KiB, ratio %.2f\n' "$first" "$(calc "$legs / $first")" "$first_rss" "$(calc "$first / $ctas")"
printf 'rate --rerate, again (no change):   %6.2f s = %8.0f legs/s, peak RSS %6d KiB, ratio %.2f\n' "$again" "$(calc "$legs / $again")" "$again_rss" "$(calc "$again / $ctas")"
printf 'rate --rerate, rate changed (all):  %6.2f s = %8.0f legs/s, peak RSS %6d KiB, ratio %.2f\n' "$changed" "$(calc "$legs / $changed")" "$changed_rss" "$(calc "$changed / $ctas")"
printf 'rate --rerate, busiest month alone: %6.2f s, peak RSS %6d KiB\n' "$month" "$month_rss"
echo "goal: ratio <= 3 and <= 15 s; peak RSS of the whole period about that of one month"
