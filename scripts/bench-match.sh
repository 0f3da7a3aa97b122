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
psql -X -q "$conn" -c "VACUUM ANALYZE"
legs=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.call_leg")
echo "legs: $legs; register: $(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.client_number") numbers, $(psql -X -Atq "$conn" -c "SELECT count(*) FROM smdr.account_code") codes"

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
