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
# A page that answers with anything but 200 fails the run (its status and the start of its body
# are printed; the other pages are still timed). Prints legs and charges, then one line per page; goal: p95 < 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
WARMUPS=${WARMUPS:-2}
ASSIGNS=${ASSIGNS:-5}
PASSWORD=bench-web-password-$$
explain_on=""
# Undoes the auto_explain settings this run made (on any exit: a kept cluster must not keep them).
reset_explain() {
    [ -n "$explain_on" ] || return 0
    explain_on=""
    psql -X -q "$conn" -c "ALTER SYSTEM RESET session_preload_libraries" -c "ALTER SYSTEM RESET auto_explain.log_min_duration" \
        -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
}
stop_server() {
    if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi
}

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
    trap 'stop_server; reset_explain' EXIT
else
    LINES=${LINES:-1000000}
    source scripts/bench-setup.sh
    server_pid=""
    trap 'stop_server; reset_explain; cleanup' EXIT
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

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
charges=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.charge")
queue=$(psql -X -Atq "$conn" -c "SELECT count(DISTINCT (site_id, call_id, call_start_local)) FROM smdr.leg_match WHERE match_rule = 'unassigned'")
echo "legs: $legs; charges: $charges; review queue: $queue calls"

# The web app's tables (a cluster loaded by an older build lacks them) and a user of this run.
s migrate >/dev/null
user="bench$(date +%s)"
printf '%s\n' "$PASSWORD" | SMDR_WEB_BCRYPT_COST=10 s user add "$user" --role admin >/dev/null

# Every statement slower than SLOW_MS is logged with its plan (auto_explain), for the owners of
# slow pages; set back when the run ends.
SLOW_MS=${SLOW_MS:-50}
server_log="$data/postgres/server.log"
log_from=$(($(wc -l < "$server_log") + 1))
psql -X -q "$conn" -c "LOAD 'auto_explain'" -c "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'" -c "ALTER SYSTEM SET auto_explain.log_min_duration = '${SLOW_MS}ms'" \
    -c "SELECT pg_reload_conf()" >/dev/null
explain_on=1

# The server: its own log; the bound address from its "listening on" line.
web_log="$work/web.log"
"$bin" web --listen 127.0.0.1:0 --data-dir "$data" > "$web_log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 300); do
    url=$(grep -o 'listening on http://[^ ]*' "$web_log" | head -1 | sed 's/^listening on //' || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "smdr web exited:"; cat "$web_log"; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "smdr web printed no 'listening on' line:"; cat "$web_log"; exit 1; }

# Sign in as a browser does: the sign-in page's cookie and token, then the form.
jar="$work/cookies.txt"
rm -f "$jar"
token_of() { sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }
token=$(curl -s -c "$jar" -b "$jar" "$url/signin" | token_of)
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
    --data-urlencode "name=$user" --data-urlencode "password=$PASSWORD" "$url/signin")
[ "$status" = 303 ] || { echo "sign-in answered $status"; exit 1; }
csrf=$(curl -s -b "$jar" "$url/queue" | token_of)

