#!/usr/bin/env bash
# Overload proof (Tests/Load/overload.py): a fresh `nabla serve --workers 2 --queue-limit 2` (and
# --max-jobs-per-client 2 when the server has that option) gets long training jobs on both workers
# and in the queue, then twice that capacity at once from three client addresses (127.0.0.10-12),
# then excess submissions from four addresses at 10 a second for the hold, while a probe from
# 127.0.0.2 GETs /healthz 20 times a second. Prints the figures (`name: value`), then PASS/FAIL per
# criterion: every excess submission is 429 or 503 with Retry-After and a problem+json body, each in
# < 10 ms (client-measured, connect to last byte; max and p99 printed); at least one 503, and at
# least one 429 when `nabla serve --help` lists --max-jobs-per-client; /healthz p99 < 50 ms with no
# failure while both workers train; every accepted job cancelled (DELETE /v1/jobs/{id}) at the end.
# The measuring side is standard-library Python.
#
#   bash scripts/overload-test.sh             # full: a 120-s hold
#   bash scripts/overload-test.sh --ci        # CI: a 15-s hold (≈ 30 s in all)
#   bash scripts/overload-test.sh --hold 60
#
# NABLA_BINARY picks the binary (measure with the release build:
# NABLA_BINARY=$(swift build -c release --show-bin-path)/nabla); default the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
name=overload-test
# shellcheck source=scripts/lib/bench-common.sh
source scripts/lib/bench-common.sh

hold=120
while (($# > 0)); do
    case $1 in
        --ci) hold=15 ;;
        --hold) hold=${2:?}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
is_count "$hold" 1 || die "--hold must be a whole number of seconds"
command -v python3 >/dev/null || apt_install python3

binary=${NABLA_BINARY:-$(swift build --show-bin-path)/nabla}
[[ -x $binary ]] || swift build --product nabla >&2
export NABLA_BINARY=$binary

serve_arguments=(--workers 2 --queue-limit 2)
overload_arguments=()
serve_help=$("$binary" serve --help 2>&1)  # read whole: grep -q on a pipe would fail it under pipefail
if grep -q -- '--max-jobs-per-client' <<<"$serve_help"; then
    serve_arguments+=(--max-jobs-per-client 2)
    overload_arguments+=(--expect-429)
else
    say "this nabla has no --max-jobs-per-client: 503 from the queue is accepted instead of 429"
fi

# shellcheck source=scripts/lib/service.sh
source scripts/lib/service.sh
start_nabla "${serve_arguments[@]}"
say "overloading $base ($binary ${serve_arguments[*]}) for a ${hold}-s hold"
# shellcheck disable=SC2154  # nabla_log is set by start_nabla
python3 Tests/Load/overload.py "$base" --hold "$hold" --server-log "$nabla_log" \
    --out-dir .build/load/overload ${overload_arguments[@]+"${overload_arguments[@]}"}
