"""A table uploaded as CSV, for `scripts/bench-train.sh --upload`: the issue's real-scale workload through the
running service, against NumPy (OpenBLAS) and, when installed, PyTorch (2 threads) and JAX (an epoch
jit-compiled as one lax.scan over the batches), from the same data and the same initial weights.

Workload: 60,000 × 32 (standard normal, NumPy seed 3; labels: argmax of a fixed random linear map, 10
classes), MLP 32-128-128-10, relu hidden layers, softmax on cross-entropy, SGD lr 0.05, batches of 64 in data
order, 2 epochs, float64. Initial weights: Glorot-uniform from NumPy seed 0 (train_wide.glorot), sent to
Nabla as the layers' `weights` and `biases`.

Nabla: the CSV is written once and uploaded (`POST /v1/datasets`, Content-Type text/csv; the upload's time is
reported), then the training is submitted with `wait: true`, `--runs` times; its figure is the job's own
`duration_ms` (the training, not the HTTP exchange), median. Before any time is printed, Nabla's final loss
must equal NumPy's within 1e-6 relative (the GEMMs sum in their own orders) with the same accuracy.

Usage: python train_upload.py BASE_URL [--runs N] [--work DIR]
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request

import numpy as np
import threadpoolctl

sys.path.insert(0, os.path.dirname(__file__))
import train_wide  # noqa: E402
import train_workload as workload  # noqa: E402

SETTINGS = {"rows": 60000, "features": 32, "widths": [128, 128, 10], "lr": 0.05, "batch": 64, "epochs": 2}
LOSS_TOLERANCE = 1e-6


def table():
    random = np.random.default_rng(3)
    x = random.standard_normal((SETTINGS["rows"], SETTINGS["features"]))
    labels = np.argmax(x @ random.standard_normal((SETTINGS["features"], 10)), axis=1).astype(np.int64)
    return x, labels, train_wide.glorot(SETTINGS["features"], SETTINGS["widths"])


def write_csv(path, x, labels):
    """Columns f0…f31 and `digit` (the class index as a label), every number as repr writes it (exact)."""
    with open(path, "w") as file:
        file.write(",".join([f"f{i}" for i in range(x.shape[1])] + ["digit"]) + "\n")
        for row, label in zip(x, labels):
            file.write(",".join(map(repr, row.tolist())) + f",d{label}\n")


def post(url, body, content_type):
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.status, json.loads(response.read())


def nabla(base, csv_path, parameters, runs):
    """(upload seconds, median training ms, the last finished job)."""
    body = open(csv_path, "rb").read()
    start = time.perf_counter()
    status, dataset = post(base + "/v1/datasets?name=bench-upload", body, "text/csv")
    upload_seconds = time.perf_counter() - start
    assert status == 201 and dataset["rows"] == SETTINGS["rows"], dataset
    # Labels d0…d9 sort as the class indices do, so the one-hot columns match NumPy's.
    layers = [{"units": w.shape[1], "activation": "relu", "weights": w.tolist(), "biases": b.tolist()}
              for w, b in parameters]
    layers[-1]["activation"] = "softmax"
    request = {"dataset": dataset["id"], "target": "digit", "model": {"layers": layers}, "loss": "cross_entropy",
               "optimizer": {"name": "sgd", "learning_rate": SETTINGS["lr"]}, "batch_size": SETTINGS["batch"],
               "epochs": SETTINGS["epochs"], "wait": True}
    encoded = json.dumps(request).encode()
    times, job = [], None
    for _ in range(runs + 1):  # the first is a warm-up
        status, job = post(base + "/v1/train", encoded, "application/json")
        assert status == 200 and job["status"] == "succeeded", job
        times.append(job["result"]["duration_ms"])
    return upload_seconds, len(body), statistics.median(times[1:]), job


def torch_ms(x, labels, parameters, runs):
    """PyTorch (eager, 2 threads, float64) on the same data and weights: median ms and the trained layers,
    or (None, None) if it is not installed."""
    def train():
        return train_wide.train_torch(x, labels, parameters, SETTINGS["lr"], SETTINGS["batch"], SETTINGS["epochs"],
                                      np.float64)

    if train_wide.train_torch(x[:64], labels[:64], parameters, SETTINGS["lr"], SETTINGS["batch"], 1, np.float64) is None:
        return None, None
    seconds, layers = workload.median_seconds(train, runs)
    return seconds * 1e3, layers

def jax_ms(x, labels, parameters, runs):
    """JAX (float64, CPU, both cores as XLA likes): each epoch one jit-compiled call, a lax.scan over the
    full batches and a step for the last, shorter one; compiled before timing. Median ms and the
    trained layers, or (None, None) if JAX is absent."""
    try:
        import jax
    except ImportError:
        return None, None, None
    jax.config.update("jax_platforms", "cpu")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax import lax

    batch, lr = SETTINGS["batch"], SETTINGS["lr"]
    full = len(x) // batch * batch
    xs, ys = jnp.asarray(x[:full]).reshape(-1, batch, x.shape[1]), jnp.asarray(labels[:full]).reshape(-1, batch)
    x_tail, y_tail = jnp.asarray(x[full:]), jnp.asarray(labels[full:])

    def loss(layers, xb, yb):
        a = xb
        for index, (w, b) in enumerate(layers):
            a = a @ w + b
            if index < len(layers) - 1:
                a = jax.nn.relu(a)
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(a), yb[:, None], axis=1))

    def step(layers, xb, yb):
        gradient = jax.grad(loss)(layers, xb, yb)
        return jax.tree.map(lambda p, g: p - lr * g, layers, gradient)

    @jax.jit
    def epoch(layers):
        layers, _ = lax.scan(lambda carried, batch_: (step(carried, *batch_), None), layers, (xs, ys))
        return step(layers, x_tail, y_tail) if len(x_tail) else layers

    def train():
        layers = [(jnp.asarray(w), jnp.asarray(b)) for w, b in parameters]
        for _ in range(SETTINGS["epochs"]):
            layers = epoch(layers)
        return jax.block_until_ready(layers)

    train()  # compiles
    seconds, layers = workload.median_seconds(train, runs)
    return seconds * 1e3, [(np.asarray(w), np.asarray(b)) for w, b in layers], jax.__version__


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default=".build/bench-train")
    arguments = parser.parse_args()
    x, labels, parameters = table()
    csv_path = os.path.join(arguments.work, "upload.csv")
    write_csv(csv_path, x, labels)
    upload_seconds, size, nabla_ms, job = nabla(arguments.base.rstrip("/"), csv_path, parameters, arguments.runs)

    def train(dtype=np.float64):
        return train_wide.train_numpy(x, labels, parameters, SETTINGS["lr"], SETTINGS["batch"], SETTINGS["epochs"], dtype)

    with threadpoolctl.threadpool_limits(1):
        single_seconds, _ = workload.median_seconds(train, arguments.runs)
    numpy_seconds, layers = workload.median_seconds(train, arguments.runs)
    loss, accuracy = train_wide.evaluate(x, labels, layers)
    peak = train_wide.dgemm_peak()
    flops = 2 * train_wide.multiply_adds(SETTINGS["rows"], SETTINGS["features"], SETTINGS["widths"]) * SETTINGS["epochs"]
    result = job["result"]
    agrees = abs(result["final_loss"] - loss) <= LOSS_TOLERANCE * abs(loss) and abs(result["final_accuracy"] - accuracy) <= 0.002
    numpy_ms, single_ms = numpy_seconds * 1e3, single_seconds * 1e3
    print(f"upload: {size / 1e6:.1f} MB of CSV ({SETTINGS['rows']} × {SETTINGS['features']} and a label) in "
          f"{upload_seconds:.2f} s ({size / 1e6 / upload_seconds:.0f} MB/s), parsed as it streamed in")
    print(f"dgemm 1024² through NumPy's OpenBLAS (both cores): {peak:.1f} GFLOP/s")
    print(f"{'side':<26} {'ms (2 epochs)':>13} {'GFLOP/s':>8} {'loss':>10} {'acc':>6} {'side/Nabla':>10}")
    print(f"{'Nabla (job duration_ms)':<26} {nabla_ms:13.1f} {flops / nabla_ms / 1e6:8.2f} {result['final_loss']:10.6f} {result['final_accuracy']:6.3f} {1:10.2f}")
    print(f"{'NumPy ' + np.__version__ + ', all threads':<26} {numpy_ms:13.1f} {flops / numpy_ms / 1e6:8.2f} {loss:10.6f} {accuracy:6.3f} {numpy_ms / nabla_ms:10.2f}")
    print(f"{'NumPy, 1 thread':<26} {single_ms:13.1f} {flops / single_ms / 1e6:8.2f} {'':10} {'':6} {single_ms / nabla_ms:10.2f}")
    torch_time, torch_layers = torch_ms(x, labels, parameters, arguments.runs)
    if torch_time is None:
        print("PyTorch: not installed (bench-train.sh --with-torch-jax installs it)")
    else:
        torch_loss, torch_accuracy = train_wide.evaluate(x, labels, torch_layers)
        print(f"{'PyTorch, 2 threads':<26} {torch_time:13.1f} {flops / torch_time / 1e6:8.2f} {torch_loss:10.6f} {torch_accuracy:6.3f} {torch_time / nabla_ms:10.2f}")
    jax_time, jax_layers, jax_version = jax_ms(x, labels, parameters, arguments.runs)
    if jax_time is None:
        print("JAX: not installed (bench-train.sh --with-torch-jax installs it)")
    else:
        jax_loss, jax_accuracy = train_wide.evaluate(x, labels, jax_layers)
        print(f"{'JAX ' + jax_version + ' jit(epoch)':<26} {jax_time:13.1f} {flops / jax_time / 1e6:8.2f} {jax_loss:10.6f} {jax_accuracy:6.3f} {jax_time / nabla_ms:10.2f}")
    print(f"(median of {arguments.runs} runs after a warm-up; side/Nabla > 1: Nabla is faster; GFLOP/s counts the "
          f"forward and backward products; Nabla reaches {flops / nabla_ms / 1e6 / peak * 100:.0f} % of dgemm's peak)")
    ratio = numpy_ms / nabla_ms
    print(f"{'PASS' if ratio >= 1.1 else 'MISS'}: Nabla {ratio:.2f}x NumPy on both cores (target >= 1.1x)")
    for name, time_ in (("PyTorch (2 threads)", torch_time), ("JAX (jit epoch)", jax_time)):
        if time_ is not None:
            print(f"{'PASS' if time_ > nabla_ms else 'MISS'}: Nabla ahead of {name}: {time_ / nabla_ms:.2f}x")
    if not agrees:
        print(f"DISAGREES: Nabla's final loss {result['final_loss']} / accuracy {result['final_accuracy']} against "
              f"NumPy's {loss} / {accuracy}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
