#!/usr/bin/env bash
# Benchmark Nabla against a plain C libmicrohttpd server with the same daemon options
# (Benchmarks/c-server/mhd_reference_server.c), with wrk, on two endpoints:
#   GET /healthz         answered on the libmicrohttpd thread
#   POST /v1/echo        a ~100-byte JSON body (Nabla parses and re-serialises it; C copies it back)
# Prints req/s and p99 latency for both servers, the ratio Nabla/C, and PASS/MISS lines for the
# targets (ratio >= 0.70, Nabla p99 < 5 ms). The targets are informative: the exit status is 0
# whenever the benchmark ran, non-zero only if something failed to build, start or answer.
#
# Usage (from the repository root):
#   bash scripts/bench.sh [--c-only] [--verbose]
# Environment:
#   BENCH_SECONDS=10        length of each measured wrk run
#   BENCH_CONNECTIONS=32    wrk connections (both servers allow 64 per client address)
#   BENCH_THREADS=2         wrk threads
#   BENCH_HTTP_THREADS=N    libmicrohttpd threads of both servers (default: cores, at least 2,
#                           as Nabla's --http-threads default)
#   BENCH_WARMUP_SECONDS=2  unmeasured wrk run before each measured one (0 = none)
#   BENCH_ROUNDS=1          measure everything this many times, alternating the servers, and
#                           report the median req/s and the median p99 (3 steadies a busy machine)
#   BENCH_MIN_RATIO=0.70    throughput target, Nabla req/s divided by C req/s
#   BENCH_MAX_P99_MS=5      latency target for Nabla's p99, in milliseconds
#   NABLA_BINARY=/path/nabla  use this binary instead of building `swift build -c release`
# Note: wrk and both servers share this machine's cores, so absolute numbers understate what a
# server does alone; the ratio is the meaningful figure.
set -euo pipefail
cd "$(dirname "$0")/.."
name=bench
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

c_only=false
verbose=false
for argument in "$@"; do
    case $argument in
        --c-only) c_only=true ;;
        --verbose) verbose=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench: unknown argument '$argument' (try --help)" >&2; exit 2 ;;
    esac
done

seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
wrk_threads=${BENCH_THREADS:-2}
cores=$(nproc)
http_threads=${BENCH_HTTP_THREADS:-$((cores > 2 ? cores : 2))}
warmup=${BENCH_WARMUP_SECONDS:-2}
rounds=${BENCH_ROUNDS:-1}
min_ratio=${BENCH_MIN_RATIO:-0.70}
max_p99_ms=${BENCH_MAX_P99_MS:-5}

is_count "$seconds" 1 || die "BENCH_SECONDS must be a whole number >= 1"
is_count "$connections" 1 || die "BENCH_CONNECTIONS must be a whole number >= 1"
is_count "$wrk_threads" 1 || die "BENCH_THREADS must be a whole number >= 1"
is_count "$http_threads" 1 || die "BENCH_HTTP_THREADS must be a whole number >= 1"
is_count "$warmup" 0 || die "BENCH_WARMUP_SECONDS must be a whole number >= 0"
is_count "$rounds" 1 || die "BENCH_ROUNDS must be a whole number >= 1"
((connections >= wrk_threads)) || die "BENCH_CONNECTIONS must be at least BENCH_THREADS (wrk needs one per thread)"
((connections <= 64)) ||
    echo "bench: warning: both servers accept 64 connections per client address; wrk's extra connections will be dropped" >&2

# ---------------------------------------------------------------------------------------------
# Tools: wrk, gcc, pkg-config and libmicrohttpd's headers (installed with apt-get when root).
apt_install wrk gcc pkg-config libmicrohttpd-dev

work=$(mktemp -d "${TMPDIR:-/tmp}/nabla-bench.XXXXXX")
# shellcheck disable=SC2317  # an exit hook
remove_work() { rm -rf "$work"; }
exit_hooks+=(remove_work)

# ---------------------------------------------------------------------------------------------
# Build both servers.
c_server="$work/mhd_reference_server"
# shellcheck disable=SC2046  # pkg-config prints several words on purpose
gcc -O2 -Wall -Wextra -o "$c_server" Benchmarks/c-server/mhd_reference_server.c \
    $(pkg-config --cflags --libs libmicrohttpd) || die "cannot compile the C server"

