"""Jobs: unknown and malformed ids, cancelling twice, cancelling a finished job, predicting on a job
that cannot predict. The service runs with one worker (scripts/bad-input-test.sh), so a second job
waits in the queue."""

import pytest
from conftest import assert_problem, post, request, wait_for_job

UNKNOWN = "0123456789abcdef0123456789abcdef"


def start_sleep(seconds):
    answer = post("/v1/sleep", {"seconds": seconds})
    assert answer.status == 202, answer
    return answer.json()["id"]


def finished(job):
    return job["status"] in ("succeeded", "failed", "cancelled")


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize(
    "job_id", [UNKNOWN, "nonexistent", "0" * 31, "0" * 33, UNKNOWN.upper(), "%2e%2e", "..%2f..%2fetc", "%ff%fe"]
)
def test_an_unknown_or_malformed_id_is_404(method, job_id):
    assert_problem(request(method, f"/v1/jobs/{job_id}"), 404)


@pytest.mark.parametrize("suffix", ["events", "predict"])
def test_the_sub_resources_of_an_unknown_job_are_404(suffix):
    if suffix == "predict":
        answer = post(f"/v1/jobs/{UNKNOWN}/predict", {"x": [[1]]})
    else:
        answer = request("GET", f"/v1/jobs/{UNKNOWN}/events")
    assert_problem(answer, 404)


def test_cancelling_a_queued_job_twice_answers_the_same():
    running = start_sleep(30)
    wait_for_job(running, lambda job: job["status"] == "running")
    queued = start_sleep(30)
    assert request("GET", f"/v1/jobs/{queued}").json()["status"] == "queued"
    first = request("DELETE", f"/v1/jobs/{queued}")
    second = request("DELETE", f"/v1/jobs/{queued}")
    assert first.status == second.status == 200, (first, second)
    assert first.json()["status"] == second.json()["status"] == "cancelled"

    # A running job: 202 while it stops; once cancelled, 200 every time.
    assert request("DELETE", f"/v1/jobs/{running}").status in (200, 202)
    wait_for_job(running, finished)
    again = [request("DELETE", f"/v1/jobs/{running}") for _ in range(2)]
    assert [answer.status for answer in again] == [200, 200], again
    assert again[0].json()["status"] == again[1].json()["status"] == "cancelled"


def test_cancelling_a_finished_job_is_409_every_time():
    answer = post("/v1/sleep", {"seconds": 0, "wait": True})
    assert answer.status == 200, answer
    job_id = answer.json()["id"]
    for _ in range(2):
        assert_problem(request("DELETE", f"/v1/jobs/{job_id}"), 409, detail_contains="already finished")


def test_predicting_on_a_running_training_job_is_409_and_on_a_sleep_job_too():
    answer = post("/v1/train", {"preset": "clothing-size", "epochs": 100_000, "record_every": 1000})
    assert answer.status == 202, answer
    training = answer.json()["id"]
    wait_for_job(training, lambda job: job["status"] == "running")
    assert_problem(post(f"/v1/jobs/{training}/predict", {"x": [[1.0]]}), 409)
    assert request("DELETE", f"/v1/jobs/{training}").status in (200, 202)
    job = wait_for_job(training, finished)
    assert job["status"] == "cancelled", job

    # A cancelled run keeps its model: it predicts, and refuses rows of the wrong shape.
    assert post(f"/v1/jobs/{training}/predict", {"x": [[1.0]]}).status == 200
    assert_problem(post(f"/v1/jobs/{training}/predict", {"x": [[1.0, 2.0]]}), 400, pointer="/x/0")
    assert_problem(post(f"/v1/jobs/{training}/predict", {"x": [["a"]]}), 400, pointer="/x/0/0")
    assert_problem(post(f"/v1/jobs/{training}/predict", {"y": [[1.0]]}), 400)

    sleeper = post("/v1/sleep", {"seconds": 0, "wait": True}).json()["id"]
    assert_problem(post(f"/v1/jobs/{sleeper}/predict", {"x": [[1.0]]}), 409, detail_contains="not a training job")


@pytest.mark.parametrize(
    "query, text", [("limit=0", "limit"), ("limit=abc", "limit"), ("limit=1e9", "limit"), ("limit=-1", "limit")]
)
def test_a_bad_job_list_query_is_400(query, text):
    assert_problem(request("GET", f"/v1/jobs?{query}"), 400, pointer="?limit", detail_contains=text)


@pytest.mark.parametrize("body", [{"seconds": -1}, {"seconds": 61}, {"seconds": "1"}, {"seconds": 1, "wait": "yes"}])
def test_a_bad_sleep_request_is_400(body):
    assert_problem(post("/v1/sleep", body), 400)


def test_a_bad_wait_query_is_400():
    assert_problem(post("/v1/sleep?wait=maybe", {"seconds": 0}), 400, pointer="?wait")
