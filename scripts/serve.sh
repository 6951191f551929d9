#!/usr/bin/env bash
# Start Nabla: installs the build dependencies if needed, builds the release binary and runs
# `nabla serve` on 127.0.0.1:8080 (override with flags, e.g. `scripts/serve.sh --port 9000`, or
# NABLA_* environment variables; see `nabla serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product nabla >&2
exec "$(swift build -c release --show-bin-path)/nabla" serve "$@"