# The values the pages are asked for: the busiest month, its busiest client, a caller name.
first_day=$(psql -X -Atq "$conn" -c "SELECT min(call_start_local)::date FROM smdr.call_leg")
last_day=$(psql -X -Atq "$conn" -c "SELECT max(call_start_local)::date FROM smdr.call_leg")
busiest=$(psql -X -Atq "$conn" -c "SELECT to_char(charge_date, 'YYYY-MM') FROM smdr.charge GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
client=$(psql -X -Atq "$conn" -c "SELECT client_id FROM smdr.charge WHERE to_char(charge_date, 'YYYY-MM') = '$busiest' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
# Statements: the month's largest (a client behind a number prefix: thousands of calls) and its
# median client, with their numbers of charges.
read -r client_charges median_client median_charges < <(psql -X -Atq -F ' ' "$conn" -c "
    WITH c AS (SELECT client_id, count(*) AS n FROM smdr.charge WHERE to_char(charge_date, 'YYYY-MM') = '$busiest' GROUP BY 1),
         m AS (SELECT client_id, n FROM c ORDER BY n, client_id OFFSET (SELECT count(*) / 2 FROM c) LIMIT 1)
    SELECT (SELECT n FROM c WHERE client_id = '$client'), m.client_id, m.n FROM m")
timekeeper=$(psql -X -Atq "$conn" -c "SELECT timekeeper_id FROM smdr.timekeeper ORDER BY timekeeper_id LIMIT 1")
caller=$(psql -X -Atq "$conn" -c "SELECT split_part(party2_name, ' ', 1) FROM smdr.call_leg WHERE direction = 'I' AND party2_name <> '' AND party2_name NOT LIKE 'Line %' LIMIT 1")
caller=${caller:-Smith}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# NAME PATH: WARMUPS untimed, RUNS timed; median and p95 in ms. Anything but 200 fails the run.
results="$work/results.txt"
: > "$results"
failed=""
time_page() {
    local name=$1 path=$2 times="$work/times.txt" line code
    for _ in $(seq 1 "$WARMUPS"); do curl -s -o /dev/null -b "$jar" "$url$path"; done
    : > "$times"
    for _ in $(seq 1 "$RUNS"); do
        line=$(curl -s -o "$work/page.html" -w '%{http_code} %{time_total}' -b "$jar" "$url$path")
        code=${line%% *}
        if [ "$code" != 200 ]; then
            printf '%-28s answered %s: %s\n' "$name" "$code" "$(head -c 300 "$work/page.html" | tr '\n' ' ')" | tee -a "$results"
            failed=1
            return 0
        fi
        echo "${line#* }" >> "$times"
    done
    sort -n "$times" | awk -v name="$name" -v path="$path" -v bytes="$(stat -c %s "$work/page.html")" '
        { t[NR] = $1 * 1000 }
        END {
            median = t[int((NR + 1) / 2)]; p95 = t[int(NR * 0.95 + 0.999)]
            printf "%-28s %9.1f %9.1f %9.1f  %7d  %s\n", name, median, p95, t[NR], bytes, path
        }' | tee -a "$results"
}

echo "period $first_day to $last_day; busiest month $busiest, its busiest client $client; $RUNS runs after $WARMUPS warm-ups"
printf '%-28s %9s %9s %9s  %7s  %s\n' page "median ms" "p95 ms" "max ms" bytes path
time_page "queue" "/queue"
time_page "queue, site" "/queue?site=bench"
time_page "queue, timekeeper" "/queue?timekeeper=$(enc "$timekeeper")"
time_page "queue, busiest month" "/queue?from=$busiest-01&to=$last_day"
time_page "queue, page 10" "/queue?page=10"
time_page "calls (this month)" "/calls"
time_page "calls, busiest month" "/calls?from=$busiest-01&to=$(date -d "$busiest-01 +1 month -1 day" +%F)"
time_page "calls, whole period" "/calls?from=$first_day&to=$last_day"
time_page "calls, q=caller" "/calls?from=$first_day&to=$last_day&q=$(enc "$caller")"
time_page "calls, number" "/calls?from=$first_day&to=$last_day&number=7700900"
time_page "calls, client" "/calls?from=$first_day&to=$last_day&client=$(enc "$client")"
time_page "dashboard (this month)" "/dashboard"
time_page "dashboard, busiest month" "/dashboard?month=$busiest"
time_page "register" "/register"
time_page "register codes" "/register/codes"
time_page "register codes, q" "/register/codes?q=Client+5"
time_page "register numbers" "/register/numbers"
time_page "register numbers, q" "/register/numbers?q=%2B447700900"
time_page "register clients" "/register/clients"
time_page "statements" "/statements"
time_page "statements, client" "/statements?client=$(enc "$client")"
time_page "statement, $client_charges charges" "/statements/$(enc "$client")/$busiest"
time_page "statement, $median_charges charges" "/statements/$(enc "$median_client")/$busiest"
time_page "users" "/users"

# One-click assigns of the newest queue calls (each re-rates its day), timed one by one.
echo "assign (POST /queue/assign, one call, re-rate of its day):"
psql -X -Atq -F '|' "$conn" -c "
    SELECT s.name, m.call_id, to_char(m.call_start_local, 'YYYY-MM-DD HH24:MI:SS')
    FROM smdr.leg_match AS m JOIN smdr.site AS s ON s.id = m.site_id
    WHERE m.match_rule = 'unassigned'
    GROUP BY 1, 2, 3, m.call_start_local ORDER BY m.call_start_local DESC LIMIT $ASSIGNS" > "$work/assign.txt"
code=$(psql -X -Atq "$conn" -c "SELECT code FROM smdr.account_code WHERE active AND code NOT LIKE '%*' ORDER BY code LIMIT 1")
while IFS='|' read -r site call_id start; do
    line=$(curl -s -o /dev/null -D "$work/assign.headers" -w '%{http_code} %{time_total}' -b "$jar" \
        --data-urlencode "_csrf=$csrf" --data-urlencode "site=$site" --data-urlencode "call_id=$call_id" \
        --data-urlencode "start=$start" --data-urlencode "code=$code" "$url/queue/assign")
    flash=$(sed -n 's/^[Ss]et-[Cc]ookie: smdr_flash=\([^;]*\).*/\1/p' "$work/assign.headers" | python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.stdin.read().strip()))')
    printf '  call %s %s: %s in %6.1f ms: %s\n' "$call_id" "$start" "${line%% *}" "$(calc "${line#* } * 1000")" "$flash" | tee -a "$results"
done < "$work/assign.txt"

stop_server
reset_explain
slow=$(tail -n +"$log_from" "$server_log" | grep -c 'duration: .* ms  plan:' || true)
echo "statements slower than ${SLOW_MS} ms (auto_explain, plans in $server_log from line $log_from): $slow"
if [ "$slow" -gt 0 ]; then
    # The first SLOW_PLANS of them (default 3), each cut at 120 lines (awk reads to the end: no SIGPIPE under pipefail).
    tail -n +"$log_from" "$server_log" | awk -v plans="${SLOW_PLANS:-3}" '
        /duration: .* ms  plan:/ { n++; lines = 0 }
        n >= 1 && n <= plans && lines++ < 120' 
fi
echo "goal: every page p95 < 100 ms"
[ -z "$failed" ] || { echo "some pages did not answer 200"; exit 1; }
