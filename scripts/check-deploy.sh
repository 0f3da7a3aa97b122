#!/usr/bin/env bash
# Runs the install steps at the top of deploy/smdr.service, verbatim, in a scratch root, then
# checks what they leave behind and that the installed service runs. It changes nothing outside
# the scratch root, so it runs in CI (DeployStepsTests) without root.
#
# Usage: scripts/check-deploy.sh PATH/TO/smdr
#
# Not covered, because it would change the machine itself; these commands are replaced by shims:
# - apt-get: only checks that PostgreSQL's server programs are installed.
# - useradd: records the user. The service user is faked: the caller, or `nobody` when the
#   caller is root (so the embedded PostgreSQL does not run through runuser as it would for root).
# - install -o/-g: the owner smdr becomes the fake service user, root stays the caller.
# - systemctl daemon-reload: checks the unit with systemd-analyze when it is installed.
#   systemctl enable --now: runs the unit's ExecStart as the fake user with its EnvironmentFile,
#   as systemd would, but without the sandboxing (ProtectSystem=… are not applied), and waits
#   until it is ready (it must start without any site) or fails.
# - runuser -u smdr: runs the command as the fake user.
# Every absolute path is taken under the scratch root; `.build/release/smdr` is the given binary.
# The service listens on 127.0.0.1 with ephemeral ports instead of the example's defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
binary=$(realpath "${1:?usage: scripts/check-deploy.sh PATH/TO/smdr}")
root=$(mktemp -d /tmp/smdr-deploy.XXXXXX)
chmod 0755 "$root"
mkdir -p "$root/usr/local/bin" "$root/etc/systemd/system" "$root/var/lib"  # as on a bare Debian
service_pid=
cleanup() {
    if [ -n "$service_pid" ]; then kill -TERM "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
    if [ -d "$root/var/lib/smdr/postgres" ]; then as_service_user "$root/usr/local/bin/smdr" db stop >/dev/null 2>&1 || true; fi
    rm -rf "$root"
}
trap cleanup EXIT
fail() { echo "check-deploy: FAIL: $*" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then service_user=nobody; else service_user=$(id -un); fi
# The environment the service and the site commands see: the embedded cluster in the scratch
# /var/lib/smdr, whatever database the caller's environment selects.
service_env=(env -u SMDR_DATABASE -u PGHOST -u PGHOSTADDR -u PGSERVICE -u PGDATABASE -u SMDR_CONFIG
    SMDR_DATA="$root/var/lib/smdr" PATH="$root/usr/local/bin:$PATH")
if [ "$(id -u)" = 0 ]; then as_user=(/usr/sbin/runuser -u "$service_user" --); else as_user=(); fi
as_service_user() { (cd / && exec "${as_user[@]}" "${service_env[@]}" "$@"); }
under_root() { case "$1" in /*) echo "$root$1" ;; *) echo "$1" ;; esac; }
fake_user() { case "$1" in smdr) echo "$service_user" ;; *) id -un ;; esac; }

users=()
apt-get() {
    command -v pg_config >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
        || fail "PostgreSQL's server programs are not installed (apt-get $*)"
}
useradd() { users+=("${@: -1}"); }
install() {
    local args=() owner= group= directories=false
    while [ $# -gt 0 ]; do
        case "$1" in
            -o) owner=$2; shift 2 ;;
            -g) group=$2; shift 2 ;;
            -d) directories=true; args+=("$1"); shift ;;
            -m) args+=("$1" "$2"); shift 2 ;;
            .build/release/smdr) args+=("$binary"); shift ;;
            *) args+=("$(under_root "$1")"); shift ;;
        esac
    done
    command install "${args[@]}" || fail "install ${args[*]} failed"
    if [ "$(id -u)" = 0 ] && [ -n "$owner$group" ]; then
        local target=${args[-1]}
        [ "$directories" = true ] || [ ! -d "$target" ] || target=$target/$(basename "${args[-2]}")
        chown "$(fake_user "${owner:-root}"):$(id -gn "$(fake_user "${group:-root}")")" "$target"
    fi
}
systemctl() {
    case "$*" in
        daemon-reload)
            [ -f "$root/etc/systemd/system/smdr.service" ] || fail "the unit is not installed"
            if command -v systemd-analyze >/dev/null; then
                # Only the unit's own syntax: its paths are checked below, in the scratch root.
                systemd-analyze verify "$root/etc/systemd/system/smdr.service" 2>&1 \
                    | grep -v -e 'is not executable' -e 'No such file' -e "Failed to prepare filename" -e 'not found' \
                    | grep . && fail "systemd-analyze verify reports problems" || true
            fi ;;
        "enable --now smdr")
            local unit=$root/etc/systemd/system/smdr.service
            local exec environment_file
            exec=$(sed -n 's/^ExecStart=//p' "$unit")
            environment_file=$(under_root "$(sed -n 's/^EnvironmentFile=//p' "$unit")")
            [ -r "$environment_file" ] || fail "EnvironmentFile $environment_file is missing"
            [ -d "$(under_root "$(sed -n 's/^WorkingDirectory=//p' "$unit")")" ] || fail "WorkingDirectory is missing"
            read -r -a command <<<"$exec"
            command[0]=$(under_root "${command[0]}")
            [ -x "${command[0]}" ] || fail "ExecStart ${command[0]} is not executable"
            # exec all the way down, so that $! is the service's process (or runuser, which passes
            # SIGTERM on), as systemd's main PID would be.
            (cd / && exec "${as_user[@]}" "${service_env[@]}" INVOCATION_ID=check-deploy SMDR_CONFIG="$environment_file" \
                SMDR_LISTEN=127.0.0.1:0 SMDR_ADMIN=127.0.0.1:0 "${command[@]}") >"$root/service.log" 2>&1 &
            service_pid=$!
            # Like an operator typing the next step: the service has come up (or failed) by then.
            for _ in $(seq 1 300); do
                grep -q "smdr serve ready" "$root/service.log" && break
                kill -0 "$service_pid" 2>/dev/null || fail "the service exited: $(cat "$root/service.log")"
                sleep 0.2
            done ;;
        *) fail "unexpected systemctl $*" ;;
    esac
}
runuser() {
    [ "$1" = -u ] && [ "$3" = -- ] || fail "unexpected runuser $*"
    shift 3
    as_service_user "$@"
}

steps=$(sed -n 's/^#   //p' deploy/smdr.service)
[ -n "$steps" ] || fail "no install steps at the top of deploy/smdr.service"
while IFS= read -r step; do
    echo "check-deploy: $step"
    eval "$step" || fail "step failed: $step"
done <<<"$steps"

# What the steps must leave behind.
[ "${users[*]}" = smdr ] || fail "expected the steps to add the user smdr, got: ${users[*]:-none}"
for path in /usr/local/bin/smdr /etc/smdr/smdr.env /etc/systemd/system/smdr.service; do
    [ -f "$root$path" ] || fail "$path was not installed"
done
[ "$(stat -c %a "$root/etc/smdr/smdr.env")" = 640 ] || fail "/etc/smdr/smdr.env is not mode 0640"
[ "$(stat -c %a "$root/var/lib/smdr")" = 750 ] || fail "/var/lib/smdr is not mode 0750"
[ -n "$service_pid" ] || fail "no step started the service"

# The service runs, with the site the steps added, and keeps running (no restart loop).
for _ in $(seq 1 300); do
    grep -q "smdr serve ready" "$root/service.log" && break
    kill -0 "$service_pid" 2>/dev/null || fail "the service exited: $(cat "$root/service.log")"
    sleep 0.2
done
grep -q "smdr serve ready" "$root/service.log" || fail "the service did not become ready: $(cat "$root/service.log")"
sites=$(as_service_user "$root/usr/local/bin/smdr" site list) || fail "smdr site list failed"
grep -q "^hq	Europe/London	allow 192.0.2.10/32" <<<"$sites" || fail "site hq is missing: $sites"
sleep 2
kill -0 "$service_pid" 2>/dev/null || fail "the service exited after the site was added: $(cat "$root/service.log")"
echo "check-deploy: OK: the install steps of deploy/smdr.service work as written (in $root)"
