# Shared set-up of the benchmarks of the billing stages (bench-match.sh, bench-rate.sh), sourced
# by them after `set -euo pipefail`: builds smdr if needed, starts a throw-away embedded cluster
# in a temporary directory (removed on exit unless KEEP=1), generates LINES lines (seed SEED) and
# ingests them into site "bench" (44/0/00, access code 9), and imports a register of NUMBERS
# client numbers and CODES codes (the generator's own among random ones, IP Office patterns).
# Leaves $bin, $work, $data, $conn, $legs and the function s (smdr with --data-dir) behind.
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
