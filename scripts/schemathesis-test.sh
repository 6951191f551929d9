#!/usr/bin/env bash
# Schemathesis against the served /openapi.json: every check (but use_after_free: DELETE cancels a job,
# which stays readable) and every phase (examples, coverage, fuzzing with positive and negative data,
# stateful sequences through the document's links), settings in Tests/BadInput/schemathesis.toml, in a
# venv at .build/schemathesis-venv. The service runs with tiny training limits and a 5-s job time limit,
# so generated requests cannot start long trainings. Prints the counts and
# `schemathesis: N passed, M failed`; exits 1 on any failure, or if the service is unwell after.
#
#   bash scripts/schemathesis-test.sh           # CI mode: 20 examples per operation, fixed seed (~1 min)
#   bash scripts/schemathesis-test.sh --long    # 300 examples per operation, a random seed, up to 15 min
#   bash scripts/schemathesis-test.sh --seed N  # repeat a run
#
# NABLA_BINARY picks another binary; extra schemathesis arguments follow `--`.
set -euo pipefail
cd "$(dirname "$0")/.."
name=schemathesis
# shellcheck source=lib/bench-common.sh
source scripts/lib/bench-common.sh

examples=20
seed=1
max_time=()
extra=()
while (($# > 0)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --long) examples=300; seed=$RANDOM; max_time=(--max-time 900) ;;
        --seed) shift; is_count "${1:-}" 0 || die "--seed needs a number"; seed=$1 ;;
        --) shift; extra=("$@"); break ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done

venv=.build/schemathesis-venv
python_venv "$venv" Tests/BadInput/requirements-schemathesis.txt \
    || die "pip could not install Tests/BadInput/requirements-schemathesis.txt"

# shellcheck source=scripts/lib/service.sh
source scripts/lib/service.sh
start_nabla --max-epochs 50 --max-training-work 10000000 --max-data-values 100000 --queue-limit 16 \
    --job-time-limit 5 --grace-period 0

work=.build/schemathesis
mkdir -p "$work"
output=$work/output.txt
say "testing $base/openapi.json: $examples examples per operation, seed $seed"
started=$(date +%s)
status=0
(cd "$work" && "../../$venv/bin/schemathesis" --config-file ../../Tests/BadInput/schemathesis.toml \
    run "$base/openapi.json" --checks all --exclude-checks use_after_free --max-examples "$examples" \
    --seed "$seed" --workers 1 --request-timeout 15 --generation-database none --no-color \
    --report junit --report-junit-path junit.xml ${max_time[@]+"${max_time[@]}"} \
    ${extra[@]+"${extra[@]}"}) >"$output" 2>&1 || status=$?
sed -n '/^ *⏭\|^ *✅\|^ *❌\|FAILURES/,$p' "$output" | sed '/^$/N;/^\n$/D'
generated=$(grep -oE '[0-9]+ generated' "$output" | tail -1 | cut -d' ' -f1)
failures=$(grep -oE 'found [0-9]+ unique failures' "$output" | grep -oE '[0-9]+' || true)
failures=${failures:-0}
if ((status != 0)) && ((failures == 0)); then failures=1; fi
if [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/healthz") != 200 ]] || ! kill -0 "$nabla_pid" 2>/dev/null; then
    say "the service is unwell after the run"
    tail -20 "$nabla_log" >&2
    status=1
    failures=$((failures + 1))
fi
say "took $(($(date +%s) - started)) s (report: $output, $work/junit.xml)"
echo "schemathesis: $((${generated:-0} - failures)) passed, $failures failed"
exit "$status"
