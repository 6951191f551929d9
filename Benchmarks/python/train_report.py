"""Checks that every side of the training benchmark got the same results, then prints its table and PASS/MISS lines.

Inputs: the JSON of train_peers.py and of `NablaBenchmarks train` (NABLA_BENCH_TRAIN_JSON). Before any time is
printed: every clothing-size run's final loss (and last history loss, where kept) must be within 1e-9 relative of
the NumPy seed code's, and every digits run's accuracy within 2 points of NumPy's; otherwise this prints what
disagrees and exits 1. Targets (informative; exit 0 whenever the inputs agree):
  (a) Nabla <= 2 ms for the 5000 epochs, and ahead of JAX's compiled loop (its fastest variant) in the same run;
  (b) Nabla >= 2x faster per epoch than both NumPy and JAX, with the same accuracy (within 0.5 points, i.e.
      9 of 1797 rows, of every peer that started from the same weights).

Usage: python train_report.py --peers FILE --nabla FILE [--note TEXT ...]
"""

import argparse
import json
import os
import sys

import train_workload as workload

CLOTHING_TARGET_SECONDS = 2e-3
DIGITS_TARGET_RATIO = 2.0
# Agreement needed before anything is timed against anything (a peer set up differently, a broken build).
DIGITS_COMPARABLE = 0.02


