"""Times the Python peers on the training workloads of train_workload.py and writes the figures as JSON.

  export                    writes the digits data file the Swift suite reads (train_workload.py)
  NumPy                     (a) the seed's code; (b) the 64-32-10 network by hand (np.dot, chain rule)
  scikit-learn              (b) MLPClassifier (sgd, constant lr 0.1, momentum 0, alpha 0, batches of 32
                            unshuffled, 20 epochs) from the shared initial weights
  JAX (--with-torch-jax)    f64; (a) the 5000 epochs in one jit-compiled lax.fori_loop; (b) one compiled
                            epoch (lax.scan over the full batches, then the last one), called 20 times
  PyTorch (--with-torch-jax) f64, CPU, 1 thread, eager autograd; (b) nn.Linear + torch.optim.SGD

Gradients: NumPy by hand, JAX and PyTorch by their autodiff, scikit-learn by its own backprop. Each time is
the median of --runs runs after one warm-up run (JAX's compile time is reported apart). A peer that cannot
be imported is left out with a note. Each record keeps the run's results (clothing-size: last loss of the
history; digits: training loss and accuracy after the last epoch) for train_report.py to check.

Usage: python train_peers.py --export FILE
       python train_peers.py --out FILE [--runs 7] [--with-torch-jax]
"""

import argparse
import json
import sys
import warnings

import numpy as np

import train_workload as workload


def record(workload_name, peer, key, seconds, runs, **results):
    return {"workload": workload_name, "peer": peer, "key": key, "seconds": seconds, "runs": runs, **results}


def numpy_peers(x, labels, initial, runs):
    seconds, (history, parameters) = workload.median_seconds(workload.clothing_numpy, runs)
    yield record(
        "clothing", "NumPy (seed code)", "numpy", seconds, runs,
        last_loss=history[-1], final_loss=workload.clothing_final_loss(parameters),
    )
    seconds, (_, parameters) = workload.median_seconds(lambda: workload.digits_numpy(x, labels, initial), runs)
    loss, accuracy = workload.digits_evaluation(x, labels, parameters)
    yield record("digits", "NumPy (by hand)", "numpy", seconds, runs, loss=loss, accuracy=accuracy, same_start=True)


