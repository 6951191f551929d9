"""The Python client that openapi-python-client generates from the service's /openapi.json: generated
whole (every operation, every schema, readable names, no warning), then used as a Python user would
use it: the tutorial's derivative, the clothing-size training read back as a typed job and result and
through its events, and a cancelled job. NABLA_BASE_URL names the service (scripts/suite.sh
openapi-client starts one)."""

import json
import math
import os
import pathlib
import re
import subprocess
import sys
import time
import urllib.request

import pytest

BASE = os.environ["NABLA_BASE_URL"]


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The generator's run on the served document: (document, output, package directory)."""
    work = tmp_path_factory.mktemp("client")
    document = json.loads(urllib.request.urlopen(BASE + "/openapi.json").read())
    (work / "openapi.json").write_text(json.dumps(document))
    tools = pathlib.Path(sys.executable).parent  # the venv's bin: the generator and ruff, its formatter
    run = subprocess.run(
        [tools / "openapi-python-client", "generate", "--path", "openapi.json", "--meta", "none",
         "--output-path", "nabla_client", "--config", str(pathlib.Path(__file__).with_name("generator.yaml"))],
        cwd=work, capture_output=True, text=True, env=dict(os.environ, PATH=f"{tools}:{os.environ['PATH']}"),
        timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(work))
    return document, run.stdout + run.stderr, work / "nabla_client"


@pytest.fixture(scope="session")
def client(generated):
    from nabla_client import Client
    return Client(base_url=BASE, raise_on_unexpected_status=True, timeout=30)


def snake(name):
    """The generator's module name for a schema or operation: APIIndex -> api_index, TrainCSV -> train_csv."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def test_every_operation_and_schema_is_generated_without_a_warning(generated):
    document, output, package = generated
    assert "warning" not in output.lower(), output
    assert "will not be generated" not in output and "Unable to process" not in output, output
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            module = package / "api" / operation["tags"][0] / (snake(operation["operationId"]) + ".py")
            assert module.exists(), f"{method.upper()} {path}: no {module.relative_to(package)}"
    models = {file.stem for file in (package / "models").glob("*.py")}
    for schema, definition in document["components"]["schemas"].items():
        if "anyOf" in definition and "properties" not in definition:
            continue  # a union of models (AnyDataset) is a type alias of them, not a model
        assert snake(schema) in models, f"schema {schema} has no model"
    for name in ["job", "job_summary", "train_request", "train_result"]:
        assert name in models
    unreadable = sorted(name for name in models if re.search(r"type_\d", name))
    assert not unreadable, f"models named after their position in a union: {unreadable}"


def test_the_tutorials_derivative_through_the_typed_client(client):
    from nabla_client.api.calculus import derivative
    from nabla_client.models import DerivativeAnswer, DerivativeMethod, DerivativeRequest

    answer = derivative.sync(
        client=client,
        body=DerivativeRequest(expression="0.01*x^2 + 0.1*x", at=5, method=DerivativeMethod.CENTRAL, h=1e-4))
    assert isinstance(answer, DerivativeAnswer)

    def f(x):
        return 0.01 * x * x + 0.1 * x

    expected = (f(5 + 1e-4) - f(5 - 1e-4)) / (2 * 1e-4)  # the tutorial's numerical_diff
    assert abs(answer.derivative - expected) <= 1e-12 * abs(expected), (answer.derivative, expected)
    assert answer.derivative != 0.2  # a central difference carries its rounding, as the tutorial shows


def clothing_size_first_loss():
    """The clothing-size network's loss before its first update, by hand: 1-2-1 sigmoid from the
    tutorial's weights over the 12 sizes, mean squared error."""
    sizes = [0.8, 1.1, 1.7, 1.9, 2.7, 3.2, 3.7, 4.0, 5.0, 5.5, 6.0, 6.3]
    fits = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    total = 0.0
    for x, t in zip(sizes, fits):
        h1, h2 = sigmoid(0.1 * x + 0.6), sigmoid(0.9 * x - 1.5)
        y = sigmoid(0.1 * h1 + 0.9 * h2 + 0.2)
        total += (t - y) ** 2
    return total / len(sizes)


