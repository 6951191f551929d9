"""Shared client for the bad-input suite: raw HTTP to a running Nabla (NABLA_BASE_URL), the checks
every answer must pass, and the summary line `bad-input: N passed, M failed`.

Only the standard library speaks HTTP here (http.client and sockets), so requests can be malformed on
purpose: no client library fixes a header or a body before sending it.
"""

import http.client
import json
import os
import re
import socket
import time
import urllib.parse
import uuid

import pytest

BASE_URL = os.environ.get("NABLA_BASE_URL", "http://127.0.0.1:8080")
# The server's log file (scripts/bad-input-test.sh passes it): its request lines give the time the
# server spent on a request (duration_ms, from the request head to the answer, body upload included).
SERVER_LOG = os.environ.get("NABLA_LOG")
_url = urllib.parse.urlsplit(BASE_URL)
HOST, PORT = _url.hostname, _url.port or 80

# (case, wall ms, server ms or None) of every timed request, for the summary.
TIMINGS = []

JSON = "application/json"
PROBLEM = "application/problem+json"


class Answer:
    """One HTTP answer: status, headers (lower-case names), body bytes, wall time, request id."""

    def __init__(self, status, headers, body, wall_ms, request_id):
        self.status = status
        self.headers = headers
        self.body = body
        self.wall_ms = wall_ms
        self.request_id = request_id

    @property
    def content_type(self):
        return self.headers.get("content-type", "")

    def json(self):
        return strict_json(self.body)

    def __repr__(self):
        return f"<{self.status} {self.content_type} {self.body[:300]!r}>"


def _reject_constant(name):
    raise ValueError(f"non-JSON number {name} in a body")


def strict_json(body):
    """Parses a body as JSON, refusing NaN, Infinity and -Infinity (Python's json accepts them)."""
    return json.loads(body, parse_constant=_reject_constant)


def request(method, path, body=None, content_type=JSON, headers=None, timeout=30, encode_chunked=False):
    """Sends one request on a fresh connection; the answer, with the wall time from the first byte sent
    to the last byte read, and the X-Request-Id sent (so the server's log line can be found)."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    request_id = "badinput-" + uuid.uuid4().hex[:16]
    all_headers = {"X-Request-Id": request_id}
    if body is not None and content_type is not None:
        all_headers["Content-Type"] = content_type
    all_headers.update(headers or {})
    connection = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        connection.connect()
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=all_headers, encode_chunked=encode_chunked)
        response = connection.getresponse()
        data = response.read()
        wall_ms = (time.perf_counter() - started) * 1000
        names = {name.lower(): value for name, value in response.getheaders()}
        answer = Answer(response.status, names, data, wall_ms, request_id)
    finally:
        connection.close()
    check_no_non_finite(answer)
    return answer


def post(path, body, **options):
    return request("POST", path, body, **options)


def raw_exchange(head, body_chunks=(), timeout=10):
    """Writes `head` (bytes) and then each of `body_chunks` on a raw socket, stopping as soon as the
    server has answered or closed; returns (status, header text, body bytes). For requests that
    http.client will not send (a Content-Length it cannot back up, a body the server stops reading)."""
    with socket.create_connection((HOST, PORT), timeout=timeout) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        received = b""
        for chunk in body_chunks:
            try:
                received += sock.recv(65536)
            except BlockingIOError:
                pass
            if received:
                break
            try:
                sock.setblocking(True)
                sock.settimeout(timeout)
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            finally:
                sock.setblocking(False)
        sock.setblocking(True)
        sock.settimeout(timeout)
        while True:
            try:
                data = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not data:
                break
            received += data
            if b"\r\n\r\n" in received:
                head_text, _, rest = received.partition(b"\r\n\r\n")
                match = re.search(rb"(?i)content-length:\s*(\d+)", head_text)
                if match and len(rest) >= int(match.group(1)):
                    break
    head_text, _, rest = received.partition(b"\r\n\r\n")
    status_line = head_text.split(b"\r\n", 1)[0].decode("latin-1")
    status = int(status_line.split()[1]) if status_line.startswith("HTTP/") else 0
    return status, head_text.decode("latin-1"), rest


def check_no_non_finite(answer):
    """No JSON answer may hold NaN or an infinity, anywhere."""
    if answer.content_type.startswith(("application/json", PROBLEM)) and answer.body:
        strict_json(answer.body)


def assert_problem(answer, status, pointer=None, detail_contains=(), title=None):
    """The answer is `status` with an RFC 9457 problem body: type, title, status (equal to the HTTP
    status) and detail; `pointer`, when given, is the first error's JSON pointer; every string of
    `detail_contains` appears in the detail or in an error's detail. Returns the problem."""
    assert answer.status == status, f"expected {status}, got {answer!r}"
    assert answer.content_type.split(";")[0].strip() == PROBLEM, f"not problem+json: {answer!r}"
    problem = answer.json()
    assert isinstance(problem, dict), problem
    for key in ("type", "title", "status", "detail"):
        assert key in problem, f"problem without '{key}': {problem}"
    assert isinstance(problem["type"], str) and problem["type"], problem
    assert isinstance(problem["title"], str) and problem["title"], problem
    assert isinstance(problem["detail"], str) and problem["detail"], problem
    assert problem["status"] == answer.status, problem
    if title is not None:
        assert problem["title"] == title, problem
    errors = problem.get("errors", [])
    if pointer is not None:
        assert errors, f"no errors[] to hold the pointer {pointer!r}: {problem}"
        assert errors[0]["pointer"] == pointer, problem
    texts = problem["detail"] + " " + " ".join(error.get("detail", "") for error in errors)
    for text in (detail_contains,) if isinstance(detail_contains, str) else detail_contains:
        assert text in texts, f"{text!r} not in {texts!r}"
    return problem


