"""Replicas sharing jobs through PostgreSQL, behind HAProxy: the acceptance of issue 14, end to end.

Run by `bash scripts/suite.sh replicas`, which starts the cluster, three `nabla serve --database-url`
replicas (one worker each, a short lease) and HAProxy, then this script with their addresses. Standard
library only. Each scenario prints its figures and PASS or FAIL; the exit status is the number of FAILs.
"""

import argparse
import concurrent.futures
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

failures = 0
# The bearer token every request carries (the replicas require API keys); OTHER is a second key's.
TOKEN = os.environ.get("NABLA_TOKEN")
OTHER = os.environ.get("NABLA_OTHER_TOKEN")


def verdict(ok, what):
    global failures
    print(f"{'PASS' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        failures += 1


def call(base, method, path, body=None, timeout=30, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if token or TOKEN:
        request.add_header("Authorization", f"Bearer {token or TOKEN}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_for(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def finished(base, job_id, timeout):
    def done():
        status, job = call(base, "GET", f"/v1/jobs/{job_id}")
        return job if status == 200 and job["status"] in ("succeeded", "failed", "cancelled") else None

    return wait_for(done, timeout, 0.1)


class EventStream:
    """A job's SSE stream read on a thread: events with the time each arrived."""

    def __init__(self, base, job_id):
        self.events = []
        request = urllib.request.Request(f"{base}/v1/jobs/{job_id}/events")
        if TOKEN:
            request.add_header("Authorization", f"Bearer {TOKEN}")
        self.response = urllib.request.urlopen(request, timeout=60)
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        name = None
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    self.events.append((name, json.loads(line[6:]), time.time()))
                    if name == "done":
                        return
        except Exception:
            return

    def names(self):
        return [event[0] for event in self.events]


def sql(args, query):
    command = ["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-t", "-A",
               "-h", args.pg_dir, "-p", str(args.pg_port), "-U", "postgres", "-d", "nabla", "-c", query]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


TRAINING = {"preset": "clothing-size", "record_every": 100}


def scenario_any_replica(args, replicas):
    """A job accepted by A is read, streamed (epoch events) and cancelled through B and C."""
    (a, _), (b, _), (c, _) = replicas[0], replicas[1], replicas[2]
    status, accepted = call(a, "POST", "/v1/train", dict(TRAINING, epochs=args.long_epochs))
    job_id = accepted["id"]
    reads = [call(base, "GET", f"/v1/jobs/{job_id}")[0] for base, _ in replicas]
    verdict(status == 202 and reads == [200, 200, 200], f"accepted by A (202), read at once through A, B, C: {reads}")
    listed = [any(job["id"] == job_id for job in call(base, "GET", "/v1/jobs")[1]["jobs"]) for base, _ in replicas]
    verdict(all(listed), f"listed by every replica: {listed}")
    if OTHER:
        others = [call(base, "GET", f"/v1/jobs/{job_id}", token=OTHER)[0] for base, _ in replicas]
        cancels = [call(base, "DELETE", f"/v1/jobs/{job_id}", token=OTHER)[0] for base, _ in replicas]
        lists = [len(call(base, "GET", "/v1/jobs", token=OTHER)[1]["jobs"]) for base, _ in replicas]
        verdict(others == cancels == [404, 404, 404] and lists == [0, 0, 0],
                f"another key's GET and DELETE through every replica: {others}, {cancels}; its lists: {lists}")
    stream = EventStream(b, job_id)
    epochs = wait_for(lambda: [e for e in stream.events if e[0] == "epoch"][2:] or None, 20)
    verdict(bool(epochs), f"epoch events through B: {len([e for e in stream.events if e[0] == 'epoch'])} so far")
    sent = time.time()
    status, job = call(c, "DELETE", f"/v1/jobs/{job_id}")
    done = wait_for(lambda: [e for e in stream.events if e[0] == "done"] or None, 10)
    latency = (done[0][2] - sent) * 1000 if done else float("inf")
    ended = done[0][1]["status"] if done else None
    verdict(status == 202 and ended == "cancelled",
            f"cancelled through C (DELETE {status}); B's stream got done ({ended}) {latency:.0f} ms later")
    # The machinery's own latency, without a training's last batch and partial result (a sleep job).
    _, sleeping = call(a, "POST", "/v1/sleep", {"seconds": 30})
    stream = EventStream(b, sleeping["id"])
    wait_for(lambda: stream.events, 5)
    sent = time.time()
    call(c, "DELETE", f"/v1/jobs/{sleeping['id']}")
    done = wait_for(lambda: [e for e in stream.events if e[0] == "done"] or None, 10, 0.002)
    machinery = (done[0][2] - sent) * 1000 if done else float("inf")
    verdict(machinery < 1000, f"cancel latency across replicas (a sleep job on A, DELETE through C, done on B's "
                              f"stream) {machinery:.0f} ms < 1000 ms")
    row = sql(args, f"SELECT status, failure_reason FROM nabla_jobs WHERE id = '{job_id}'")
    verdict(row == "cancelled|cancelled", f"the row says {row}")


def upload_csv(base, text, name):
    request = urllib.request.Request(f"{base}/v1/datasets?name={name}", data=text.encode(), method="POST")
    request.add_header("Content-Type", "text/csv")
    if TOKEN:
        request.add_header("Authorization", f"Bearer {TOKEN}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def scenario_datasets(args, replicas):
    """A CSV uploaded to A is read through B and C, trained on by whichever replica claims the job
    (A's one worker busy), with the bits of the same rows sent inline, and deleted through C."""
    (a, _), (b, _), (c, _) = replicas[0], replicas[1], replicas[2]
    rows = [(1 + i % 7, 2 + (i * 3) % 5) for i in range(60)]
    labels = ["yes" if w + h > 6 else "no" for w, h in rows]
    text = "width,height,fits\n" + "".join(f"{w},{h},{y}\n" for (w, h), y in zip(rows, labels))
    status, created = upload_csv(a, text, "sizes")
    dataset = created.get("id") if status == 201 else None
    verdict(status == 201 and created.get("rows") == 60, f"a CSV uploaded to A: {status}, {dataset}")
    if not dataset:
        return
    # A's worker sleeps: the training A accepts is queued, and another replica claims it and reads the
    # dataset from the database (it has not seen it).
    _, sleeping = call(a, "POST", "/v1/sleep", {"seconds": 30})
    wait_for(lambda: call(a, "GET", f"/v1/jobs/{sleeping['id']}")[1]["status"] == "running", 5)
    settings = {"model": {"layers": [{"units": 3}, {"units": 1}]}, "loss": "binary_cross_entropy", "epochs": 50}
    status, accepted = call(a, "POST", "/v1/train", dict(settings, dataset=dataset, target="fits"))
    uploaded = finished(b, accepted.get("id"), 25) if status == 202 else None
    asleep = call(a, "GET", f"/v1/jobs/{sleeping['id']}")[1]["status"]
    call(a, "DELETE", f"/v1/jobs/{sleeping['id']}")
    _, inline = call(c, "POST", "/v1/train?wait=true",
                     dict(settings, data={"x": [list(r) for r in rows], "y": labels}), timeout=60)
    same = (uploaded is not None and uploaded["status"] == "succeeded" and inline.get("status") == "succeeded"
            and uploaded["result"]["final_loss"] == inline["result"]["final_loss"]
            and uploaded["result"]["parameters"] == inline["result"]["parameters"])
    verdict(accepted.get("status") == "queued" and asleep == "running" and same,
            f"the training on it, accepted by A ({status}, {accepted.get('status')}) while A's worker sleeps "
            f"({asleep} when it ended), so run by another replica: the bits of the same rows inline {same}")
    reads = [call(base, "GET", f"/v1/datasets/{dataset}")[0] for base in (b, c)]
    listed = [any(d.get("id") == dataset for d in call(base, "GET", "/v1/datasets")[1]["datasets"])
              for base in (b, c)]
    head = call(b, "GET", f"/v1/datasets/{dataset}")[1].get("head", [])[:2]
    verdict(reads == [200, 200] and all(listed) and head == [list(rows[0]) + [labels[0]], list(rows[1]) + [labels[1]]],
            f"read through B and C {reads}, listed {listed}, its first rows {head}")
    if OTHER:
        others = [call(base, "GET", f"/v1/datasets/{dataset}", token=OTHER)[0] for base, _ in replicas]
        verdict(others == [404, 404, 404], f"another key's GET through every replica: {others}")
    deleted = call(c, "DELETE", f"/v1/datasets/{dataset}")[0]
    after = [call(base, "GET", f"/v1/datasets/{dataset}")[0] for base, _ in replicas]
    left = sql(args, f"SELECT count(*) FROM nabla_datasets WHERE id = '{dataset}'")
    verdict(deleted == 204 and after == [404, 404, 404] and left == "0",
            f"deleted through C ({deleted}): then {after} everywhere, {left} rows left")


def scenario_kill(args, replicas, pids):
    """SIGKILL of the replica running a training: another finishes it, bit for bit the same."""
    a, _ = replicas[0]
    body = dict(TRAINING, epochs=args.kill_epochs)
    status, reference = call(replicas[1][0], "POST", "/v1/train?wait=true", body, timeout=300)
    verdict(status == 200 and reference["status"] == "succeeded",
            f"reference run, uninterrupted: final loss {reference['result']['final_loss']!r}")
    status, accepted = call(a, "POST", "/v1/train", body)
    job_id = accepted["id"]
    worker = sql(args, f"SELECT worker FROM nabla_jobs WHERE id = '{job_id}'")
    wait_for(lambda: call(replicas[1][0], "GET", f"/v1/jobs/{job_id}")[1]["progress"].get("epoch", 0) > 1000, 20)
    killed = time.monotonic()
    os.kill(pids[0], signal.SIGKILL)
    survivor = replicas[1][0]
    restarted = wait_for(lambda: (lambda j: j if j["attempt"] >= 2 and j["status"] == "running" else None)(
        call(survivor, "GET", f"/v1/jobs/{job_id}")[1]), 60)
    recovery = time.monotonic() - killed
    job = finished(survivor, job_id, 300)
    verdict(worker == "r1" and restarted is not None,
            f"running on {worker}, SIGKILLed; running again elsewhere (attempt 2) after {recovery:.1f} s")
    verdict(recovery <= 30, f"recovery {recovery:.1f} s <= 30 s (lease {args.lease} s + heartbeat {args.heartbeat} s)")
    same = job is not None and job["status"] == "succeeded" and job["result"]["final_loss"] == \
        reference["result"]["final_loss"] and job["result"]["loss_history"] == reference["result"]["loss_history"] \
        and job["result"]["parameters"] == reference["result"]["parameters"]
    verdict(same, f"finished {job and job['status']} on attempt {job and job.get('attempt')}: final loss "
                  f"{job and job['result']['final_loss']!r}, loss history and parameters bit for bit the reference's")
    return recovery


def scenario_sigterm(args, replicas, pids):
    """SIGTERM releases an unfinished job to another replica (not failed)."""
    b, _ = replicas[1]
    status, accepted = call(b, "POST", "/v1/train", dict(TRAINING, epochs=args.long_epochs))
    job_id = accepted["id"]
    wait_for(lambda: call(b, "GET", f"/v1/jobs/{job_id}")[1]["progress"].get("epoch", 0) > 500, 20)
    os.kill(pids[1], signal.SIGTERM)
    c = replicas[2][0]
    moved = wait_for(lambda: sql(args, f"SELECT worker FROM nabla_jobs WHERE id = '{job_id}'") == "r3", 30)
    job = finished(c, job_id, 300)
    exited = wait_for(lambda: subprocess.run(["kill", "-0", str(pids[1])], capture_output=True).returncode != 0, 10)
    verdict(moved is not None and job and job["status"] == "succeeded" and job.get("attempt") == 1,
            f"released by r2 on SIGTERM, run by r3: {job and job['status']}, attempt {job and job.get('attempt')}")
    verdict(exited is not None, "r2 exited after its grace period")


def scenario_database_restart(args, lb, c):
    """A PostgreSQL restart mid-run: the jobs finish."""
    ids = [call(lb, "POST", "/v1/train", dict(TRAINING, epochs=args.long_epochs))[1]["id"] for _ in range(2)]
    wait_for(lambda: call(c, "GET", f"/v1/jobs/{ids[0]}")[1]["status"] == "running", 10)
    started = time.monotonic()
    subprocess.run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D",
                    f"{args.pg_dir}/data", "-w", "-m", "fast", "restart", "-l", f"{args.pg_dir}/server.log"],
                   check=True, capture_output=True)
    restart = time.monotonic() - started
    jobs = [finished(c, job_id, 300) for job_id in ids]
    statuses = [job and job["status"] for job in jobs]
    verdict(statuses == ["succeeded", "succeeded"], f"PostgreSQL restarted ({restart:.1f} s) mid-run: {statuses}")
    status, _ = call(c, "POST", "/v1/sleep", {"seconds": 0})
    verdict(status == 202, f"submissions accepted again after the restart ({status})")


def scenario_database_away(args, replica):
    """The database going away: readiness and job routes say 503, liveness and derivatives do not; the
    job accepted before runs to its end once the database is back."""
    _, accepted = call(replica, "POST", "/v1/sleep", {"seconds": 2})
    options = shlex.split(open(f"{args.pg_dir}/data/postmaster.opts").read())[1:]
    pg_ctl = ["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", f"{args.pg_dir}/data",
              "-w", "-l", f"{args.pg_dir}/server.log"]
    subprocess.run(pg_ctl + ["-m", "fast", "stop"], check=True, capture_output=True)
    stopped = time.monotonic()
    try:
        ready = wait_for(lambda: call(replica, "GET", "/readyz")[0] == 503 or None, 10)
        noticed = time.monotonic() - stopped
        request = urllib.request.Request(replica + "/v1/sleep", data=b'{"seconds":0}', method="POST",
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Bearer {TOKEN}"})
        try:
            urllib.request.urlopen(request, timeout=10)
            submit, retry = 202, None
        except urllib.error.HTTPError as error:
            submit, retry = error.code, error.headers.get("Retry-After")
        health = call(replica, "GET", "/healthz")[0]
        derivative = call(replica, "POST", "/v1/derivative", {"expression": "x^2", "at": 3})
        verdict(ready and submit == 503 and retry and health == 200 and derivative[0] == 200
                and derivative[1]["derivative"] == 6,
                f"database down: /readyz 503 after {noticed:.1f} s, a submission {submit} (Retry-After {retry}), "
                f"/healthz {health}, a derivative {derivative[0]} ({derivative[1].get('derivative')})")
    finally:
        subprocess.run(pg_ctl + ["-o", " ".join(shlex.quote(o) for o in options if o not in ("-D",)
                                                and not o.endswith("/data")), "start"], check=True,
                       capture_output=True)
    back = wait_for(lambda: call(replica, "GET", "/readyz")[0] == 200 or None, 20)
    job = finished(replica, accepted["id"], 60)
    verdict(back and job and job["status"] == "succeeded",
            f"database back: ready again after {time.monotonic() - stopped:.1f} s; the job accepted before the "
            f"outage {job and job['status']}")


def scenario_many_jobs(args, lb):
    """N small jobs through HAProxy all run exactly once."""
    sql(args, "DELETE FROM nabla_jobs WHERE kind = 'sleep'")
    started = time.monotonic()

    def submit(_):
        for _ in range(50):
            status, body = call(lb, "POST", "/v1/sleep", {"seconds": 0})
            if status == 202:
                return body["id"]
            time.sleep(0.05)
        return None

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(submit, range(args.jobs)))
    accepted = time.monotonic() - started
    done = wait_for(lambda: sql(args, "SELECT count(*) FROM nabla_jobs WHERE kind = 'sleep' AND status = 'succeeded'")
                    == str(args.jobs), 120, 0.2)
    elapsed = time.monotonic() - started
    rows = sql(args, "SELECT count(*), count(DISTINCT id), min(attempt), max(attempt), "
                     "count(DISTINCT worker) FROM nabla_jobs WHERE kind = 'sleep'")
    waits = sql(args, "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - "
                      "created_at)) * 1000)::int, round(percentile_cont(0.99) WITHIN GROUP (ORDER BY "
                      "extract(epoch FROM started_at - created_at)) * 1000)::int FROM nabla_jobs WHERE kind = 'sleep'")
    count, distinct, low, high, _ = rows.split("|")
    verdict(None not in ids and done is not None and count == distinct == str(args.jobs) and low == high == "1",
            f"{args.jobs} jobs through HAProxy: {count} rows, {distinct} ids, attempts {low}..{high}, all succeeded "
            f"in {elapsed:.1f} s ({args.jobs / elapsed:.0f} jobs/s; accepted in {accepted:.1f} s); "
            f"submit->start p50/p99 {waits.replace('|', '/')} ms")


def scenario_derivatives_stay_local(args, lb):
    """Derivative requests cause no database statement."""
    log = f"{args.pg_dir}/server.log"
    def statements():
        # Simple queries are logged as `statement: SQL`, the extended protocol's as `execute <name>: SQL`;
        # a statement's further lines start with a tab.
        logged = []
        for line in open(log):
            if "LOG:  statement: " in line or "LOG:  execute " in line:
                logged.append(line.split(": ", 2)[-1].strip())
            elif line.startswith("\t") and logged:
                logged[-1] += " " + line.strip()
        return logged

    before = len(statements())
    body = {"expression": "sin(x)^2", "at": 1.0}
    n = 500
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: call(lb, "POST", "/v1/derivative", body)[0], range(n)))
    time.sleep(0.2)
    logged = statements()[before:]
    periodic = [s for s in logged if "nabla_jobs" in s or s.startswith("SELECT 1")]
    verdict(statuses.count(200) == n and len(logged) == len(periodic) and len(logged) < n / 10,
            f"{n} derivative requests through HAProxy: {len(logged)} statements logged meanwhile, all periodic "
            f"(lease renewals, sweeps, claim polls), none from a derivative")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lb", required=True)
    parser.add_argument("--replica", action="append", required=True, help="URL,PID (three)")
    parser.add_argument("--pg-dir", required=True)
    parser.add_argument("--pg-port", type=int, required=True)
    parser.add_argument("--lease", type=float, required=True)
    parser.add_argument("--heartbeat", type=float, required=True)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--kill-epochs", type=int, default=300000)
    parser.add_argument("--long-epochs", type=int, default=300000)
    args = parser.parse_args()
    replicas = [(r.split(",")[0], int(r.split(",")[1])) for r in args.replica]
    pids = [pid for _, pid in replicas]
    scenario_derivatives_stay_local(args, args.lb)
    scenario_any_replica(args, replicas)
    scenario_datasets(args, replicas)
    scenario_many_jobs(args, args.lb)
    scenario_kill(args, replicas, pids)
    scenario_sigterm(args, replicas, pids)
    scenario_database_restart(args, args.lb, replicas[2][0])
    scenario_database_away(args, replicas[2][0])
    print(f"replicas: {failures} failed", flush=True)
    sys.exit(min(failures, 100))


if __name__ == "__main__":
    main()
