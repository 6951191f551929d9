"""Shared pieces of the load tests (`scripts/suite.sh slowloris`, `overload`, `soak`): HTTP
requests from a chosen source address (127.0.0.x: libmicrohttpd counts connections, and Nabla counts
jobs, per client address), percentiles, and the `name: value` / PASS / FAIL report lines.

Standard library only, so that the measuring side needs nothing installed."""

import http.client
import json
import math
import time
import urllib.parse


class Target:
    """The service under test: host and port from a base URL such as http://127.0.0.1:8080."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.base = base.rstrip("/")
        self.host = url.hostname
        self.port = url.port or 80


class Answer:
    """One request's outcome: status (None when the connection failed), headers (lower-case names),
    body bytes, the error text when it failed, and the seconds it took (connect to last byte)."""

    def __init__(self, status=None, headers=None, body=b"", error=None, seconds=0.0):
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.error = error
        self.seconds = seconds

    @property
    def milliseconds(self):
        return self.seconds * 1000

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def request(target, method, path, body=None, source="127.0.0.1", timeout=10.0, headers=None):
    """One request on a new connection from `source`; never raises (a failure is an Answer with error)."""
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    sent = {"Connection": "close"}
    if data is not None:
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    start = time.perf_counter()
    connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - start
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, payload, None, elapsed)
    except (OSError, http.client.HTTPException) as error:
        return Answer(error=f"{type(error).__name__}: {error}", seconds=time.perf_counter() - start)
    finally:
        connection.close()


def percentile(values, fraction):
    """Nearest-rank percentile (fraction in 0…1) of `values`; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


class Report:
    """Figures (`name: value`, one a line) and criteria (PASS/FAIL lines, printed last)."""

    def __init__(self):
        self.criteria = []

    @staticmethod
    def figure(name, value):
        if isinstance(value, float):
            value = "nan" if math.isnan(value) else f"{value:.3f}"
        print(f"{name}: {value}", flush=True)

    def check(self, passed, text):
        self.criteria.append((bool(passed), text))

    def finish(self):
        """Prints the PASS/FAIL lines; returns the exit status (1 when any failed)."""
        for passed, text in self.criteria:
            print(f"{'PASS' if passed else 'FAIL'}: {text}", flush=True)
        return 0 if all(passed for passed, _ in self.criteria) else 1


class Probe:
    """probe.py in its own process from `source` at `rate` per second for at most `seconds`."""

    def __init__(self, base, source, rate, seconds, out):
        import os
        import subprocess
        import sys

        self.out = out
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe.py")
        self.process = subprocess.Popen(
            [sys.executable, script, base, "--source", source, "--rate", str(rate), "--seconds", str(seconds),
             "--out", out])

    def finish(self):
        """Stops the probe (if still running) and returns its summary."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
        with open(self.out) as summary:
            return json.load(summary)

    @staticmethod
    def report(report, prefix, summary):
        """Prints the probe's figures as PREFIX_requests, PREFIX_failed, PREFIX_p50_ms … PREFIX_max_ms."""
        latencies = summary["latencies_ms"]
        report.figure(f"{prefix}_requests", len(latencies) + len(summary["failures"]))
        report.figure(f"{prefix}_failed", len(summary["failures"]))
        for name, fraction in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
            report.figure(f"{prefix}_{name}_ms", percentile(latencies, fraction))
        report.figure(f"{prefix}_max_ms", max(latencies) if latencies else math.nan)
        for failure in summary["failures"][:5]:
            print(f"# {prefix} failure at {failure['at_s']} s: status {failure['status']} {failure['error'] or ''}",
                  flush=True)


def descriptors(pid):
    """Open file descriptors of process `pid` (entries of /proc/PID/fd); None when it is gone."""
    import os

    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def resident_kilobytes(pid):
    """VmRSS of process `pid` in kB; None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
