#!/usr/bin/env bash
# Runs every ```sh block of README.md's "API" section against a real server and fails if any command
# fails or any curl gets an HTTP error status. Starts the built `nabla` on a free port unless a base
# URL is given (`scripts/check-readme.sh http://127.0.0.1:8080`).
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-}
if [[ -z $base ]]; then
    # shellcheck source=scripts/lib/service.sh
    source scripts/lib/service.sh
    start_nabla
fi

# The blocks between "## API" and the next top-level section, with the documented address replaced.
blocks=$(awk '/^## API/{on=1; next} /^## /{on=0} on' README.md |
    awk '/^```sh$/{inblock=1; print "#--block"; next} /^```$/{inblock=0; next} inblock' |
    sed "s#http://127.0.0.1:8080#$base#g")
count=$(grep -c '^#--block' <<<"$blocks")
script=$(mktemp)
{
    echo 'set -eu  # no pipefail: `curl … | head` closes the pipe early, as it does for users'
    echo 'curl() { command curl --fail-with-body "$@" || { code=$?; [[ $code -eq 28 ]] || exit $code; }; }'
    echo "$blocks"
} >"$script"
if output=$(bash "$script" 2>&1); then
    echo "check-readme: $count README blocks ran against $base"
else
    echo "$output" | tail -20 >&2
    echo "check-readme: a README example failed against $base" >&2
    exit 1
fi
rm -f "$script"
