"""Times Nabla's POST /v1/derivative over HTTP on f (see workload.py) and writes the figures as JSON.

For each method, one request whose "at" is x = linspace(-3, 3, --points) is timed from the first byte
sent to the last byte of the answer received, over one persistent http.client connection; the body is
encoded once beforehand and the answer is parsed after the clock stops. Median of --runs runs, after a
warm-up request whose whole answer is checked against SymPy's lambdified exact derivative.

Before timing, every method's derivative at workload.CHECK_POINTS is checked against SymPy's exact one
(1e-6 for central, 1e-10 for the exact methods). It also writes, for wrk, one Lua script per method in
--wrk-methods that POSTs f at one point, after checking that request's answer.

Then the big-batch comparison, at --points points: the Python pipeline of workload.py in this process
(orjson decode of the same JSON body, NumPy f and f′ — exact and central difference — orjson encode of
an answer of the same shape) beside Nabla's whole request (method symbolic) in three forms: "at" as a JSON array with a JSON answer, "at" as a range
{"from", "to", "count"} with a JSON answer, and the range with `Accept: application/x-npy`. Each is
sent as prepared bytes on one kept-alive socket and timed from the first byte sent to the last byte
of the answer read (Content-Length), so the figure is the server's and the loopback's, not
http.client's; every answer is checked (whole, against SymPy) before timing. The runs are interleaved
(each round times every pipeline and every form once, starting one further along each round), so a
busy machine slows both sides alike.

A server-side figure is reported when the service gives one (optional; nothing relies on it): a
`Server-Timing` header's first `dur=` (milliseconds), or a top-level JSON number `elapsed_ms`,
`elapsed_s` or `elapsed` (seconds), or a `timing` object with `total_ms`, `compute_ms` or `elapsed_ms`.

With --wait-only it only waits (30 s at most) for GET /healthz to answer 200, giving up early if the
process --server-pid ends.

Exit status: 0 measured (or healthy); 3 if /v1/derivative answers 404 (not available); 1 for any
other failure.

Usage: python nabla_http.py --port P --out FILE [--wrk-dir DIR] [--points 100000] [--runs 7]
       python nabla_http.py --port P --wait-only [--server-pid PID]
"""

import argparse
import http.client
import io
import json
import os
import re
import socket
import sys
import time

import numpy as np
import orjson
import sympy

import workload

PATH = "/v1/derivative"
NOT_AVAILABLE = 3


class ServiceError(Exception):
    """The service did not answer as expected (the message says how)."""


class Client:
    """POSTs JSON to Nabla over one persistent HTTP/1.1 connection."""

    def __init__(self, host, port, timeout=120):
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def post(self, body):
        """Sends `body` (bytes), returns (status, headers, answer bytes, seconds from send to last byte)."""
        start = time.perf_counter()
        try:
            self.connection.request("POST", PATH, body=body, headers={"Content-Type": "application/json"})
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            raise ServiceError(f"POST {PATH} failed: {error}") from error
        seconds = time.perf_counter() - start
        return response.status, response.headers, data, seconds


request_body = workload.request_body


class RawClient:
    """One kept-alive socket: sends prepared HTTP/1.1 requests, reads Content-Length answers."""

    def __init__(self, host, port, timeout=120):
        self.host = host
        self.socket = socket.create_connection((host, port), timeout=timeout)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = bytearray(16 << 20)

    def close(self):
        self.socket.close()

    def request(self, body, accept):
        """The request's bytes: headers and body."""
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Accept: {accept}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    def send(self, request):
        """Sends `request`, returns (status, content type, answer bytes, seconds from send to last byte)."""
        view = memoryview(self.buffer)
        start = time.perf_counter()
        self.socket.sendall(request)
        filled = 0
        while True:
            got = self.socket.recv_into(view[filled:])
            if got == 0:
                raise ServiceError("the server closed the connection")
            filled += got
            end = self.buffer.find(b"\r\n\r\n", 0, filled)
            if end >= 0:
                break
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        headers = {line.partition(":")[0].strip().lower(): line.partition(":")[2].strip() for line in head[1:]}
        length = int(headers.get("content-length", "-1"))
        if length < 0:
            raise ServiceError(f"no Content-Length in the answer: {head}")
        total = end + 4 + length
        if total > len(self.buffer):
            raise ServiceError(f"answer of {length} bytes is larger than the client's buffer")
        while filled < total:
            got = self.socket.recv_into(view[filled:total])
            if got == 0:
                raise ServiceError("the server closed the connection")
            filled += got
        seconds = time.perf_counter() - start
        status = int(head[0].split()[1])
        return status, headers.get("content-type", ""), bytes(self.buffer[end + 4 : total]), seconds


