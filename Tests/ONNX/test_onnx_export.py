"""GET /v1/jobs/{id}/model.onnx against the ONNX tooling itself: each model trained here through the
running service is downloaded, passed through onnx's checker (full check, with shape inference),
parsed and serialized again by protobuf's own library (the bytes must come back unchanged: every
field canonical, in field order), and run by onnxruntime's CPU provider in float64; its outputs must
equal POST /v1/jobs/{id}/predict's within 1e-9 on the training rows and on fresh rows.

The networks: the tutorial's clothing-size experiment (1-2-1 sigmoid), the README's iris classifier
(z-scored, tanh, softmax), a moons classifier (min-max, relu, one sigmoid output), a regression
(z-scored, relu then sigmoid, linear output), a wider classifier on a table of 32 features
(32-128-128-10 relu) and a cancelled run's partial model."""

import json
import pathlib
import re
import time
import urllib.error
import urllib.request

import numpy as np
import onnx
import onnxruntime
import pytest

from conftest import BASE_URL, DIFFERENCES

TOLERANCE = 1e-9
IRIS_SOURCE = pathlib.Path(__file__).resolve().parents[2] / "Sources/NeuralNet/Data/IrisTable.swift"


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE_URL + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def train(request):
    status, _, body = call("POST", "/v1/train?wait=true", request)
    assert status == 200, body
    job = json.loads(body)
    assert job["status"] == "succeeded", job
    return job


def predict(job_id, rows):
    status, _, body = call("POST", f"/v1/jobs/{job_id}/predict", {"x": rows.tolist()})
    assert status == 200, body
    return json.loads(body)


def download(job_id):
    status, headers, body = call("GET", f"/v1/jobs/{job_id}/model.onnx")
    assert status == 200, body
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"] == f'attachment; filename="nabla-{job_id}.onnx"'
    return body


def iris_rows():
    """The 150 rows of the built-in iris dataset, as the service's source holds them."""
    table = re.search(r'static let csv = """\n(.*?)"""', IRIS_SOURCE.read_text(), re.S).group(1)
    return np.array([[float(v) for v in line.split(",")[:4]] for line in table.split()])


def check_export(name, job, training_rows, fresh_rows):
    """The checks every exported model passes; returns the session and the model's metadata."""
    job_id = job["id"]
    data = download(job_id)
    model = onnx.load_from_string(data)
    onnx.checker.check_model(model, full_check=True)
    assert model.SerializeToString() == data, "protobuf serializes the parsed model to other bytes"
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 13)]
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    [model_input] = session.get_inputs()
    [model_output] = session.get_outputs()
    assert (model_input.name, model_input.type) == ("x", "tensor(double)")
    assert (model_output.name, model_output.type) == ("outputs", "tensor(double)")
    for label, rows in (("training rows", training_rows), ("fresh rows", fresh_rows)):
        rows = np.asarray(rows, dtype=np.float64)
        answer = predict(job_id, rows)
        expected = np.array(answer["outputs"], dtype=np.float64)
        [actual] = session.run(None, {"x": rows})
        assert actual.dtype == np.float64 and actual.shape == expected.shape
        difference = float(np.max(np.abs(actual - expected)))
        DIFFERENCES.append((name, label, len(rows), difference))
        assert difference <= TOLERANCE, f"{name}, {label}: max |onnxruntime - predict| = {difference}"
        if "class_indices" in answer and actual.shape[1] > 1:
            assert np.argmax(actual, axis=1).tolist() == answer["class_indices"]
    return session.get_modelmeta().custom_metadata_map


def fresh(rows, count, seed):
    """`count` random rows in the box of `rows` widened by half its size on each side."""
    rows = np.asarray(rows, dtype=np.float64)
    low, high = rows.min(axis=0), rows.max(axis=0)
    margin = (high - low) / 2
    return np.random.default_rng(seed).uniform(low - margin, high + margin, size=(count, rows.shape[1]))


def test_the_tutorials_clothing_size_network():
    job = train({"preset": "clothing-size"})
    points = job["result"]["points"]["x"]
    assert len(points) == 12
    metadata = check_export("clothing-size 1-2-1", job, points, fresh(points, 500, 1))
    assert metadata["job_id"] == job["id"] and metadata["loss"] == "mse" and "classes" not in metadata


def test_the_readmes_iris_softmax_classifier():
    job = train(
        {
            "dataset": "iris",
            "normalize": "zscore",
            "model": {"layers": [{"units": 8, "activation": "tanh"}, {}]},
            "loss": "cross_entropy",
            "optimizer": "adam",
            "learning_rate": 0.05,
            "epochs": 300,
            "seed": 1,
        }
    )
    rows = iris_rows()
    # The rows trained on are these: their means and population deviations are the fitted statistics.
    normalization = job["result"]["normalization"]
    assert np.allclose(rows.mean(axis=0), normalization["offsets"], rtol=1e-13, atol=0)
    assert np.allclose(rows.std(axis=0), normalization["scales"], rtol=1e-13, atol=0)
    metadata = check_export("iris 4-8-3 tanh/softmax", job, rows, fresh(rows, 1000, 2))
    assert json.loads(metadata["classes"]) == ["setosa", "versicolor", "virginica"]
    assert metadata["normalization"] == "zscore"


def test_a_relu_network_with_one_sigmoid_output():
    job = train(
        {
            "dataset": "moons",
            "n": 300,
            "noise": 0.1,
            "seed": 4,
            "normalize": "minmax",
            "model": {"layers": [{"units": 12, "activation": "relu"}, {"units": 6, "activation": "relu"}, {}]},
            "loss": "binary_cross_entropy",
            "optimizer": "adam",
            "learning_rate": 0.02,
            "epochs": 200,
            "batch_size": 32,
            "shuffle": True,
        }
    )
    points = job["result"]["points"]["x"]
    check_export("moons 2-12-6-1 relu/sigmoid", job, points, fresh(points, 1000, 3))


