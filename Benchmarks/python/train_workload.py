"""The two training workloads of scripts/bench-train.sh, their hand-written NumPy versions, and the data file
the Swift suite reads (so every side trains on the same numbers).

(a) clothing-size: the seed's 1-2-1 sigmoid network on its 12 points, MSE, SGD lr 0.5, 5000 epochs, full
    batch, from the seed's initial weights. `clothing_numpy` is the seed's code (seven scalars, np.mean of
    the products), without its print.
(b) digits: scikit-learn's digits (1797 × 64), standardised (StandardScaler fitted on every row), an MLP
    64-32-10 with a relu hidden layer and a softmax output trained on cross-entropy (the mean over the batch
    of −log softmax(z)[label]), SGD lr 0.1, batches of 32 in data order (the last one 5 rows), 20 epochs.
    Initial weights and biases: Glorot-uniform (scikit-learn's scheme, bound √(6 / (fan_in + fan_out))),
    drawn once by NumPy from seed 0 and shared by every peer that can take them. Accuracy is on the 1797
    training rows after the last epoch.

Data file (little-endian): four int64 (rows, features, hidden, classes), then float64 arrays: x
[rows, features] row-major, labels [rows], w1 [features, hidden], b1 [hidden], w2 [hidden, classes],
b2 [classes].
"""

import statistics
import time

import numpy as np

CLOTHING_X = np.array([0.8, 1.1, 1.7, 1.9, 2.7, 3.2, 3.7, 4.0, 5.0, 5.5, 6.0, 6.3])
CLOTHING_Y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0], dtype=np.float64)
# w11_1, b1_1, w12_1, b2_1, w11_2, w21_2, b1_2: the seed's starting values.
CLOTHING_INITIAL = (0.1, 0.6, 0.9, -1.5, 0.1, 0.9, 0.2)
CLOTHING_LEARNING_RATE = 0.5
CLOTHING_EPOCHS = 5000

DIGITS_HIDDEN = 32
DIGITS_BATCH = 32
DIGITS_LEARNING_RATE = 0.1
DIGITS_EPOCHS = 20
DIGITS_SEED = 0

# Agreement demanded before any time is printed: clothing-size's last loss against the NumPy seed code
# (relative), and digits accuracy: peers starting from the same weights (absolute difference).
CLOTHING_TOLERANCE = 1e-9
DIGITS_ACCURACY_TOLERANCE = 0.005


def median_seconds(call, runs):
    """(median wall time of `call()` over `runs` timed calls after one untimed warm-up call, the last result)."""
    result = call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def forward(w11_1, b1_1, w12_1, b2_1, w11_2, w21_2, b1_2, x):
    z1_1 = w11_1 * x + b1_1
    a1_1 = sigmoid(z1_1)
    z2_1 = w12_1 * x + b2_1
    a2_1 = sigmoid(z2_1)
    z1_2 = a1_1 * w11_2 + a2_1 * w21_2 + b1_2
    a1_2 = sigmoid(z1_2)
    return a1_1, a2_1, a1_2


def loss_func(y, y_hat):
    return np.mean((y - y_hat) ** 2)


def clothing_numpy():
    """The seed's clothing-size training loop (its code, minus the print and the plot): the loss history and
    the seven final parameters."""
    X, Y = CLOTHING_X, CLOTHING_Y
    w11_1, b1_1, w12_1, b2_1, w11_2, w21_2, b1_2 = CLOTHING_INITIAL
    lr = CLOTHING_LEARNING_RATE
    loss_list = []
    for _ in range(CLOTHING_EPOCHS):
        a1_1, a2_1, a1_2 = forward(w11_1, b1_1, w12_1, b2_1, w11_2, w21_2, b1_2, X)
        loss_list.append(loss_func(Y, a1_2))
        deda1_2 = -2 * (Y - a1_2)
        dedz1_2 = deda1_2 * a1_2 * (1 - a1_2)
        dedw11_2 = np.mean(dedz1_2 * a1_1)
        dedw21_2 = np.mean(dedz1_2 * a2_1)
        dedb1_2 = np.mean(dedz1_2)
        deda1_1 = dedz1_2 * w11_2
        dedz1_1 = deda1_1 * (a1_1 * (1 - a1_1))
        dedw11_1 = np.mean(dedz1_1 * X)
        dedb1_1 = np.mean(dedz1_1)
        deda2_1 = dedz1_2 * w21_2
        dedz2_1 = deda2_1 * a2_1 * (1 - a2_1)
        dedw12_1 = np.mean(dedz2_1 * X)
        dedb2_1 = np.mean(dedz2_1)
        w11_2 = w11_2 - lr * dedw11_2
        w21_2 = w21_2 - lr * dedw21_2
        b1_2 = b1_2 - lr * dedb1_2
        w11_1 = w11_1 - lr * dedw11_1
        b1_1 = b1_1 - lr * dedb1_1
        w12_1 = w12_1 - lr * dedw12_1
        b2_1 = b2_1 - lr * dedb2_1
    return loss_list, (w11_1, b1_1, w12_1, b2_1, w11_2, w21_2, b1_2)


