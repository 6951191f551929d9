"""Overload against a running Nabla with a small capacity (`scripts/suite.sh overload` starts it with
--workers 2 --queue-limit 2, and --max-jobs-per-client 2 when the server has that option): long training
jobs fill both workers and the queue, then twice that capacity is submitted at once from several
client addresses, then excess submissions keep coming for HOLD seconds, while a probe from 127.0.0.2
(its own process) GETs /healthz 20 times a second. Every accepted job is cancelled at the end.

Criteria: every excess submission is answered 429 or 503 with Retry-After and an
application/problem+json body of that status, each in < 10 ms (measured per request, connect to last
byte, by the client); at least one 503 (the global queue) and, when the server limits jobs per
client, at least one 429; /healthz p99 < 50 ms with no failure while both workers train; every job
cancelled afterwards."""

import argparse
import json
import os
import re
import threading
import time

import loadkit

# A job that keeps a core busy for minutes in a release build: 1,000,000 epochs of the seed's
# clothing-size model take ~1.2 s there, of a 64-unit network on the 150 iris rows ~3 minutes.
LONG_JOB = {"dataset": "iris", "model": {"layers": [{"units": 64}, {}]}, "loss": "cross_entropy",
            "epochs": 1000000}


def submit(target, source):
    return loadkit.request(target, "POST", "/v1/train", body=LONG_JOB, source=source, timeout=10)


def job_counts(target):
    """(queued, running) from /metrics (/readyz answers a problem without them when the queue is full)."""
    answer = loadkit.request(target, "GET", "/metrics", source="127.0.0.3", timeout=5)
    values = {}
    for line in answer.body.decode(errors="replace").splitlines():
        name, _, value = line.partition(" ")
        if name in ("nabla_job_queue_depth", "nabla_jobs_running"):
            values[name] = int(float(value))
    return values.get("nabla_job_queue_depth"), values.get("nabla_jobs_running")


def rejection_faults(answer):
    """What is wrong with a rejection (429/503): missing Retry-After, not problem+json, wrong status."""
    faults = []
    if not re.fullmatch(r"[0-9]+", answer.headers.get("retry-after", "")):
        faults.append("no Retry-After")
    if not answer.headers.get("content-type", "").startswith("application/problem+json"):
        faults.append(f"Content-Type {answer.headers.get('content-type')!r}")
    problem = answer.json()
    if not isinstance(problem, dict) or problem.get("status") != answer.status or "type" not in problem:
        faults.append("body is not a problem of this status")
    return faults


