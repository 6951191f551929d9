# shellcheck shell=bash
# shellcheck disable=SC2154  # `name` is set by the sourcing script
# Shell helpers shared by the benchmark scripts (sourced, not run). The caller sets `name` (the
# prefix of its messages) before sourcing.

# usage: the calling script's header comment (from line 2 to `set -euo pipefail`), as help text.
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

die() { echo "$name: $*" >&2; exit 1; }
say() { echo "$name: $*" >&2; }

# is_count VALUE MINIMUM: VALUE is a whole number >= MINIMUM.
is_count() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= $2)); }

# run_child COMMAND...: runs COMMAND in the background and waits for it, so that SIGTERM/SIGINT
# to the script act at once (bash defers its traps while a foreground command runs).
child=""
run_child() {
    local status=0
    "$@" &
    child=$!
    wait "$child" || status=$?
    child=""
    return "$status"
}

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

# apt_install PACKAGE...: installs Debian packages when root (quietly), else dies saying how.
apt_install() {
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing $*"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 || {
            apt-get update -qq >/dev/null
            apt-get install -y -qq --no-install-recommends "$@" >/dev/null
        } || die "apt-get install $* failed"
    else
        die "missing: $* (install with: sudo apt-get install $*)"
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
