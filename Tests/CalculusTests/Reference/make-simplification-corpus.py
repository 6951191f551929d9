#!/usr/bin/env python3
"""Writes simplification-corpus.json: textbook derivative exercises with SymPy's best printed form.

For each exercise f (written in Nabla's expression language), SymPy differentiates it and its best form
is the shortest of diff, simplify, factor, expand and trigsimp, by operation count. The operation count
is the one the Swift test uses for Nabla's printed derivative: the number of operators in the printed
text as parsed (each + - * / ^, each unary minus, negative literals included, each function call);
numbers, names and constants count nothing. Here it is counted on Python's parse of the same text
(`^` read as `**`), which has the same operators; the Swift test re-counts SymPy's text with Nabla's
parser and checks the two agree. SymPy's own `count_ops` is recorded beside it for reference (it counts
`sqrt(u)` as a power and a division, hence the own count).

Each exercise also gets points in its domain and f' there, evaluated by SymPy to 30 digits.

Run from this directory: python3 make-simplification-corpus.py  (sympy 1.14)
"""

import ast
import json
import re

import sympy as sp
from sympy.parsing.sympy_parser import parse_expr, standard_transformations

x = sp.Symbol("x", real=True)

# (category, f, points); points default to DEFAULT_POINTS, kept where f and f' are real and finite.
DEFAULT_POINTS = [0.3, 0.7, 1.3, 2.1]
UNIT = [-0.6, -0.2, 0.35, 0.8]
ABOVE_ONE = [1.2, 1.7, 2.5, 4.0]
EXERCISES = [
    ("power", "x^5", None),
    ("power", "3*x^4 - 2*x^2 + 7", None),
    ("power", "x^2*x^3", None),
    ("power", "1/x^3", None),
    ("power", "sqrt(x)", None),
    ("power", "x^(3/2)", None),
    ("power", "1/sqrt(x)", None),
    ("power", "4*x^3 + 3*x^2 - x + 5", None),
    ("power", "cbrt(x)", None),
    ("power", "(x^3 + 2)/x", None),
    ("product", "x^2*sin(x)", None),
    ("product", "x*exp(x)", None),
    ("product", "x*log(x)", None),
    ("product", "(x^2 + 1)*(x^3 - x)", None),
    ("product", "exp(x)*cos(x)", None),
    ("product", "x^3*log(x)", None),
    ("product", "sqrt(x)*sin(x)", None),
    ("product", "x*exp(x)*sin(x)", None),
    ("product", "x^2*e^x", None),
    ("quotient", "x/(x + 1)", None),
    ("quotient", "(x^2 + 1)/(x - 1)", [-0.5, 0.3, 1.7, 2.5]),
    ("quotient", "sin(x)/x", None),
    ("quotient", "log(x)/x", None),
    ("quotient", "exp(x)/x^2", None),
    ("quotient", "(2*x + 3)/(3*x - 2)", [-1.5, 0.3, 1.3, 2.1]),
    ("quotient", "x^2/(1 + x^2)", None),
    ("quotient", "(1 - x)/(1 + x)", None),
    ("quotient", "cos(x)/(1 + sin(x))", None),
    ("quotient", "exp(x)/(1 + exp(x))", None),
    ("chain", "sin(x^2)", None),
    ("chain", "exp(-x^2/2)", None),
    ("chain", "sqrt(1 - x^2)", UNIT),
    ("chain", "(3*x^2 - 2)^5", None),
    ("chain", "log(x^2 + 1)", None),
    ("chain", "cos(3*x + 1)", None),
    ("chain", "sin(x)^3", None),
    ("chain", "sqrt(x^2 + 4)", None),
    ("chain", "exp(sin(x))", None),
    ("chain", "log(cos(x))", [-0.9, 0.3, 0.7, 1.3]),
    ("chain", "tan(2*x)", [-0.6, 0.3, 0.7, 1.3]),
    ("chain", "1/(1 + exp(-x))", None),
    ("chain", "sin(cos(x))", None),
    ("chain", "(x^2 + 1)^3", None),
    ("exp-log", "e^x", None),
    ("exp-log", "2^x", None),
    ("exp-log", "x^x", None),
    ("exp-log", "log(x)^2", None),
    ("exp-log", "log(sqrt(x))", None),
    ("exp-log", "exp(2*x)*exp(3*x)", None),
    ("exp-log", "log10(x)", None),
    ("exp-log", "log2(x)", None),
    ("exp-log", "x*log(x) - x", None),
    ("exp-log", "exp(x^2)", None),
    ("trig", "tan(x)", None),
    ("trig", "sec(x)", None),
    ("trig", "sin(x)*cos(x)", None),
    ("trig", "x*sin(x) + cos(x)", None),
    ("trig", "sin(x)^2", None),
    ("trig", "cot(x)", None),
    ("trig", "csc(x)", None),
    ("trig", "tan(x)^2", None),
    ("trig", "1/cos(x)", None),
    ("trig", "x - sin(x)*cos(x)", None),
    ("inverse-trig", "asin(x)", UNIT),
    ("inverse-trig", "acos(x)", UNIT),
    ("inverse-trig", "atan(x)", None),
    ("inverse-trig", "atan(x^2)", None),
    ("inverse-trig", "asin(2*x)", [-0.4, -0.1, 0.2, 0.45]),
    ("inverse-trig", "x*asin(x) + sqrt(1 - x^2)", UNIT),
    ("inverse-trig", "x*atan(x)", None),
    ("inverse-trig", "atan(1/x)", None),
    ("hyperbolic", "sinh(x)", None),
    ("hyperbolic", "tanh(x)", None),
    ("hyperbolic", "x*cosh(x)", None),
    ("hyperbolic", "sinh(x)*cosh(x)", None),
    ("hyperbolic", "log(cosh(x))", None),
    ("hyperbolic", "asinh(x)", None),
    ("hyperbolic", "acosh(x)", ABOVE_ONE),
    ("hyperbolic", "atanh(x)", UNIT),
    ("hyperbolic", "tanh(x^2)", None),
    ("hyperbolic", "cosh(2*x)", None),
    ("simplifiable", "sin(x)^2 + cos(x)^2", None),
    ("simplifiable", "cosh(x)^2 - sinh(x)^2", None),
    ("simplifiable", "(x + 1)^2 - (x - 1)^2", None),
    ("simplifiable", "log(x^2)", None),
    ("simplifiable", "log(exp(x))", None),
    ("simplifiable", "exp(log(x))", None),
    ("simplifiable", "(x^3 - x)/x", None),
    ("simplifiable", "sqrt(x)*sqrt(x)", None),
    ("simplifiable", "exp(x)*exp(-x)", None),
    ("simplifiable", "log(x*exp(x))", None),
    ("simplifiable", "x/x + x", None),
    ("simplifiable", "log(e)*x^2", None),
    ("product", "x^2*exp(-x)", None),
    ("product", "exp(-x)*sin(x)", None),
    ("product", "x^3*exp(2*x)", None),
    ("product", "sqrt(x)*log(x)", None),
    ("product", "exp(x)*log(x)", None),
    ("product", "x^2*atan(x)", None),
    ("quotient", "x/sqrt(x^2 + 1)", None),
    ("quotient", "(x + 1)/(x - 1)^2", [-0.5, 0.3, 1.7, 2.5]),
    ("quotient", "tan(x)/x", None),
    ("quotient", "1/(x^2 + 1)^2", None),
    ("quotient", "asin(x)/sqrt(1 - x^2)", UNIT),
    ("chain", "sqrt((1 + x)/(1 - x))", UNIT),
    ("chain", "log((x + 1)/(x - 1))", ABOVE_ONE),
    ("chain", "asin(sqrt(x))", [0.1, 0.3, 0.6, 0.9]),
    ("chain", "log(sin(x))", None),
    ("chain", "sin(x)^4", None),
    ("chain", "cos(x)^2", None),
    ("chain", "x^(1/x)", None),
    ("trig", "sin(2*x)*cos(3*x)", None),
    ("trig", "sec(x)*tan(x)", None),
    ("hyperbolic", "x*sinh(x) - cosh(x)", None),
    ("hyperbolic", "sinh(x)/(1 + cosh(x))", None),
]


