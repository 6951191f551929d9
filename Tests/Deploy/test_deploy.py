"""The deployment recipes (deploy/) against the Dockerfile, offline: Kubernetes manifests validated
strictly against the Kubernetes API's JSON schemas (kubernetes-validate bundles them) and the
hardening every recipe must keep."""

import pathlib
import re

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
    environment = {item["name"]: item.get("value") for item in container["env"]}
    grace = float(environment.get("NABLA_GRACE_PERIOD", image_environment()["NABLA_GRACE_PERIOD"]))
    assert pod["terminationGracePeriodSeconds"] >= grace + 2
    # The workers follow the CPU limit rather than the node's core count.
    assert float(environment["NABLA_WORKERS"]) <= float(container["resources"]["limits"]["cpu"])


def test_service_selects_the_deployments_pods():
    kinds = resources()
    service, deployment = kinds["Service"], kinds["Deployment"]
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_replicas_share_jobs_through_the_database_secret():
    kinds = resources()
    deployment, secret = kinds["Deployment"], kinds["Secret"]
    assert deployment["spec"]["replicas"] >= 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    environment = {item["name"]: item for item in container["env"]}
    reference = environment["NABLA_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert reference["name"] == secret["metadata"]["name"] and reference["key"] in secret["stringData"]
    assert environment["NABLA_REPLICA_ID"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"


def test_compose_replicas_share_one_database_behind_haproxy():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.replicas.yaml").read_text())
    services = compose["services"]
    replicas = [name for name in services if name.startswith("nabla-")]
    assert len(replicas) == 3
    urls = {services[name]["environment"]["NABLA_DATABASE_URL"] for name in replicas}
    assert len(urls) == 1 and "@postgres:5432/" in urls.pop()
    assert len({services[name]["environment"]["NABLA_REPLICA_ID"] for name in replicas}) == 3
    for name in replicas:
        assert services[name]["read_only"] is True and services[name]["cap_drop"] == ["ALL"]
    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    assert all(f"server {name} {name}:8080 check" in config for name in replicas)
    assert "option httpchk GET /readyz" in config
    # HAProxy must not cut event streams between Nabla's 15-s heartbeats.
    timeouts = {line.split()[1]: line.split()[2] for line in config.splitlines() if line.strip().startswith("timeout")}
    assert all(int(timeouts[kind].rstrip("s")) > 15 for kind in ("client", "server"))


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

