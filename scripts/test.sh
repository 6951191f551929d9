#!/usr/bin/env bash
# Run every test: installs the build dependencies if needed, checks formatting, then `swift test` (unit suites, the
# router without a socket, the live suite over real HTTP, the SIGTERM drain of the nabla binary),
# then the README's curl examples against the built binary, the web page in headless Chromium
# (scripts/browser-test.sh), /metrics through a Prometheus parser (scripts/metrics-test.sh), the
# bad-input suite over real HTTP (scripts/bad-input-test.sh), schemathesis against /openapi.json
# (scripts/schemathesis-test.sh), the slowloris, overload and soak proofs in their short CI modes, the
# offline Dockerfile and deployment checks (scripts/check-deploy.sh) and a 60-second fuzz run of each
# libFuzzer target (the expression parser and every differentiation mode; request decoding). The container test (scripts/container-test.sh) is not
# part of it: .ci/run runs it when the image's inputs changed (README: Container).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift format lint --strict -r Sources Tests Fuzz Package.swift
swift build --build-tests
swift test --skip-build "$@"
if [[ $# -eq 0 ]]; then
    bash scripts/check-readme.sh
    bash scripts/browser-test.sh
    bash scripts/metrics-test.sh
    bash scripts/bad-input-test.sh
    bash scripts/schemathesis-test.sh
    bash scripts/slowloris-test.sh --ci
    # Overload judges the service's own speed (every rejection < 10 ms): the release build.
    swift build -c release --product nabla >&2
    NABLA_BINARY="$(swift build -c release --show-bin-path)/nabla" bash scripts/overload-test.sh --ci
    bash scripts/soak-test.sh --ci
    bash scripts/check-dockerfile.sh
    bash scripts/check-deploy.sh
    bash scripts/fuzz.sh all 60
fi