def duration(seconds):
    """1.23 ms, 45.6 µs, 1.50 s."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:#.3g} {unit}".replace(". ", " ")
    return f"{seconds / 1e-9:#.3g} ns".replace(". ", " ")


def disagreements(records):
    """What disagrees with the NumPy references, one line each."""
    numpy = {r["workload"]: r for r in records if r["key"] == "numpy"}
    problems = []
    for r in records:
        if r["workload"] == "clothing" and r is not numpy["clothing"]:
            for field in ("final_loss", "last_loss"):
                if field not in r:
                    continue
                reference = numpy["clothing"][field]
                error = abs(r[field] - reference) / abs(reference)
                if not error <= workload.CLOTHING_TOLERANCE:
                    problems.append(
                        f"{r['peer']}: clothing-size {field} {r[field]!r}, NumPy seed code {reference!r} "
                        f"(relative {error:.2g} > {workload.CLOTHING_TOLERANCE:g})"
                    )
        if r["workload"] == "digits" and r is not numpy["digits"]:
            reference = numpy["digits"]["accuracy"]
            if not abs(r["accuracy"] - reference) <= DIGITS_COMPARABLE:
                problems.append(f"{r['peer']}: digits accuracy {r['accuracy']:.4f}, NumPy {reference:.4f}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", required=True)
    parser.add_argument("--nabla", required=True)
    parser.add_argument("--note", action="append", default=[])
    arguments = parser.parse_args()
    with open(arguments.peers) as file:
        peers = json.load(file)
    with open(arguments.nabla) as file:
        nabla_records = json.load(file)["records"]
    records = nabla_records + peers["records"]

    problems = disagreements(records)
    if problems:
        for problem in problems:
            print(f"bench-train: WRONG {problem}", file=sys.stderr)
        return 1

    epochs = {"clothing": workload.CLOTHING_EPOCHS, "digits": workload.DIGITS_EPOCHS}
    nabla = {r["workload"]: r for r in nabla_records}
    titles = {"clothing": "(a) clothing-size", "digits": "(b) digits"}
    rows, compiles = [], []
    for name in ("clothing", "digits"):
        for r in (r for r in records if r["workload"] == name):
            if name == "clothing":
                result = f"final loss {r['final_loss']:.12g}"
            else:
                result = f"accuracy {r['accuracy']:.4f}, loss {r['loss']:.6g}"
            ratio = r["seconds"] / nabla[name]["seconds"] if name in nabla else None
            if "compile_seconds" in r:
                compiles.append(f"{titles[name]}, {r['peer']}: {duration(r['compile_seconds'])}")
            rows.append(
                (
                    titles[name],
                    r["peer"],
                    duration(r["seconds"]),
                    duration(r["seconds"] / epochs[name]),
                    "-" if r["key"] == "nabla" or ratio is None else f"{ratio:.2f}x",
                    result,
                )
            )

    versions = peers.get("versions", {})
    print()
    print(
        f"Training benchmark, f64, on {os.cpu_count()} cores; "
        + ", ".join(f"{name} {version}" for name, version in versions.items())
    )
    print(
        "time = median of the runs after one warm-up; per epoch = time / epochs; Nabla faster = peer time / "
        "Nabla time.\n(a) 1-2-1 sigmoid, MSE, SGD lr 0.5, full batch, the seed's initial weights. (b) digits "
        "1797 x 64 standardised, relu + softmax cross-entropy, SGD lr 0.1, batches of 32 unshuffled; every "
        "peer from the same initial weights; accuracy on the training rows."
    )
    for note in peers.get("notes", []) + arguments.note:
        print(note)
    header = ("workload", "peer", "time", "per epoch", "Nabla faster", "result")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    line = "  ".join(f"{{:{'<' if i in (0, 1, 5) else '>'}{width}}}" for i, width in enumerate(widths))
    print(line.format(*header).rstrip())
    print(line.format(*("-" * width for width in widths)))
    for row in rows:
        print(line.format(*row).rstrip())
    if compiles:
        print("compile time, before the timed runs: " + "; ".join(compiles))
    print()

    def fastest(name, key):
        candidates = [r for r in records if r["workload"] == name and r["key"] == key]
        return min(candidates, key=lambda r: r["seconds"]) if candidates else None

    def verdict(passed):
        return "PASS" if passed else "MISS"

    if "clothing" in nabla:
        ours = nabla["clothing"]["seconds"]
        print(
            f"{verdict(ours <= CLOTHING_TARGET_SECONDS)} (a) Nabla <= {duration(CLOTHING_TARGET_SECONDS)} for "
            f"{workload.CLOTHING_EPOCHS} epochs: {duration(ours)}"
        )
        jax = fastest("clothing", "jax")
        if jax is None:
            print("(a) ahead of JAX's compiled loop: not checked (JAX not measured)")
        else:
            print(
                f"{verdict(ours < jax['seconds'])} (a) Nabla ahead of JAX's compiled loop: {duration(ours)} vs "
                f"{duration(jax['seconds'])} ({jax['peer']}; {jax['seconds'] / ours:.2f}x)"
            )
    if "digits" in nabla:
        ours = nabla["digits"]
        for key, name in (("numpy", "NumPy"), ("jax", "JAX")):
            peer = fastest("digits", key)
            if peer is None:
                print(f"(b) >= {DIGITS_TARGET_RATIO:g}x faster per epoch than {name}: not checked ({name} not measured)")
                continue
            ratio = peer["seconds"] / ours["seconds"]
            print(
                f"{verdict(ratio >= DIGITS_TARGET_RATIO)} (b) Nabla >= {DIGITS_TARGET_RATIO:g}x faster per epoch "
                f"than {name}: {duration(ours['seconds'] / epochs['digits'])} vs "
                f"{duration(peer['seconds'] / epochs['digits'])} per epoch ({ratio:.2f}x)"
            )
        same = [r for r in peers["records"] if r["workload"] == "digits" and r.get("same_start")]
        worst = max(same, key=lambda r: abs(r["accuracy"] - ours["accuracy"]))
        gap = abs(worst["accuracy"] - ours["accuracy"])
        print(
            f"{verdict(gap <= workload.DIGITS_ACCURACY_TOLERANCE)} (b) same accuracy as the peers from the same "
            f"weights: Nabla {ours['accuracy']:.4f}, furthest {worst['peer']} {worst['accuracy']:.4f}"
        )
    else:
        print("(Nabla's digits run missing: (b) not checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
