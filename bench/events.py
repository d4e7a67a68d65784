#!/usr/bin/env python3
"""Issue 15's bench: what events and a webhook subscription cost per job, and how fast a webhook
arrives. Run it through bench/events.sh (see bench/README.md, "Events and webhooks").

Alternates rounds with events off (court.events.enabled=false, no subscription) and on (events
written, one webhook subscription to every type, served by a receiver in this process), each a
fresh api + worker on the bench schema, the same zxfw deliveries through the same simulator.
Per-job time is the worker's: the job's startedAt → finishedAt, from the server's timestamps.
Webhook latency is the receiver's arrival time minus the event's occurredAt (taken in the
transaction, just before its commit), so it spans commit → sender pick-up → HTTP → receiver.
"""
import argparse
import base64
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench as B  # noqa: E402  (the harness's processes, simulator, API client and phases)


class Receiver(ThreadingHTTPServer):
    """A webhook endpoint that answers 204 and keeps (arrival, webhook-id, event) of each delivery."""

    daemon_threads = True

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        now = time.time()
        with self.server.lock:
            self.server.received.append((now, self.headers.get("webhook-id"), json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class EventsService(B.Service):
    """The bench's service processes, with events on or off and webhooks allowed to 127.0.0.1."""

    def __init__(self, args, run_dir, proxy, events_on):
        super().__init__(args, run_dir, proxy)
        self.events_on = events_on

    def env(self, role, port, mgmt_port, slots):
        env = super().env(role, port, mgmt_port, slots)
        env["COURT_EVENTS_ENABLED"] = "true" if self.events_on else "false"
        env["COURT_WEBHOOKS_ALLOWED_DESTINATIONS"] = "127.0.0.1"
        # a subscription's secret is sealed with the secrets key; a throw-away one per bench run
        env["COURT_SECRETS_KEY"] = SECRETS_KEY
        return env


def pct(values, p):
    return B.pct(values, p) if values else None


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=60, help="timed jobs per round (default 60)")
    p.add_argument("--slots", type=int, default=2, help="worker slots (default 2)")
    p.add_argument("--rounds", type=int, default=2, help="off/on pairs, alternated (default 2)")
    p.add_argument("--docs", default="1-3")
    p.add_argument("--doc-kb", type=int, default=200)
    p.add_argument("--delay-ms", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", default=str(B.BENCH / "results"))
    for name, default in (("--pg-host", "127.0.0.1"), ("--pg-port", 5432), ("--pg-user", "postgres"),
                          ("--pg-db", "postgres")):
        p.add_argument(name, default=default, type=type(default))
    args = p.parse_args(argv)
    args.token_given, args.service_java_opts, args.sample_interval = False, "", 0.5
    args.token = token("court-service")
    admin = B.Api("", token("court-admin"))
    args.image_java_opts = {role: B.image_java_opts(role) for role in ("api", "worker")}
    started = dt.datetime.now()
    args.run_id = "events-" + started.strftime("%Y%m%d%H%M%S")
    run_dir = B.BENCH / "target" / "runs" / ("events-" + started.strftime("%Y-%m-%d-%H%M%S"))
    run_dir.mkdir(parents=True, exist_ok=True)
    B.atexit.register(B.stop_all)

    B.psql(args, f"drop schema if exists {B.SCHEMA} cascade")
    B.rabbit_delete_bench_queues()
    ready = run_dir / "sim.ready"
    B.spawn(["java", "-Xmx1g", "-cp", B.CLASSPATH, "BenchSim", "--ready-file", str(ready), "--delay-ms",
             str(args.delay_ms)], run_dir / "sim.log")
    while not ready.exists():
        time.sleep(0.2)
    sim = json.loads(ready.read_text())
    proxy = f"http://127.0.0.1:{sim['proxyPort']}"
    dmin, _, dmax = args.docs.partition("-")
    with urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{sim['controlPort']}/deliveries?n={args.jobs}&min={dmin}&max={dmax or dmin}"
            f"&kb={args.doc_kb}&seed={args.seed}", method="POST"), timeout=300) as r:
        links = [l for l in r.read().decode().splitlines() if l.strip()]

    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_address[1]}/court-events"

    rounds = []
    for r in range(args.rounds):
        for on in (False, True):
            label = f"{'on' if on else 'off'}-{r + 1}"
            svc = EventsService(args, run_dir, proxy, on)
            api_proc, api_port = svc.start("api", 2, name=f"api-{label}")
            api = B.Api(f"http://127.0.0.1:{api_port}", args.token)
            admin.base = api.base
            hook = None
            if on:
                code, hook = admin.call("POST", "/api/v1/webhooks",
                                        {"url": hook_url, "events": ALL_TYPES, "description": "bench"})
                if code != 201:
                    raise RuntimeError(f"webhook subscription answered {code}: {hook}")
            B.log(f"round {label}: {args.jobs} jobs, {args.slots} slots")
            with receiver.lock:
                receiver.received.clear()
            phase = B.run_worker_phase(args, svc, api, links, args.slots, label, args.jobs, run_dir)
            if on:
                # deliveries of the round's last events may still be on their way: give them a moment
                expected = expected_events(args, phase)
                end = time.time() + 60
                while time.time() < end and timed_count(receiver, phase) < expected:
                    time.sleep(0.2)
                admin.call("DELETE", f"/api/v1/webhooks/{hook['id']}")
            B.stop(api_proc)
            rounds.append(summarise(label, on, phase, receiver if on else None))
            B.log(f"round {label}: {json.dumps({k: v for k, v in rounds[-1].items() if k != 'latencies'})}")
    B.stop_all()
    B.rabbit_delete_bench_queues()
    write(args, started, rounds)


