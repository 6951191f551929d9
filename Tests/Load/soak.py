"""Soak a running Nabla (`scripts/suite.sh soak` starts it) with mixed load for SECONDS, sampling the
server's memory and descriptors into a CSV:

- wrk on POST /v1/derivative (derivative.lua), 4 connections from 127.0.0.1;
- short training runs (the seed's clothing-size model, 300 epochs), two a second from twenty
  addresses (127.0.1.x), every fifth with wait: true;
- submit-and-cancel storms: every 3 s, eight long runs submitted at once from eight addresses
  (127.0.2.x) and each cancelled (DELETE) at once;
- event streams: every 2 s a long run (127.0.3.x) watched by three SSE clients that join 0, 0.5 and
  1 s in and leave after 0.3–2.5 s, and one that stays (four streams: the default per-client limit);
  the run is cancelled after 3 s and the staying client must see `event: done`. Every 6 s also a 2-s
  sleep job (127.0.4.x) watched to its end;
- every SAMPLE_EVERY s: VmRSS and open descriptors of the server (/proc/PID) → CSV.

Criteria (printed with the figures):
- RSS growth after warm-up: the last sample under load against the first sample after the warm-up
  (a sixth of the run) < 10 %;
- flat over the last half of the run: the least-squares slope of RSS over the last half's samples,
  extrapolated across that half, < 5 % of their mean (max − min is printed too);
- descriptors back to within 3 of the baseline (before the load) after the load stops, waiting up to
  the connection timeout + 5 s for keep-alive connections to close;
- no errors: every wrk request 2xx with no socket error, no 5xx or connection failure elsewhere, every
  stream opened (200) and every staying SSE client saw `done`. (wrk's timeouts, answers slower than
  2 s, are printed, not judged.)"""

import argparse
import csv
import os
import random
import re
import subprocess
import threading
import time

import loadkit

SHORT_RUN = {"preset": "clothing-size", "epochs": 300}
LONG_RUN = {"preset": "clothing-size", "epochs": 1000000}
WATCHED_RUN = {"dataset": "iris", "model": {"layers": [{"units": 16}, {}]}, "loss": "cross_entropy",
               "epochs": 1000000, "record_every": 200}


