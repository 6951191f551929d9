#!/usr/bin/env bash
# Run every test: installs the build dependencies if needed, checks formatting, then `swift test` (unit
# suites, the router without a socket, the live suites over real HTTP with the bad-input tables, the
# SIGTERM drain of the nabla binary), then the suites that need a tool of their own (scripts/suite.sh:
# the README's curl examples, the web page in headless Chromium, /metrics through a Prometheus parser,
# schemathesis against /openapi.json, the offline deployment and Dockerfile checks, the slowloris,
# overload and soak proofs in their short CI modes, three replicas on PostgreSQL behind HAProxy); as
# root, a throwaway PostgreSQL cluster for the database layer's tests (NABLA_TEST_DATABASE_URL) and a 60-second fuzz run of each libFuzzer target
# (the expression parser and every differentiation mode; request decoding). With arguments, only
# `swift test ARGUMENTS`. The container test (scripts/container-test.sh) is not part of it: .ci/run
# runs it when the image's inputs changed (README: Container).
set -euo pipefail
cd "$(dirname "$0")/.."
name="test"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
bash scripts/setup.sh
swift format lint --strict -r Sources Tests Fuzz Package.swift
swift build --build-tests
# The database layer's tests (Tests/JobsPostgresTests) run against a throwaway PostgreSQL cluster,
# started as the postgres user: root only (CI is root); elsewhere they are reported skipped.
if [[ $(id -u) -eq 0 ]]; then
    start_postgres
    export NABLA_TEST_DATABASE_URL=$pg_url
else
    say "not root: the PostgreSQL tests are skipped (run as root, or set NABLA_TEST_DATABASE_URL)"
fi
swift test --skip-build "$@"
if [[ $# -eq 0 ]]; then
    # The bad-input tables again with keys on: every service requires a key, every request has one.
    NABLA_TEST_WITH_KEY=1 swift test --skip-build --filter 'BadRequestTests|BadExpressionTests|BadJobInputTests'
    for suite in readme browser metrics schemathesis "schemathesis --with-key" openapi-client onnx deploy "slowloris --ci"; do
        # shellcheck disable=SC2086  # the suite and its options
        bash scripts/suite.sh $suite
    done
    # Overload judges the service's own speed (every rejection < 10 ms): the release build, without
    # the database support it does not use (the SharedJobs trait: PostgresNIO, SwiftNIO and BoringSSL
    # would add minutes of optimised compiling to every CI run).
    swift build -c release --product nabla --disable-default-traits >&2
    NABLA_BINARY="$(swift build -c release --show-bin-path)/nabla" bash scripts/suite.sh overload --ci
    # Three replicas on PostgreSQL behind HAProxy (its own cluster; root only): the debug build.
    if [[ $(id -u) -eq 0 ]]; then
        bash scripts/suite.sh replicas
    else
        say "not root: the replicas suite is skipped (it runs PostgreSQL as the postgres user)"
    fi
    bash scripts/suite.sh soak --ci
    bash scripts/fuzz.sh all 60
fi
