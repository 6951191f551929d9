#!/usr/bin/env bash
# Compares Nabla's trainer with Python peers on this machine, in one run, on two workloads (f64):
#   (a) the seed's clothing-size experiment: 1-2-1 sigmoid, MSE, SGD lr 0.5, 5000 epochs, full batch,
#       from the seed's initial weights
#   (b) scikit-learn's digits (1797 x 64, standardised), MLP 64-32-10 with a relu hidden layer and a
#       softmax output on cross-entropy, SGD lr 0.1, batches of 32 in data order, 20 epochs, every side
#       from the same initial weights: seconds per epoch and final accuracy
# Nabla runs in process (`NablaBenchmarks train`, release build) on the digits data exported from
# Python (.build/bench-train/digits.bin), so both sides train on the same numbers. Peers: the seed's
# NumPy code and the same network by hand in NumPy, scikit-learn's MLPClassifier; with
# --with-torch-jax also JAX (jit; the 5000 epochs in one lax.fori_loop) and PyTorch (eager, 1 thread).
# Before timing is reported, every side's results are checked against NumPy's (clothing-size final
# loss within 1e-9 relative, digits accuracy comparable). Prints one table with medians and ratios and
# PASS/MISS lines for the targets: (a) Nabla <= 2 ms and ahead of JAX's compiled loop; (b) Nabla >= 2x
# faster per epoch than NumPy and JAX with the same accuracy. The targets are informative: the exit
# status is 0 whenever the benchmark ran, non-zero if something failed to install, build, run or agree.
# A peer that cannot be installed is reported as such and left out.
#
# With --wide it runs instead the wide-layer comparison (the GEMM path; Benchmarks/python/train_wide.py):
# 64-256-256-10 on 5,000 x 64 (batch 64) and digits 64-32-10 (batch 32), 20 epochs, f64, Nabla with one
# and two kernel threads against NumPy (OpenBLAS, both cores) from the same weights and data: ms/epoch,
# GFLOP/s, NumPy/Nabla ratios and dgemm's peak here. With NABLA_BENCH_BASELINE (an older
# NablaBenchmarks binary) it also times the seed and digits workloads of both binaries, one after the
# other, so a change's before and after come from the same run.
#
# With --upload it runs instead the real-scale table through the service (Benchmarks/python/train_upload.py):
# a 60,000 x 32 CSV uploaded to a release `nabla serve` (POST /v1/datasets), 32-128-128-10 relu, batch 64,
# 2 epochs, f64, the job's duration_ms against NumPy (both cores, and one) and PyTorch (2 threads, if
# installed: add --with-torch-jax) from the same weights and data; PASS/MISS for >= 1.1x NumPy.
#
# Usage (from anywhere in the repository):
#   bash scripts/bench-train.sh [--with-torch-jax] [--wide | --upload]
# Environment:
#   BENCH_RUNS=7              timed runs per figure (median, after one warm-up; at least 3); Nabla
#                             runs 3 times as many (its runs take milliseconds)
#   BENCH_VENV=.build/bench-venv   the Python environment (filled from Benchmarks/python/
#                             train_requirements.txt, and with --with-torch-jax requirements.txt and
#                             train_requirements_torch.txt, when missing or out of date)
set -euo pipefail
cd "$(dirname "$0")/.."
name=bench-train
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

with_torch_jax=false
wide=false
upload=false
for argument in "$@"; do
    case $argument in
        --with-torch-jax) with_torch_jax=true ;;
        --wide) wide=true ;;
        --upload) upload=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench-train: unknown argument '$argument' (try --help)" >&2; exit 2 ;;
    esac
done
runs=${BENCH_RUNS:-7}
venv=${BENCH_VENV:-.build/bench-venv}
is_count "$runs" 3 || die "BENCH_RUNS must be a whole number >= 3"

# ---------------------------------------------------------------------------------------------
# Python and the peers. NumPy and scikit-learn are needed; JAX and PyTorch are optional.
python_venv "$venv" Benchmarks/python/train_requirements.txt ||
    die "pip install -r Benchmarks/python/train_requirements.txt failed"
