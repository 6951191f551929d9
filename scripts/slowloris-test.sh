#!/usr/bin/env bash
# Slowloris proof (Tests/Load/slowloris.py): slowhttptest -H holds 1,000 slow-header connections from
# 127.0.0.1 against a fresh `nabla serve` (default connection limits) while a probe from 127.0.0.2 GETs
# /healthz 10 times a second, and one client from 127.0.0.3 trickles a request head a header line every
# 2 s, never finishing it. Prints the figures (`name: value`), then PASS/FAIL per criterion:
#   the attack lasts (>= 85 % of the run); probe p99 < 50 ms; no failed probe; the server healthy
#   after (from the attacker's address too);
#   the trickler cut off within the request deadline + 2 s (--request-deadline; when the server does
#   not have that option its deadline is taken as the one given here, and the check fails).
# Installs slowhttptest with apt when missing; the measuring side is standard-library Python.
#
#   bash scripts/slowloris-test.sh                # full: a 180-s attack, the server's default deadline (30 s)
#   bash scripts/slowloris-test.sh --ci           # CI: a 30-s attack, --request-deadline 5 (≈ 40 s in all)
#   bash scripts/slowloris-test.sh --seconds 60 --connections 1500 --request-deadline 10
#
# NABLA_BINARY picks the binary (measure with the release build:
# NABLA_BINARY=$(swift build -c release --show-bin-path)/nabla); default the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
name=slowloris-test
# shellcheck source=scripts/lib/bench-common.sh
source scripts/lib/bench-common.sh

seconds=180
connections=1000
deadline=""
while (($# > 0)); do
    case $1 in
        --ci) seconds=30 deadline=5 ;;
        --seconds) seconds=${2:?}; shift ;;
        --connections) connections=${2:?}; shift ;;
        --request-deadline) deadline=${2:?}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
is_count "$seconds" 10 || die "--seconds must be at least 10"
is_count "$connections" 1 || die "--connections must be a positive count"

command -v slowhttptest >/dev/null || apt_install slowhttptest
command -v python3 >/dev/null || apt_install python3

binary=${NABLA_BINARY:-$(swift build --show-bin-path)/nabla}
[[ -x $binary ]] || swift build --product nabla >&2
export NABLA_BINARY=$binary

# The request deadline: passed when the server has the option; else the server's default is unknown
# (the trickle check then fails, as it should), and the one given here, or 30 s, is what is expected.
serve_arguments=()
serve_help=$("$binary" serve --help 2>&1)  # read whole: grep -q on a pipe would fail it under pipefail
if grep -q -- '--request-deadline' <<<"$serve_help"; then
    [[ -n $deadline ]] && serve_arguments+=(--request-deadline "$deadline")
else
    say "warning: this nabla has no --request-deadline; the trickle check will fail"
fi
deadline=${deadline:-30}

# shellcheck source=scripts/lib/service.sh
source scripts/lib/service.sh
start_nabla ${serve_arguments[@]+"${serve_arguments[@]}"}
say "$connections slow-header connections for $seconds s against $base ($binary)"
python3 Tests/Load/slowloris.py "$base" --pid "$nabla_pid" --seconds "$seconds" \
    --connections "$connections" --deadline "$deadline" --out-dir .build/load/slowloris
