#!/usr/bin/env bash
# Fuzzes the expression parser and every differentiation mode with libFuzzer (Fuzz/Sources).
#
# Usage: bash scripts/fuzz.sh [LIBFUZZER-ARGUMENTS...]
#   bash scripts/fuzz.sh -runs=1000000        one million inputs
#   bash scripts/fuzz.sh -max_total_time=20   twenty seconds (what the test script runs)
# Builds with -sanitize=fuzzer into .build/fuzz (apart from the normal build), starts from the seeds
# in Fuzz/corpus and keeps what it learns in .build/fuzz-corpus. A crash writes crash-* in the
# current directory and exits non-zero; replay it with
#   swift run NablaFuzz crash-...   (a plain build runs the named inputs once)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "fuzz: building (release, -sanitize=fuzzer)" >&2
swift build -c release --product NablaFuzz -Xswiftc -sanitize=fuzzer --scratch-path .build/fuzz >&2
mkdir -p .build/fuzz-corpus
# Swift's backtracer would catch the crash before libFuzzer writes the crashing input.
export SWIFT_BACKTRACE=enable=no
arguments=("$@")
((${#arguments[@]} > 0)) || arguments=(-max_total_time=20)
log=.build/fuzz/last-run.log
status=0
.build/fuzz/release/NablaFuzz .build/fuzz-corpus Fuzz/corpus -max_len=4096 -timeout=5 -print_final_stats=1 \
    "${arguments[@]}" >"$log" 2>&1 || status=$?
grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb))' "$log" || true
if ((status != 0)); then
    tail -40 "$log" >&2
    echo "fuzz: libFuzzer exited with $status (a crash or timeout: see the crash-*/timeout-* file above)" >&2
    exit "$status"
fi
echo "fuzz: no crash" >&2
