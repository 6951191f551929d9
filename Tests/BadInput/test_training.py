"""Training requests that cannot run: each a 400 at submission naming the field, and no job made."""

import pytest
from conftest import assert_problem, post, request

DATA = {"x": [[0], [1], [2], [3]], "y": [0, 1, 1, 0]}


def body(**fields):
    return {"data": DATA, "model": {"layers": [{"units": 2}, {}]}, **fields}


CASES = [
    ("zero layers", {"data": DATA, "model": {"layers": []}}, "/model/layers", "at least one layer"),
    ("no layers field", {"data": DATA, "model": {}}, "/model/layers", "is required"),
    ("layers not an array", {"data": DATA, "model": {"layers": 3}}, "/model/layers", "an array"),
    ("33 layers", {"data": DATA, "model": {"layers": [{"units": 1}] * 33}}, "/model/layers", "--max-layers"),
    (
        "units 1e18",
        {"data": DATA, "model": {"layers": [{"units": 1e18}, {}]}},
        "/model/layers/0/units",
        "at most 9007199254740992",
    ),
    (
        "units 2^53",
        {"data": DATA, "model": {"layers": [{"units": 2**53}, {}]}},
        "/model/layers",
        "--max-parameters",
    ),
    (
        "layers x units overflow",
        {"data": DATA, "model": {"layers": [{"units": 3_000_000_000}] * 31 + [{}]}},
        "/model/layers",
        "--max-parameters",
    ),
    (
        "units 4e6 twice (1.6e13 parameters)",
        {"data": DATA, "model": {"layers": [{"units": 4_000_000}, {"units": 4_000_000}, {}]}},
        "/model/layers",
        "--max-parameters",
    ),
    ("units 0", {"data": DATA, "model": {"layers": [{"units": 0}, {}]}}, "/model/layers/0/units", "at least 1"),
    ("units 1.5", {"data": DATA, "model": {"layers": [{"units": 1.5}, {}]}}, "/model/layers/0/units", "at least 1"),
    ("batch 0", body(batch_size=0), "/batch_size", "at least 1"),
    ("batch -5", body(batch_size=-5), "/batch_size", "at least 1"),
    ("split over 1", body(split={"train": 0.5, "validation": 0.3, "test": 0.3}), "/split", "sum to 1"),
    ("split leaves nothing to train", body(split={"validation": 0.6, "test": 0.6}), "/split/train", "from 0 to 1"),
    ("negative split", body(split={"train": 0.6, "validation": -0.1, "test": 0.5}), "/split/validation", "from 0 to 1"),
    (
        "unknown activation",
        body(model={"layers": [{"units": 2, "activation": "swish"}, {}]}),
        "/model/layers/0/activation",
        "known values",
    ),
    ("unknown loss", body(loss="hinge"), "/loss", "known values"),
    ("unknown optimizer", body(optimizer="lbfgs"), "/optimizer", "known values"),
    ("unknown optimizer object", body(optimizer={"name": "rmsprop"}), "/optimizer/name", "known values"),
    ("unknown init", body(init="orthogonal"), "/init", "known values"),
    ("unknown normalize", body(normalize="l2"), "/normalize", "known values"),
    ("unknown dataset", {"dataset": "mnist", "model": {"layers": [{}]}}, "/dataset", "known values"),
    ("unknown preset", {"preset": "gpt"}, "/preset", "known values"),
    ("learning rate 0", body(learning_rate=0), "/learning_rate", "greater than 0"),
    ("learning rate negative", body(learning_rate=-1), "/learning_rate", "greater than 0"),
    ("adam beta1 1", body(optimizer={"name": "adam", "beta1": 1}), "/optimizer/beta1", "[0, 1)"),
    (
        "ragged CSV rows",
        {"data": {"csv": "a,b,y\n1,2,0\n3,1\n4,5,1", "target": "y"}, "model": {"layers": [{}]}},
        "/data/csv",
        "line 3 has 2 fields",
    ),
    (
        "CSV with a long row",
        {"data": {"csv": "a,b,y\n1,2,0\n3,1,0,9\n4,5,1", "target": "y"}, "model": {"layers": [{}]}},
        "/data/csv",
        "line 3 has 4 fields",
    ),
    (
        "CSV with a missing target",
        {"data": {"csv": "a,b\n1,2\n", "target": "y"}, "model": {"layers": [{}]}},
        "/data/target",
        "",
    ),
    (
        "CSV with a word for a feature",
        {"data": {"csv": "a,y\n1,0\nfoo,1\n", "target": "y"}, "model": {"layers": [{}]}},
        "/data/csv",
        "line 3",
    ),
    (
        "CSV with an unterminated quote",
        {"data": {"csv": 'a,y\n"1,0\n2,1\n', "target": "y"}, "model": {"layers": [{}]}},
        "/data/csv",
        "",
    ),
    (
        "ragged x rows",
        {"data": {"x": [[1, 2], [3]], "y": [0, 1]}, "model": {"layers": [{}]}},
        "/data/x/1",
        "has 1 values",
    ),
    ("y shorter than x", {"data": {"x": [[1], [2], [3]], "y": [0, 1]}, "model": {"layers": [{}]}}, "/data/y", ""),
    ("empty data", {"data": {"x": [], "y": []}, "model": {"layers": [{}]}}, "/data/x", ""),
    ("too many generated rows", {"dataset": "moons", "n": 10**12, "model": {"layers": [{}]}}, "/n", "data-values"),
    (
        "work over the limit",
        {"dataset": "moons", "n": 5000, "epochs": 100_000, "model": {"layers": [{"units": 512}, {}]}},
        "/epochs",
        "--max-training-work",
    ),
    (
        "learning rate twice",
        body(learning_rate=1, optimizer={"name": "sgd", "learning_rate": 1}),
        "/learning_rate",
        "given twice",
    ),
]


@pytest.mark.parametrize("name, request_body, pointer, text", CASES, ids=[case[0] for case in CASES])
def test_a_training_request_that_cannot_run_is_400_naming_the_field(name, request_body, pointer, text):
    before = request("GET", "/v1/jobs?limit=1000").json()["jobs"]
    answer = post("/v1/train", request_body)
    assert_problem(answer, 400, pointer=pointer, detail_contains=text)
    assert answer.wall_ms < 1000, f"{name}: {answer.wall_ms:.0f} ms"
    after = request("GET", "/v1/jobs?limit=1000").json()["jobs"]
    assert len(after) == len(before), f"{name} made a job"
