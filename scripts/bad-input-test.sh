#!/usr/bin/env bash
# Bad input over real HTTP (Tests/BadInput: pytest with the standard library's HTTP client, in a venv
# at .build/badinput-venv): transport (415, 405 + Allow, 413 with Content-Length and chunked, 414 and
# 431 from libmicrohttpd), malformed JSON, numbers out of their field's range, hostile expressions
# (each a 400 with the column in < 50 ms, overflow at a point a 422), job ids and cancellation, and
# training requests that cannot run. Every answer must be problem+json with `status` equal to the HTTP
# status (but 414/431, libmicrohttpd's HTML), and no JSON answer may hold NaN or an infinity. After the
# suite /healthz must answer 200 and the server process must be alive. Prints
# `bad-input: N passed, M failed`; exits 1 on any failure.
#
#   bash scripts/bad-input-test.sh            # debug build (built if needed), one worker, tests, stop
#   bash scripts/bad-input-test.sh --release  # the release build (JSON parsing timed without the
#                                             # debug allowance)
#
# NABLA_BINARY picks another binary; extra pytest arguments follow `--`.
set -euo pipefail
cd "$(dirname "$0")/.."
name=bad-input
# shellcheck source=lib/bench-common.sh
source scripts/lib/bench-common.sh

release=false
pytest_args=()
while (($# > 0)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --release) release=true ;;
        --) shift; pytest_args=("$@"); break ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done

venv=.build/badinput-venv
python_venv "$venv" Tests/BadInput/requirements.txt || die "pip could not install Tests/BadInput/requirements.txt"

# Server time allowed per MiB of request body for reading the JSON, on top of 50 ms (README: a debug
# build's parser reads a 1 MB string in about 50 ms, a release build in about 1).
json_ms_per_mib=80
if $release; then
    swift build -c release --product nabla >&2
    export NABLA_BINARY="$(swift build -c release --show-bin-path)/nabla"
    json_ms_per_mib=0
fi

# shellcheck source=scripts/lib/service.sh
source scripts/lib/service.sh
# One worker, so a second job waits in the queue; a small epoch limit for the messages that name it.
start_nabla --workers 1 --max-epochs 100000 --grace-period 0

say "testing $base"
started=$(date +%s)
status=0
NABLA_BASE_URL=$base NABLA_LOG=$nabla_log NABLA_JSON_MS_PER_MIB=$json_ms_per_mib "$venv/bin/python" -m pytest \
    -q -p no:cacheprovider Tests/BadInput ${pytest_args[@]+"${pytest_args[@]}"} || status=$?
if ! kill -0 "$nabla_pid" 2>/dev/null; then
    say "the server process $nabla_pid is gone"
    tail -20 "$nabla_log" >&2
    status=1
fi
say "took $(($(date +%s) - started)) s"
exit "$status"
