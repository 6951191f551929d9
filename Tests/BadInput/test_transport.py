"""HTTP-level bad input: content types, methods, body and head sizes."""

import pytest
from conftest import HOST, PORT, assert_problem, post, raw_exchange, request

SMALL = {"expression": "x^2", "at": 1}

# The body limits scripts/bad-input-test.sh starts the service with (the defaults).
MAX_BODY = 1_048_576  # /v1/echo, /v1/sleep
MAX_DATA_BODY = 8_388_608  # /v1/derivative, /v1/gradient, /v1/descent, /v1/train, predict


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "multipart/form-data"],
)
def test_post_without_a_json_content_type_is_415(content_type):
    answer = post("/v1/derivative", SMALL, content_type=content_type)
    assert_problem(answer, 415, detail_contains="Content-Type: application/json")


def test_json_with_a_charset_parameter_is_accepted():
    answer = post("/v1/derivative", SMALL, content_type="application/json; charset=utf-8")
    assert answer.status == 200, answer


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("PUT", "/v1/derivative", "POST"),
        ("GET", "/v1/derivative", "POST"),
        ("DELETE", "/v1/train", "POST"),
        ("PATCH", "/v1/jobs", "GET"),
        ("POST", "/healthz", "GET"),
        ("PUT", "/v1/jobs/00000000000000000000000000000000", "DELETE"),
    ],
)
def test_a_wrong_method_is_405_with_allow(method, path, allowed):
    answer = request(method, path, body=b"{}" if method in ("PUT", "PATCH", "POST") else None)
    assert_problem(answer, 405)
    assert "allow" in answer.headers, answer.headers
    assert allowed in [m.strip() for m in answer.headers["allow"].split(",")], answer.headers


def test_a_body_over_the_limit_with_content_length_is_413_before_it_is_sent():
    # The head declares 2 MiB; the server answers on the head alone (nothing of the body is sent).
    head = (
        f"POST /v1/echo HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {2 * MAX_BODY}\r\n\r\n"
    ).encode()
    status, head_text, body = raw_exchange(head)
    assert status == 413, head_text
    assert "application/problem+json" in head_text.lower()
    assert str(MAX_BODY) in body.decode()


def test_a_chunked_body_over_the_limit_is_413():
    chunk = b"x" * 65536
    chunks = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(2 * MAX_BODY // len(chunk) + 4)]
    chunks.append(b"0\r\n\r\n")
    head = (
        f"POST /v1/echo HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    status, head_text, body = raw_exchange(head, chunks)
    assert status == 413, head_text
    assert "application/problem+json" in head_text.lower()


def test_a_data_route_takes_more_than_the_general_limit_but_not_more_than_its_own():
    padding = " " * (MAX_BODY + 10)
    answer = post("/v1/derivative", '{"expression": "x", "at": 1}' + padding)
    assert answer.status == 200, answer
    head = (
        f"POST /v1/derivative HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {MAX_DATA_BODY + 1}\r\n\r\n"
    ).encode()
    status, head_text, body = raw_exchange(head)
    assert status == 413, head_text
    assert str(MAX_DATA_BODY) in body.decode()


def test_an_url_too_long_is_414():
    # libmicrohttpd answers this itself, before Nabla sees the request, with a small HTML page: only
    # the status is checked (README, Configuration: the request head may use 32 KiB).
    answer = request("GET", "/healthz?" + "a" * 40_000)
    assert answer.status == 414, answer


def test_headers_too_large_are_431():
    # libmicrohttpd's own answer again (HTML body): status only.
    answer = request("GET", "/healthz", headers={"X-Padding": "a" * 40_000})
    assert answer.status == 431, answer


def test_many_small_headers_past_the_head_limit_are_431():
    headers = {f"X-Padding-{i}": "a" * 100 for i in range(400)}
    answer = request("GET", "/healthz", headers=headers)
    assert answer.status == 431, answer


def test_an_unknown_path_is_404():
    assert_problem(request("GET", "/v1/nothing-here"), 404)
    assert_problem(post("/v1/nothing-here", SMALL), 404)
