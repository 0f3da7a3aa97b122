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

# The web app: its address, and on the first run a first admin with a random password, shown
# once (only its bcrypt hash is stored; later runs never print a password).
web_url="${SMDR_WEB_PUBLIC_URL:-http://${SMDR_WEB:-127.0.0.1:8080}}"
first_admin=""
if [ "${SMDR_WEB:-}" != off ] && [ -z "$("$bin" user list 2>/dev/null)" ]; then
    password=""
    while [ "${#password}" -lt 20 ]; do
        # All 600 bytes are read (no early close of the pipe, which pipefail would report).
        password+=$(head -c 600 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')
    done
    password="${password:0:20}"
    printf '%s\n' "$password" | "$bin" user add admin --role admin >/dev/null
    first_admin="Web app: $web_url — sign in as admin with password $password (shown only now; change it under Users)"
    unset password
fi

cat <<MSG
smdr serve is starting: IP Offices in send mode connect to port 5100; metrics on http://127.0.0.1:9464/metrics.
$(if [ "${SMDR_WEB:-}" = off ]; then echo "Web app: off (SMDR_WEB=off)"; else echo "Web app for billing staff: $web_url (users: $bin user list)"; fi)
Sites: $("$bin" site list | cut -f1 | paste -sd, -)

Send it a capture from another terminal:
  $bin replay Fixtures/smdr/avaya/conference-using-conference-add-short-code.smdr --to 127.0.0.1:5100
  $bin generate --lines 100000 --seed 1 > /tmp/demo.smdr && $bin replay /tmp/demo.smdr --to 127.0.0.1:5100
Then look at what was stored:
  $bin db psql --data-dir $SMDR_DATA -- -c 'SELECT count(*) FROM smdr.raw_record'
Stop with Ctrl-C: it journals what was sent, loads it into PostgreSQL, and exits.
The embedded PostgreSQL (if used) keeps running after that: stop it with $bin db stop --data-dir $SMDR_DATA.

MSG
if [ -n "$first_admin" ]; then
    printf '%s\n\n' "$first_admin"
fi
status=0
"$bin" serve || status=$?
if [ -z "${SMDR_DATABASE:-}${PGHOST:-}${PGHOSTADDR:-}${PGSERVICE:-}${PGDATABASE:-}" ]; then
    echo "run.sh: the embedded PostgreSQL in $SMDR_DATA/postgres is still running; stop it with: $bin db stop --data-dir $SMDR_DATA" >&2
fi
exit "$status"
