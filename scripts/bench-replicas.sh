#!/usr/bin/env bash
# Benchmark of replicas sharing jobs through PostgreSQL (docs/replicas.md): a throwaway cluster (as the
# postgres user: root only), three `nabla serve --database-url` replicas with the default lease (15 s)
# and heartbeat (5 s), and one replica without a database as the baseline; then
# Tests/Replicas/bench_replicas.py prints jobs claimed per second, submit -> start across replicas,
# event latency across replicas (p50/p99), cancel latency and recovery after SIGKILL, with PASS/MISS
# against the targets (>= 500 jobs/s, event p99 <= 20 ms, cancel <= 1 s, recovery <= 30 s). About 90 s.
#
#   bash scripts/bench-replicas.sh [--workers N] [--jobs N] [--only baseline,claims,start,events,cancel,recovery]
#
# NABLA_BINARY picks the binary; default the release build (built if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
name=bench-replicas
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
workers=2 jobs=3000 only=baseline,claims,start,events,cancel,recovery
while (($# > 0)); do
    case $1 in
    --workers) workers=${2:?--workers needs a count}; shift ;;
    --jobs) jobs=${2:?--jobs needs a count}; shift ;;
    --only) only=${2:?--only needs a list}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
if [[ -z ${NABLA_BINARY:-} ]]; then
    swift build -c release --product nabla >&2
    NABLA_BINARY="$(swift build -c release --show-bin-path)/nabla"
    export NABLA_BINARY
fi
warn_if_busy
start_postgres
replicas=()
for replica in 1 2 3; do
    start_nabla --database-url "$pg_url" --replica-id "r$replica" --workers "$workers" --max-jobs-per-client 100000 \
        --queue-limit 100000 --log-level warning
    replicas+=(--replica "$base,$nabla_pid")
done
start_nabla --workers "$workers" --max-jobs-per-client 100000 --queue-limit 100000 --log-level warning
python3 Tests/Replicas/bench_replicas.py "${replicas[@]}" --baseline "$base" --pg-dir "$pg_dir" --pg-port "$pg_port" \
    --lease 15 --heartbeat 5 --workers "$workers" --jobs "$jobs" --only "$only"
