"""A health probe, run as its own process (so that no other work in the test shares its interpreter):
GET PATH on a new connection from SOURCE at RATE per second for SECONDS (or until SIGTERM), then
writes a JSON summary to OUT: every latency in ms, the failures (status other than 200, connection
errors, timeouts) and the start times of the failures relative to the probe's start.

    python3 probe.py BASE_URL --source 127.0.0.2 --rate 10 --seconds 30 --out probe.json
"""

import argparse
import json
import signal
import time

import loadkit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--path", default="/healthz")
    parser.add_argument("--source", default="127.0.0.2")
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    target = loadkit.Target(arguments.base)
    interval = 1.0 / arguments.rate
    latencies, failures = [], []
    start = time.perf_counter()
    due = start
    while not stopping and time.perf_counter() - start < arguments.seconds:
        answer = loadkit.request(target, "GET", arguments.path, source=arguments.source, timeout=arguments.timeout)
        if answer.status == 200:
            latencies.append(answer.milliseconds)
        else:
            failures.append({"at_s": round(due - start, 3), "status": answer.status, "error": answer.error,
                             "ms": round(answer.milliseconds, 3)})
        due += interval
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            due = time.perf_counter()  # behind (a slow answer): carry on from now, not in a burst
    with open(arguments.out, "w") as out:
        json.dump({"latencies_ms": latencies, "failures": failures,
                   "seconds": time.perf_counter() - start}, out)


if __name__ == "__main__":
    main()
