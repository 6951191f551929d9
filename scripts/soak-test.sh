#!/usr/bin/env bash
# Soak proof (Tests/Load/soak.py): a fresh `nabla serve --max-retained-jobs 20` under mixed load for the
# run (wrk on POST /v1/derivative; short training runs; submit-and-cancel storms; SSE clients joining
# and leaving job streams mid-stream), its VmRSS and open descriptors sampled into
# .build/soak/soak-<mode>-<time>.csv. Twenty retained jobs, so that the retained set is full within the
# warm-up and growth means a leak: a finished run keeps its per-epoch histories (8 bytes an epoch a
# series), so the default 1,000 retained runs of these sizes alone would grow for most of the run.
# Prints the figures (`name: value`), then PASS/FAIL per criterion:
#   RSS growth from the first sample after the warm-up (a sixth of the run) to the end < 10 %;
#   RSS flat over the last half: least-squares slope extrapolated across the last half < 5 % of its mean;
#   descriptors back within 3 of the pre-load baseline after the load (waiting up to the idle timeout
#   + 5 s); no errors (wrk non-2xx or socket errors, 5xx other than 503, streams without `done`;
#   wrk's timeouts, answers slower than 2 s, are printed as wrk_timeouts_over_2s, not judged).
# Installs wrk with apt when missing; the measuring side is standard-library Python.
#
#   bash scripts/soak-test.sh              # full: 600 s of load, a sample every 5 s
#   bash scripts/soak-test.sh --ci         # CI: 60 s, a sample every 2 s (≈ 75 s in all)
#   bash scripts/soak-test.sh --seconds 300 --load sse,storm   # only some loads (wrk,train,storm,sse)
#   bash scripts/soak-test.sh --ci -- --max-retained-jobs 1000  # more `nabla serve` arguments after --
#
# NABLA_BINARY picks the binary (measure with the release build:
# NABLA_BINARY=$(swift build -c release --show-bin-path)/nabla); default the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
name=soak-test
# shellcheck source=scripts/lib/bench-common.sh
source scripts/lib/bench-common.sh

seconds=600
every=5
mode=full
load=wrk,train,storm,sse
serve_arguments=(--max-retained-jobs 20)
while (($# > 0)); do
    case $1 in
        --ci) seconds=60 every=2 mode=ci ;;
        --seconds) seconds=${2:?}; mode=${2}s; shift ;;
        --load) load=${2:?}; shift ;;
        --) shift; serve_arguments+=("$@"); break ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
is_count "$seconds" 12 || die "--seconds must be at least 12"
command -v wrk >/dev/null || apt_install wrk
command -v python3 >/dev/null || apt_install python3

binary=${NABLA_BINARY:-$(swift build --show-bin-path)/nabla}
[[ -x $binary ]] || swift build --product nabla >&2
export NABLA_BINARY=$binary

timeout=10  # --connection-timeout, the server's default, given so the wait for descriptors matches it
# shellcheck source=scripts/lib/service.sh
source scripts/lib/service.sh
start_nabla --connection-timeout "$timeout" "${serve_arguments[@]}"
csv=.build/soak/soak-$mode-$(date -u +%Y%m%dT%H%M%SZ).csv
say "mixed load ($load) on $base ($binary ${serve_arguments[*]}) for $seconds s, samples in $csv"
# shellcheck disable=SC2154  # nabla_pid is set by start_nabla
python3 Tests/Load/soak.py "$base" --pid "$nabla_pid" --seconds "$seconds" --sample-every "$every" \
    --connection-timeout "$timeout" --csv "$csv" --load "$load"