if ! $c_only; then
    if [[ -z ${NABLA_BINARY:-} ]]; then
        command -v swift >/dev/null || die "swift is not on PATH (or set NABLA_BINARY, or use --c-only)"
        say "building nabla (release)"
        swift build -c release --product nabla >&2 || die "swift build failed"
        NABLA_BINARY="$(swift build -c release --show-bin-path)/nabla"
        export NABLA_BINARY
    fi
    [[ -x $NABLA_BINARY ]] || die "NABLA_BINARY=$NABLA_BINARY is not an executable file"
fi

# http_status PORT METHOD PATH [BODY]: prints the status code of one request ("" if none came), in
# plain bash (/dev/tcp), so no curl is needed.
http_status() {
    local port=$1 method=$2 path=$3 body=${4:-} line=""
    {
        exec 3<>"/dev/tcp/127.0.0.1/$port" || return 0
        printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
            "$method" "$path" "${#body}" "$body" >&3
        IFS= read -r -t 5 line <&3 || true
        exec 3<&-
    } 2>/dev/null
    line=${line%$'\r'}
    read -r _ line _ <<<"$line"
    echo "$line"
}

# ---------------------------------------------------------------------------------------------
# Start both servers (on free ports: start_server and start_nabla of scripts/lib.sh) and check each
# answers the benchmarked requests with 200.
body='{"x":[1,2,3],"f":"x^2+1","h":0.0001,"nested":{"a":true},"label":"nabla benchmark echo body"}'
cat >"$work/echo.lua" <<EOF
-- POST /v1/echo with a small JSON body ($(printf %s "$body" | wc -c) bytes), generated by scripts/bench.sh.
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
EOF

declare -A port_of=()
start_server "$work/c-server.log" "$c_server" 0 "$http_threads"
port_of[c]=$server_port
sides=(c)
if ! $c_only; then
    start_nabla --log-level warning --http-threads "$http_threads"
    port_of[nabla]=$server_port
    sides+=(nabla)
fi
for side in "${sides[@]}"; do
    status=$(http_status "${port_of[$side]}" POST /v1/echo "$body")
    [[ $status == 200 ]] || die "$side answered POST /v1/echo with '$status', not 200"
done

# ---------------------------------------------------------------------------------------------
# Run wrk and read its report.

# to_ms VALUE: wrk's "158.00us" / "4.65ms" / "1.02s" / "1.50m" in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
        if (f < 0) { print "?"; exit 1 }
        printf "%.2f", n * f }'
}

