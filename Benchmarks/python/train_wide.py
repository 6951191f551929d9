"""Wide layers for `scripts/bench-train.sh --wide`: Nabla's GEMM path against NumPy (OpenBLAS, both cores)
on the same data and the same initial weights, as ratios from one run.

Workloads (every side: softmax output on cross-entropy, relu hidden layers, SGD, batches in data order):
  wide   5,000 × 64 (standard normal; labels: argmax of a fixed random linear map of the row, 10 classes),
         MLP 64-256-256-10, lr 0.05, batch 64, 20 epochs
  digits scikit-learn's digits, 64-32-10, lr 0.1, batch 32, 20 epochs (train_workload.py's)
Initial weights: Glorot-uniform from NumPy seed 0, shared by both sides.

  export DIR       writes DIR/wide.bin and DIR/digits-net.bin for `NablaBenchmarks train-wide`
  report NABLA_JSON [--runs N]   times NumPy on both, checks Nabla's results agree, prints the table

Network file (little-endian): int64 layer count L, rows, features, then L int64 widths; then float64:
x [rows, features] row-major, labels [rows], then per layer w [inputs, units] row-major and b [units].
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import threadpoolctl

sys.path.insert(0, os.path.dirname(__file__))
import train_workload as workload  # noqa: E402

WIDE = {"rows": 5000, "features": 64, "widths": [256, 256, 10], "lr": 0.05, "batch": 64, "epochs": 20}
DIGITS = {"widths": [32, 10], "lr": 0.1, "batch": 32, "epochs": 20}
# Agreement demanded before times are printed (Nabla and NumPy start from the same weights): final
# training loss within this relative difference (GEMMs sum in their own orders) and the same accuracy.
LOSS_TOLERANCE = 1e-6


def glorot(features, widths, dtype=np.float64):
    random = np.random.default_rng(0)
    parameters = []
    for fan_in, fan_out in zip([features] + widths[:-1], widths):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        parameters.append((random.uniform(-bound, bound, (fan_in, fan_out)), random.uniform(-bound, bound, fan_out)))
    return parameters


def wide_data():
    random = np.random.default_rng(1)
    x = random.standard_normal((WIDE["rows"], WIDE["features"]))
    labels = np.argmax(x @ random.standard_normal((WIDE["features"], 10)), axis=1).astype(np.int64)
    return x, labels, glorot(WIDE["features"], WIDE["widths"])


def digits_data():
    x, labels, _ = workload.digits()
    return x, labels, glorot(x.shape[1], DIGITS["widths"])


def export(path, x, labels, parameters):
    header = [len(parameters), x.shape[0], x.shape[1]] + [w.shape[1] for w, _ in parameters]
    with open(path, "wb") as file:
        file.write(np.array(header, dtype="<i8").tobytes())
        arrays = [x, labels.astype(np.float64)] + [a for pair in parameters for a in pair]
        for array in arrays:
            file.write(np.ascontiguousarray(array, dtype="<f8").tobytes())


def train_numpy(x, labels, parameters, lr, batch, epochs, dtype):
    """Forward and backward by hand (np.dot), as train_workload.digits_numpy, for any depth and dtype."""
    x = x.astype(dtype)
    layers = [(w.astype(dtype), b.astype(dtype)) for w, b in parameters]
    one_hot = np.eye(layers[-1][0].shape[1], dtype=dtype)[labels]
    lr = dtype(lr)
    for _ in range(epochs):
        for start in range(0, len(x), batch):
            xb, yb = x[start : start + batch], one_hot[start : start + batch]
            activations = [xb]
            for index, (w, b) in enumerate(layers):
                z = np.dot(activations[-1], w) + b
                if index < len(layers) - 1:
                    activations.append(np.maximum(z, 0))
                else:
                    e = np.exp(z - z.max(axis=1, keepdims=True))
                    activations.append(e / e.sum(axis=1, keepdims=True))
            delta = (activations[-1] - yb) / dtype(len(xb))
            for index in range(len(layers) - 1, -1, -1):
                w, b = layers[index]
                dw, db = np.dot(activations[index].T, delta), delta.sum(axis=0)
                if index > 0:
                    delta = np.dot(delta, w.T) * (activations[index] > 0)
                layers[index] = (w - lr * dw, b - lr * db)
    return layers


def train_torch(x, labels, parameters, lr, batch, epochs, dtype):
    """PyTorch (eager autograd, 2 threads) from the same weights in `dtype`; the trained layers as NumPy
    arrays, or None if PyTorch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    xt, yt = torch.from_numpy(x.astype(dtype)), torch.from_numpy(labels)
    layers = [(torch.tensor(w.astype(dtype), requires_grad=True), torch.tensor(b.astype(dtype), requires_grad=True))
              for w, b in parameters]
    optimizer = torch.optim.SGD([p for pair in layers for p in pair], lr=lr)
    for _ in range(epochs):
        for start in range(0, len(xt), batch):
            a = xt[start : start + batch]
            for index, (w, b) in enumerate(layers):
                a = a @ w + b
                if index < len(layers) - 1:
                    a = torch.relu(a)
            loss = torch.nn.functional.cross_entropy(a, yt[start : start + batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return [(w.detach().numpy(), b.detach().numpy()) for w, b in layers]


def evaluate(x, labels, layers):
    a = x.astype(layers[0][0].dtype)
    for index, (w, b) in enumerate(layers):
        z = np.dot(a, w) + b
        a = np.maximum(z, 0) if index < len(layers) - 1 else z
    shifted = a - a.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(x)), labels].mean()), float((a.argmax(axis=1) == labels).mean())