def sklearn_peers(x, labels, initial, runs):
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    class PresetMLPClassifier(MLPClassifier):
        """MLPClassifier starting from the shared weights: its per-layer initialiser hands them out in
        order instead of drawing (a private hook of scikit-learn, checked with the pinned version)."""

        def _init_coef(self, fan_in, fan_out, dtype):
            layer = 0 if fan_in == initial[0].shape[0] else 1
            return initial[2 * layer].astype(dtype), initial[2 * layer + 1].astype(dtype)

    def train():
        classifier = PresetMLPClassifier(
            hidden_layer_sizes=(workload.DIGITS_HIDDEN,),
            activation="relu",
            solver="sgd",
            alpha=0.0,
            batch_size=workload.DIGITS_BATCH,
            learning_rate="constant",
            learning_rate_init=workload.DIGITS_LEARNING_RATE,
            momentum=0.0,
            nesterovs_momentum=False,
            shuffle=False,
            max_iter=workload.DIGITS_EPOCHS,
            tol=0.0,
            n_iter_no_change=workload.DIGITS_EPOCHS + 1,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            classifier.fit(x, labels)
        return classifier

    seconds, classifier = workload.median_seconds(train, runs)
    if classifier.n_iter_ != workload.DIGITS_EPOCHS:
        raise RuntimeError(f"MLPClassifier ran {classifier.n_iter_} epochs, not {workload.DIGITS_EPOCHS}")
    parameters = (classifier.coefs_[0], classifier.intercepts_[0], classifier.coefs_[1], classifier.intercepts_[1])
    loss, accuracy = workload.digits_evaluation(x, labels, parameters)
    yield record(
        "digits", f"scikit-learn {sklearn.__version__} MLPClassifier", "sklearn", seconds, runs,
        loss=loss, accuracy=accuracy, same_start=True,
    )


def jax_peers(x, labels, initial, runs):
    import time

    import jax

    jax.config.update("jax_platforms", "cpu")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from jax import lax

    # (a) The seed's seven scalars over the 12 points, the 5000 epochs in one compiled loop: once keeping
    # the loss history (as the others do), once only the parameters (JAX's fastest form).
    cx, cy = jnp.asarray(workload.CLOTHING_X), jnp.asarray(workload.CLOTHING_Y)

    def clothing_loss(parameters):
        w11_1, b1_1, w12_1, b2_1, w11_2, w21_2, b1_2 = parameters
        a1_1 = jax.nn.sigmoid(w11_1 * cx + b1_1)
        a2_1 = jax.nn.sigmoid(w12_1 * cx + b2_1)
        return jnp.mean((cy - jax.nn.sigmoid(a1_1 * w11_2 + a2_1 * w21_2 + b1_2)) ** 2)

    def clothing_step(parameters):
        loss, gradient = jax.value_and_grad(clothing_loss)(parameters)
        return tuple(p - workload.CLOTHING_LEARNING_RATE * g for p, g in zip(parameters, gradient)), loss

    def with_history(index, carry):
        parameters, history = carry
        parameters, loss = clothing_step(parameters)
        return parameters, history.at[index].set(loss)

    epochs = workload.CLOTHING_EPOCHS
    variants = {
        "jit(fori_loop), history": jax.jit(
            lambda parameters: lax.fori_loop(0, epochs, with_history, (parameters, jnp.zeros(epochs)))
        ),
        "jit(fori_loop), no history": jax.jit(
            lambda parameters: (lax.fori_loop(0, epochs, lambda _, p: clothing_step(p)[0], parameters), None)
        ),
    }
    start = tuple(jnp.float64(value) for value in workload.CLOTHING_INITIAL)
    for name, compiled in variants.items():
        began = time.perf_counter()
        jax.block_until_ready(compiled(start))
        compile_seconds = time.perf_counter() - began
        seconds, (parameters, history) = workload.median_seconds(
            lambda: jax.block_until_ready(compiled(start)), runs
        )
        last = {} if history is None else {"last_loss": float(history[-1])}
        yield record(
            "clothing", f"JAX {jax.__version__} {name}", "jax", seconds, runs,
            final_loss=workload.clothing_final_loss(parameters), compile_seconds=compile_seconds, **last,
        )

    # (b) One compiled epoch: the full batches through lax.scan, then the short last batch.
    full = len(x) // workload.DIGITS_BATCH * workload.DIGITS_BATCH
    xs = jnp.asarray(x[:full]).reshape(-1, workload.DIGITS_BATCH, x.shape[1])
    ys = jnp.asarray(labels[:full]).reshape(-1, workload.DIGITS_BATCH)
    x_last, y_last = jnp.asarray(x[full:]), jnp.asarray(labels[full:])

    def digits_loss(parameters, xb, yb):
        w1, b1, w2, b2 = parameters
        z = jax.nn.relu(xb @ w1 + b1) @ w2 + b2
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(z), yb[:, None], axis=1))

    def step(parameters, batch):
        loss, gradient = jax.value_and_grad(digits_loss)(parameters, *batch)
        parameters = jax.tree.map(lambda p, g: p - workload.DIGITS_LEARNING_RATE * g, parameters, gradient)
        return parameters, loss

    @jax.jit
    def epoch(parameters):
        parameters, losses = lax.scan(step, parameters, (xs, ys))
        if full < len(x):
            parameters, last = step(parameters, (x_last, y_last))
            losses = jnp.append(losses * workload.DIGITS_BATCH, last * (len(x) - full))
        return parameters, jnp.sum(losses) / len(x)

    def digits():
        parameters = tuple(jnp.asarray(array) for array in initial)
        for _ in range(workload.DIGITS_EPOCHS):
            parameters, loss = epoch(parameters)
        return jax.block_until_ready(parameters)

    began = time.perf_counter()
    jax.block_until_ready(epoch(tuple(jnp.asarray(array) for array in initial)))
    compile_seconds = time.perf_counter() - began
    seconds, parameters = workload.median_seconds(digits, runs)
    loss, accuracy = workload.digits_evaluation(x, labels, tuple(np.asarray(p) for p in parameters))
    yield record(
        "digits", f"JAX {jax.__version__} jit(epoch)", "jax", seconds, runs,
        loss=loss, accuracy=accuracy, same_start=True, compile_seconds=compile_seconds,
    )


