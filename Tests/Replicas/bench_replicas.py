"""The numbers of replicas sharing jobs through PostgreSQL (docs/replicas.md), printed with the targets.

Run by `bash scripts/bench-replicas.sh`, which starts the cluster and three replicas (release build,
default lease and heartbeat) and passes their addresses. Standard library only. Figures:
  claims       N queued jobs (inserted at once, 0-s sleeps) run to the end by the three replicas: jobs/s
  start        jobs submitted to a replica whose workers are busy, so another replica claims them:
               created -> started, p50/p99 (the rows' own times)
  events       a job's progress written by one replica, read as SSE events through the two others: the
               row's write (a trigger of this benchmark logs its time) -> the client's receipt, p50/p99
  cancel       DELETE through one replica -> the `done` event on a second, of a job running on a third
  recovery     SIGKILL of the replica running a job -> the job running again elsewhere
The exit status is 0 whenever everything ran; PASS/MISS lines compare with the issue's targets.
"""

import argparse
import concurrent.futures
import json
import os
import signal
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request


def call(base, method, path, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def sql(args, query):
    command = ["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-t", "-A",
               "-h", args.pg_dir, "-p", str(args.pg_port), "-U", "postgres", "-d", "nabla", "-c", query]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def wait_for(predicate, timeout, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


class Stream:
    def __init__(self, base, job_id):
        self.events = []
        self.response = urllib.request.urlopen(f"{base}/v1/jobs/{job_id}/events", timeout=120)
        threading.Thread(target=self.read, daemon=True).start()

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


def verdict(ok, what):
    print(f"{'PASS' if ok else 'MISS'} {what}", flush=True)


def bench_claims(args, replicas):
    sql(args, "DELETE FROM nabla_jobs")
    n = args.jobs
    started = time.time()
    sql(args, f"INSERT INTO nabla_jobs (id, kind, request, max_attempts) SELECT gen_random_uuid(), 'sleep', "
              f"convert_to('{{\"seconds\":0,\"wait\":false}}', 'UTF8'), 3 FROM generate_series(1, {n})")
    wait_for(lambda: sql(args, "SELECT count(*) FROM nabla_jobs WHERE status = 'succeeded'") == str(n), 300, 0.05)
    first, last, attempts, workers = sql(
        args, "SELECT extract(epoch FROM min(started_at)), extract(epoch FROM max(finished_at)), max(attempt), "
              "count(DISTINCT worker) FROM nabla_jobs").split("|")
    per_replica = sql(args, "SELECT string_agg(n::text, ' ') FROM (SELECT count(*) AS n FROM nabla_jobs GROUP BY "
                            "failure_reason) x")
    rate = n / (float(last) - float(first))
    print(f"claims: {n} queued jobs run by 3 replicas in {float(last) - float(first):.2f} s: {rate:.0f} jobs/s "
          f"(max attempt {attempts})", flush=True)
    return rate


def bench_start(args, replicas):
    (a, _), (b, _), (c, _) = replicas
    sql(args, "DELETE FROM nabla_jobs")
    busy = [call(a, "POST", "/v1/sleep", {"seconds": 60})[1]["id"] for _ in range(args.workers)]
    ids = []
    for _ in range(args.start_jobs):
        status, body = call(a, "POST", "/v1/sleep", {"seconds": 0})
        ids.append(body["id"])
        time.sleep(0.02)
    wait_for(lambda: sql(args, "SELECT count(*) FROM nabla_jobs WHERE status = 'succeeded'") == str(len(ids)), 60)
    waits = [float(v) * 1000 for v in sql(
        args, "SELECT extract(epoch FROM started_at - created_at) FROM nabla_jobs WHERE id IN (%s)"
              % ",".join(f"'{i}'" for i in ids)).split("\n")]
    for job_id in busy:
        call(a, "DELETE", f"/v1/jobs/{job_id}")
    p50, p99 = percentile(waits, 0.5), percentile(waits, 0.99)
    print(f"start: {len(ids)} jobs queued on a busy replica, claimed by the others: created -> started "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
    return p50, p99


def bench_events(args, replicas):
    (a, _), (b, _), (c, _) = replicas
    sql(args, "CREATE TABLE IF NOT EXISTS bench_writes (progress text, at timestamptz)")
    sql(args, "DELETE FROM bench_writes")
    sql(args, "GRANT INSERT ON bench_writes TO nabla")
    sql(args, """CREATE OR REPLACE FUNCTION bench_log() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN INSERT INTO bench_writes VALUES (NEW.progress, clock_timestamp()); RETURN NULL; END $$""")
    sql(args, "DROP TRIGGER IF EXISTS bench_log ON nabla_jobs")
    sql(args, "CREATE TRIGGER bench_log AFTER UPDATE OF progress ON nabla_jobs FOR EACH ROW EXECUTE FUNCTION bench_log()")
    status, accepted = call(a, "POST", "/v1/sleep", {"seconds": args.event_seconds})
    assert status == 202, (status, accepted)
    streams = [Stream(b, accepted["id"]), Stream(c, accepted["id"])]
    wait_for(lambda: all(any(e[0] == "done" for e in s.events) for s in streams), args.event_seconds + 30, 0.1)
    sql(args, "DROP TRIGGER bench_log ON nabla_jobs")
    writes = {}
    logged = sql(args, "SELECT progress, extract(epoch FROM at) FROM bench_writes")
    assert logged, f"no progress write was logged; the streams got {[len(s.events) for s in streams]} events"
    for line in logged.split("\n"):
        progress, at = line.rsplit("|", 1)
        writes[json.dumps(json.loads(progress), sort_keys=True)] = float(at)
    latencies = []
    for stream in streams:
        for name, data, received in stream.events:
            if name != "progress":
                continue
            key = json.dumps(data["progress"], sort_keys=True)
            if key in writes:
                latencies.append((received - writes[key]) * 1000)
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(f"events: {len(latencies)} progress events through the two other replicas: row written -> event "
          f"received p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
    return p50, p99


def bench_cancel(args, replicas):
    (a, _), (b, _), (c, _) = replicas
    latencies = []
    for _ in range(args.cancels):
        _, accepted = call(a, "POST", "/v1/sleep", {"seconds": 30})
        stream = Stream(b, accepted["id"])
        wait_for(lambda: stream.events, 5)
        sent = time.time()
        call(c, "DELETE", f"/v1/jobs/{accepted['id']}")
        done = wait_for(lambda: [e for e in stream.events if e[0] == "done"], 10, 0.002)
        latencies.append((done[0][2] - sent) * 1000 if done else float("inf"))
    p50, p99 = percentile(latencies, 0.5), max(latencies)
    print(f"cancel: {len(latencies)} jobs running on one replica, DELETE through a second -> done on a third's "
          f"stream: p50 {p50:.1f} ms, max {p99:.1f} ms", flush=True)
    return p99


def bench_recovery(args, replicas):
    (a, pid), (b, _), _ = replicas
    # 60 s: the longest sleep allowed (--max-sleep-seconds), past lease + heartbeat (20 s by default).
    status, accepted = call(a, "POST", "/v1/sleep", {"seconds": 60})
    assert status == 202, f"the sleep job was refused: {status} {accepted}"
    wait_for(lambda: call(b, "GET", f"/v1/jobs/{accepted['id']}")[1]["status"] == "running", 5)
    killed = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    back = wait_for(lambda: call(b, "GET", f"/v1/jobs/{accepted['id']}")[1].get("attempt", 0) >= 2, 120, 0.05)
    recovery = time.monotonic() - killed
    print(f"recovery: SIGKILL of the replica running a job -> running again elsewhere in {recovery:.1f} s "
          f"(lease {args.lease} s, heartbeat {args.heartbeat} s)", flush=True)
    call(b, "DELETE", f"/v1/jobs/{accepted['id']}")
    return recovery if back else float("inf")


def bench_baseline(args):
    """One replica without a database, the same 0-s jobs submitted by 8 clients: the in-process rate."""
    n = args.jobs
    started = time.monotonic()

    def submit(_):
        while True:
            status, body = call(args.baseline, "POST", "/v1/sleep", {"seconds": 0})
            if status == 202:
                return body["id"]
            time.sleep(0.01)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(submit, range(n)))
    wait_for(lambda: call(args.baseline, "GET", f"/v1/jobs/{ids[-1]}")[1]["status"] == "succeeded", 60)
    rate = n / (time.monotonic() - started)
    print(f"baseline: one replica in memory, {n} jobs submitted by 8 clients and run: {rate:.0f} jobs/s", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--replica", action="append", required=True)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--pg-dir", required=True)
    parser.add_argument("--pg-port", type=int, required=True)
    parser.add_argument("--lease", type=float, required=True)
    parser.add_argument("--heartbeat", type=float, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--start-jobs", type=int, default=200)
    parser.add_argument("--event-seconds", type=float, default=10)
    parser.add_argument("--cancels", type=int, default=20)
    parser.add_argument("--only", default="baseline,claims,start,events,cancel,recovery")
    args = parser.parse_args()
    replicas = [(r.split(",")[0], int(r.split(",")[1])) for r in args.replica]
    only = args.only.split(",")
    nothing = float("nan")
    if "baseline" in only:
        bench_baseline(args)
    rate = bench_claims(args, replicas) if "claims" in only else nothing
    start_p99 = bench_start(args, replicas)[1] if "start" in only else nothing
    event_p99 = bench_events(args, replicas)[1] if "events" in only else nothing
    cancel = bench_cancel(args, replicas) if "cancel" in only else nothing
    recovery = bench_recovery(args, replicas) if "recovery" in only else nothing
    verdict(rate >= 500, f"claims {rate:.0f} jobs/s >= 500")
    verdict(event_p99 <= 20, f"cross-replica event p99 {event_p99:.1f} ms <= 20 ms")
    verdict(cancel <= 1000, f"cancel {cancel:.0f} ms <= 1 s")
    verdict(recovery <= 30, f"recovery {recovery:.1f} s <= 30 s")
    print(f"(submit -> start across replicas p99 {start_p99:.1f} ms: no target)", flush=True)


if __name__ == "__main__":
    main()