def to_sympy(text):
    functions = {
        "e": sp.E,
        "pi": sp.pi,
        "x": x,
        "log2": lambda u: sp.log(u, 2),
        "log10": lambda u: sp.log(u, 10),
        "cbrt": lambda u: u ** sp.Rational(1, 3),
        "abs": sp.Abs,
    }
    return parse_expr(text.replace("^", "**"), local_dict=functions, transformations=standard_transformations)


def to_nabla(expression):
    text = sp.sstr(expression).replace("**", "^").replace("Abs(", "abs(")
    return re.sub(r"\bE\b", "e", text)


def operations(text):
    """Operators in the printed text: binary operators, unary minus (negative literals too), calls."""
    tree = ast.parse(text.replace("^", "**"), mode="eval")
    return sum(isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call)) for node in ast.walk(tree))


def best_form(derivative):
    candidates = [
        ("diff", derivative),
        ("simplify", sp.simplify(derivative)),
        ("factor", sp.factor(derivative)),
        ("expand", sp.expand(derivative)),
        ("trigsimp", sp.trigsimp(derivative)),
    ]
    scored = [(operations(to_nabla(form)), index, name, form) for index, (name, form) in enumerate(candidates)]
    count, _, name, form = min(scored)
    return name, form, count


def main():
    exercises = []
    for category, text, points in EXERCISES:
        f = to_sympy(text)
        derivative = sp.diff(f, x)
        name, form, count = best_form(derivative)
        kept, values = [], []
        for point in points or DEFAULT_POINTS:
            value = sp.N(f.subs(x, sp.Float(point, 30)), 30)
            slope = sp.N(derivative.subs(x, sp.Float(point, 30)), 30)
            if value.is_real and slope.is_real and value.is_finite and slope.is_finite:
                kept.append(point)
                values.append(float(slope))
        assert len(kept) >= 3, text
        exercises.append({
            "category": category,
            "expression": text,
            "sympy": to_nabla(form),
            "sympy_form": name,
            "sympy_operations": count,
            "sympy_count_ops": int(sp.count_ops(form)),
            "points": kept,
            "derivatives": values,
        })
    with open("simplification-corpus.json", "w") as file:
        json.dump({"generator": "make-simplification-corpus.py", "sympy": sp.__version__, "exercises": exercises},
                  file, indent=1)
        file.write("\n")
    print(f"{len(exercises)} exercises")


if __name__ == "__main__":
    main()