# measure SERVER ENDPOINT: runs wrk once; appends its req/s and p99 (ms) to rps_runs[key] and
# p99_runs[key] and adds its errors to errors[key] (key = "SERVER ENDPOINT").
declare -A rps_runs=() p99_runs=() errors=()
measure() {
    local server=$1 endpoint=$2
    local url="http://127.0.0.1:${port_of[$server]}${endpoint#* }"
    local out="$work/wrk-$server-${endpoint//[^A-Za-z0-9]/_}-$round.txt"
    local script=()
    [[ $endpoint == POST* ]] && script=(-s "$work/echo.lua")
    if ((warmup > 0)); then
        run_child timeout $((warmup + 30)) wrk -t1 -c4 -d"${warmup}s" "${script[@]}" "$url" >/dev/null ||
            die "wrk warm-up failed against $server $endpoint"
    fi
    echo "bench: $server: wrk -t$wrk_threads -c$connections -d${seconds}s --latency ${script[*]:+${script[*]} }$url" >&2
    run_child timeout $((seconds + 60)) wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency \
        "${script[@]}" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed against $server $endpoint"; }
    $verbose && cat "$out" >&2

    local key="$server $endpoint" value
    value=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    [[ -n $value ]] || { cat "$out" >&2; die "no Requests/sec in wrk's output"; }
    rps_runs[$key]+=" $value"
    value=$(awk '/Latency Distribution/ {on = 1} on && $1 == "99%" {print $2; exit}' "$out")
    [[ -n $value ]] || { cat "$out" >&2; die "no 99% latency in wrk's output"; }
    value=$(to_ms "$value") || die "cannot read wrk latency '$value'"
    p99_runs[$key]+=" $value"
    # "Non-2xx or 3xx responses: N" and "Socket errors: connect A, read B, write C, timeout D".
    value=$(awk '/^  Non-2xx or 3xx responses:/ {n += $NF}
        /^  Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
        END {print n + 0}' "$out")
    errors[$key]=$((${errors[$key]:-0} + value))
}

# median NUMBERS...: the middle value (the mean of the two middle ones for an even count).
median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        m = int((NR + 1) / 2); printf "%.3f", (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

warn_if_busy

# Rounds alternate the servers, so a burst of background load does not hit only one of them.
endpoints=("GET /healthz" "POST /v1/echo")
for ((round = 1; round <= rounds; round++)); do
    ((rounds == 1)) || echo "bench: round $round of $rounds" >&2
    for endpoint in "${endpoints[@]}"; do
        for server in "${sides[@]}"; do measure "$server" "$endpoint"; done
    done
done
declare -A rps=() p99=()
for key in "${!rps_runs[@]}"; do
    # shellcheck disable=SC2086  # the runs are a space-separated list of numbers
    rps[$key]=$(median ${rps_runs[$key]})
    # shellcheck disable=SC2086
    p99[$key]=$(median ${p99_runs[$key]})
done

# ---------------------------------------------------------------------------------------------
# Report.
echo
echo "wrk -t$wrk_threads -c$connections -d${seconds}s --latency, $rounds round(s) (medians), on $cores cores" \
    "shared by wrk and the servers; libmicrohttpd $(pkg-config --modversion libmicrohttpd), $http_threads HTTP threads per server"
ms() { printf '%.2f ms' "$1"; }
row='%-15s %12s %12s %9s %10s %10s\n'
# shellcheck disable=SC2059  # the format is the variable above
printf "$row" endpoint "C req/s" "Nabla req/s" "Nabla/C" "C p99" "Nabla p99"
# shellcheck disable=SC2059
printf "$row" --------------- ------------ ------------ --------- ---------- ----------
for endpoint in "${endpoints[@]}"; do
    c_key="c $endpoint" n_key="nabla $endpoint"
    if $c_only; then
        # shellcheck disable=SC2059
        printf "$row" "$endpoint" "$(printf %.0f "${rps[$c_key]}")" - - "$(ms "${p99[$c_key]}")" -
    else
        ratio=$(awk -v n="${rps[$n_key]}" -v c="${rps[$c_key]}" 'BEGIN {printf "%.2f", (c > 0) ? n / c : 0}')
        # shellcheck disable=SC2059
        printf "$row" "$endpoint" "$(printf %.0f "${rps[$c_key]}")" "$(printf %.0f "${rps[$n_key]}")" \
            "$ratio" "$(ms "${p99[$c_key]}")" "$(ms "${p99[$n_key]}")"
    fi
done
echo

for endpoint in "${endpoints[@]}"; do
    for server in "${sides[@]}"; do
        count=${errors[$server $endpoint]}
        ((count == 0)) || echo "WARN $server $endpoint: $count non-2xx responses or socket errors (its req/s counts them)"
    done
done
if $c_only; then
    echo "(--c-only: no Nabla run, no targets checked)"
    exit 0
fi
verdict() { if [[ $1 == 1 ]]; then echo PASS; else echo MISS; fi; }
for endpoint in "${endpoints[@]}"; do
    c_key="c $endpoint" n_key="nabla $endpoint"
    ratio=$(awk -v n="${rps[$n_key]}" -v c="${rps[$c_key]}" 'BEGIN {printf "%.2f", (c > 0) ? n / c : 0}')
    ok=$(awk -v n="${rps[$n_key]}" -v c="${rps[$c_key]}" -v m="$min_ratio" -v e="${errors[$n_key]}" \
        'BEGIN {print ((c > 0 && n / c >= m && e == 0) ? 1 : 0)}')
    note=""
    ((${errors[$n_key]} == 0)) || note=", but ${errors[$n_key]} errors"
    echo "$(verdict "$ok") $endpoint throughput: Nabla/C = $ratio (target >= $min_ratio$note)"
    ok=$(awk -v p="${p99[$n_key]}" -v m="$max_p99_ms" 'BEGIN {print ((p < m) ? 1 : 0)}')
    echo "$(verdict "$ok") $endpoint latency: Nabla p99 = $(ms "${p99[$n_key]}") (target < $max_p99_ms ms)"
done
