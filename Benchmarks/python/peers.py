"""Times the Python peers differentiating f (see workload.py) and writes the figures as JSON.

Vectorised, over x = linspace(-3, 3, N) for each N in --points:
  NumPy central difference  (f(x+h) − f(x−h)) / 2h, h = 1e-4, written by hand
  SymPy lambdify            the symbolic derivative compiled to NumPy calls
  JAX jit(vmap(grad(f)))    compiled and warmed up first; timed up to block_until_ready()
Scalar, at one point:
  JAX jit(grad(f)), SymPy lambdify (numpy and math back ends), numdifftools Derivative.
Each figure is the median of --runs runs. Before timing anything, every peer's derivative is checked
against SymPy's exact one at workload.CHECK_POINTS and over the whole first vector; exits 1 if one
disagrees.

Usage: python peers.py --out FILE [--points 100000,1000000] [--runs 7]
"""

import argparse
import functools
import json
import sys

import jax
import jax.numpy as jnp
import numdifftools
import numpy as np
import sympy

import workload

# Before any array exists: CPU only (no probing for accelerators), f64.
jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_enable_x64", True)


def f_jax(x):
    """f with jax.numpy."""
    return jnp.sin(x) * jnp.exp(-(x**2) / 2) + jnp.log(1 + x**2)


def numpy_central_difference(x, step=workload.CENTRAL_STEP):
    """(f(x+h) − f(x−h)) / 2h, elementwise."""
    return (workload.f_numpy(x + step) - workload.f_numpy(x - step)) / (2 * step)


def build_vectorised_peers():
    """name -> (key, prepare(x) -> argument, derivative(argument) -> array, tolerance)."""
    x, _, derivative = workload.symbolic()
    lambdified = sympy.lambdify(x, derivative, "numpy")
    jax_batch = jax.jit(jax.vmap(jax.grad(f_jax)))
    return {
        "NumPy central difference": (
            "numpy-central",
            np.asarray,
            numpy_central_difference,
            workload.TOLERANCE_APPROXIMATE,
        ),
        "SymPy lambdify (numpy)": ("sympy-lambdify", np.asarray, lambdified, workload.TOLERANCE_EXACT),
        "JAX jit(vmap(grad))": (
            "jax",
            # The input is on the device before the clock starts, as NumPy's is in memory.
            lambda points: jax.device_put(jnp.asarray(points, dtype=jnp.float64)),
            lambda argument: jax_batch(argument).block_until_ready(),
            workload.TOLERANCE_EXACT,
        ),
    }


def build_scalar_peers():
    """name -> (key, derivative(float) -> number, tolerance)."""
    x, _, derivative = workload.symbolic()
    with_numpy = sympy.lambdify(x, derivative, "numpy")
    with_math = sympy.lambdify(x, derivative, "math")
    jax_scalar = jax.jit(jax.grad(f_jax))
    nd_derivative = numdifftools.Derivative(workload.f_numpy)
    return {
        "JAX jit(grad)": ("jax", lambda point: jax_scalar(point).block_until_ready(), workload.TOLERANCE_EXACT),
        "SymPy lambdify (numpy)": ("sympy-lambdify", with_numpy, workload.TOLERANCE_EXACT),
        "SymPy lambdify (math)": ("sympy-lambdify-math", with_math, workload.TOLERANCE_EXACT),
        "numdifftools Derivative": ("numdifftools", nd_derivative, workload.TOLERANCE_APPROXIMATE),
    }


def check_all(vectorised, scalar, first_count):
    """The correctness guard; returns True if every peer agrees with the exact derivative."""
    points = workload.CHECK_POINTS
    exact = workload.exact(points)
    ok = True
    for name, (_, prepare, derivative, tolerance) in vectorised.items():
        ok &= workload.check(name, np.asarray(derivative(prepare(np.array(points)))), points, exact, tolerance)
    for name, (_, derivative, tolerance) in scalar.items():
        got = [float(np.asarray(derivative(point))) for point in points]
        ok &= workload.check(f"{name} (scalar)", got, points, exact, tolerance)
    if not ok:
        return False
    # Over the whole first vector, against the lambdified exact derivative (itself checked above).
    grid = workload.benchmark_points(first_count)
    reference = vectorised["SymPy lambdify (numpy)"][2](grid)
    for name, (_, prepare, derivative, tolerance) in vectorised.items():
        got = np.asarray(derivative(prepare(grid)))
        ok &= workload.check(f"{name} over {first_count:,} points", got, grid, reference, tolerance)
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="JSON file to write the figures to")
    parser.add_argument("--points", default="100000,1000000", help="comma-separated vector sizes")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (median), at least 5")
    arguments = parser.parse_args()
    counts = [int(count) for count in arguments.points.split(",")]
    runs = max(5, arguments.runs)

    vectorised = build_vectorised_peers()
    scalar = build_scalar_peers()
    if not check_all(vectorised, scalar, counts[0]):
        print("bench: a peer disagrees with SymPy's exact derivative; nothing was timed", file=sys.stderr)
        return 1

    records = []
    for count in counts:
        grid = workload.benchmark_points(count)
        for name, (key, prepare, derivative, _) in vectorised.items():
            argument = prepare(grid)
            derivative(argument)  # warm-up (JAX compiles for this shape here)
            seconds, _ = workload.median_seconds(functools.partial(derivative, argument), runs)
            print(f"bench: {name}, {count:,} points: {seconds * 1e3:.2f} ms", file=sys.stderr)
            records.append(
                {"workload": "vector", "points": count, "peer": name, "key": key, "seconds": seconds, "runs": runs}
            )
    for name, (key, derivative, _) in scalar.items():
        point = workload.SCALAR_POINT
        derivative(point)  # warm-up
        seconds, calls = workload.median_seconds(functools.partial(derivative, point), runs, min_run_seconds=0.05)
        print(f"bench: {name}, one point: {seconds * 1e6:.2f} µs", file=sys.stderr)
        records.append(
            {
                "workload": "scalar",
                "points": 1,
                "peer": name,
                "key": key,
                "seconds": seconds,
                "runs": runs,
                "calls_per_run": calls,
            }
        )
    versions = {
        "numpy": np.__version__,
        "sympy": sympy.__version__,
        "jax": jax.__version__,
        "numdifftools": numdifftools.__version__,
        "orjson": workload.orjson.__version__,
        "python": sys.version.split()[0],
    }
    with open(arguments.out, "w") as file:
        json.dump({"versions": versions, "records": records}, file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