python=$venv/bin/python
notes=()
if $with_torch_jax; then
    python_venv "$venv" Benchmarks/python/requirements.txt ||
        notes+=("JAX could not be installed (pip install -r Benchmarks/python/requirements.txt failed)")
    python_venv "$venv" Benchmarks/python/train_requirements_torch.txt ||
        notes+=("PyTorch could not be installed (pip install -r Benchmarks/python/train_requirements_torch.txt failed)")
fi
for note in "${notes[@]}"; do say "$note; going on without it"; done

work=.build/bench-train
mkdir -p "$work"
rm -f "$work/nabla.json" "$work/peers.json"
bench_python() { run_child "$python" "Benchmarks/python/$1" "${@:2}"; }

if $upload; then
    say "building nabla (release)"
    swift build -c release --product nabla --disable-default-traits >&2 || die "swift build failed"
    NABLA_BINARY="$(swift build -c release --show-bin-path)/nabla" start_nabla --workers 1
    busy=$(cpu_busy)
    say "CPUs ${busy}% busy with other work before timing"
    bench_python train_upload.py "$base" --runs "$runs" --work "$work" || die "the sides disagree (see above)"
    say "CPUs ${busy}% busy before timing, $(cpu_busy)% after"
    exit 0
fi
if $wide; then
    bench_python train_wide.py export "$work" || die "exporting the wide data failed"
    bench_python train_peers.py --export "$work/digits.bin" || die "exporting the digits data failed"
    say "building NablaBenchmarks (release)"
    swift build -c release --product NablaBenchmarks >&2 || die "swift build failed"
    benchmarks="$(swift build -c release --show-bin-path)/NablaBenchmarks"
    busy=$(cpu_busy)
    say "CPUs ${busy}% busy with other work before timing"
    if [[ -n ${NABLA_BENCH_BASELINE:-} ]]; then
        for binary in "$NABLA_BENCH_BASELINE" "$benchmarks"; do
            say "seed and digits, $binary"
            NABLA_BENCH_DIGITS=$work/digits.bin run_child "$binary" train --runs $((runs * 3)) ||
                die "$binary train failed"
        done
    fi
    NABLA_BENCH_WIDE_DIR=$work NABLA_BENCH_TRAIN_JSON=$work/nabla-wide.json \
        run_child "$benchmarks" train-wide --runs "$runs" >&2 || die "NablaBenchmarks train-wide failed"
    bench_python train_wide.py report "$work/nabla-wide.json" --runs "$runs" || die "the sides disagree (see above)"
    say "CPUs ${busy}% busy before timing, $(cpu_busy)% after"
    exit 0
fi
bench_python train_peers.py --export "$work/digits.bin" || die "exporting the digits data failed"

# ---------------------------------------------------------------------------------------------
# Nabla first (a broken build fails before minutes of measuring), then the peers, one at a time.
command -v swift >/dev/null || die "swift is not on PATH"
say "building NablaBenchmarks (release)"
swift build -c release --product NablaBenchmarks >&2 || die "swift build failed"
benchmarks="$(swift build -c release --show-bin-path)/NablaBenchmarks"
# Other work on the machine skews every figure: say how busy it was before each side was timed.
busy_nabla=$(cpu_busy)
((busy_nabla < 15)) || say "warning: the CPUs were ${busy_nabla}% busy before timing; other work will skew the numbers"
say "timing Nabla ($((runs * 3)) runs each)"
NABLA_BENCH_DIGITS=$work/digits.bin NABLA_BENCH_TRAIN_JSON=$work/nabla.json \
    run_child "$benchmarks" train --runs $((runs * 3)) >&2 || die "NablaBenchmarks train failed"

busy_peers=$(cpu_busy)
notes+=("CPUs busy with other work just before timing: ${busy_nabla}% (Nabla), ${busy_peers}% (the peers)")
say "timing the Python peers ($runs runs each)"
peer_flags=(--out "$work/peers.json" --runs "$runs")
$with_torch_jax && peer_flags+=(--with-torch-jax)
bench_python train_peers.py "${peer_flags[@]}" || die "the Python peers failed"

report=(--peers "$work/peers.json" --nabla "$work/nabla.json")
for note in "${notes[@]}"; do report+=(--note "$note"); done
bench_python train_report.py "${report[@]}" || die "the sides disagree (see above): no times reported"
