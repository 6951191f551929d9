#!/usr/bin/env bash
# Compares Nabla's derivatives with Python peers on this machine, in one run, for
# f(x) = sin(x)*exp(-x^2/2) + log(1+x^2) in f64:
#   vectorised, x = linspace(-3, 3, N), N = 100,000 and 1,000,000: NumPy central difference (by hand,
#     h = 1e-4), SymPy lambdify of the exact derivative, JAX jit(vmap(grad(f))); median of >= 5 runs
#   one point: JAX jit(grad(f)), SymPy lambdify, numdifftools Derivative
#   Nabla in process: `NablaBenchmarks derivative`, the same points per method (symbolic, forward,
#     reverse, central), the evaluation alone (the problem compiled beforehand, as the cache keeps it)
#   big batches: the Python pipeline a user would write instead (orjson decode of the same JSON body,
#     NumPy f and f' — exact, lambdified, and central difference —, orjson encode of an answer of the
#     same shape; in process) beside Nabla's whole request with 100,000 points over one kept-alive
#     socket in three forms: "at" a JSON array -> JSON, "at" a range -> JSON, range -> .npy
#     (Accept: application/x-npy); runs interleaved, medians; PASS at most 0.8x the faster pipeline
#   Nabla over HTTP: POST /v1/derivative with 100,000 points per method (symbolic, forward, reverse,
#     central), the whole request timed from a Python client on one kept-alive connection; and wrk
#     POSTing f at one point (methods symbolic and forward) for requests/s and p99
# Before timing, every peer and every Nabla method is checked against SymPy's exact derivative at a
# few points (1e-6 for central differences, 1e-10 for exact methods).
# Prints one table and PASS/MISS lines for the targets (Nabla's evaluation ahead of JAX per point,
# in process, at 100,000 and 1,000,000 points, central differences included; the big-batch request
# <= 0.8x the Python pipeline; >= 20,000 derivative requests/s), and INFO lines for
# the whole HTTP request per point. The targets are informative: the exit
# status is 0 whenever the benchmark ran, non-zero if something failed to install, build, start,
# answer (a 404 from /v1/derivative included) or agree with the exact derivative.
#
# Usage (from anywhere in the repository):
#   bash scripts/bench-derivative.sh [--peers-only] [--verbose]
#     --peers-only   run only the Python peers (no Swift build, no server, no wrk)
#     --verbose      show wrk's full output
# Environment:
#   BENCH_RUNS=7              timed runs per figure (median; at least 5)
#   BENCH_SECONDS=10          length of each measured wrk run
#   BENCH_CONNECTIONS=32      wrk connections
#   BENCH_THREADS=2           wrk threads
#   BENCH_WARMUP_SECONDS=2    unmeasured wrk run before each measured one (0 = none)
#   BENCH_PORT=0              the port Nabla listens on (0: a free one)
#   BENCH_VENV=.build/bench-venv   the Python environment (created and filled from
#                             Benchmarks/python/requirements.txt when missing or out of date)
#   NABLA_BINARY=/path/nabla  use this binary instead of building `swift build -c release`
# Installs when missing: the venv's packages (pip, pinned), wrk (apt-get, when root).
# Note: the peers, the server and wrk share this machine's cores; JAX and Nabla may use both.
set -euo pipefail
cd "$(dirname "$0")/.."
name=bench-derivative
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

peers_only=false
verbose=false
for argument in "$@"; do
    case $argument in
        --peers-only) peers_only=true ;;
        --verbose) verbose=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench-derivative: unknown argument '$argument' (try --help)" >&2; exit 2 ;;
    esac
done

runs=${BENCH_RUNS:-7}
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
wrk_threads=${BENCH_THREADS:-2}
warmup=${BENCH_WARMUP_SECONDS:-2}
venv=${BENCH_VENV:-.build/bench-venv}
port_asked=${BENCH_PORT:-0}
requirements=Benchmarks/python/requirements.txt
# 100,000 numbers in full precision are ~2 MB of JSON, over the server's default 1 MiB body limit.
max_body_bytes=8388608

