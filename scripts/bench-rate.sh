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
source "$(dirname "$0")/bench-setup.sh"
printf 'plan_id,hourly_rate,currency,increment_seconds,minimum_seconds,grace_seconds,rounding,scope,bill_hold_time,carrier_markup_percent\nSTD,250.00,GBP,360,0,0,up,leg,false,\nDAY,300.00,GBP,360,0,30,nearest,client_day,true,10\n' > "$work/plans.csv"
printf 'plan_id,client_id,matter_id,timekeeper_id,site,effective_from,effective_to\nSTD,,,,bench,,\nDAY,C1001,,,,,\n' > "$work/rates.csv"
s register import plans "$work/plans.csv" >/dev/null
s register import rates "$work/rates.csv" >/dev/null

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
