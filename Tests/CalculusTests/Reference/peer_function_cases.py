"""Writes peer-function-cases.json: f, f' and f'' of expressions using floor, ceil, round, trunc, mod,
hypot, atan2, min and max, computed with SymPy (30 digits), for PeerFunctionReferenceTests.

Run from anywhere: python3 peer_function_cases.py (needs sympy; 1.14 was used).

SymPy cannot differentiate floor and its kin, so each piecewise function is first replaced by the
branch it takes in a neighbourhood of the point (checked to be at least 1e-6 away from any jump or
tie): floor(u) by the integer it is there, mod(a, m) by a - m*k, min/max by the argument that wins,
hypot(a, b) by sqrt(a^2 + b^2). The replaced expression equals f near the point, so its derivatives
are f's. Expressions are written in Nabla's syntax with explicit '*'.
"""

import json
import os

import sympy as sp

x = sp.Symbol("x", real=True)

CASES = [
    ("floor(x)*x^2", "1.3"),
    ("x*floor(2*x) + sin(x)", "0.7"),
    ("ceil(x^2)*exp(x)", "1.2"),
    ("round(3*x)*cos(x)", "0.45"),
    ("round(x^2)*log(x)", "1.9"),
    ("round(-2.7*x) + x^3", "1.1"),
    ("trunc(x)*x^3", "-2.4"),
    ("trunc(x^2 - 5)*x", "1.1"),
    ("mod(x, 3)^2", "7.4"),
    ("mod(x^2, 2.5)", "-1.9"),
    ("mod(x, -2)*x", "3.3"),
    ("mod(-x, 2)*x", "3.3"),
    ("mod(5, x)", "1.7"),
    ("mod(x^2, x)", "2.3"),
    ("sin(mod(2*x, pi))", "2"),
    ("mod(exp(x), 1)", "1.2"),
    ("x*ceil(x/2) + hypot(x, 1)", "3.1"),
    ("hypot(x, 2)", "1.5"),
    ("hypot(3*x, x^2 + 1)", "-0.8"),
    ("hypot(x, x)", "0.9"),
    ("hypot(sin(x), cos(2*x))", "0.3"),
    ("atan2(x, 1)", "0.6"),
    ("atan2(x^2 - 1, x)", "1.7"),
    ("atan2(1, x)", "-0.4"),
    ("atan2(sin(x), cos(x) - 2)", "2.5"),
    ("atan2(x, -2)", "-0.3"),
    ("atan2(exp(x), x^3)", "-1.2"),
    ("min(x, x^2, 1)", "0.6"),
    ("max(x, x^2, 1)", "1.4"),
    ("min(sin(x), cos(x))", "1"),
    ("max(exp(-x), x, 0.5)", "0.2"),
    ("min(x^3)", "2"),
    ("max(3*x - 1, 2 - x, x^2)", "0.9"),
    ("min(x, 2)*max(x^2, 3)", "1.5"),
    ("floor(x)*mod(x, 0.5) + ceil(x)*hypot(x, 0.5)", "2.3"),
]

MARKERS = {
    name: sp.Function(name)
    for name in ["floor", "ceil", "round", "trunc", "mod", "hypot", "atan2", "min", "max"]
}
GAP = sp.Rational(1, 10**6)


def value(expression, at):
    return sp.N(expression.subs(x, at), 50)


def away(number, what):
    """The distance from `number` to the nearest integer, which must be at least GAP."""
    distance = abs(number - sp.floor(number + sp.Rational(1, 2)))
    assert distance >= GAP, f"{what} is within {distance} of a jump"


def freeze(expression, at):
    """`expression` with each piecewise function replaced by its branch near `at`."""
    if expression.is_Atom:
        return expression
    arguments = [freeze(argument, at) for argument in expression.args]
    name = getattr(expression.func, "__name__", "")
    if name in ("floor", "ceil", "trunc") and expression.func in MARKERS.values():
        u = value(arguments[0], at)
        away(u, f"{name} argument {u}")
        k = {"floor": sp.floor, "ceil": sp.ceiling, "trunc": lambda v: sp.sign(v) * sp.floor(abs(v))}[name](u)
        return sp.Integer(k)
    if name == "round" and expression.func in MARKERS.values():
        u = value(arguments[0], at)
        away(u + sp.Rational(1, 2), f"round argument {u}")
        return sp.Integer(sp.sign(u) * sp.floor(abs(u) + sp.Rational(1, 2)))
    if name == "mod" and expression.func in MARKERS.values():
        a, m = arguments
        av, mv = value(a, at), value(m, at)
        if mv == 0:
            return a
        away(av / mv, f"mod quotient {av / mv}")
        return a - m * sp.floor(av / mv)
    if name in ("min", "max") and expression.func in MARKERS.values():
        values = [value(argument, at) for argument in arguments]
        chosen = sorted(range(len(values)), key=lambda i: values[i], reverse=(name == "max"))
        if len(values) > 1:
            assert abs(values[chosen[0]] - values[chosen[1]]) >= GAP, f"{name} tie at {at}"
        return arguments[chosen[0]]
    if name == "hypot" and expression.func in MARKERS.values():
        a, b = arguments
        return sp.sqrt(a**2 + b**2)
    if name == "atan2" and expression.func in MARKERS.values():
        y, x_ = arguments
        assert not (abs(value(y, at)) < GAP and value(x_, at) < 0), "atan2 near its branch cut"
        return sp.atan2(y, x_)
    return expression.func(*arguments)


def case(text, at_text):
    at = sp.Rational(at_text)
    parsed = sp.sympify(text.replace("^", "**"), locals={"x": x, "pi": sp.pi, **MARKERS})
    frozen = freeze(parsed, at)
    first = sp.diff(frozen, x)
    second = sp.diff(first, x)
    number = lambda e: float(sp.N(e.subs(x, at), 30))
    return {
        "expression": text,
        "variable": "x",
        "at": float(at),
        "value": number(frozen),
        "derivative": number(first),
        "second": number(second),
    }


def main():
    cases = [case(text, at) for text, at in CASES]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer-function-cases.json")
    with open(path, "w") as file:
        json.dump({"generator": "peer_function_cases.py", "sympy": sp.__version__, "derivative": cases}, file, indent=1)
        file.write("\n")
    print(f"{len(cases)} cases written to {path}")


if __name__ == "__main__":
    main()