def multiply_adds(rows, features, widths):
    """Per epoch: forward x·W, backward xᵀ·dz and dz·Wᵀ (none below the first layer)."""
    sides = list(zip([features] + widths[:-1], widths))
    return rows * (3 * sum(i * u for i, u in sides) - sides[0][0] * sides[0][1])


def dgemm_peak():
    """GFLOP/s of a 1024² float64 product through NumPy's OpenBLAS (all cores), best of 5."""
    a = np.random.default_rng(2).standard_normal((1024, 1024))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        np.dot(a, a)
        best = min(best, time.perf_counter() - start)
    return 2 * 1024**3 / best / 1e9


def report(nabla_path, runs):
    nabla = {(r["workload"], r["precision"], r["threads"]): r for r in json.load(open(nabla_path))["records"]}
    workloads = {"wide": (wide_data(), WIDE), "digits": (digits_data(), DIGITS)}
    peak = dgemm_peak()
    print(f"dgemm 1024² through NumPy's OpenBLAS (both cores): {peak:.1f} GFLOP/s")
    print(f"{'workload':<8} {'precision':<9} {'side':<22} {'ms/epoch':>9} {'GFLOP/s':>8} {'loss':>10} {'acc':>6} {'NumPy/side':>10}")
    failed = False
    verdicts = []
    for name, ((x, labels, parameters), settings) in workloads.items():
        flops = 2 * multiply_adds(x.shape[0], x.shape[1], settings["widths"])
        for precision, dtype in (("float64", np.float64), ("float32", np.float32)):
            sides = sorted((k, r) for k, r in nabla.items() if k[0] == name and k[1] == precision)
            if not sides:
                continue
            train = lambda: train_numpy(x, labels, parameters, settings["lr"], settings["batch"], settings["epochs"], dtype)
            # NumPy on one thread too: OpenBLAS's own threads spin, which a busy machine punishes.
            with threadpoolctl.threadpool_limits(1):
                single_seconds, _ = workload.median_seconds(train, runs)
            seconds, layers = workload.median_seconds(train, runs)
            loss, accuracy = evaluate(x, labels, layers)
            numpy_ms = seconds * 1e3 / settings["epochs"]
            single_ms = single_seconds * 1e3 / settings["epochs"]
            print(f"{name:<8} {precision:<9} {'NumPy ' + np.__version__ + ', 1 thread':<22} {single_ms:9.3f} {flops / single_ms / 1e6:8.2f} {'':10} {'':6} {numpy_ms / single_ms:10.2f}")
            print(f"{'':<8} {'':<9} {'NumPy, all threads':<22} {numpy_ms:9.3f} {flops / numpy_ms / 1e6:8.2f} {loss:10.6f} {accuracy:6.3f} {1:10.2f}")
            torch_ms = None
            if train_torch(x[:64], labels[:64], parameters, settings["lr"], settings["batch"], 1, dtype) is not None:
                torch_seconds, torch_layers = workload.median_seconds(
                    lambda: train_torch(x, labels, parameters, settings["lr"], settings["batch"], settings["epochs"],
                                        dtype), runs)
                torch_ms = torch_seconds * 1e3 / settings["epochs"]
                torch_loss, torch_accuracy = evaluate(x, labels, torch_layers)
                print(f"{'':<8} {'':<9} {'PyTorch, 2 threads':<22} {torch_ms:9.3f} {flops / torch_ms / 1e6:8.2f} {torch_loss:10.6f} {torch_accuracy:6.3f} {numpy_ms / torch_ms:10.2f}")
            for (_, _, threads), record in sides:
                ms = record["milliseconds"] / settings["epochs"]
                tolerance = LOSS_TOLERANCE if precision == "float64" else 1e-2
                agrees = abs(record["loss"] - loss) <= tolerance * abs(loss) and abs(record["accuracy"] - accuracy) <= 0.002
                failed |= not agrees
                label = f"Nabla, {threads} thread{'s' if threads > 1 else ''}"
                print(f"{'':<8} {'':<9} {label:<22} {ms:9.3f} {flops / ms / 1e6:8.2f} {record['loss']:10.6f} {record['accuracy']:6.3f} {numpy_ms / ms:10.2f}{'' if agrees else '  DISAGREES'}")
                if torch_ms is not None and threads > 1:
                    verdicts.append(f"{'PASS' if torch_ms > ms else 'MISS'}: {name} {precision}, Nabla on {threads} "
                                    f"threads {torch_ms / ms:.2f}x PyTorch (2 threads)")
    print(f"(NumPy: median of {runs} runs after a warm-up; NumPy/side: NumPy's time on all threads over the side's,")
    print(" > 1 means the side is faster; GFLOP/s counts forward and backward products only)")
    for line in verdicts:
        print(line)
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export").add_argument("directory")
    timing = sub.add_parser("report")
    timing.add_argument("nabla_json")
    timing.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    if arguments.command == "export":
        export(os.path.join(arguments.directory, "wide.bin"), *wide_data())
        export(os.path.join(arguments.directory, "digits-net.bin"), *digits_data())
        return 0
    return report(arguments.nabla_json, arguments.runs)


if __name__ == "__main__":
    sys.exit(main())