def server_duration_ms(answer, wait_seconds=2.0):
    """The duration the server logged for `answer` (its request line, found by request id), or None
    when no log is available."""
    if not SERVER_LOG:
        return None
    pattern = re.compile(r"duration_ms=([0-9.]+).*request_id=" + re.escape(answer.request_id) + r"\b")
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        with open(SERVER_LOG, encoding="utf-8", errors="replace") as log:
            for line in log:
                if answer.request_id in line:
                    match = pattern.search(line)
                    if match:
                        return float(match.group(1))
        time.sleep(0.05)
    raise AssertionError(f"no request line for {answer.request_id} in {SERVER_LOG}")


def wait_for_job(job_id, condition, seconds=20):
    """Polls GET /v1/jobs/{id} until `condition(job)` holds; the job."""
    deadline = time.monotonic() + seconds
    while True:
        answer = request("GET", f"/v1/jobs/{job_id}")
        assert answer.status == 200, answer
        job = answer.json()
        if condition(job):
            return job
        assert time.monotonic() < deadline, f"job {job_id} never reached the state wanted: {job}"
        time.sleep(0.05)


@pytest.fixture(scope="session", autouse=True)
def service_survives():
    """Before the suite the service answers; after it, /healthz is still 200."""
    answer = request("GET", "/healthz")
    assert answer.status == 200, f"{BASE_URL} is not answering: {answer!r}"
    yield
    answer = request("GET", "/healthz")
    assert answer.status == 200, f"the service is unwell after the suite: {answer!r}"


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        slowest = max(TIMINGS, key=lambda timing: timing[1])
        terminalreporter.write_line(
            f"bad-input: {len(TIMINGS)} timed requests, slowest {slowest[1]:.1f} ms wall ({slowest[0]})")
        for case, wall_ms, server_ms in TIMINGS:
            if server_ms is not None:
                terminalreporter.write_line(
                    f"bad-input: {case}: {server_ms:.1f} ms on the server, {wall_ms:.1f} ms wall")
    passed = len(terminalreporter.stats.get("passed", []))
    failed = len(terminalreporter.stats.get("failed", [])) + len(terminalreporter.stats.get("error", []))
    terminalreporter.write_line(f"bad-input: {passed} passed, {failed} failed")
