"""GET /metrics read by a real Prometheus parser (prometheus_client's text parser), before and after
traffic, against the service at NABLA_BASE_URL (`scripts/suite.sh metrics` starts one)."""

import json
import os
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

BASE = os.environ.get("NABLA_BASE_URL", "http://127.0.0.1:8080")
PID = os.environ.get("NABLA_PID")


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def scrape():
    """{(sample name, frozenset of labels): value} and {family name: type}."""
    status, headers, body = call("GET", "/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples, types = {}, {}
    for family in text_string_to_metric_families(body.decode()):
        types[family.name] = family.type
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_every_family_parses_with_its_type():
    assert call("GET", "/healthz")[0] == 200  # a family appears with its first sample
    samples, types = scrape()
    # prometheus_client names counter families without their _total suffix.
    assert types["nabla_http_requests"] == "counter"
    assert types["nabla_http_request_duration_seconds"] == "histogram"
    assert types["nabla_job_queue_depth"] == "gauge"
    assert types["nabla_job_queue_limit"] == "gauge"
    assert types["nabla_jobs_running"] == "gauge"
    assert types["nabla_training_epochs"] == "counter"
    assert types["nabla_jobs_retained_bytes"] == "gauge"
    assert types["process_resident_memory_bytes"] == "gauge"
    assert types["process_open_fds"] == "gauge"
    build = [labels for (name, labels), v in samples.items() if name == "nabla_build_info" and v == 1]
    assert build and dict(build[0])["version"]


def test_counters_move_after_traffic():
    before, _ = scrape()
    assert call("GET", "/healthz")[0] == 200
    assert call("GET", "/v1/jobs/00000000000000000000000000000000")[0] == 404
    status, _, _ = call("POST", "/v1/derivative", {"expression": "sin(x)", "at": 1})
    assert status == 200
    status, _, body = call("POST", "/v1/train", {"preset": "clothing-size", "epochs": 200, "wait": True})
    assert status == 200 and json.loads(body)["status"] == "succeeded"
    status, _, body = call("POST", "/v1/sleep", {"seconds": 0.05, "wait": True})
    assert status == 200
    after, types = scrape()

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "nabla_http_requests_total"
    assert moved(requests, method="GET", route="/healthz", status="200") == 1
    # The route is the pattern, never the raw path (ids would make a series per job).
    assert moved(requests, method="GET", route="/v1/jobs/{id}", status="404") == 1
    assert not any("00000000000000000000000000000000" in str(labels) for (_, labels) in after)
    assert moved(requests, method="POST", route="/v1/train", status="200") == 1
    assert moved("nabla_http_request_duration_seconds_count", method="POST", route="/v1/derivative") == 1
    assert moved("nabla_http_request_duration_seconds_sum", method="POST", route="/v1/sleep") >= 0.05
    inf = value(after, "nabla_http_request_duration_seconds_bucket", method="POST", route="/v1/train", le="+Inf")
    count = value(after, "nabla_http_request_duration_seconds_count", method="POST", route="/v1/train")
    assert inf == count >= 1

    assert moved("nabla_jobs_total", kind="train", state="running") == 1
    assert moved("nabla_jobs_total", kind="train", state="succeeded") == 1
    assert moved("nabla_jobs_total", kind="derivative", state="succeeded") == 1
    assert moved("nabla_job_duration_seconds_count", kind="sleep", state="succeeded") == 1
    assert moved("nabla_job_duration_seconds_sum", kind="sleep", state="succeeded") >= 0.05
    assert moved("nabla_job_wait_seconds_count", kind="train") == 1
    assert moved("nabla_training_epochs_total") == 200
    assert value(after, "nabla_job_queue_depth") == 0
    assert value(after, "nabla_jobs_running") == 0


def test_a_full_queue_is_counted_as_a_rejection():
    """Fills the runner's workers and queue (the script starts it with one worker and a queue of one)
    with sleep jobs; the next submission is refused with 503 and counted."""
    before, _ = scrape()
    ids = []
    for _ in range(2):
        status, _, body = call("POST", "/v1/sleep", {"seconds": 5})
        assert status == 202
        ids.append(json.loads(body)["id"])
    status, headers, _ = call("POST", "/v1/sleep", {"seconds": 5})
    assert status == 503 and headers["Retry-After"]
    during, _ = scrape()
    for job in ids:
        call("DELETE", f"/v1/jobs/{job}")
    assert value(during, "nabla_jobs_rejected_total", kind="sleep", reason="queue_full") - value(
        before, "nabla_jobs_rejected_total", kind="sleep", reason="queue_full") == 1
    assert value(during, "nabla_job_queue_depth") == 1
    assert value(during, "nabla_jobs_running") == 1


@pytest.mark.skipif(not PID, reason="NABLA_PID not set: the service is not on this machine")
def test_process_figures_are_the_servers_own():
    """process_resident_memory_bytes and process_open_fds agree with /proc/PID read from outside
    (resident memory moves a little between the two readings; the scrape's own socket may come and go)."""
    samples, _ = scrape()
    with open(f"/proc/{PID}/status") as status:
        resident_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    descriptors = len(os.listdir(f"/proc/{PID}/fd"))
    assert abs(value(samples, "process_resident_memory_bytes") / 1024 - resident_kb) <= 0.05 * resident_kb
    assert abs(value(samples, "process_open_fds") - descriptors) <= 2
