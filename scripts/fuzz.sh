#!/usr/bin/env bash
# Fuzzes Nabla with libFuzzer: builds the chosen targets of the fuzzer package in Fuzz/ (release,
# -sanitize=fuzzer, into .build/fuzz) and runs them one after the other:
#   expression  NablaFuzz: the expression parser and every differentiation mode (Calculus), seeds in
#               Fuzz/corpus, tokens in Fuzz/expression.dict, 5 s per input.
#   requests    NablaFuzzRequests: request bodies POSTed to the API's JSON routes without a socket
#               (the first byte picks the route), every answer checked; seeds in Fuzz/corpus-requests,
#               tokens in Fuzz/json.dict, 10 s per input.
#
# Usage: bash scripts/fuzz.sh [expression|requests|all] [SECONDS | -runs=N] [LIBFUZZER-ARGUMENTS...]
#   bash scripts/fuzz.sh                          both, 20 seconds each
#   bash scripts/fuzz.sh requests 300             the request target for five minutes
#   bash scripts/fuzz.sh all 60                   both, a minute each (what CI runs)
#   bash scripts/fuzz.sh expression -runs=1000000 one million inputs
#   bash scripts/fuzz.sh all 60 -only_ascii=1     more libFuzzer flags after the time
# Each target keeps what it learns in .build/fuzz-corpus-TARGET, merged down when it passes 4,000
# inputs, and prints one line: `fuzz: TARGET: N executions in S s, R exec/s, no crash`. A crash,
# trap (a broken invariant is a `fuzz finding:` trap), stack overflow or timeout fails the script
# (after the other target has run too) and leaves the input in .build/fuzz-crashes/TARGET/; replay it
# with
#   .build/fuzz/release/NablaFuzzRequests .build/fuzz-crashes/requests/crash-...
# and shrink it with `... -minimize_crash=1 -runs=100000 crash-...`.
set -euo pipefail
cd "$(dirname "$0")/.."

case ${1:-} in
expression | requests) targets=("$1") && shift ;;
all) targets=(expression requests) && shift ;;
-* | [0-9]* | "") targets=(expression requests) ;;
*) echo "fuzz: unknown target '$1' (expression, requests or all)" >&2 && exit 2 ;;
esac
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
    arguments=("-max_total_time=$1" "${@:2}")
elif (($# > 0)); then
    arguments=("$@")
else
    arguments=(-max_total_time=20)
fi

# A timed run that outlives twice its time plus five minutes is stuck: libFuzzer's handler of a
# deadly signal can deadlock on a corrupted heap (seen once, 2026-11-30), and CI must not wait forever.
watchdog=()
for argument in "${arguments[@]}"; do
    if [[ $argument =~ ^-max_total_time=([0-9]+)$ ]]; then
        watchdog=(timeout --kill-after=10 $((BASH_REMATCH[1] * 2 + 300)))
    fi
done

# binary TARGET: the executable that fuzzes it.
binary() { [[ $1 == expression ]] && echo NablaFuzz || echo NablaFuzzRequests; }

# Only the chosen targets' products: the expression target needs Calculus alone, not the whole API.
for target in "${targets[@]}"; do
    echo "fuzz: building $(binary "$target") in Fuzz/ (release, -sanitize=fuzzer)" >&2
    swift build --package-path Fuzz --scratch-path .build/fuzz -c release -Xswiftc -sanitize=fuzzer \
        --product "$(binary "$target")" >&2
done
# The expression target's corpus lived in .build/fuzz-corpus before there were two targets.
if [[ -d .build/fuzz-corpus && ! -e .build/fuzz-corpus-expression ]]; then
    mv .build/fuzz-corpus .build/fuzz-corpus-expression
fi

# run_target TARGET: fuzzes it with `arguments`, prints its line; returns libFuzzer's exit status.
run_target() {
    local target=$1 binary seeds dictionary timeout
    binary=$(binary "$target")
    case $target in
    expression) seeds=Fuzz/corpus dictionary=Fuzz/expression.dict timeout=5 ;;
    requests) seeds=Fuzz/corpus-requests dictionary=Fuzz/json.dict timeout=10 ;;
    esac
    local corpus=.build/fuzz-corpus-$target crashes=.build/fuzz-crashes/$target log=.build/fuzz/last-run-$target.log
    mkdir -p "$corpus" "$crashes"
    echo "fuzz: $target: running ${arguments[*]} (log: $log)" >&2
    local status=0
    # Swift's backtracer would handle the trap itself, and libFuzzer would write no crash file.
    # The first corpus directory is the one libFuzzer adds new inputs to; the seeds stay as committed.
    SWIFT_BACKTRACE=enable=no "${watchdog[@]}" ".build/fuzz/release/$binary" "$corpus" "$seeds" \
        "-dict=$dictionary" -max_len=4096 "-timeout=$timeout" -print_final_stats=1 \
        "-artifact_prefix=$crashes/" "${arguments[@]}" >"$log" 2>&1 || status=$?

    local runs speed seconds
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    if ((status != 0)); then
        grep -aE 'fuzz finding|Fatal error|ERROR: libFuzzer|^ *#[0-9]+ .* in |SUMMARY|^MS:|^0x|Test unit written|^Base64' \
            "$log" | grep -v 'compiler-rt/lib/fuzzer' | head -60 >&2
        ((status == 124 || status == 137)) && echo "fuzz: $target: stopped by the watchdog (stuck)" >&2
        echo "fuzz: $target: FAILED (libFuzzer exit status $status) after ${runs:-?} executions (${speed:-?}/s);" \
            "replay the input above with .build/fuzz/release/$binary FILE, shrink it with -minimize_crash=1" \
            "-runs=100000" >&2
        return "$status"
    fi
    echo "fuzz: $target: ${runs:-?} executions in ${seconds:-?} s, ${speed:-?} exec/s, no crash"

    # Every run re-executes the whole working corpus before fuzzing, so after long runs keep only the
    # inputs that still add coverage (libFuzzer's merge; ~3,000 after a million runs).
    if (($(find "$corpus" -type f | wc -l) > 4000)); then
        echo "fuzz: $target: merging $corpus" >&2
        rm -rf "$corpus.merged" && mkdir "$corpus.merged"
        SWIFT_BACKTRACE=enable=no ".build/fuzz/release/$binary" -merge=1 -max_len=4096 "-timeout=$timeout" \
            "$corpus.merged" "$corpus" >"$log.merge" 2>&1
        rm -rf "$corpus" && mv "$corpus.merged" "$corpus"
        echo "fuzz: $target: kept $(find "$corpus" -type f | wc -l) inputs" >&2
    fi
}

# Both targets run even when the first fails; the script exits with the first failure's status.
failed=0
for target in "${targets[@]}"; do
    status=0
    run_target "$target" || status=$?
    if ((failed == 0)); then failed=$status; fi
done
exit "$failed"