def test_training_the_tutorial_network_and_reading_the_job_back(client):
    from nabla_client.api.jobs import get_job
    from nabla_client.api.training import train
    from nabla_client.models import (Accepted, Job, JobStatus, LossFunction, TrainRequest, TrainResult,
                                     TrainingPreset, TrainingStop)

    accepted = train.sync(client=client, body=TrainRequest(preset=TrainingPreset.CLOTHING_SIZE, epochs=200))
    assert isinstance(accepted, Accepted)
    deadline = time.monotonic() + 30
    job = get_job.sync(accepted.id, client=client)
    while job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.05)
        job = get_job.sync(accepted.id, client=client)
    assert isinstance(job, Job) and job.status == JobStatus.SUCCEEDED
    result = TrainResult.from_dict(job.result)
    assert result.loss_function == LossFunction.MSE
    assert result.stopped == TrainingStop.EPOCHS
    assert len(result.loss_history) == 200
    assert abs(result.loss_history[0] - clothing_size_first_loss()) <= 1e-12
    assert result.loss_history[-1] < result.loss_history[0]

    # The job's events, read through the client's own HTTP connection: the stream ends with `done`,
    # whose data is the finished job.
    stream = client.get_httpx_client().get(f"/v1/jobs/{accepted.id}/events")
    events = [block for block in stream.text.split("\n\n") if block.startswith("event:")]
    last = dict(line.split(": ", 1) for line in events[-1].splitlines() if ": " in line)
    assert last["event"] == "done"
    done = Job.from_dict(json.loads(last["data"]))
    assert done.status == JobStatus.SUCCEEDED
    assert TrainResult.from_dict(done.result).loss_history == result.loss_history


def test_a_job_cancelled_through_the_client(client):
    from nabla_client.api.jobs import cancel_job, get_job, sleep
    from nabla_client.models import Accepted, JobStatus, SleepRequest

    accepted = sleep.sync(client=client, body=SleepRequest(seconds=20))
    assert isinstance(accepted, Accepted)
    cancelled = cancel_job.sync_detailed(accepted.id, client=client)
    assert cancelled.status_code in (200, 202)  # 200 if it was still queued
    deadline = time.monotonic() + 10
    job = get_job.sync(accepted.id, client=client)
    while job.status != JobStatus.CANCELLED and time.monotonic() < deadline:
        time.sleep(0.02)
        job = get_job.sync(accepted.id, client=client)
    assert job.status == JobStatus.CANCELLED


def test_a_csv_uploaded_and_trained_on_through_the_client(client):
    import io

    from nabla_client.api.training import delete_dataset, train, upload_dataset
    from nabla_client.models import Job, JobStatus, TrainRequest, UploadedDataset
    from nabla_client.types import File

    csv = b"size,fits\n0.8,no\n1.7,no\n2.7,yes\n3.7,yes\n5.0,no\n6.3,no\n"
    uploaded = upload_dataset.sync(client=client, body=File(payload=io.BytesIO(csv)), name="sizes")
    assert isinstance(uploaded, UploadedDataset), uploaded
    assert uploaded.rows == 6 and [column.kind for column in uploaded.columns] == ["numeric", "label"]
    job = train.sync(client=client, body=TrainRequest.from_dict(
        {"dataset": uploaded.id, "target": "fits", "model": {"layers": [{"units": 2}, {}]},
         "loss": "binary_cross_entropy", "epochs": 50, "wait": True}))
    assert isinstance(job, Job) and job.status == JobStatus.SUCCEEDED, job
    assert job.request["features"] == ["size"]
    assert delete_dataset.sync_detailed(uploaded.id, client=client).status_code == 204
