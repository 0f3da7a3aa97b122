#!/usr/bin/env bash
# `make run`, the main job: smdr serve on the embedded PostgreSQL (or the database that
# SMDR_DATABASE / PG* select), with a demo site that accepts connections from this machine.
# Its data directory is .smdr in the checkout (SMDR_DATA overrides), not smdr's default; the
# embedded PostgreSQL keeps running when serve exits, which this script says on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/smdr
export SMDR_DATA="${SMDR_DATA:-$PWD/.smdr}"

"$bin" migrate
if [ -z "$("$bin" site list)" ]; then
    "$bin" site add demo --time-zone "${SMDR_DEMO_TIME_ZONE:-Europe/London}" --allow 127.0.0.0/8 --allow ::1
fi

cat <<MSG
smdr serve is starting: IP Offices in send mode connect to port 5100; metrics on http://127.0.0.1:9464/metrics.
Sites: $("$bin" site list | cut -f1 | paste -sd, -)

Send it a capture from another terminal:
  $bin replay Fixtures/smdr/avaya/conference-using-conference-add-short-code.smdr --to 127.0.0.1:5100
  $bin generate --lines 100000 --seed 1 > /tmp/demo.smdr && $bin replay /tmp/demo.smdr --to 127.0.0.1:5100
Then look at what was stored:
  $bin db psql --data-dir $SMDR_DATA -- -c 'SELECT count(*) FROM smdr.raw_record'
Stop with Ctrl-C: it journals what was sent, loads it into PostgreSQL, and exits.
The embedded PostgreSQL (if used) keeps running after that: stop it with $bin db stop --data-dir $SMDR_DATA.

MSG
status=0
"$bin" serve || status=$?
if [ -z "${SMDR_DATABASE:-}${PGHOST:-}${PGHOSTADDR:-}${PGSERVICE:-}${PGDATABASE:-}" ]; then
    echo "run.sh: the embedded PostgreSQL in $SMDR_DATA/postgres is still running; stop it with: $bin db stop --data-dir $SMDR_DATA" >&2
fi
exit "$status"
