#!/usr/bin/env bash
# Offline checks of the deployment recipes (Tests/Deploy, pytest in a venv at .build/deploy-venv):
# deploy/kubernetes/*.yaml validated strictly against Kubernetes 1.31's JSON schemas
# (kubernetes-validate bundles them: no cluster, no network), the probes, resources and hardening of
# the Deployment and deploy/compose.yaml against the Dockerfile, and README's configuration table
# against `nabla serve --help`. The container test (scripts/container-test.sh) runs the README's
# podman line and deploy/compose.yaml for real.
#
#   bash scripts/check-deploy.sh        # NABLA_BINARY picks the binary (default: the debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
name=check-deploy
# shellcheck source=lib/bench-common.sh
source scripts/lib/bench-common.sh

venv=.build/deploy-venv
python_venv "$venv" Tests/Deploy/requirements.txt || die "pip could not install Tests/Deploy/requirements.txt"
binary=${NABLA_BINARY:-}
if [[ -z $binary ]]; then
    binary="$(swift build --show-bin-path)/nabla"
    [[ -x $binary ]] || swift build --product nabla >&2
fi
NABLA_BINARY=$binary "$venv/bin/python" -m pytest -q -p no:cacheprovider Tests/Deploy "$@"
