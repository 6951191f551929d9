# shellcheck shell=bash
# shellcheck disable=SC2154  # `name` is set by the sourcing script
# What the scripts share (sourced, not run): messages, tools, Python venvs, and the one way a script
# starts a server (start_server; start_nabla for Nabla). The caller sets `name` (the prefix of its
# messages) before sourcing. On exit every server started here is stopped (SIGTERM, SIGKILL after 5 s),
# the child running now is ended, and each function named in `exit_hooks` runs.

# usage: the calling script's header comment (from line 2 to `set -euo pipefail`), as help text.
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

die() { echo "$name: $*" >&2; exit 1; }
say() { echo "$name: $*" >&2; }

# is_count VALUE MINIMUM: VALUE is a whole number >= MINIMUM.
is_count() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= $2)); }

servers=()    # pids of the servers started by start_server
child=""      # the command run_child runs now, if any
exit_hooks=() # functions to run on exit, after the servers stopped
on_exit() {
    local pid hook
    [[ -z $child ]] || kill -TERM "$child" 2>/dev/null || true
    for pid in ${servers[@]+"${servers[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in ${servers[@]+"${servers[@]}"}; do
        # Nabla drains on SIGTERM; idle, it exits at once.
        for _ in {1..50}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for hook in ${exit_hooks[@]+"${exit_hooks[@]}"}; do "$hook" || true; done
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_child COMMAND...: runs COMMAND in the background and waits for it, so that SIGTERM/SIGINT
# to the script act at once (bash defers its traps while a foreground command runs).
run_child() {
    local status=0
    "$@" &
    child=$!
    wait "$child" || status=$?
    child=""
    return "$status"
}

# listening_port PID: the TCP port PID listens on (from /proc, whatever it logs), empty if none yet.
listening_port() {
    local fd target sockets=" "
    for fd in /proc/"$1"/fd/*; do
        target=$(readlink "$fd" 2>/dev/null) || continue
        [[ $target == socket:* ]] && sockets+="${target//[!0-9]/} "
    done
    awk -v sockets="$sockets" '$4 == "0A" && index(sockets, " " $10 " ") { split($2, a, ":"); print a[2]; exit }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null | while read -r hex; do echo $((16#$hex)); done
}

# start_server LOG COMMAND...: runs COMMAND (a server told to listen on port 0) in the background, its
# output in LOG, stopped on exit; waits (30 s at most) until it listens and sets server_pid and
# server_port. Dies with the log's tail if it exits or never listens.
start_server() {
    local log=$1
    shift
    "$@" >"$log" 2>&1 &
    server_pid=$!
    servers+=("$server_pid")
    server_port=""
    for _ in {1..300}; do
        server_port=$(listening_port "$server_pid")
        [[ -n $server_port ]] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    tail -20 "$log" >&2
    die "$1 did not start listening"
}

# nabla_binary: NABLA_BINARY, else the debug build (built if missing).
nabla_binary() {
    local binary=${NABLA_BINARY:-}
    if [[ -z $binary ]]; then
        binary="$(swift build --show-bin-path)/nabla"
        [[ -x $binary ]] || swift build --product nabla >&2
    fi
    echo "$binary"
}

# start_nabla [SERVE-ARGUMENTS...]: `nabla serve --host 127.0.0.1 --port 0 ARGUMENTS` (nabla_binary)
# through start_server; sets nabla_pid, nabla_log (its output) and base (its URL).
# shellcheck disable=SC2034  # read by the callers
start_nabla() {
    nabla_log=$(mktemp)
    exit_hooks+=(remove_nabla_log)
    start_server "$nabla_log" "$(nabla_binary)" serve --host 127.0.0.1 --port 0 "$@"
    nabla_pid=$server_pid
    base=http://127.0.0.1:$server_port
}
# shellcheck disable=SC2329  # an exit hook
remove_nabla_log() { rm -f "$nabla_log"; }

# cpu_busy: percent of all cores busy during one second (from /proc/stat).
cpu_busy() {
    local before after
    before=$(head -1 /proc/stat)
    sleep 1
    after=$(head -1 /proc/stat)
    awk -v a="$before" -v b="$after" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        # user nice system idle iowait irq softirq steal (guest time is inside user and nice)
        for (i = 2; i <= 9 && i <= n; i++) { d = y[i] - x[i]; total += d; if (i == 5 || i == 6) idle += d }
        printf "%d", (total > 0) ? 100 * (total - idle) / total : 0 }'
}

# warn_if_busy: a warning when other work keeps the CPUs over 15% busy before measuring.
warn_if_busy() {
    local busy
    busy=$(cpu_busy)
    ((busy < 15)) || say "warning: the CPUs were ${busy}% busy before starting; other work will skew the numbers"
}

# apt_install PACKAGE...: installs the Debian packages not installed yet, when root (quietly), else
# dies saying how.
apt_install() {
    local package missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    ((${#missing[@]} > 0)) || return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
            apt-get update -qq >/dev/null
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        } || die "apt-get install ${missing[*]} failed"
    else
        die "missing: ${missing[*]} (install with: sudo apt-get install ${missing[*]})"
    fi
}

# python_venv VENV REQUIREMENTS...: makes sure the Python environment VENV exists (dies if it cannot
# be made) and holds the pinned packages of each requirements file, installing a file's packages only
# when the file changed since they were last installed (a stamp per file in VENV). Returns non-zero
# when pip fails on a file (the caller decides whether that is fatal); the files before it stay
# installed.
python_venv() {
    local venv=$1 requirements stamp wanted
    shift
    if [[ ! -x $venv/bin/python ]]; then
        command -v python3 >/dev/null || apt_install python3 python3-venv
        python3 -m venv "$venv" 2>/dev/null || {
            rm -rf "$venv"
            apt_install python3-venv
            python3 -m venv "$venv" || die "cannot create a Python venv at $venv"
        }
    fi
    for requirements in "$@"; do
        stamp=$venv/.$(basename "$requirements").sha256
        wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
        [[ $(cat "$stamp" 2>/dev/null) != "$wanted" ]] || continue
        say "installing Python packages from $requirements into $venv (about a minute the first time)"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2 || return 1
        echo "$wanted" >"$stamp"
    done
}

# free_port: a TCP port nothing listens on now (the kernel's pick for port 0).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_postgres: a throwaway PostgreSQL 15 cluster (Debian's postgresql, installed when root) in a
# temporary directory, owned and run by the `postgres` user, on a free loopback port, with a role and
# database `nabla` (password `nabla`); stopped and removed on exit. Sets pg_dir, pg_port, pg_url and
# pg_ctl (the command that controls it: `"${pg_ctl[@]}" restart -m fast`). pg_options: more `-c NAME=VALUE`.
# shellcheck disable=SC2034  # read by the callers
start_postgres() {
    local bin=/usr/lib/postgresql/15/bin
    [[ -x $bin/initdb ]] || apt_install postgresql
    [[ -x $bin/initdb ]] || die "PostgreSQL 15 is not installed (apt-get install postgresql)"
    [[ $(id -u) -eq 0 ]] || die "start_postgres runs the cluster as the postgres user: run as root"
    pg_dir=$(mktemp -d /tmp/nabla-pg.XXXXXX)
    exit_hooks+=(stop_postgres)
    chown postgres:postgres "$pg_dir"
    chmod 700 "$pg_dir"
    pg_port=$(free_port)
    runuser -u postgres -- "$bin/initdb" -D "$pg_dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }
    pg_ctl=(runuser -u postgres -- "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w)
    "${pg_ctl[@]}" -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir \
        -c max_connections=200 -c shared_buffers=64MB -c fsync=off ${pg_options:-}" start >/dev/null ||
        { tail -20 "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
    runuser -u postgres -- "$bin/psql" -q -h "$pg_dir" -p "$pg_port" -U postgres \
        -c "CREATE ROLE nabla LOGIN PASSWORD 'nabla'" -c "CREATE DATABASE nabla OWNER nabla" >/dev/null
    pg_url=postgres://nabla:nabla@127.0.0.1:$pg_port/nabla
    say "PostgreSQL on port $pg_port ($pg_dir)"
}
# shellcheck disable=SC2329  # an exit hook
stop_postgres() {
    [[ -n ${pg_dir:-} && -d $pg_dir ]] || return 0
    "${pg_ctl[@]}" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}

# pg_sql SQL: runs SQL in the `nabla` database of start_postgres's cluster; prints the rows unaligned.
pg_sql() {
    runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -X -q -t -A -h "$pg_dir" -p "$pg_port" -U postgres -d nabla \
        -c "$1"
}