# The request forms compared with the Python pipeline: name -> (key, "at" is a range, Accept).
FORMS = {
    "JSON at array -> JSON": ("json", False, "application/json"),
    "range at -> JSON": ("range", True, "application/json"),
    "range at -> .npy": ("npy", True, "application/x-npy"),
}


def measure_batch(host, port, count, runs, reference, method="symbolic"):
    """The big-batch records at `count` points: the Python pipelines and Nabla's FORMS, interleaved."""
    grid = workload.benchmark_points(count)
    timed = []  # (record, call)
    for name, (key, pipeline_method, derivative, tolerance) in workload.pipelines().items():
        body = workload.request_body(pipeline_method, grid.tolist())
        answer = orjson.loads(workload.pipeline(body, derivative))
        if not (
            workload.check(f"{name}: at", answer["at"], grid, grid, 0.0)
            and workload.check(f"{name} over {count:,} points", answer["derivative"], grid, reference, tolerance)
        ):
            return None
        size = len(workload.pipeline(body, derivative))
        record = {"workload": "pipeline", "peer": name, "key": key, "method": pipeline_method}
        record.update({"points": count, "runs": runs, "request_bytes": len(body), "response_bytes": size})

        def call(body=body, derivative=derivative):
            start = time.perf_counter()
            workload.pipeline(body, derivative)
            return time.perf_counter() - start

        timed.append((record, call))
    client = RawClient(host, port)
    try:
        for name, (key, is_range, accept) in FORMS.items():
            at = {"from": -3, "to": 3, "count": count} if is_range else grid.tolist()
            body = workload.request_body(method, at)
            request = client.request(body, accept)
            status, content_type, data, _ = client.send(request)
            if accept == "application/x-npy":
                if status != 200 or content_type != accept:
                    raise ServiceError(f"{name}: answered {status} {content_type}: {data[:300]!r}")
                array = np.load(io.BytesIO(data))
                if array.dtype != np.float64 or array.shape != (3, count):
                    raise ServiceError(f"{name}: a {array.dtype} array of shape {array.shape}")
                at_got, derivative = array[0], array[2]
            else:
                answer = answer_of(status, data)
                at_got, derivative = field(answer, "at", count), field(answer, "derivative", count)
            if not (
                workload.check(f"Nabla {name}: at", at_got, grid, grid, 0.0)
                and workload.check(f"Nabla {name}", derivative, grid, reference, tolerance_of(method))
            ):
                return None
            record = {"workload": "http-form", "peer": f"Nabla {method}, {name}", "key": f"nabla-form-{key}"}
            record.update({"method": method, "points": count, "runs": runs})
            record.update({"request_bytes": len(body), "response_bytes": len(data)})

            def call(request=request):
                status, _, data, seconds = client.send(request)
                if status != 200:
                    answer_of(status, data)
                return seconds

            timed.append((record, call))
        samples = [[] for _ in timed]
        for run in range(runs):
            # Each round starts one further along, so no form always follows the pipeline's allocations.
            for step in range(len(timed)):
                index = (run + step) % len(timed)
                samples[index].append(timed[index][1]())
    finally:
        client.close()
    records = []
    for (record, _), times in zip(timed, samples):
        record["seconds"] = float(np.median(times))
        print(
            f"bench: {record['peer']}, {count:,} points, whole: {record['seconds'] * 1e3:.2f} ms "
            f"({record['request_bytes'] / 1e6:.2f} MB in, {record['response_bytes'] / 1e6:.2f} MB out)",
            file=sys.stderr,
        )
        records.append(record)
    return records


