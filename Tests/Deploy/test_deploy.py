"""The deployment recipes (deploy/) against the Dockerfile and the binary, offline: Kubernetes
manifests validated strictly against the Kubernetes API's JSON schemas (kubernetes-validate bundles
them), the hardening every recipe must keep, and README's configuration table against
`nabla serve --help` (NABLA_BINARY, which `scripts/suite.sh deploy` sets)."""

import os
import pathlib
import re
import subprocess

import kubernetes_validate
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
KUBERNETES_VERSION = "1.31.0"
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))


def dockerfile_value(instruction):
    """The arguments of the last INSTRUCTION line of the Dockerfile."""
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith(instruction + " ")]
    return lines[-1].split(" ", 1)[1]


def image_environment():
    return dict(re.findall(r"^ENV (\w+)=(\S+)", (ROOT / "Dockerfile").read_text(), re.M))


def resources():
    return {
        document["kind"]: document
        for path in MANIFESTS
        for document in yaml.safe_load_all(path.read_text())
        if document
    }


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: path.name)
def test_manifest_is_valid_kubernetes(path):
    for document in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_deployment_probes_resources_and_security():
    deployment = resources()["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    port = int(dockerfile_value("EXPOSE"))
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= container["resources"][kind].keys()
    user, group = (int(part) for part in dockerfile_value("USER").split(":"))
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert (pod["securityContext"]["runAsUser"], pod["securityContext"]["runAsGroup"]) == (user, group)
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    # Nabla drains for NABLA_GRACE_PERIOD, then needs ~2 s more: SIGKILL must come later.
    environment = {item["name"]: item["value"] for item in container["env"]}
    grace = float(environment.get("NABLA_GRACE_PERIOD", image_environment()["NABLA_GRACE_PERIOD"]))
    assert pod["terminationGracePeriodSeconds"] >= grace + 2
    # The workers follow the CPU limit rather than the node's core count.
    assert float(environment["NABLA_WORKERS"]) <= float(container["resources"]["limits"]["cpu"])


def test_service_selects_the_deployments_pods():
    kinds = resources()
    service, deployment = kinds["Service"], kinds["Deployment"]
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_compose_keeps_the_hardening():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    service = compose["services"]["nabla"]
    assert service["read_only"] is True
    assert service["tmpfs"] == ["/tmp"]
    assert service["cap_drop"] == ["ALL"]
    assert "no-new-privileges" in service["security_opt"][0]
    assert service["user"] == dockerfile_value("USER")
    assert service["ports"][0].startswith("127.0.0.1:") and service["ports"][0].endswith(":8080")
    grace = float(service["environment"]["NABLA_GRACE_PERIOD"])
    assert float(service["stop_grace_period"].rstrip("s")) >= grace + 2


def help_options(*command):
    """{flag: (environment variable, default)} from `nabla COMMAND --help`."""
    text = subprocess.run([os.environ["NABLA_BINARY"], *command, "--help"], capture_output=True, text=True,
                          check=True).stdout
    options = {}
    for flag, body in re.findall(r"^  (--[a-z-]+)(?: <[a-z-]+>)?(.*?)(?=^  -|^\S|\Z)", text, re.M | re.S):
        if flag in ("--help", "--version"):
            continue
        body = " ".join(body.split())
        environment = re.search(r"Env (NABLA_\w+)", body)
        default = re.search(r"Default:? (.*?)\.?$", body)
        options[flag] = (environment and environment.group(1), default and default.group(1))
    return options


def readme_table():
    """{flag: (environment variable, default cell)} from README's configuration table."""
    rows = re.findall(r"^\| `(--[a-z-]+)` \| `(NABLA_\w+)` \| (.*?) \|", (ROOT / "README.md").read_text(), re.M)
    return {flag: (environment, default) for flag, environment, default in rows}


@pytest.mark.skipif("NABLA_BINARY" not in os.environ, reason="needs NABLA_BINARY (scripts/check-deploy.sh)")
def test_readme_configuration_table_matches_the_help():
    table = readme_table()
    options = help_options("serve")
    assert sorted(table) == sorted(options), "README's table and `nabla serve --help` list different flags"
    for flag, (environment, default) in options.items():
        assert table[flag][0] == environment, flag
        first = re.match(r"`([^`]*)`", table[flag][1])
        if default and re.fullmatch(r"[\w.]+", default.removeprefix("./")):
            assert first and first.group(1) == default.removeprefix("./"), f"{flag}: README {table[flag][1]!r}, help {default!r}"