SECRETS_KEY = base64.b64encode(os.urandom(32)).decode()
ALL_TYPES = ["job.queued", "job.running", "job.waiting_for_captcha", "job.retry_scheduled", "job.succeeded",
             "job.failed", "job.cancelled", "document.stored", "sms.received"]


def token(role):
    return subprocess.run(["bash", str(B.ROOT / "docs/dev-token.sh"), "bench", role, "bench"],
                          env={**B.os.environ, "LIFETIME": "86400"}, capture_output=True, text=True,
                          check=True).stdout.strip()


def expected_events(args, phase):
    """queued, running, succeeded and one stored per document, for the timed jobs."""
    return sum(3 + row["docs"] for row in phase["rows"])


def timed_count(receiver, phase):
    ids = {row["id"] for row in phase["rows"]}
    with receiver.lock:
        return sum(1 for _, _, e in receiver.received if e.get("jobId") in ids)


def summarise(label, on, phase, receiver):
    work = [row["work_ms"] for row in phase["rows"] if row["work_ms"] is not None]
    out = {"round": label, "events": on, "jobs": len(work), "work_p50_ms": pct(work, 50),
           "work_mean_ms": statistics.mean(work) if work else None, "worker_cpu_s": phase["cpu_s"]}
    if receiver:
        ids = {row["id"] for row in phase["rows"]}
        with receiver.lock:
            got = [(t, wid, e) for t, wid, e in receiver.received if e.get("jobId") in ids]
        lat = [(t - B.ts(e["occurredAt"])) * 1000 for t, _, e in got]
        seqs = [e["seq"] for _, _, e in got]
        out.update({"deliveries": len(got), "expected": expected_events(None, phase),
                    "duplicate_ids": len(got) - len({wid for _, wid, _ in got}),
                    "in_seq_order": seqs == sorted(seqs),
                    "latency_p50_ms": pct(lat, 50), "latency_p99_ms": pct(lat, 99),
                    "latency_max_ms": max(lat) if lat else None, "latencies": lat})
    return out


def write(args, started, rounds):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("events-" + started.strftime("%Y-%m-%d-%H%M") + ".md")
    off = [r for r in rounds if not r["events"]]
    on = [r for r in rounds if r["events"]]

    def med(rs, key):
        vals = [r[key] for r in rs if r.get(key) is not None]
        return statistics.median(vals) if vals else None

    lines = [f"# Events and webhooks bench, {started:%Y-%m-%d %H:%M}", "",
             f"`bench/events.sh --jobs {args.jobs} --slots {args.slots} --rounds {args.rounds} --docs {args.docs}`,"
             f" load average at the end {B.loadavg()}", "",
             "| round | events + webhook | jobs | per-job p50 ms | per-job mean ms | worker CPU s | deliveries / expected"
             " | duplicate webhook-ids | in seq order | webhook latency p50 / p99 / max ms |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rounds:
        hook = (f"{r['deliveries']} / {r['expected']} | {r['duplicate_ids']} | {r['in_seq_order']} | "
                f"{B.fmt(r['latency_p50_ms'])} / {B.fmt(r['latency_p99_ms'])} / {B.fmt(r['latency_max_ms'])}"
                if r["events"] else "— | — | — | —")
        lines.append(f"| {r['round']} | {'on' if r['events'] else 'off'} | {r['jobs']} | {B.fmt(r['work_p50_ms'])} | "
                     f"{B.fmt(r['work_mean_ms'])} | {B.fmt(r['worker_cpu_s'], 1)} | {hook} |")
    p50_off, p50_on = med(off, "work_p50_ms"), med(on, "work_p50_ms")
    mean_off, mean_on = med(off, "work_mean_ms"), med(on, "work_mean_ms")
    all_lat = [x for r in on for x in r["latencies"]]
    lines += ["", f"- per-job time, on ÷ off: p50 {p50_on / p50_off:.3f}, mean {mean_on / mean_off:.3f}"
              f" (medians over rounds; target ≤ 1.05)" if p50_off and mean_off else "- per-job time: no data",
              f"- webhook latency commit → receiver over all on-rounds ({len(all_lat)} deliveries):"
              f" p50 {B.fmt(pct(all_lat, 50))} ms, p99 {B.fmt(pct(all_lat, 99))} ms"]
    path.write_text("\n".join(lines) + "\n")
    B.log(f"results: {path}")
    print(path.read_text())


if __name__ == "__main__":
    main(sys.argv[1:])
