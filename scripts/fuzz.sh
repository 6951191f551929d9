#!/usr/bin/env bash
# Fuzzes the expression parser and every differentiation mode with libFuzzer: builds the fuzzer
# package in Fuzz/ (release, -sanitize=fuzzer, into .build/fuzz) and runs it.
#
# Usage: bash scripts/fuzz.sh [SECONDS | -runs=N] [LIBFUZZER-ARGUMENTS...]
#   bash scripts/fuzz.sh                      20 seconds
#   bash scripts/fuzz.sh 300                  five minutes
#   bash scripts/fuzz.sh -runs=1000000        one million inputs
#   bash scripts/fuzz.sh 60 -only_ascii=1    more libFuzzer flags after the first argument
# Starts from the seeds in Fuzz/corpus (and the tokens in Fuzz/expression.dict) and keeps what it
# learns in .build/fuzz-corpus, merged down when it passes 4,000 inputs. Prints the
# executions and executions per second at the end. A crash, trap, stack overflow or timeout (5 s per
# input) fails the script and leaves the input in .build/fuzz-crashes/; replay it with
#   .build/fuzz/release/NablaFuzz .build/fuzz-crashes/crash-...
# and shrink it with `... -minimize_crash=1 -runs=100000 crash-...`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} =~ ^[0-9]+$ ]]; then
    arguments=("-max_total_time=$1" "${@:2}")
elif (($# > 0)); then
    arguments=("$@")
else
    arguments=(-max_total_time=20)
fi

echo "fuzz: building Fuzz/ (release, -sanitize=fuzzer)" >&2
swift build --package-path Fuzz --scratch-path .build/fuzz -c release -Xswiftc -sanitize=fuzzer >&2
mkdir -p .build/fuzz-corpus .build/fuzz-crashes
log=.build/fuzz/last-run.log
echo "fuzz: running ${arguments[*]} (log: $log)" >&2
status=0
# Swift's backtracer would handle the trap itself, and libFuzzer would write no crash file.
# The first corpus directory is the one libFuzzer adds new inputs to; the seeds stay as committed.
SWIFT_BACKTRACE=enable=no .build/fuzz/release/NablaFuzz .build/fuzz-corpus Fuzz/corpus \
    -dict=Fuzz/expression.dict -max_len=4096 -timeout=5 -print_final_stats=1 \
    -artifact_prefix=.build/fuzz-crashes/ "${arguments[@]}" >"$log" 2>&1 || status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
if ((status != 0)); then
    grep -E 'fuzz finding|Fatal error|ERROR: libFuzzer|^ *#[0-9]+ .* in |SUMMARY|^MS:|^0x|Test unit written|^Base64' "$log" |
        grep -v 'compiler-rt/lib/fuzzer' | head -60 >&2
    echo "fuzz: FAILED (libFuzzer exit status $status) after ${runs:-?} executions (${speed:-?}/s); replay the" \
        "input above with .build/fuzz/release/NablaFuzz FILE, shrink it with -minimize_crash=1 -runs=100000" >&2
    exit "$status"
fi
echo "fuzz: ${runs:-?} executions in ${seconds:-?} s, ${speed:-?} exec/s, no crash"

# Every run re-executes the whole working corpus before fuzzing (about 4 ms an input), so after long
# runs keep only the inputs that still add coverage (libFuzzer's merge; ~3,000 after a million runs).
if (($(find .build/fuzz-corpus -type f | wc -l) > 4000)); then
    echo "fuzz: merging .build/fuzz-corpus" >&2
    rm -rf .build/fuzz-corpus.merged && mkdir .build/fuzz-corpus.merged
    SWIFT_BACKTRACE=enable=no .build/fuzz/release/NablaFuzz -merge=1 -max_len=4096 -timeout=5 \
        .build/fuzz-corpus.merged .build/fuzz-corpus >"$log.merge" 2>&1
    rm -rf .build/fuzz-corpus && mv .build/fuzz-corpus.merged .build/fuzz-corpus
    echo "fuzz: kept $(find .build/fuzz-corpus -type f | wc -l) inputs" >&2
fi