class Tally:
    """Thread-safe counters by name."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.notes = []

    def add(self, name, amount=1):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + amount

    def note(self, text):
        with self.lock:
            if len(self.notes) < 10:
                self.notes.append(text)

    def get(self, name):
        with self.lock:
            return self.counts.get(name, 0)


def outcome(tally, prefix, answer):
    """Counts an answer under PREFIX_STATUS; connection errors and 5xx other than 503 are errors."""
    tally.add(f"{prefix}_{answer.status if answer.status is not None else 'error'}")
    if answer.status is None or (answer.status >= 500 and answer.status != 503):
        tally.add("errors")
        tally.note(f"{prefix}: {answer.status} {answer.error or answer.body[:160]!r}")


def job_id(answer):
    return (answer.json() or {}).get("id") if answer.status == 202 else None


def trainer(target, stop, tally):
    turn = 0
    while not stop.wait(0.5):
        source = f"127.0.1.{turn % 20 + 1}"
        body = dict(SHORT_RUN, wait=True) if turn % 5 == 0 else SHORT_RUN
        outcome(tally, "train", loadkit.request(target, "POST", "/v1/train", body=body, source=source, timeout=60))
        turn += 1


def storm(target, stop, tally):
    while not stop.wait(3):
        answers = [None] * 8

        def submit(index):
            answers[index] = loadkit.request(target, "POST", "/v1/train", body=LONG_RUN,
                                             source=f"127.0.2.{index + 1}", timeout=30)

        threads = [threading.Thread(target=submit, args=(index,)) for index in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for index, answer in enumerate(answers):
            outcome(tally, "storm_submit", answer)
            if job := job_id(answer):
                outcome(tally, "storm_cancel", loadkit.request(target, "DELETE", f"/v1/jobs/{job}",
                                                               source=f"127.0.2.{index + 1}"))


def watch(target, job, source, leave_after, tally):
    """An SSE client on job's events: reads until `leave_after` s (then drops the connection) or,
    with leave_after None, until the stream ends; True when it saw `event: done`."""
    import http.client

    connection = http.client.HTTPConnection(target.host, target.port, timeout=30, source_address=(source, 0))
    saw_done = False
    try:
        connection.request("GET", f"/v1/jobs/{job}/events", headers={"Accept": "text/event-stream"})
        response = connection.getresponse()
        if response.status != 200:
            # Each address stays within the stream limit: a refusal here means streams were not released.
            tally.add("sse_not_200")
            tally.add("errors")
            tally.note(f"sse: {response.status} {response.read()[:160]!r}")
            return False
        start = time.monotonic()
        while leave_after is None or time.monotonic() - start < leave_after:
            line = response.readline()
            if not line:
                break
            tally.add("sse_bytes", len(line))
            if line.startswith(b"event: done"):
                saw_done = True
        tally.add("sse_left_mid_stream" if leave_after is not None and not saw_done else "sse_read_to_end")
    except (OSError, http.client.HTTPException) as error:
        tally.add("errors")
        tally.note(f"sse: {type(error).__name__}: {error}")
    finally:
        connection.close()  # leaving mid-stream: the socket closes under the server's writes
    return saw_done


def streams(target, stop, tally):
    turn = 0
    while not stop.wait(2):
        turn += 1
        source = f"127.0.3.{turn % 20 + 1}"
        answer = loadkit.request(target, "POST", "/v1/train", body=WATCHED_RUN, source=source)
        outcome(tally, "sse_job", answer)
        sleeper = None
        if turn % 3 == 0:
            # From another address: the run's four streams are the per-client stream limit (default 4).
            other = f"127.0.4.{turn % 20 + 1}"
            slept = loadkit.request(target, "POST", "/v1/sleep", body={"seconds": 2}, source=other)
            outcome(tally, "sse_sleep_job", slept)
            if sleep_job := job_id(slept):
                sleeper = threading.Thread(target=lambda: tally.add(
                    "sse_done_seen" if watch(target, sleep_job, other, None, tally) else "sse_done_missing"))
                sleeper.start()
        job = job_id(answer)
        if not job:
            continue
        stayer = threading.Thread(target=lambda: tally.add(
            "sse_done_seen" if watch(target, job, source, None, tally) else "sse_done_missing"))
        stayer.start()
        leavers = []
        for delay in (0, 0.5, 1.0):
            time.sleep(delay and 0.5)
            leaver = threading.Thread(target=watch, args=(target, job, source, random.uniform(0.3, 2.5), tally))
            leaver.start()
            leavers.append(leaver)
        time.sleep(2)
        outcome(tally, "sse_cancel", loadkit.request(target, "DELETE", f"/v1/jobs/{job}", source=source))
        for thread in [stayer, *leavers] + ([sleeper] if sleeper else []):
            thread.join()


def sampler(pid, stop, every, rows, started, phase):
    while True:
        rows.append((round(time.monotonic() - started, 2), loadkit.resident_kilobytes(pid),
                     loadkit.descriptors(pid), phase[0]))
        if stop.wait(every):
            return


def least_squares_slope(points):
    n = len(points)
    if n < 2:
        return float("nan")
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else float("nan")


def wrk_figures(output):
    """requests, requests/s, non-2xx, socket errors and p99 latency (ms) from wrk --latency's output."""
    def number(pattern, default=0.0):
        match = re.search(pattern, output)
        return float(match.group(1)) if match else default

    def milliseconds(text):
        value, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    p99 = re.search(r"99%\s+([0-9.]+(?:us|ms|s|m))", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(number(r"(\d+) requests in")),
        "per_second": number(r"Requests/sec:\s+([0-9.]+)"),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        # connect, read and write errors; timeouts (no answer within wrk's 2 s) are counted apart
        "socket_errors": sum(int(n) for n in socket_errors.groups()[:3]) if socket_errors else 0,
        "timeouts": int(socket_errors.group(4)) if socket_errors else 0,
        "p99_ms": milliseconds(p99.group(1)) if p99 else float("nan"),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--sample-every", type=float, default=5)
    parser.add_argument("--connection-timeout", type=float, default=10, help="the server's idle timeout, s")
    parser.add_argument("--csv", required=True)
    parser.add_argument("--load", default="wrk,train,storm,sse",
                        help="which loads to run (comma-separated; all by default), to find what grows")
    arguments = parser.parse_args()

    target = loadkit.Target(arguments.base)
    report = loadkit.Report()
    tally = Tally()
    here = os.path.dirname(os.path.abspath(__file__))

    baseline_descriptors = loadkit.descriptors(arguments.pid)
    baseline_rss = loadkit.resident_kilobytes(arguments.pid)
    rows, phase = [], ["load"]
    started = time.monotonic()
    stop_sampling, stop_load = threading.Event(), threading.Event()
    sampling = threading.Thread(target=sampler, args=(arguments.pid, stop_sampling, arguments.sample_every, rows,
                                                      started, phase))
    sampling.start()
    loads = set(arguments.load.split(","))
    wrk = subprocess.Popen(
        ["wrk", "-t1", "-c4", f"-d{arguments.seconds}s", "--latency", "-s", os.path.join(here, "derivative.lua"),
         f"{target.base}/v1/derivative"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) \
        if "wrk" in loads else None
    workers = [threading.Thread(target=work, args=(target, stop_load, tally))
               for name, work in (("train", trainer), ("storm", storm), ("sse", streams)) if name in loads]
    for worker in workers:
        worker.start()
    if wrk:
        wrk_output, _ = wrk.communicate()
    else:
        wrk_output = ""
        time.sleep(arguments.seconds)
    stop_load.set()
    for worker in workers:
        worker.join()
    load_seconds = time.monotonic() - started
    phase[0] = "after"

    # After the load: wait for the runner to empty, then for descriptors to come back.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready = loadkit.request(target, "GET", "/readyz", source="127.0.0.4").json() or {}
        if ready.get("queued") == 0 and ready.get("running") == 0:
            break
        time.sleep(0.5)
    stopped = time.monotonic()
    after_descriptors = loadkit.descriptors(arguments.pid)
    while (after_descriptors is None or after_descriptors > baseline_descriptors + 3) and \
            time.monotonic() - stopped < arguments.connection_timeout + 5:
        time.sleep(1)
        after_descriptors = loadkit.descriptors(arguments.pid)
    descriptors_settled_s = time.monotonic() - stopped
    rows.append((round(time.monotonic() - started, 2), loadkit.resident_kilobytes(arguments.pid),
                 after_descriptors, "after"))
    stop_sampling.set()
    sampling.join()

    os.makedirs(os.path.dirname(arguments.csv) or ".", exist_ok=True)
    with open(arguments.csv, "w", newline="") as out:
        table = csv.writer(out)
        table.writerow(["seconds", "rss_kb", "descriptors", "phase"])
        table.writerows(rows)

    under_load = [(t, rss) for t, rss, _, p in rows if p == "load" and rss is not None]
    warm_up = load_seconds / 6
    warm = next((rss for t, rss in under_load if t >= warm_up), None)
    end_rss = under_load[-1][1] if under_load else None
    growth = 100 * (end_rss - warm) / warm if warm and end_rss else float("nan")
    last_half = [(t, rss) for t, rss in under_load if t >= load_seconds / 2]
    half_mean = sum(rss for _, rss in last_half) / len(last_half) if last_half else float("nan")
    half_range = 100 * (max(r for _, r in last_half) - min(r for _, r in last_half)) / half_mean \
        if last_half else float("nan")
    slope = least_squares_slope(last_half)  # kB per second
    half_span = last_half[-1][0] - last_half[0][0] if len(last_half) > 1 else 0
    trend = 100 * slope * half_span / half_mean if last_half else float("nan")
    wrk_stats = wrk_figures(wrk_output)
    most_descriptors = max((d for _, _, d, _ in rows if d is not None), default=0)

    report.figure("load_seconds", load_seconds)
    report.figure("samples", len(rows))
    report.figure("csv", arguments.csv)
    report.figure("wrk_requests", wrk_stats["requests"])
    report.figure("wrk_requests_per_s", wrk_stats["per_second"])
    report.figure("wrk_p99_ms", wrk_stats["p99_ms"])
    report.figure("wrk_non_2xx", wrk_stats["non_2xx"])
    report.figure("wrk_socket_errors", wrk_stats["socket_errors"])
    report.figure("wrk_timeouts_over_2s", wrk_stats["timeouts"])
    if wrk_stats["socket_errors"] or wrk_stats["timeouts"]:
        print("# wrk " + re.search(r"Socket errors:.*", wrk_output).group(0), flush=True)
    for name in sorted(tally.counts):
        report.figure(name, tally.counts[name])
    report.figure("rss_baseline_kb", baseline_rss)
    report.figure("rss_after_warm_up_kb", warm if warm is not None else "nan")
    report.figure("rss_end_of_load_kb", end_rss if end_rss is not None else "nan")
    report.figure("rss_peak_kb", max((rss for _, rss in under_load), default=0))
    report.figure("rss_after_load_kb", rows[-1][1])
    report.figure("rss_growth_after_warm_up_pct", growth)
    report.figure("rss_last_half_mean_kb", half_mean)
    report.figure("rss_last_half_range_pct", half_range)
    report.figure("rss_last_half_slope_kb_per_min", slope * 60)
    report.figure("rss_last_half_trend_pct", trend)
    report.figure("descriptors_baseline", baseline_descriptors)
    report.figure("descriptors_peak", most_descriptors)
    report.figure("descriptors_after", after_descriptors)
    report.figure("descriptors_settled_s", descriptors_settled_s)
    for note in tally.notes:
        print(f"# {note}", flush=True)

    report.check(growth < 10, f"RSS growth after warm-up {growth:.1f} % < 10 % ({warm} → {end_rss} kB)")
    report.check(abs(trend) < 5, f"RSS flat over the last half: least-squares trend {trend:+.1f} % of the mean "
                                 f"across it, |trend| < 5 % (max − min {half_range:.1f} %)")
    report.check(after_descriptors is not None and after_descriptors <= baseline_descriptors + 3,
                 f"descriptors back to {after_descriptors} (baseline {baseline_descriptors}, at most +3) "
                 f"{descriptors_settled_s:.0f} s after the load")
    problems = wrk_stats["non_2xx"] + wrk_stats["socket_errors"] + tally.get("errors") + \
        tally.get("sse_done_missing")
    report.check((wrk_stats["requests"] > 0 or "wrk" not in loads) and problems == 0,
                 f"no errors ({wrk_stats['non_2xx']} wrk non-2xx, {wrk_stats['socket_errors']} wrk socket errors, "
                 f"{tally.get('errors')} other errors, {tally.get('sse_done_missing')} streams without done)")
    raise SystemExit(report.finish())


if __name__ == "__main__":
    main()
