"""The function every peer differentiates, its exact derivative, the Python pipeline a user would write
instead of a big-batch request, and the shared timing and checking helpers.

f(x) = sin(x)·exp(−x²/2) + log(1 + x²), in f64. Used by peers.py, nabla_http.py and report.py
(run by scripts/bench-derivative.sh).
"""

import json
import statistics
import sys
import time

import numpy as np
import orjson
import sympy

# The expression as Nabla reads it.
EXPRESSION = "sin(x)*exp(-x^2/2)+log(1+x^2)"
VARIABLE = "x"
# The points the correctness guard checks (inside the benchmark's interval [-3, 3], and its ends).
CHECK_POINTS = [-3.0, -2.2, -1.0, -0.3, 0.0, 0.5, 1.7, 3.0]
# The point of the scalar benchmarks.
SCALAR_POINT = 0.5
# Step of the hand-written central difference.
CENTRAL_STEP = 1e-4
# Tolerances of the guard, relative to max(1, |f'(x)|): finite differences and exact methods.
TOLERANCE_APPROXIMATE = 1e-6
TOLERANCE_EXACT = 1e-10


def request_body(method, at):
    """The JSON body of a POST /v1/derivative request, as bytes (Python's shortest float text); the
    Python pipeline of peers.py decodes the same bytes."""
    return json.dumps({"expression": EXPRESSION, "variable": VARIABLE, "at": at, "method": method}, allow_nan=False).encode()


def benchmark_points(count):
    """x = linspace(-3, 3, count), the vectorised workload."""
    return np.linspace(-3.0, 3.0, count)


def f_numpy(x):
    """f with NumPy (scalars or arrays)."""
    return np.sin(x) * np.exp(-(x**2) / 2) + np.log(1 + x**2)


def symbolic():
    """(x, f, f') as SymPy expressions."""
    x = sympy.Symbol("x", real=True)
    f = sympy.sin(x) * sympy.exp(-(x**2) / 2) + sympy.log(1 + x**2)
    return x, f, sympy.diff(f, x)


def exact(points, which="derivative"):
    """f' (or f) at each point, evaluated by SymPy with 30 significant digits, then rounded to f64."""
    x, f, derivative = symbolic()
    expression = derivative if which == "derivative" else f
    return [float(expression.evalf(30, subs={x: sympy.Float(float(p), 30)})) for p in points]


def worst_error(got, reference):
    """Largest |got − reference| / max(1, |reference|), and its index (inf for a wrong length or a non-number)."""
    got = np.asarray(got, dtype=np.float64).reshape(-1)
    reference = np.asarray(reference, dtype=np.float64).reshape(-1)
    if got.shape != reference.shape:
        return float("inf"), -1
    errors = np.abs(got - reference) / np.maximum(1.0, np.abs(reference))
    errors[~np.isfinite(errors)] = np.inf
    index = int(np.argmax(errors))
    return float(errors[index]), index


def check(name, got, points, reference, tolerance):
    """True if `got` agrees with `reference` within `tolerance`; otherwise prints which point is wrong and why."""
    error, index = worst_error(got, reference)
    if error <= tolerance:
        return True
    if index < 0:
        print(f"bench: WRONG {name}: expected {len(points)} values, got {np.size(got)}", file=sys.stderr)
    else:
        got_value = float(np.asarray(got, dtype=np.float64).reshape(-1)[index])
        print(
            f"bench: WRONG {name}: at x = {float(points[index])!r} got {got_value!r}, the exact derivative is "
            f"{reference[index]!r} (relative error {error:.3g} > tolerance {tolerance:g})",
            file=sys.stderr,
        )
    return False


def median_seconds(call, runs, min_run_seconds=0.0):
    """Median wall time of one `call()` over `runs` runs, and the calls per run.

    With `min_run_seconds`, each run repeats the call enough times to last about that long (found by
    doubling, as timeit's autorange does) and counts the time per call, so microsecond calls are not
    lost in the clock's resolution.
    """
    calls = 1
    if min_run_seconds > 0:
        while True:
            start = time.perf_counter()
            for _ in range(calls):
                call()
            if time.perf_counter() - start >= min_run_seconds:
                break
            calls *= 2
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times), calls


def central_difference(x, step=CENTRAL_STEP):
    """(f(x+h) − f(x−h)) / 2h, elementwise, in NumPy."""
    return (f_numpy(x + step) - f_numpy(x - step)) / (2 * step)


def pipeline(body, derivative):
    """The Python pipeline, in process: orjson decode of a request body, np.asarray of its "at", f and
    f′ in NumPy, orjson encode of an answer of the same shape (at, value, derivative). Its bytes."""
    request = orjson.loads(body)
    x = np.asarray(request["at"], dtype=np.float64)
    answer = {
        "expression": request["expression"],
        "variable": request["variable"],
        "at": x,
        "method": request["method"],
        "value": f_numpy(x),
        "derivative": derivative(x),
    }
    return orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY)


def pipelines():
    """name -> (key, method its body names, derivative(x) -> array, tolerance): the exact derivative
    (SymPy's, lambdified to NumPy) and the NumPy central difference."""
    x, _, derivative = symbolic()
    return {
        "Python: orjson + NumPy exact f' (lambdify) + orjson": (
            "pipeline-exact",
            "symbolic",
            sympy.lambdify(x, derivative, "numpy"),
            TOLERANCE_EXACT,
        ),
        "Python: orjson + NumPy central difference + orjson": (
            "pipeline-central",
            "central",
            central_difference,
            TOLERANCE_APPROXIMATE,
        ),
    }