def torch_peers(x, labels, initial, runs):
    import torch

    torch.set_num_threads(1)
    dtype = torch.float64

    # (a) Eager autograd over the seed's network.
    cx = torch.tensor(workload.CLOTHING_X, dtype=dtype).reshape(-1, 1)
    cy = torch.tensor(workload.CLOTHING_Y, dtype=dtype).reshape(-1, 1)

    def clothing():
        w11_1, b1_1, w12_1, b2_1, w11_2, w21_2, b1_2 = workload.CLOTHING_INITIAL
        w1 = torch.tensor([[w11_1, w12_1]], dtype=dtype, requires_grad=True)
        b1 = torch.tensor([b1_1, b2_1], dtype=dtype, requires_grad=True)
        w2 = torch.tensor([[w11_2], [w21_2]], dtype=dtype, requires_grad=True)
        b2 = torch.tensor([b1_2], dtype=dtype, requires_grad=True)
        history = []
        for _ in range(workload.CLOTHING_EPOCHS):
            loss = torch.mean((cy - torch.sigmoid(torch.sigmoid(cx @ w1 + b1) @ w2 + b2)) ** 2)
            history.append(loss.item())
            for parameter in (w1, b1, w2, b2):
                parameter.grad = None
            loss.backward()
            with torch.no_grad():
                for parameter in (w1, b1, w2, b2):
                    parameter -= workload.CLOTHING_LEARNING_RATE * parameter.grad
        return history, (w1[0, 0], b1[0], w1[0, 1], b1[1], w2[0, 0], w2[1, 0], b2[0])

    seconds, (history, parameters) = workload.median_seconds(clothing, runs)
    yield record(
        "clothing", f"PyTorch {torch.__version__} eager, 1 thread", "torch", seconds, runs,
        last_loss=history[-1], final_loss=workload.clothing_final_loss(p.item() for p in parameters),
    )

    # (b) nn.Linear layers (weights [out, in], hence the transposes) and torch.optim.SGD.
    tx = torch.tensor(x, dtype=dtype)
    ty = torch.tensor(labels)

    def digits():
        w1, b1, w2, b2 = initial
        model = torch.nn.Sequential(
            torch.nn.Linear(w1.shape[0], w1.shape[1]), torch.nn.ReLU(), torch.nn.Linear(w2.shape[0], w2.shape[1])
        ).to(dtype)
        with torch.no_grad():
            for layer, (w, b) in zip((model[0], model[2]), ((w1, b1), (w2, b2))):
                layer.weight.copy_(torch.tensor(w.T))
                layer.bias.copy_(torch.tensor(b))
        optimizer = torch.optim.SGD(model.parameters(), lr=workload.DIGITS_LEARNING_RATE)
        for _ in range(workload.DIGITS_EPOCHS):
            for start in range(0, len(tx), workload.DIGITS_BATCH):
                loss = torch.nn.functional.cross_entropy(
                    model(tx[start : start + workload.DIGITS_BATCH]), ty[start : start + workload.DIGITS_BATCH]
                )
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        return model

    seconds, model = workload.median_seconds(digits, runs)
    parameters = tuple(
        p.detach().numpy() for p in (model[0].weight.T, model[0].bias, model[2].weight.T, model[2].bias)
    )
    loss, accuracy = workload.digits_evaluation(x, labels, parameters)
    yield record(
        "digits", f"PyTorch {torch.__version__} eager, 1 thread", "torch", seconds, runs,
        loss=loss, accuracy=accuracy, same_start=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--with-torch-jax", action="store_true")
    arguments = parser.parse_args()
    if arguments.export:
        workload.export_digits(arguments.export)
        return 0
    if not arguments.out:
        parser.error("--out or --export is needed")

    x, labels, initial = workload.digits()
    records, notes = [], []
    peers = [("NumPy", numpy_peers), ("scikit-learn", sklearn_peers)]
    if arguments.with_torch_jax:
        peers += [("JAX", jax_peers), ("PyTorch", torch_peers)]
    else:
        notes.append("JAX and PyTorch not measured (run with --with-torch-jax)")
    for name, peer in peers:
        print(f"bench-train: timing {name}", file=sys.stderr)
        try:
            records += list(peer(x, labels, initial, arguments.runs))
        except ImportError as error:
            notes.append(f"{name} not measured: cannot import it ({error})")
    versions = {"Python": sys.version.split()[0], "NumPy": np.__version__}
    with open(arguments.out, "w") as file:
        json.dump({"records": records, "notes": notes, "versions": versions}, file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
