# shellcheck shell=bash
# Starting a Nabla for a test script. Source it, then call start_nabla.

# start_nabla [SERVE-ARGUMENTS...]: `nabla serve --host 127.0.0.1 --port 0 ARGUMENTS` in the
# background (NABLA_BINARY, else the debug build, built if missing), stopped when the script exits;
# sets `base` to its URL, the port read from its start-up log line. Exits 1 if it does not start.
start_nabla() {
    local binary=${NABLA_BINARY:-} port=""
    if [[ -z $binary ]]; then
        binary="$(swift build --show-bin-path)/nabla"
        [[ -x $binary ]] || swift build --product nabla >&2
    fi
    nabla_log=$(mktemp)
    "$binary" serve --host 127.0.0.1 --port 0 "$@" >"$nabla_log" 2>&1 &
    nabla_pid=$!
    trap 'kill -TERM $nabla_pid 2>/dev/null; wait $nabla_pid 2>/dev/null; rm -f "$nabla_log"' EXIT
    for _ in $(seq 100); do
        port=$(grep -o 'port=[0-9]*' "$nabla_log" | head -1 | cut -d= -f2 || true)
        [[ -n $port ]] && break
        sleep 0.1
    done
    if [[ -z $port ]]; then
        echo "nabla did not start:" >&2
        cat "$nabla_log" >&2
        exit 1
    fi
    base="http://127.0.0.1:$port"
}
