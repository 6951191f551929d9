#!/usr/bin/env bash
# GET /metrics through a real Prometheus parser (Tests/Metrics: prometheus_client's text parser with
# pytest, in a venv at .build/metrics-venv): the built `nabla` on a free port with one worker and a queue
# of one job (so a full queue is quick to reach), scraped before and after traffic.
#
#   bash scripts/metrics-test.sh                        # build (debug) if needed, start, test, stop
#   bash scripts/metrics-test.sh http://127.0.0.1:8080  # a running service (the rejection test
#                                                       # then needs --workers 1 --queue-limit 1)
#
# NABLA_BINARY picks another binary; extra pytest arguments follow `--`.
set -euo pipefail
cd "$(dirname "$0")/.."
name=metrics-test
# shellcheck source=lib/bench-common.sh
source scripts/lib/bench-common.sh

base=""
pytest_args=()
while (($# > 0)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --) shift; pytest_args=("$@"); break ;;
        http://* | https://*) base=$1 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done

venv=.build/metrics-venv
python_venv "$venv" Tests/Metrics/requirements.txt || die "pip could not install Tests/Metrics/requirements.txt"

if [[ -z $base ]]; then
    binary=${NABLA_BINARY:-}
    if [[ -z $binary ]]; then
        binary="$(swift build --show-bin-path)/nabla"
        [[ -x $binary ]] || swift build --product nabla >&2
    fi
    log=$(mktemp)
    "$binary" serve --host 127.0.0.1 --port 0 --workers 1 --queue-limit 1 --grace-period 0 >"$log" 2>&1 &
    server=$!
    trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
    for _ in $(seq 100); do
        port=$(grep -o 'port=[0-9]*' "$log" | head -1 | cut -d= -f2 || true)
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n ${port:-} ]] || { cat "$log" >&2; die "nabla did not start"; }
    base="http://127.0.0.1:$port"
fi

say "scraping $base/metrics"
NABLA_BASE_URL=$base "$venv/bin/python" -m pytest -q -p no:cacheprovider Tests/Metrics ${pytest_args[@]+"${pytest_args[@]}"}
