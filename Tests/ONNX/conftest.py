"""Shared by the ONNX export tests: the service's URL (NABLA_BASE_URL, set by `scripts/suite.sh onnx`)
and a summary, at the end of the run, of the largest difference each model showed between
onnxruntime's outputs and predict's."""

import os

BASE_URL = os.environ.get("NABLA_BASE_URL", "http://127.0.0.1:8080").rstrip("/")

# (model, which rows, number of rows, max |onnxruntime - predict|), appended by the tests.
DIFFERENCES = []


def pytest_terminal_summary(terminalreporter):
    if not DIFFERENCES:
        return
    terminalreporter.section("onnxruntime vs POST /v1/jobs/{id}/predict (float64)")
    for model, rows, count, difference in DIFFERENCES:
        terminalreporter.write_line(f"{model:<28} {rows:<16} {count:>6} rows  max |diff| = {difference:.3g}")
