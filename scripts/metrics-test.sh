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
    # shellcheck source=scripts/lib/service.sh
    source scripts/lib/service.sh
    start_nabla --workers 1 --queue-limit 1 --grace-period 0
fi

say "scraping $base/metrics"
# shellcheck disable=SC2154  # nabla_pid is set by start_nabla (empty with --base: not ours to read)
NABLA_BASE_URL=$base NABLA_PID=${nabla_pid:-} "$venv/bin/python" -m pytest -q -p no:cacheprovider Tests/Metrics ${pytest_args[@]+"${pytest_args[@]}"}