def test_a_regression_with_a_linear_output():
    x = np.linspace(-3, 3, 61)
    job = train(
        {
            "data": {"x": [[v, v * v] for v in x], "y": [[np.sin(v), np.cos(v)] for v in x]},
            "normalize": "zscore",
            "model": {"layers": [{"units": 10, "activation": "relu"}, {"units": 10, "activation": "sigmoid"}, {}]},
            "optimizer": "adam",
            "learning_rate": 0.01,
            "epochs": 300,
            "seed": 5,
        }
    )
    points = job["result"]["points"]["x"]
    check_export("regression 2-10-10-2 linear", job, points, fresh(points, 1000, 4))


def test_a_wide_relu_classifier_on_a_table():
    # 32 features, 32-128-128-10: layers wide enough for the blocked kernels and onnxruntime's GEMM.
    rng = np.random.default_rng(6)
    x = rng.normal(size=(400, 32))
    labels = np.argmax(x @ rng.normal(size=(32, 10)), axis=1)
    job = train(
        {
            "data": {"x": x.tolist(), "y": [f"class {label}" for label in labels]},
            "normalize": "zscore",
            "model": {"layers": [{"units": 128, "activation": "relu"}, {"units": 128, "activation": "relu"}, {}]},
            "loss": "cross_entropy",
            "optimizer": "adam",
            "learning_rate": 0.01,
            "epochs": 20,
            "batch_size": 64,
            "seed": 6,
        }
    )
    metadata = check_export("table 32-128-128-10 relu", job, x, fresh(x, 1000, 6))
    assert len(json.loads(metadata["classes"])) == 10


def upload(body, content_type):
    """POST /v1/datasets: the created dataset."""
    request = urllib.request.Request(BASE_URL + "/v1/datasets?name=onnx-test", data=body, method="POST")
    request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 201
        return json.loads(response.read())


def test_a_classifier_trained_on_an_uploaded_csv():
    # A CSV of 2,000 rows × 12 features and a label column: uploaded, trained on by id, exported.
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2000, 12))
    labels = np.argmax(x @ rng.normal(size=(12, 4)), axis=1)
    lines = [",".join([f"f{i}" for i in range(12)] + ["kind"])]
    lines += [",".join([repr(float(v)) for v in row] + [f"k{label}"]) for row, label in zip(x, labels)]
    dataset = upload(("\n".join(lines) + "\n").encode(), "text/csv")
    assert dataset["rows"] == 2000 and [c["kind"] for c in dataset["columns"]] == ["numeric"] * 12 + ["label"]
    job = train(
        {
            "dataset": dataset["id"],
            "target": "kind",
            "normalize": "zscore",
            "model": {"layers": [{"units": 64, "activation": "relu"}, {}]},
            "loss": "cross_entropy",
            "optimizer": "adam",
            "epochs": 5,
            "batch_size": 64,
            "seed": 7,
        }
    )
    # The CSV's numbers are the rows trained on, bit for bit: their statistics are the fitted ones.
    assert np.allclose(x.mean(axis=0), job["result"]["normalization"]["offsets"], rtol=1e-13, atol=1e-15)
    metadata = check_export("uploaded CSV 12-64-4", job, x, fresh(x, 500, 7))
    assert json.loads(metadata["classes"]) == ["k0", "k1", "k2", "k3"]


def test_a_regression_trained_on_an_uploaded_json_dataset():
    x = np.linspace(-2, 2, 81)
    rows = np.stack([x, x**3], axis=1)
    dataset = upload(json.dumps({"x": rows.tolist(), "y": np.tanh(x).tolist()}).encode(), "application/json")
    assert dataset["target"] == "y"
    job = train(
        {
            "dataset": dataset["id"],
            "normalize": "minmax",
            "model": {"layers": [{"units": 8, "activation": "tanh"}, {}]},
            "optimizer": "adam",
            "learning_rate": 0.02,
            "epochs": 100,
            "seed": 8,
        }
    )
    check_export("uploaded JSON 2-8-1", job, rows, fresh(rows, 500, 8))


def test_a_cancelled_training_exports_its_partial_model():
    status, _, body = call("POST", "/v1/train", {"preset": "clothing-size", "epochs": 1000000})
    assert status == 202, body
    job_id = json.loads(body)["id"]
    assert call("GET", f"/v1/jobs/{job_id}/model.onnx")[0] == 409  # no model while it runs
    deadline = time.monotonic() + 30
    while (json.loads(call("GET", f"/v1/jobs/{job_id}")[2]).get("progress") or {}).get("epoch", 0) < 1:
        assert time.monotonic() < deadline, "the training never reported an epoch"
        time.sleep(0.05)
    call("DELETE", f"/v1/jobs/{job_id}")
    while (job := json.loads(call("GET", f"/v1/jobs/{job_id}")[2]))["status"] != "cancelled":
        assert time.monotonic() < deadline, f"the training was not cancelled: {job['status']}"
        time.sleep(0.05)
    assert job["result"]["stopped"] == "cancelled"
    points = job["result"]["points"]["x"]
    check_export("cancelled clothing-size", job, points, fresh(points, 200, 5))


@pytest.mark.parametrize("path", ["/v1/jobs/" + "0" * 32 + "/model.onnx", "/v1/jobs/nope/model.onnx"])
def test_an_unknown_job_has_no_model(path):
    status, headers, _ = call("GET", path)
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
