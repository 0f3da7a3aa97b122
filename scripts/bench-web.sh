#!/usr/bin/env bash
# Benchmarks the web app's pages (issue 13: every page answers in < 100 ms with 1M legs stored):
# a release `smdr web` over a throw-away cluster loaded by bench-setup.sh (generated lines into site
# "bench", 100k client numbers, 10k codes), rated like bench-export.sh (plans STD for every client
# and DAY, a client_day plan, for one; every PBX user a timekeeper), its oldest month closed. A
# user signs in with curl (the sign-in page's smdr_signin cookie and _csrf first), then each page
# is fetched WARMUPS times untimed and RUNS times timed (`curl -w %{time_total}`: the whole
# request over a real socket on 127.0.0.1, body included); median and p95 per page. Then the
# review queue's one-click assign (POST /queue/assign: AssignmentStore.assign and the re-rate of
# the call's day) is timed ASSIGNS times, each on another call.
#
#   scripts/bench-web.sh                           # 1,000,000 generated lines (about 1M legs)
#   LINES=200000 RUNS=10 scripts/bench-web.sh
#   KEEP=1 SETUP_ONLY=1 scripts/bench-web.sh       # load the data once and keep the cluster…
#   BENCH_WORK=/tmp/smdr-bench.XXXXXX scripts/bench-web.sh   # …then time the pages on it, again and again
#   SMDR_BIN=/path/to/smdr scripts/bench-web.sh    # another build (default .build/release/smdr)
#
# A page that answers with anything but 200 fails the run (its status and start of body are
# printed). Prints legs and charges, then one line per page; goal: p95 < 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
WARMUPS=${WARMUPS:-2}
ASSIGNS=${ASSIGNS:-5}
PASSWORD=bench-web-password-$$

if [ -n "${BENCH_WORK:-}" ]; then
    # A cluster kept by an earlier KEEP=1 run: the data is there; only the server is ours.
    work=$BENCH_WORK
    data="$work/data"
    bin=${SMDR_BIN:-.build/release/smdr}
    conn="host=$data/postgres port=5432 user=postgres dbname=smdr"
    unset PGHOST PGHOSTADDR PGSERVICE PGDATABASE PGPORT PGUSER SMDR_DATABASE SMDR_DATA
    s() { "$bin" "$@" --data-dir "$data"; }
    "$bin" db start --data-dir "$data" >/dev/null
    legs=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.call_leg")
    server_pid=""
    cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
    trap cleanup EXIT
else
    LINES=${LINES:-1000000}
    source scripts/bench-setup.sh
    server_pid=""
    setup_cleanup() {
        if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
        cleanup
    }
    trap setup_cleanup EXIT
    printf 'plan_id,hourly_rate,currency,increment_seconds,minimum_seconds,grace_seconds,rounding,scope,bill_hold_time,carrier_markup_percent\nSTD,250.00,GBP,360,0,0,up,leg,false,\nDAY,300.00,GBP,360,0,30,nearest,client_day,true,10\n' > "$work/plans.csv"
    printf 'plan_id,client_id,matter_id,timekeeper_id,site,effective_from,effective_to\nSTD,,,,bench,,\nDAY,C1001,,,,,\n' > "$work/rates.csv"
    s register import plans "$work/plans.csv" >/dev/null
    s register import rates "$work/rates.csv" >/dev/null
    psql -X -q "$conn" -c "\\copy (SELECT DISTINCT ON (party1_number) 'TK' || party1_number AS timekeeper_id, party1_name AS name, 'AS' AS classification, 'bench' AS site, party1_number AS extension, '' AS user_name FROM smdr.call_leg WHERE party1_kind = 'extension' AND party1_number IS NOT NULL ORDER BY party1_number, party1_name) TO '$work/timekeepers.csv' WITH (FORMAT csv, HEADER)"
    s register import timekeepers "$work/timekeepers.csv" >/dev/null
    first_day=$(psql -X -Atq "$conn" -c "SELECT min(call_start_local)::date FROM smdr.call_leg")
    last_day=$(psql -X -Atq "$conn" -c "SELECT max(call_start_local)::date FROM smdr.call_leg")
    s rate --rerate --from "$first_day" --to "$last_day" >/dev/null || [ $? -eq 1 ]
    # The oldest month closed, so that the statement list shows both states.
    s period close "$(psql -X -Atq "$conn" -c "SELECT to_char(min(call_start_local), 'YYYY-MM') FROM smdr.call_leg")" >/dev/null
    psql -X -q "$conn" -c "VACUUM ANALYZE"
    if [ -n "${SETUP_ONLY:-}" ]; then
        echo "charges: $(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.charges")"
        echo "data ready in $work; time the pages with: BENCH_WORK=$work scripts/bench-web.sh"
        exit 0
    fi
fi
