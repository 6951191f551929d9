"""Slowloris against a running Nabla (`scripts/suite.sh slowloris` starts it): slowhttptest -H holds
CONNECTIONS connections from 127.0.0.1 for SECONDS, while a probe from 127.0.0.2 (its own process)
GETs /healthz 10 times a second, and a trickler from 127.0.0.3 sends one request-head line every
TRICKLE_EVERY seconds, never finishing, until the server cuts it off. Prints the figures, then one
PASS/FAIL line per criterion; exit status 1 on any FAIL.

Criteria: the attack lasts (at least 85 % of SECONDS); probe p99 < 50 ms; no failed probe; the server
healthy after (GET /healthz from the attacker's address and /readyz both 200); the trickler
disconnected within the request deadline + 2 s."""

import argparse
import csv
import math
import os
import select
import socket
import subprocess
import threading
import time

import loadkit


def trickle(target, source, every, give_up_after):
    """One client sending a request head a line every `every` s, never ending it. Returns
    {disconnected, seconds (connect to close), lines, answer (the first response line, if any)}."""
    sock = socket.create_connection((target.host, target.port), timeout=5, source_address=(source, 0))
    start = time.monotonic()
    lines, answer, disconnected = 0, None, False
    heads = [f"GET /healthz HTTP/1.1\r\nHost: {target.host}\r\n".encode()]
    try:
        while time.monotonic() - start < give_up_after:
            if heads:
                sock.sendall(heads.pop())
            else:
                sock.sendall(f"X-Trickle-{lines}: {'a' * 8}\r\n".encode())
            lines += 1
            next_line = start + lines * every
            while (left := min(next_line, start + give_up_after) - time.monotonic()) > 0:
                readable, _, _ = select.select([sock], [], [], left)
                if not readable:
                    continue
                data = sock.recv(65536)
                if not data:
                    disconnected = True
                    break
                if answer is None:
                    answer = data.split(b"\r\n", 1)[0].decode(errors="replace")
            if disconnected:
                break
    except OSError:  # reset, or a broken pipe on the next line
        disconnected = True
    finally:
        sock.close()
    return {"disconnected": disconnected, "seconds": time.monotonic() - start, "lines": lines, "answer": answer}


def slowhttptest_figures(csv_path):
    """(most connections the attacker held at once, seconds of attack) from slowhttptest's -g CSV."""
    try:
        with open(csv_path) as table:
            rows = list(csv.DictReader(table))
    except OSError:
        return None, None
    connected = [int(row.get("connected", row.get("Connected", 0)) or 0) for row in rows]
    return (max(connected) if connected else None), len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--pid", type=int, required=True, help="the server's process id (descriptors)")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=0, help="new connections a second (0: spread over 90%% of it)")
    parser.add_argument("--interval", type=int, default=5, help="seconds between the attacker's header lines")
    parser.add_argument("--deadline", type=float, required=True, help="the server's request deadline, s")
    parser.add_argument("--trickle-every", type=float, default=2.0)
    parser.add_argument("--out-dir", default=".build/load")
    arguments = parser.parse_args()

    target = loadkit.Target(arguments.base)
    report = loadkit.Report()
    os.makedirs(arguments.out_dir, exist_ok=True)
    prefix = os.path.join(arguments.out_dir, "slowhttptest")
    # slowhttptest opens each connection once and ends when none is left open, so the connections are
    # spread over 90 % of the run: new ones keep arriving as the server cuts the held ones.
    rate = arguments.rate or max(1, math.ceil(arguments.connections / (0.9 * arguments.seconds)))

    with open(prefix + ".log", "w") as log:
        attack = subprocess.Popen(
            ["slowhttptest", "-H", "-c", str(arguments.connections), "-r", str(rate), "-i", str(arguments.interval),
             "-l", str(arguments.seconds), "-x", "24", "-p", "3", "-g", "-o", prefix, "-u", target.base + "/"],
            stdout=log, stderr=subprocess.STDOUT)
    time.sleep(2)  # the attack ramps up before the probe starts
    probe = loadkit.Probe(target.base, "127.0.0.2", 10, arguments.seconds - 3, prefix + "-probe.json")

    trickled = {}
    give_up = arguments.deadline + 10
    trickler = threading.Thread(
        target=lambda: trickled.update(trickle(target, "127.0.0.3", arguments.trickle_every, give_up)))
    trickler.start()

    most_descriptors = 0
    while attack.poll() is None:
        most_descriptors = max(most_descriptors, loadkit.descriptors(arguments.pid) or 0)
        time.sleep(0.5)
    ended = time.monotonic()
    summary = probe.finish()
    trickler.join()

    # Healthy after: /healthz from the attacker's own address (its slots released) and /readyz.
    healthy_after, health_ms = None, None
    while time.monotonic() - ended < 10:
        answer = loadkit.request(target, "GET", "/healthz", source="127.0.0.1", timeout=2)
        ready = loadkit.request(target, "GET", "/readyz", source="127.0.0.2", timeout=2)
        if answer.status == 200 and ready.status == 200:
            healthy_after, health_ms = time.monotonic() - ended, answer.milliseconds
            break
        time.sleep(0.5)

    held, attack_seconds = slowhttptest_figures(prefix + ".csv")
    report.figure("slowloris_connections", arguments.connections)
    report.figure("slowloris_rate_per_s", rate)
    report.figure("slowloris_seconds", attack_seconds if attack_seconds is not None else "nan")
    report.figure("slowloris_most_connected", held if held is not None else "nan")
    report.figure("server_descriptors_max", most_descriptors)
    loadkit.Probe.report(report, "probe", summary)
    report.figure("trickle_deadline_s", arguments.deadline)
    report.figure("trickle_header_lines", trickled.get("lines", 0))
    report.figure("trickle_disconnected", int(bool(trickled.get("disconnected"))))
    report.figure("trickle_seconds", trickled.get("seconds", float("nan")))
    report.figure("trickle_answer", trickled.get("answer") or "-")
    report.figure("healthy_after_s", healthy_after if healthy_after is not None else "nan")
    report.figure("healthz_after_ms", health_ms if health_ms is not None else "nan")

    lasted = attack_seconds or 0
    report.check(lasted >= 0.85 * arguments.seconds,
                 f"the attack lasted {lasted} s of the {arguments.seconds} s asked (at least 85 %)")
    p99 = loadkit.percentile(summary["latencies_ms"], 0.99)
    report.check(p99 < 50, f"probe p99 {p99:.1f} ms < 50 ms during the slowloris")
    report.check(not summary["failures"], f"{len(summary['failures'])} failed probes (0 allowed)")
    report.check(healthy_after is not None, "server healthy after the attack (/healthz from 127.0.0.1 and /readyz 200)")
    limit = arguments.deadline + 2
    cut = trickled.get("disconnected") and trickled["seconds"] <= limit
    seen = f"{'cut' if trickled.get('disconnected') else 'still connected'} after {trickled.get('seconds', 0):.1f} s"
    report.check(cut, f"trickler cut off within deadline + 2 s = {limit:g} s ({seen})")
    raise SystemExit(report.finish())


if __name__ == "__main__":
    main()
