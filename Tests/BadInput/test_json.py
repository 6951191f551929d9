"""Malformed JSON bodies and numbers out of range for their fields."""

import time

import pytest
from conftest import assert_problem, post

MALFORMED = "Malformed JSON"


def test_nesting_past_64_levels_is_400_at_once():
    for body in ("[" * 65 + "]" * 65, '{"a":' * 65 + "1" + "}" * 65, "[" * 100_000):
        answer = post("/v1/derivative", body)
        assert_problem(answer, 400, detail_contains="nesting deeper than 64 levels", title=MALFORMED)
        assert answer.wall_ms < 50, f"{answer.wall_ms:.1f} ms"


def test_nesting_of_64_levels_is_read():
    body = '{"expression": "x", "at": 1, "parameters": ' + '{"a":' * 62 + "1" + "}" * 62 + "}"
    answer = post("/v1/derivative", body)
    # Read, then refused for what it means (a parameter is not an object), not for its depth.
    problem = assert_problem(answer, 400, pointer="/parameters/a")
    assert "nesting" not in problem["detail"]


def test_a_duplicate_key_is_400_naming_it():
    answer = post("/v1/derivative", '{"expression": "x", "at": 1, "expression": "y"}')
    problem = assert_problem(answer, 400, detail_contains="duplicate key 'expression'", title=MALFORMED)
    assert problem["errors"][0]["position"] == 30, problem


def test_a_duplicate_key_deep_inside_is_400():
    body = '{"preset": "clothing-size", "optimizer": {"name": "adam", "beta1": 0.9, "beta1": 0.8}}'
    assert_problem(post("/v1/train", body), 400, detail_contains="duplicate key 'beta1'")


@pytest.mark.parametrize(
    "body, pointer, text",
    [
        ('{"preset": "clothing-size", "epochs": 1.5}', "/epochs", "between 1 and 100000"),
        ('{"preset": "clothing-size", "epochs": -1}', "/epochs", "at least 1"),
        ('{"preset": "clothing-size", "epochs": 0}', "/epochs", "at least 1"),
        ('{"preset": "clothing-size", "epochs": 1e9}', "/epochs", "the limit is 100000"),
        ('{"preset": "clothing-size", "epochs": 1e300}', "/epochs", "between 1 and 100000"),
        ('{"preset": "clothing-size", "epochs": "10"}', "/epochs", "expected a whole number, found string"),
        ('{"preset": "clothing-size", "epochs": true}', "/epochs", "expected a whole number"),
        ('{"preset": "clothing-size", "learning_rate": -0.5}', "/learning_rate", "greater than 0"),
        ('{"preset": "clothing-size", "learning_rate": "NaN"}', "/learning_rate", "expected a number, found string"),
        ('{"preset": "clothing-size", "learning_rate": "-Infinity"}', "/learning_rate", "expected a number"),
        ('{"preset": "clothing-size", "seed": -1}', "/seed", "between 0 and 9007199254740991"),
        ('{"preset": "clothing-size", "batch_size": 2.5}', "/batch_size", "of at least 1"),
        ('{"preset": "clothing-size", "boundary_resolution": 1000}', "/boundary_resolution", "2 to 500"),
        ('{"expression": "x", "at": 1, "h": 0, "method": "central"}', "/h", "greater than 0"),
        ('{"expression": "x", "at": 1, "h": -1, "method": "central"}', "/h", "greater than 0"),
        ('{"expression": "x", "at": 1, "order": 5}', "/order", "between 1 and 4"),
        ('{"expression": "x", "at": 1, "order": 1.5}', "/order", "between 1 and 4"),
        ('{"expression": "x^2", "start": [1], "learning_rate": 0.1, "steps": -1}', "/steps", "between 0 and"),
    ],
)
def test_a_number_out_of_range_is_400_naming_the_field_and_its_range(body, pointer, text):
    path = "/v1/descent" if '"start"' in body else "/v1/train" if "preset" in body else "/v1/derivative"
    problem = assert_problem(post(path, body), 400, pointer=pointer, detail_contains=text)
    assert "9007199254740992" not in problem["detail"], problem


def test_a_number_beyond_a_double_is_400_with_its_position():
    # The JSON parser refuses 1e400 before any field is read: the position, not a field pointer, says
    # where (README, API: `position` is the column).
    answer = post("/v1/derivative", '{"expression": "x", "at": 1e400}')
    problem = assert_problem(answer, 400, detail_contains="out of range for a double", title=MALFORMED)
    assert problem["errors"][0]["position"] == 27, problem
    assert problem["column"] == 27, problem


@pytest.mark.parametrize(
    "body, text",
    [
        (b'{"expression": "x\xff", "at": 1}', "invalid UTF-8"),
        (b'{"expression": "x\xc0\x80", "at": 1}', "invalid UTF-8"),  # overlong NUL
        (b'{"expression": "x\xed\xa0\x80", "at": 1}', "invalid UTF-8"),  # encoded surrogate
        (b'{"expression": "\\ud800", "at": 1}', "lone high surrogate"),
        (b'{"expression": "x", "at": 1', "expected ',' or '}'"),
        (b'{"expression": "x", "at": ', "expected a JSON value"),
        (b'{"expression": "x", "at": 1} trailing', "unexpected content after the JSON value"),
        (b'{"expression": "x", "at": 1}{}', "unexpected content after the JSON value"),
        (b'\xef\xbb\xbf{"expression": "x", "at": 1}', "expected a JSON value"),  # a BOM
        (b'{"expression": "x", "at": 1,}', "expected a string key"),
        (b"{'expression': 'x'}", "expected a string key"),
        (b'{"expression": "x", "at": NaN}', "expected a JSON value"),
        (b'{"expression": "x", "at": Infinity}', "expected a JSON value"),
        (b'{"expression": "x", "at": 01}', "expected ',' or '}'"),
        (b'{"expression": "a\x01b", "at": 1}', "unescaped control character"),
    ],
)
def test_malformed_json_is_400_with_line_and_column(body, text):
    problem = assert_problem(post("/v1/derivative", body), 400, detail_contains=text, title=MALFORMED)
    assert problem["line"] >= 1 and problem["column"] >= 1, problem


def test_an_empty_body_is_400():
    assert_problem(post("/v1/derivative", b""), 400, detail_contains="empty body")
    assert_problem(post("/v1/derivative", b"   \n"), 400)


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "42", "null", "true"])
def test_a_top_level_value_that_is_not_an_object_is_400(body):
    assert_problem(post("/v1/derivative", body), 400, pointer="", detail_contains="expected an object")
    assert_problem(post("/v1/train", body), 400, pointer="")


def test_an_unknown_field_is_400_listing_the_known_ones():
    answer = post("/v1/derivative", '{"expression": "x", "at": 1, "expresion": "x"}')
    assert_problem(answer, 400, pointer="/expresion", detail_contains="known fields")


def test_a_long_run_of_malformed_bodies_is_quick():
    started = time.perf_counter()
    for i in range(200):
        assert post("/v1/derivative", '{"expression": "x", "at": [' + "1," * i + "]}").status == 400
    assert time.perf_counter() - started < 5
