#!/usr/bin/env bash
# Benchmarks `smdr match` over stored legs against the reference `CREATE TABLE … AS SELECT` of the
# same legs, in the same run on the same throw-away PostgreSQL cluster (DESIGN §10: report the
# ratio, never a bare time). The register has 100k client numbers and 10k codes.
#
#   scripts/bench-match.sh                    # 1,000,000 generated lines
#   LINES=200000 scripts/bench-match.sh
#   SMDR_BIN=/path/to/other/smdr scripts/bench-match.sh
#   KEEP=1 scripts/bench-match.sh             # leave the cluster running for a closer look
#
# Prints the seconds of each and the ratio match/CTAS (goal: <= 2).
set -euo pipefail
source "$(dirname "$0")/bench-setup.sh"

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
columns="site_id, call_id, call_start_local, leg_ordinal, call_start, connected_seconds, ring_seconds, hold_seconds, park_seconds, direction, is_internal, is_continued, caller_number, caller_host, called_number, dialled_number, account_code, party1_device, party1_name, party2_device, party2_name"

start=$(now)
psql -X -q "$conn" -c "CREATE TABLE bench_ctas_narrow AS SELECT $columns FROM smdr.call_leg"
narrow=$(calc "$(now) - $start")
start=$(now)
psql -X -q "$conn" -c "CREATE TABLE bench_ctas_all AS SELECT * FROM smdr.call_leg"
wide=$(calc "$(now) - $start")

start=$(now)
s match > "$work/match1.txt"
first=$(calc "$(now) - $start")
start=$(now)
s match > "$work/match2.txt"
second=$(calc "$(now) - $start")
sed 's/^/  /' "$work/match1.txt"

printf 'CTAS of the columns match reads: %6.2f s\n' "$narrow"
printf 'CTAS of every column:            %6.2f s\n' "$wide"
printf 'smdr match (first):              %6.2f s = %8.0f legs/s\n' "$first" "$(calc "$legs / $first")"
printf 'smdr match (again, replacing):   %6.2f s = %8.0f legs/s\n' "$second" "$(calc "$legs / $second")"
printf 'ratio match/CTAS (columns read): %.2f first, %.2f again (goal <= 2)\n' "$(calc "$first / $narrow")" "$(calc "$second / $narrow")"
printf 'ratio match/CTAS (every column): %.2f first, %.2f again\n' "$(calc "$first / $wide")" "$(calc "$second / $wide")"
