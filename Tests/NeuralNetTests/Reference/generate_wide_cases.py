"""Writes wide-cases.json beside this file: training runs through wide layers (NeuralNet's GEMM path),
computed by hand in NumPy, in float64 and in float32.

Each case: relu hidden layers and a softmax output on cross-entropy (the batch mean of
log Σe^(z − max) − (z − max)[label]), SGD with momentum (v = m·v − lr·g; w += v), batches in data
order, from the given initial weights. Recorded per precision: every epoch's loss (batch losses weighted by batch
size, each taken before its batch's update), the final training loss after the last epoch, and the
last layer's final weights and biases. The float32 cases run every array (data, weights, the learning
rate and momentum) in float32, as a float32 PyTorch or NumPy user would.

    python3 Tests/NeuralNetTests/Reference/generate_wide_cases.py    (NumPy 1.24 or later)
"""

import json
import os

import numpy as np

CASES = [
    # Layer 2 is 128 × 96 × 96 multiply-adds per batch: big enough to be split over two threads.
    {"name": "wide-relu-momentum", "rows": 256, "features": 32, "widths": [96, 96, 4], "classes": 4,
     "batch": 128, "epochs": 4, "lr": 0.05, "momentum": 0.9},
    # A last partial batch (300 = 2 × 128 + 44) and a 10-unit output layer on GEMM.
    {"name": "wide-partial-batch", "rows": 300, "features": 40, "widths": [64, 10], "classes": 10,
     "batch": 128, "epochs": 3, "lr": 0.1, "momentum": 0.0},
]


def make(case):
    random = np.random.default_rng(sum(map(ord, case["name"])))
    x = np.round(random.standard_normal((case["rows"], case["features"])), 3)
    labels = random.integers(0, case["classes"], case["rows"])
    layers = []
    for fan_in, fan_out in zip([case["features"]] + case["widths"][:-1], case["widths"]):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        layers.append((np.round(random.uniform(-bound, bound, (fan_in, fan_out)), 4),
                       np.round(random.uniform(-0.1, 0.1, fan_out), 4)))
    return x, labels, layers


def forward(x, layers):
    activations = [x]
    for index, (w, b) in enumerate(layers):
        z = np.dot(activations[-1], w) + b
        activations.append(np.maximum(z, 0) if index < len(layers) - 1 else z)
    return activations


def loss_sum(z, labels):
    shifted = z - z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    return (log_sum - shifted[np.arange(len(z)), labels]).sum()


def train(case, x, labels, layers, dtype):
    x = x.astype(dtype)
    layers = [(w.astype(dtype), b.astype(dtype)) for w, b in layers]
    velocities = [(np.zeros_like(w), np.zeros_like(b)) for w, b in layers]
    one_hot = np.eye(case["classes"], dtype=dtype)[labels]
    lr, momentum = dtype(case["lr"]), dtype(case["momentum"])
    history = []
    for _ in range(case["epochs"]):
        total = 0.0
        for start in range(0, len(x), case["batch"]):
            xb, yb, lb = x[start:start + case["batch"]], one_hot[start:start + case["batch"]], labels[start:start + case["batch"]]
            activations = forward(xb, layers)
            z = activations[-1]
            total += float(loss_sum(z, lb))
            e = np.exp(z - z.max(axis=1, keepdims=True))
            delta = (e / e.sum(axis=1, keepdims=True) - yb) / dtype(len(xb))
            gradients = [None] * len(layers)
            for index in range(len(layers) - 1, -1, -1):
                w, _ = layers[index]
                gradients[index] = (np.dot(activations[index].T, delta), delta.sum(axis=0))
                if index > 0:
                    delta = np.dot(delta, w.T) * (activations[index] > 0)
            for index, ((w, b), (gw, gb), (vw, vb)) in enumerate(zip(layers, gradients, velocities)):
                if momentum == 0:
                    layers[index] = (w - lr * gw, b - lr * gb)
                else:
                    vw, vb = momentum * vw - lr * gw, momentum * vb - lr * gb
                    velocities[index] = (vw, vb)
                    layers[index] = (w + vw, b + vb)
        history.append(total / len(x))
    final_loss = float(loss_sum(forward(x, layers)[-1], labels)) / len(x)
    return history, final_loss, layers[-1]


def main():
    cases = []
    for case in CASES:
        x, labels, layers = make(case)
        results = {}
        for precision, dtype in (("float64", np.float64), ("float32", np.float32)):
            history, final_loss, (w, b) = train(case, x, labels, layers, dtype)
            results[precision] = {
                "loss_history": history, "final_loss": final_loss,
                "last_layer": {"weights": w.astype(float).tolist(), "biases": b.astype(float).tolist()},
            }
        cases.append({
            "name": case["name"],
            "request": {
                "data": {"x": x.tolist(), "y": labels.astype(float).tolist()},
                "model": {"layers": [
                    {"weights": lw.tolist(), "biases": lb.tolist(),
                     "activation": "softmax" if index == len(layers) - 1 else "relu"}
                    for index, (lw, lb) in enumerate(layers)]},
                "loss": "cross_entropy",
                "optimizer": {"name": "sgd", "learning_rate": case["lr"], "momentum": case["momentum"]},
                "epochs": case["epochs"], "batch_size": case["batch"], "shuffle": False,
            },
            "results": results,
        })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wide-cases.json")
    with open(path, "w") as file:
        json.dump({"generator": "generate_wide_cases.py", "numpy": np.__version__, "cases": cases}, file)
        file.write("\n")


if __name__ == "__main__":
    main()