is_count "$runs" 5 || die "BENCH_RUNS must be a whole number >= 5"
is_count "$seconds" 1 || die "BENCH_SECONDS must be a whole number >= 1"
is_count "$connections" 1 || die "BENCH_CONNECTIONS must be a whole number >= 1"
is_count "$wrk_threads" 1 || die "BENCH_THREADS must be a whole number >= 1"
is_count "$warmup" 0 || die "BENCH_WARMUP_SECONDS must be a whole number >= 0"
is_count "$port_asked" 0 || die "BENCH_PORT must be a port number (0 for a free one)"
((connections >= wrk_threads)) || die "BENCH_CONNECTIONS must be at least BENCH_THREADS (wrk needs one per thread)"

# ---------------------------------------------------------------------------------------------
# Tools: python3 with venv, the venv's packages, wrk.
python_venv "$venv" "$requirements" || die "pip install -r $requirements failed"
python=$venv/bin/python
if ! $peers_only; then
    command -v wrk >/dev/null || apt_install wrk
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/nabla-bench-derivative.XXXXXX")
# shellcheck disable=SC2317  # an exit hook
remove_work() { rm -rf "$work"; }
exit_hooks+=(remove_work)

# ---------------------------------------------------------------------------------------------
# Build Nabla first, so a broken build fails before minutes of measuring.
if ! $peers_only; then
    if [[ -z ${NABLA_BINARY:-} ]]; then
        command -v swift >/dev/null || die "swift is not on PATH (or set NABLA_BINARY, or use --peers-only)"
        say "building nabla (release)"
        swift build -c release --product nabla >&2 || die "swift build failed"
        NABLA_BINARY="$(swift build -c release --show-bin-path)/nabla"
        export NABLA_BINARY
    fi
    [[ -x $NABLA_BINARY ]] || die "NABLA_BINARY=$NABLA_BINARY is not an executable file"
    say "building NablaBenchmarks (release)"
    swift build -c release --product NablaBenchmarks >&2 || die "swift build of NablaBenchmarks failed"
    benchmarks="$(swift build -c release --show-bin-path)/NablaBenchmarks"
fi

# ---------------------------------------------------------------------------------------------
warn_if_busy

# ---------------------------------------------------------------------------------------------
# The peers (before the server starts, so nothing else is running).
# bench_python SCRIPT ARGUMENTS...: runs Benchmarks/python/SCRIPT with the venv's Python.
bench_python() { run_child "$python" "Benchmarks/python/$1" "${@:2}"; }
say "timing the Python peers ($runs runs each)"
bench_python peers.py --out "$work/peers.json" --runs "$runs" || die "the Python peers failed"

report=(--peers "$work/peers.json")
status=0
if ! $peers_only; then
    say "timing Nabla in process (NablaBenchmarks derivative, $runs runs each)"
    NABLA_BENCH_DERIVATIVE_JSON=$work/in-process.json run_child "$benchmarks" derivative --runs "$runs" >&2 ||
        die "NablaBenchmarks derivative failed"
    report+=(--nabla "$work/in-process.json")

    start_nabla --log-level warning --max-body-bytes "$max_body_bytes" --port "$port_asked"
    port=$server_port
    say "nabla listens on 127.0.0.1:$port"

    say "timing Nabla over HTTP ($runs requests per method)"
    mkdir -p "$work/wrk"
    nabla_status=0
    bench_python nabla_http.py --port "$port" --runs "$runs" --out "$work/nabla.json" --wrk-dir "$work/wrk" ||
        nabla_status=$?
    if ((nabla_status == 3)); then
        report+=(--note "Nabla /v1/derivative not available (404): no Nabla rows")
        status=1
    elif ((nabla_status != 0)); then
        tail -20 "$nabla_log" >&2
        die "measuring Nabla over HTTP failed"
    else
        report+=(--nabla "$work/nabla.json")
        wrk_command="wrk -t$wrk_threads -c$connections -d${seconds}s --latency"
        report+=(--wrk-command "$wrk_command")
        url="http://127.0.0.1:$port/v1/derivative"
        for method in symbolic forward; do
            script=$work/wrk/$method.lua
            if ((warmup > 0)); then
                run_child timeout $((warmup + 30)) wrk -t1 -c4 -d"${warmup}s" -s "$script" "$url" >/dev/null ||
                    die "wrk warm-up failed ($method)"
            fi
            say "$method: $wrk_command -s $method.lua $url"
            out=$work/wrk-$method.txt
            run_child timeout $((seconds + 60)) wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency \
                -s "$script" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed ($method)"; }
            $verbose && cat "$out" >&2
            report+=(--wrk "$method=$out")
        done
    fi
fi

bench_python report.py "${report[@]}" || die "the report failed"
exit "$status"
