"""Prints the derivative benchmark's table and its PASS/MISS lines from the figures the other scripts wrote.

Inputs: the JSON of peers.py, optionally the JSON of nabla_http.py and of `NablaBenchmarks derivative`
(--nabla, repeatable), and wrk's --latency output for each method of the one-point HTTP benchmark
(--wrk METHOD=FILE). The target "ahead of JAX per point" is judged on Nabla's in-process rows (the
evaluation, as JAX's figure is); the whole-HTTP-request rows are shown beside them for information. Nabla's whole request in
three forms (nabla_http.py's "http-form" records) is judged against the faster of peers.py's Python
pipelines (orjson + NumPy + orjson, in process) at the same N: PASS at most 0.8x its time.
The targets are informative: this exits 0
whenever it could read its inputs.

Usage: python report.py --peers FILE [--nabla FILE] [--wrk METHOD=FILE ...] [--wrk-command TEXT]
                        [--note TEXT]
"""

import argparse
import json
import os
import re
import sys

TARGET_REQUESTS_PER_SECOND = 20_000
# The whole big-batch request at most this many times the Python pipeline's time.
TARGET_PIPELINE_RATIO = 0.8


def duration(seconds):
    """1.23 ms, 45.6 µs, 789 ns, 1.50 s."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}" if seconds / scale < 100 else f"{seconds / scale:.0f} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def read_wrk(path):
    """(requests/s, p99 in ms, non-2xx responses + socket errors) from wrk --latency output."""
    with open(path) as file:
        text = file.read()
    rate = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([0-9.]+)(us|ms|s|m)\b", text, re.MULTILINE)
    if not rate or not p99:
        raise ValueError(f"{path}: no Requests/sec or 99% latency in wrk's output:\n{text}")
    p99_ms = float(p99.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[p99.group(2)]
    errors = sum(int(n) for n in re.findall(r"^\s+Non-2xx or 3xx responses:\s+(\d+)", text, re.MULTILINE))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return float(rate.group(1)), p99_ms, errors


def fastest_pipeline(batch, points):
    """The faster Python pipeline record at `points`, or None."""
    pipelines = [r for r in batch if r["workload"] == "pipeline" and r["points"] == points]
    return min(pipelines, key=lambda r: r["seconds"]) if pipelines else None


def print_batch(batch):
    """The big-batch table: the Python pipelines, then Nabla's whole request per form, with ratios."""
    if not batch:
        return
    rows = []
    for record in sorted(batch, key=lambda r: (r["points"], r["workload"] != "pipeline", r["seconds"])):
        baseline = fastest_pipeline(batch, record["points"])
        ratio = f"{record['seconds'] / baseline['seconds']:.2f}x" if baseline else "-"
        size = f"{record['request_bytes'] / 1e6:.2f} MB in, {record['response_bytes'] / 1e6:.2f} MB out"
        rows.append((f"{record['points']:,} pts", record["peer"], duration(record["seconds"]), size, ratio))
    header = ("batch", "whole pipeline / request", "time", "bytes", "vs fastest pipeline")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    line = "  ".join(f"{{:{'<' if i < 2 else '>'}{width}}}" for i, width in enumerate(widths))
    print("Big batches: the Python pipeline in process (orjson decode, NumPy f and f', orjson encode) beside")
    print("Nabla's whole request over HTTP on a kept-alive connection (loopback, sent to last byte read)")
    print(line.format(*header))
    print(line.format(*("-" * width for width in widths)))
    for row in rows:
        print(line.format(*row))
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", required=True)
    parser.add_argument("--nabla", action="append", default=[])
    parser.add_argument("--wrk", action="append", default=[], metavar="METHOD=FILE")
    parser.add_argument("--wrk-command", default="wrk")
    parser.add_argument("--note", action="append", default=[])
    arguments = parser.parse_args()

    with open(arguments.peers) as file:
        peers = json.load(file)
    records = list(peers["records"])
    for path in arguments.nabla:
        with open(path) as file:
            records += json.load(file)["records"]
    wrk = {}
    for item in arguments.wrk:
        method, _, path = item.partition("=")
        wrk[method] = read_wrk(path)

    jax_per_point = {(r["workload"], r["points"]): r["seconds"] / r["points"] for r in records if r["key"] == "jax"}

    def ratio(workload, points, seconds):
        jax = jax_per_point.get(("vector" if workload == "http-vector" else workload, points))
        return f"{seconds / points / jax:.2f}x" if jax else "-"

    def row(name, peer, workload, points, seconds):
        per_point = f"{seconds / points * 1e9:,.1f} ns" if points > 1 else "-"
        return (
            name,
            peer,
            duration(seconds),
            per_point,
            f"{points / seconds:,.0f}/s",
            ratio(workload, points, seconds),
        )

    rows = []
    order = {"vector": 0, "http-vector": 0, "scalar": 1}
    batch = [r for r in records if r["workload"] in ("pipeline", "http-form")]
    records = [r for r in records if r["workload"] in order]
    for record in sorted(records, key=lambda r: (order[r["workload"]], r["points"], r["workload"] == "http-vector")):
        points, seconds = record["points"], record["seconds"]
        if record["workload"] == "scalar":
            name = "scalar f'(0.5)"
        elif record["workload"] == "vector":
            name = f"vector {points:,} pts"
        else:
            name = f"vector {points:,} pts, HTTP"
        rows.append(row(name, record["peer"], record["workload"], points, seconds))
        if record.get("server_seconds") is not None:
            rows.append(
                row(name, f"{record['peer']} (server-reported)", record["workload"], points, record["server_seconds"])
            )
    for method, (rate, p99_ms, errors) in wrk.items():
        rows.append(
            (
                "scalar f'(0.5), HTTP",
                f"Nabla {method} (wrk)",
                f"p99 {p99_ms:.2f} ms",
                "-",
                f"{rate:,.0f} req/s",
                "-" if not errors else f"{errors} errors",
            )
        )

    versions = peers.get("versions", {})
    print()
    print(
        f"f(x) = sin(x)*exp(-x^2/2) + log(1+x^2), f64, x = linspace(-3, 3, N); on {os.cpu_count()} cores; "
        + ", ".join(f"{name} {version}" for name, version in versions.items())
    )
    print("time = median of >= 5 runs; vs JAX = time per point / JAX's per point at the same N (below 1 is faster)")
    for note in arguments.note:
        print(note)
    header = ("workload", "peer", "time", "per point", "points/s", "vs JAX")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    # Names left-aligned, figures right-aligned.
    line = "  ".join(f"{{:{'<' if i < 2 else '>'}{width}}}" for i, width in enumerate(widths))
    print(line.format(*header))
    print(line.format(*("-" * width for width in widths)))
    for row in rows:
        print(line.format(*row))
    print()

    print_batch(batch)

    in_process = [r for r in records if r["workload"] == "vector" and r["key"] == "nabla"]
    over_http = [r for r in records if r["workload"] == "http-vector"]
    forms = [r for r in batch if r["workload"] == "http-form"]
    if not in_process and not over_http and not wrk and not forms:
        print("(Nabla not measured: no targets checked)")
        return 0
    for record in in_process + over_http:
        jax = jax_per_point.get(("vector", record["points"]))
        if jax is None:
            continue
        per_point = record["seconds"] / record["points"]
        http = record["workload"] == "http-vector"
        verdict = "INFO" if http else "PASS" if per_point < jax else "MISS"
        what = "whole HTTP request" if http else "evaluation in process"
        print(
            f"{verdict} vectorised derivative evaluation ahead of JAX per point: {record['peer']} "
            f"{per_point * 1e9:,.1f} ns/point ({what}, {record['points']:,} points) vs JAX "
            f"{jax * 1e9:,.1f} ns/point ({per_point / jax:.2f}x)"
        )
    for record in forms:
        baseline = fastest_pipeline(batch, record["points"])
        if baseline is None:
            continue
        ratio = record["seconds"] / baseline["seconds"]
        verdict = "PASS" if ratio <= TARGET_PIPELINE_RATIO else "MISS"
        print(
            f"{verdict} big batch, whole request <= {TARGET_PIPELINE_RATIO}x the Python pipeline: {record['peer']} "
            f"{duration(record['seconds'])} vs {duration(baseline['seconds'])} ({ratio:.2f}x, "
            f"{record['points']:,} points)"
        )
    for method, (rate, p99_ms, errors) in wrk.items():
        verdict = "PASS" if rate >= TARGET_REQUESTS_PER_SECOND and errors == 0 else "MISS"
        note = f", but {errors} non-2xx responses or socket errors" if errors else ""
        print(
            f"{verdict} HTTP >= {TARGET_REQUESTS_PER_SECOND:,} derivative requests/s on {os.cpu_count()} cores: "
            f"{method} {rate:,.0f} req/s, p99 {p99_ms:.2f} ms ({arguments.wrk_command}){note}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
