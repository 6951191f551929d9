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