def clothing_final_loss(parameters):
    """The MSE of the seven parameters on the 12 points (the seed's loss after its last update)."""
    return float(loss_func(CLOTHING_Y, forward(*(float(p) for p in parameters), CLOTHING_X)[2]))


def digits():
    """(x [1797, 64] standardised, labels [1797] int, (w1, b1, w2, b2) initial parameters)."""
    from sklearn.datasets import load_digits
    from sklearn.preprocessing import StandardScaler

    data = load_digits()
    x = StandardScaler().fit_transform(data.data.astype(np.float64))
    labels = data.target.astype(np.int64)
    features, classes = x.shape[1], int(labels.max()) + 1
    random = np.random.default_rng(DIGITS_SEED)
    initial = []
    for fan_in, fan_out in ((features, DIGITS_HIDDEN), (DIGITS_HIDDEN, classes)):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        initial.append(random.uniform(-bound, bound, (fan_in, fan_out)))
        initial.append(random.uniform(-bound, bound, fan_out))
    return x, labels, tuple(initial)


def export_digits(path):
    """Writes `digits()` to `path` in the format of the module's docstring."""
    x, labels, (w1, b1, w2, b2) = digits()
    header = np.array([x.shape[0], x.shape[1], DIGITS_HIDDEN, w2.shape[1]], dtype="<i8")
    with open(path, "wb") as file:
        file.write(header.tobytes())
        for array in (x, labels.astype(np.float64), w1, b1, w2, b2):
            file.write(np.ascontiguousarray(array, dtype="<f8").tobytes())


def digits_forward(x, w1, b1, w2, b2):
    """The logits of the 64-32-10 network."""
    return np.dot(np.maximum(np.dot(x, w1) + b1, 0), w2) + b2


def digits_evaluation(x, labels, parameters):
    """(mean cross-entropy, accuracy) of `parameters` (w1, b1, w2, b2) on every row."""
    z = digits_forward(x, *parameters)
    shifted = z - z.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.mean(log_softmax[np.arange(len(labels)), labels])
    return float(loss), float(np.mean(np.argmax(z, axis=1) == labels))


def digits_numpy(x, labels, initial):
    """The digits workload by hand in NumPy, in the seed's style (np.dot forward, the chain rule written
    out, w = w - lr*dedw), recording each epoch's loss as the others do: the loss history and the final
    parameters."""
    w1, b1, w2, b2 = (array.copy() for array in initial)
    one_hot = np.eye(w2.shape[1])[labels]
    lr = DIGITS_LEARNING_RATE
    loss_list = []
    for _ in range(DIGITS_EPOCHS):
        total = 0.0
        for start in range(0, len(x), DIGITS_BATCH):
            xb = x[start : start + DIGITS_BATCH]
            yb = one_hot[start : start + DIGITS_BATCH]
            z1 = np.dot(xb, w1) + b1
            a1 = np.maximum(z1, 0)
            z2 = np.dot(a1, w2) + b2
            shifted = z2 - z2.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            s = e.sum(axis=1, keepdims=True)
            a2 = e / s
            total += np.sum(yb * (np.log(s) - shifted))
            dedz2 = (a2 - yb) / len(xb)
            dedw2 = np.dot(a1.T, dedz2)
            dedb2 = dedz2.sum(axis=0)
            dedz1 = np.dot(dedz2, w2.T) * (z1 > 0)
            dedw1 = np.dot(xb.T, dedz1)
            dedb1 = dedz1.sum(axis=0)
            w2 = w2 - lr * dedw2
            b2 = b2 - lr * dedb2
            w1 = w1 - lr * dedw1
            b1 = b1 - lr * dedb1
        loss_list.append(total / len(x))
    return loss_list, (w1, b1, w2, b2)