def server_side_milliseconds(log_path, statuses):
    """duration_ms of the server's request log lines for POST /v1/train with one of `statuses`."""
    durations = []
    try:
        with open(log_path, errors="replace") as log:
            for line in log:
                if "route=/v1/train" not in line:
                    continue
                status = re.search(r"\bstatus=(\d+)", line)
                duration = re.search(r"\bduration_ms=([0-9.]+)", line)
                if status and duration and int(status.group(1)) in statuses:
                    durations.append(float(duration.group(1)))
    except OSError:
        pass
    return durations


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--hold", type=float, default=15, help="seconds of continued excess submissions")
    parser.add_argument("--rate", type=float, default=10, help="excess submissions a second while holding")
    parser.add_argument("--expect-429", action="store_true", help="the server limits jobs per client")
    parser.add_argument("--server-log", help="the server's log (for its own request durations)")
    parser.add_argument("--out-dir", default=".build/load/overload")
    arguments = parser.parse_args()

    target = loadkit.Target(arguments.base)
    report = loadkit.Report()
    os.makedirs(arguments.out_dir, exist_ok=True)
    answers = []  # (phase, source, Answer)
    accepted = []

    def record(phase, source, answer):
        answers.append((phase, source, answer))
        if answer.status == 202:
            accepted.append((answer.json() or {}).get("id"))

    # Fill: two long jobs from one client occupy both workers.
    for _ in range(2):
        record("fill", "127.0.0.10", submit(target, "127.0.0.10"))
    deadline = time.monotonic() + 10
    while job_counts(target)[1] != 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    running_before = job_counts(target)[1]

    probe_seconds = arguments.hold + 10
    probe = loadkit.Probe(target.base, "127.0.0.2", 20, probe_seconds, os.path.join(arguments.out_dir, "probe.json"))
    time.sleep(1)

    # Burst: twice the capacity (2 running + 2 queued) in all, the last six at once from three clients;
    # 127.0.0.10 is already at two jobs (429 when the server limits clients to two).
    burst_sources = ["127.0.0.10", "127.0.0.10", "127.0.0.11", "127.0.0.11", "127.0.0.12", "127.0.0.12"]
    barrier = threading.Barrier(len(burst_sources))

    def burst(source):
        barrier.wait()
        answer = submit(target, source)
        record("burst", source, answer)

    threads = [threading.Thread(target=burst, args=(source,)) for source in burst_sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queued_after_burst, running_after_burst = job_counts(target)

    # Hold: excess submissions keep coming from four clients (two already over their limit, one new).
    hold_sources = ["127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"]
    end = time.monotonic() + arguments.hold
    due, turn = time.monotonic(), 0
    while time.monotonic() < end:
        source = hold_sources[turn % len(hold_sources)]
        record("hold", source, submit(target, source))
        turn += 1
        due += 1 / arguments.rate
        time.sleep(max(0.0, due - time.monotonic()))
    queued_end, running_end = job_counts(target)
    summary = probe.finish()

    # Cancel every accepted job; the workers must be free again.
    cancel_statuses = [loadkit.request(target, "DELETE", f"/v1/jobs/{job}", source="127.0.0.3").status
                       for job in accepted if job]
    deadline = time.monotonic() + 10
    while job_counts(target) != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.2)
    queued_after, running_after = job_counts(target)

    rejected = [(phase, source, answer) for phase, source, answer in answers if answer.status != 202
                and phase != "fill"]
    statuses = {}
    for _, _, answer in answers:
        key = answer.status if answer.status is not None else "error"
        statuses[key] = statuses.get(key, 0) + 1
    milliseconds = [answer.milliseconds for _, _, answer in rejected]
    wrong = [(phase, source, answer) for phase, source, answer in rejected if answer.status not in (429, 503)]
    faulty = [(source, answer, rejection_faults(answer)) for _, source, answer in rejected
              if answer.status in (429, 503) and rejection_faults(answer)]
    slow = [answer.milliseconds for _, _, answer in rejected if answer.milliseconds >= 10]
    accepted_ms = [answer.milliseconds for _, _, answer in answers if answer.status == 202]
    with open(os.path.join(arguments.out_dir, "submissions.json"), "w") as out:
        json.dump([{"phase": phase, "source": source, "status": answer.status, "ms": answer.milliseconds,
                    "retry_after": answer.headers.get("retry-after"), "error": answer.error}
                   for phase, source, answer in answers], out, indent=1)

    report.figure("submissions", len(answers))
    report.figure("accepted_202", statuses.get(202, 0))
    report.figure("rejected_429", statuses.get(429, 0))
    report.figure("rejected_503", statuses.get(503, 0))
    report.figure("other_answers", len(answers) - sum(statuses.get(s, 0) for s in (202, 429, 503)))
    report.figure("burst_statuses", " ".join(f"{s}={a.status}" for p, s, a in answers if p == "burst"))
    report.figure("rejection_p50_ms", loadkit.percentile(milliseconds, 0.50))
    report.figure("rejection_p99_ms", loadkit.percentile(milliseconds, 0.99))
    report.figure("rejection_max_ms", max(milliseconds) if milliseconds else float("nan"))
    report.figure("rejections_over_10ms", len(slow))
    report.figure("accepted_max_ms", max(accepted_ms) if accepted_ms else float("nan"))
    if arguments.server_log:
        server = server_side_milliseconds(arguments.server_log, (429, 503))
        report.figure("server_rejection_p99_ms", loadkit.percentile(server, 0.99))
        report.figure("server_rejection_max_ms", max(server) if server else float("nan"))
    report.figure("running_before", running_before)
    report.figure("queued_running_after_burst", f"{queued_after_burst}/{running_after_burst}")
    report.figure("queued_running_at_end", f"{queued_end}/{running_end}")
    loadkit.Probe.report(report, "probe", summary)
    report.figure("cancelled", sum(1 for status in cancel_statuses if status in (200, 202)))
    report.figure("queued_running_after_cancel", f"{queued_after}/{running_after}")
    for source, answer, faults in faulty[:5]:
        print(f"# {source} {answer.status}: {', '.join(faults)}", flush=True)
    for phase, source, answer in wrong[:5]:
        print(f"# {phase} {source}: status {answer.status} {answer.error or answer.body[:200]!r}", flush=True)

    report.check(rejected and not wrong,
                 f"every excess submission answered 429 or 503 ({len(rejected)} excess, {len(wrong)} otherwise)")
    report.check(rejected and not faulty,
                 f"every 429/503 has Retry-After and a problem+json body of its status ({len(faulty)} without)")
    report.check(milliseconds and not slow,
                 f"every rejection answered in < 10 ms (max {max(milliseconds, default=float('nan')):.2f} ms, "
                 f"{len(slow)} of {len(milliseconds)} slower)")
    report.check(statuses.get(503, 0) > 0, f"the global queue limit answered 503 ({statuses.get(503, 0)} times)")
    if arguments.expect_429:
        report.check(statuses.get(429, 0) > 0, f"the per-client limit answered 429 ({statuses.get(429, 0)} times)")
    else:
        report.check(True, "429 not required: this nabla has no --max-jobs-per-client")
    report.check(running_before == 2 and running_end == 2,
                 f"both workers training throughout (running {running_before} before, {running_end} at the end)")
    p99 = loadkit.percentile(summary["latencies_ms"], 0.99)
    report.check(p99 < 50 and not summary["failures"],
                 f"/healthz p99 {p99:.1f} ms < 50 ms, {len(summary['failures'])} failed, while both workers train")
    report.check(len(cancel_statuses) == len(accepted) and all(s in (200, 202) for s in cancel_statuses)
                 and (queued_after, running_after) == (0, 0),
                 f"every accepted job cancelled ({len(cancel_statuses)} DELETEs: "
                 f"{sorted(set(cancel_statuses))}; queued/running after: {queued_after}/{running_after})")
    raise SystemExit(report.finish())


if __name__ == "__main__":
    main()