def answer_of(status, data):
    """The parsed JSON of a 200 answer; raises ServiceError otherwise (404 included, marked)."""
    if status == 404:
        raise ServiceError("404")
    if status != 200:
        hint = " (raise the server's --max-body-bytes)" if status == 413 else ""
        raise ServiceError(f"POST {PATH} answered {status}{hint}: {data[:500].decode(errors='replace')}")
    try:
        return json.loads(data)
    except ValueError as error:
        raise ServiceError(f"POST {PATH} answered 200 with invalid JSON: {error}") from error


def field(answer, name, count):
    """answer[name] as a list of `count` floats, or raises ServiceError naming what is wrong."""
    value = answer.get(name)
    if count == 1 and isinstance(value, (int, float)):
        value = [value]
    if not isinstance(value, list) or len(value) != count or not all(isinstance(v, (int, float)) for v in value):
        raise ServiceError(f"the answer's '{name}' is not {count} number(s): {str(value)[:200]}")
    return [float(v) for v in value]


def tolerance_of(method):
    return workload.TOLERANCE_APPROXIMATE if method == "central" else workload.TOLERANCE_EXACT


def server_seconds(headers, answer):
    """The service's own figure for the request, in seconds, if it gives one."""
    timing = headers.get("Server-Timing")
    if timing:
        match = re.search(r"dur=([0-9.eE+-]+)", timing)
        if match:
            return float(match.group(1)) / 1e3
    if not isinstance(answer, dict):
        return None

    def number(value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    for key, scale in (("elapsed_ms", 1e-3), ("elapsed_s", 1.0), ("elapsed", 1.0)):
        if number(answer.get(key)):
            return answer[key] * scale
    timing = answer.get("timing")
    if isinstance(timing, dict):
        for key, scale in (("total_ms", 1e-3), ("compute_ms", 1e-3), ("elapsed_ms", 1e-3)):
            if number(timing.get(key)):
                return timing[key] * scale
    return None


def is_running(pid):
    """Whether process `pid` exists and is not a zombie (an exited child its parent has not waited for)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def wait_until_healthy(host, port, server_pid, seconds=30.0):
    """True once GET /healthz answers 200; False after `seconds`, or at once if the server process ends."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(host, port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        if server_pid is not None and not is_running(server_pid):
            return False
        time.sleep(0.1)
    return False


def check_points(client, methods):
    """The correctness guard at workload.CHECK_POINTS; returns True if every method agrees."""
    points = workload.CHECK_POINTS
    exact_derivative = workload.exact(points)
    exact_value = workload.exact(points, which="value")
    ok = True
    for method in methods:
        status, _, data, _ = client.post(request_body(method, points))
        answer = answer_of(status, data)
        tolerance = tolerance_of(method)
        ok &= workload.check(
            f"Nabla {method}", field(answer, "derivative", len(points)), points, exact_derivative, tolerance
        )
        ok &= workload.check(
            f"Nabla {method} value of f", field(answer, "value", len(points)), points, exact_value, 1e-12
        )
    return ok


def write_wrk_script(client, method, directory):
    """Checks the one-point request, then writes DIRECTORY/METHOD.lua for wrk to POST it."""
    point = workload.SCALAR_POINT
    body = request_body(method, point)
    status, _, data, _ = client.post(body)
    derivative = field(answer_of(status, data), "derivative", 1)
    if not workload.check(
        f"Nabla {method} at one point", derivative, [point], workload.exact([point]), tolerance_of(method)
    ):
        return False
    text = body.decode()
    if "]]" in text:
        raise ServiceError("the request body cannot be written as a Lua long string")
    with open(f"{directory}/{method}.lua", "w") as file:
        file.write(
            f"-- POST {PATH} for f at one point, method {method}; written by Benchmarks/python/nabla_http.py.\n"
            f'wrk.method = "POST"\n'
            f'wrk.path = "{PATH}"\n'
            f'wrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = [[{text}]]\n"
        )
    return True


def measure(client, method, count, runs, reference):
    """The vector record for one method (after checking the warm-up request's whole answer)."""
    grid = workload.benchmark_points(count)
    body = request_body(method, grid.tolist())
    status, headers, data, _ = client.post(body)
    answer = answer_of(status, data)
    derivative = field(answer, "derivative", count)
    if not workload.check(f"Nabla {method} over {count:,} points", derivative, grid, reference, tolerance_of(method)):
        return None
    times, server_times = [], []
    for _ in range(runs):
        status, headers, data, seconds = client.post(body)
        if status != 200:
            answer_of(status, data)
        times.append(seconds)
        answer = json.loads(data) if (b'"elapsed' in data or b'"timing"' in data) else None
        server = server_seconds(headers, answer)
        if server is not None:
            server_times.append(server)
    median = float(np.median(times))
    record = {
        "workload": "http-vector",
        "points": count,
        "peer": f"Nabla {method}",
        "key": f"nabla-{method}",
        "method": method,
        "seconds": median,
        "runs": runs,
        "request_bytes": len(body),
        "response_bytes": len(data),
        "server_seconds": float(np.median(server_times)) if len(server_times) == runs else None,
    }
    server_note = "" if record["server_seconds"] is None else f", server says {record['server_seconds'] * 1e3:.2f} ms"
    print(
        f"bench: Nabla {method}, {count:,} points over HTTP: {median * 1e3:.2f} ms "
        f"({len(body) / 1e6:.1f} MB sent, {len(data) / 1e6:.1f} MB received{server_note})",
        file=sys.stderr,
    )
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", help="JSON file to write the figures to")
    parser.add_argument("--wait-only", action="store_true", help="only wait for GET /healthz to answer 200")
    parser.add_argument("--server-pid", type=int, help="with --wait-only: stop waiting if this process ends")
    parser.add_argument("--points", type=int, default=100_000, help="size of the vector request")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per method (median), at least 5")
    parser.add_argument("--methods", default="symbolic,forward,reverse,central")
    parser.add_argument("--wrk-dir", help="directory to write METHOD.lua wrk scripts to")
    parser.add_argument("--wrk-methods", default="symbolic,forward")
    arguments = parser.parse_args()
    if arguments.wait_only:
        return 0 if wait_until_healthy(arguments.host, arguments.port, arguments.server_pid) else 1
    if not arguments.out:
        parser.error("--out is required")
    methods = arguments.methods.split(",")
    runs = max(5, arguments.runs)

    client = Client(arguments.host, arguments.port)
    try:
        if not check_points(client, methods):
            print("bench: Nabla disagrees with SymPy's exact derivative; nothing was timed", file=sys.stderr)
            return 1
        if arguments.wrk_dir:
            for method in arguments.wrk_methods.split(","):
                if not write_wrk_script(client, method, arguments.wrk_dir):
                    return 1
        x, _, derivative = workload.symbolic()
        reference = sympy.lambdify(x, derivative, "numpy")(workload.benchmark_points(arguments.points))
        records = measure_batch(arguments.host, arguments.port, arguments.points, runs, reference)
        if records is None:
            return 1
        for method in methods:
            record = measure(client, method, arguments.points, runs, reference)
            if record is None:
                return 1
            records.append(record)
    except ServiceError as error:
        if str(error) == "404":
            print(f"Nabla {PATH} not available (404)", file=sys.stderr)
            return NOT_AVAILABLE
        print(f"bench: {error}", file=sys.stderr)
        return 1
    with open(arguments.out, "w") as file:
        json.dump({"records": records}, file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
