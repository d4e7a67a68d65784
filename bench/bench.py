#!/usr/bin/env python3
"""court-docs benchmark harness (see bench/README.md). Run it through bench/run.sh.

Stdlib only, plus matplotlib for the chart (Debian: python3-matplotlib). Talks to 127.0.0.1 only.
"""
import argparse
import base64
import atexit
import csv
import datetime as dt
import glob
import json
import math
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
JAR = ROOT / "target" / "quarkus-app" / "quarkus-run.jar"
CLASSPATH = ":".join([str(ROOT / "target" / "test-classes"), str(ROOT / "target" / "quarkus-app" / "lib" / "main" / "*"),
                      str(BENCH / "target" / "classes")])
SCHEMA = "courtdocs_bench"
TEST_PUBLIC_KEY = ROOT / "src/test/resources/auth/TEST-ONLY-jwt-public-key.pem"
TEST_ISSUER = "https://court-docs.invalid/test-issuer"
EXCHANGE = "court.bench.jobs"
QUEUE = "court.bench.jobs"
DEAD_LETTER = "court.bench.jobs.dead"
FINAL = ("SUCCEEDED", "FAILED", "CANCELLED")
HOP_PROBES = 3  # one-at-a-time jobs after the warm-up, for the idle submit→RUNNING hop

CHILDREN = []  # Popen objects we started; each leads its own process group


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# --------------------------------------------------------------------------------------------
# processes

def spawn(cmd, logfile, env=None):
    out = open(logfile, "wb")
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True)
    CHILDREN.append(p)
    return p


def stop(p, grace=60):
    """SIGTERM to the process (the service drains and closes its browsers), then its group."""
    if p is None or p.poll() is not None:
        return
    p.terminate()
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        log(f"pid {p.pid} did not stop within {grace}s; killing it")
    if p.poll() is None:
        p.kill()
    p.wait(10)
    # Leftovers of our child's own process group (e.g. an orphaned Chromium), by pid.
    for pid in group_members(p.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def group_members(pgid):
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rfind(")") + 2:].split()
        if int(rest[2]) == pgid:
            out.append(int(stat.split("/")[2]))
    return out


def stop_all():
    for p in reversed(CHILDREN):
        try:
            stop(p, grace=30)
        except Exception as e:  # noqa: BLE001 - best effort at exit
            log(f"stopping pid {p.pid}: {e}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_children():
    kids = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rfind(")") + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(stat.split("/")[2]))
    return kids


def tree(pid):
    kids = proc_children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def stat_cpu(path, reaped=False):
    """(name, user+system CPU seconds) from a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat file;
    None when the process or thread is gone. `reaped`: plus the time of children it has waited for
    (the postmaster's exited backends)."""
    try:
        with open(path) as f:
            s = f.read()
        rest = s[s.rfind(")") + 2:].split()
        ticks = int(rest[11]) + int(rest[12]) + (int(rest[13]) + int(rest[14]) if reaped else 0)
        return s[s.find("(") + 1:s.rfind(")")], ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def thread_stats(pid):
    """{thread id: (name, CPU seconds)} of one process; empty once it is gone."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        got = stat_cpu(f"/proc/{pid}/task/{tid}/stat")
        if got:
            out[tid] = got
    return out


def fold_thread_name(name):
    """Digits folded, so a pool's threads add up: executor-thread-N, C2 CompilerThreadN."""
    return re.sub(r"\d+", "N", name)


def thread_cpu_seconds(pid):
    """CPU seconds per thread name of one process, digits folded."""
    out = {}
    for name, secs in thread_stats(pid).values():
        name = fold_thread_name(name)
        out[name] = out.get(name, 0) + secs
    return out


def cpu_seconds(pids):
    return sum(got[1] for got in (stat_cpu(f"/proc/{pid}/stat") for pid in pids) if got)


# Processes by the component they belong to, for "where did the CPU of a request go". RabbitMQ is
# an Erlang VM (beam.smp) with its helpers; PostgreSQL's backends all call themselves postgres.
CPU_GROUPS = (("PostgreSQL", ("postgres",)), ("RabbitMQ", ("beam.smp", "erl_child_setup", "epmd", "inet_gethost")))


def cpu_account(api_pid=None):
    """CPU seconds so far of the api's process tree, of PostgreSQL and of RabbitMQ, of this script's
    finished children (wrk and pgbench run as such), and of the whole machine (/proc/stat).
    Reaped children count too: a backend of pgbench's exits as pgbench ends, and its time then
    moves to the postmaster's children times (it would otherwise fall out of the sum, depending on
    whether it had exited before the second reading)."""
    acc = {"api": cpu_seconds(tree(api_pid)) if api_pid else 0.0}
    for group, _ in CPU_GROUPS:
        acc[group] = 0.0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            got = stat_cpu(f"/proc/{pid}/stat", reaped=True)
            for group, names in CPU_GROUPS:
                if got and got[0] in names:
                    acc[group] += got[1]
    children = os.times()
    acc["load generator"] = children.children_user + children.children_system
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    # user, nice, system, irq, softirq: not idle, iowait or steal, nor guest (already in user)
    acc["machine"] = (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) / os.sysconf("SC_CLK_TCK")
    return acc


def cpu_rows(c, prefix, run, unit):
    """The CPU account of one wrk or pgbench run as summary-CSV rows (pgbench_cpu_PostgreSQL, ...)."""
    for k, v in run.get("cpu_ms", {}).items():
        c.writerow(["api", "", f"{prefix}_cpu_{k.replace(' ', '_')}", f"{v:.4f}", unit, ""])


def cpu_per_unit(before, after, units):
    """{component: ms of CPU per unit (request or transaction)}, with what nobody claimed as 'other'."""
    d = {k: after[k] - before[k] for k in before}
    out = {k: d[k] * 1000 / max(1, units) for k in d if k != "machine"}
    out["other"] = (d["machine"] - sum(d[k] for k in d if k != "machine")) * 1000 / max(1, units)
    out["machine"] = d["machine"] * 1000 / max(1, units)
    return out


class ThreadCpu:
    """CPU seconds per thread name of one process between begin() and end(), read per thread id at
    every update(). Per thread, not per name at the two ends only: the JVM starts and ends compiler
    threads as its compile queue grows and shrinks, and a thread that ended took its time with it."""

    def __init__(self, pid):
        self.pid = pid
        self.first, self.last, self.names = {}, {}, {}
        self._lock = threading.Lock()
        self._on = False

    def begin(self):
        with self._lock:
            for tid, (name, secs) in thread_stats(self.pid).items():
                self.first[tid], self.last[tid], self.names[tid] = secs, secs, name
            self._on = True

    def update(self):
        with self._lock:
            if not self._on:
                return
            for tid, (name, secs) in thread_stats(self.pid).items():
                self.first.setdefault(tid, 0.0)  # born after begin(): all its time is in the window
                self.last[tid], self.names[tid] = secs, name

    def end(self):
        self.update()
        with self._lock:
            self._on = False
            out = {}
            for tid, secs in self.last.items():
                name = fold_thread_name(self.names[tid])
                out[name] = out.get(name, 0.0) + secs - self.first[tid]
            return out


def jit_seconds(by_thread):
    """The JIT compilers' share of a thread-CPU table (thread names C1/C2 CompilerThreadN, cut to 15 chars)."""
    return sum(v for k, v in by_thread.items() if re.match(r"C[N\d] CompilerThre", k))


class PssSampler(threading.Thread):
    """Sum of Pss over a process tree every `interval` seconds (RSS would double-count shared pages);
    also keeps a ThreadCpu of the tree's root up to date."""

    def __init__(self, pid, interval=0.5):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples = []  # (epoch s, total kB, root kB, processes)
        self.threads = ThreadCpu(pid)
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            t = time.time()
            pids = tree(self.pid)
            values = [pss_kb(p) for p in pids]
            self.samples.append((t, sum(values), values[0] if values else 0, len(pids)))
            self.threads.update()
            self._halt.wait(max(0.0, self.interval - (time.time() - t)))

    def finish(self):
        self._halt.set()
        self.join(5)
        return self.samples


# --------------------------------------------------------------------------------------------
# HTTP

class Api:
    def __init__(self, base, token):
        self.base, self.token = base, token

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    def submit(self, url, case_ref):
        # force: the bench downloads the same deliveries again in every phase, which dedup would answer
        status, body = self.call("POST", "/api/v1/jobs", {"url": url, "caseRef": case_ref, "force": True})
        if status != 201:
            raise RuntimeError(f"submit answered {status}: {str(body)[:300]}")
        return body["id"]

    def count(self, case_ref, status):
        code, body = self.call("GET", f"/api/v1/jobs?caseRef={case_ref}&status={status}&size=1")
        if code != 200:
            raise RuntimeError(f"list answered {code}: {str(body)[:300]}")
        return body["total"]

    def jobs(self, case_ref):
        out, page = [], 0
        while True:
            code, body = self.call("GET", f"/api/v1/jobs?caseRef={case_ref}&size=100&page={page}")
            if code != 200:
                raise RuntimeError(f"list answered {code}: {str(body)[:300]}")
            out.extend(body["items"])
            if len(body["items"]) < 100:
                return out
            page += 1


def wait_http(url, timeout, proc=None, what="service"):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} not ready at {url} within {timeout}s")


def ts(s):
    if s is None:
        return None
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


# --------------------------------------------------------------------------------------------
# stats

def pct(values, p):
    """Percentile with linear interpolation between closest ranks (numpy's default)."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary(values):
    if not values:
        return {"n": 0}
    return {"n": len(values), "mean": statistics.fmean(values), "p50": pct(values, 50), "p95": pct(values, 95),
            "p99": pct(values, 99), "min": min(values), "max": max(values)}


def fit(points):
    """Least squares y = a + b·x; None when x does not vary."""
    if len(points) < 3:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    b = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my - b * mx, b


def max_concurrency(intervals):
    events = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals], key=lambda e: (e[0], e[1]))
    cur = best = 0
    for _, d in events:
        cur += d
        best = max(best, cur)
    return best


def fmt(v, digits=0):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,.{digits}f}"


# --------------------------------------------------------------------------------------------
# infrastructure helpers

def psql(args, sql, check=True):
    env = os.environ.copy()
    cmd = ["psql", "-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_user, "-d", args.pg_db,
           "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if check and r.returncode != 0:
        raise RuntimeError(f"psql failed: {r.stderr.strip()}")
    return r.stdout.strip()


class AutovacuumStandIn(threading.Thread):
    """What PostgreSQL's autovacuum does to the bench schema, on machines that run with it off.

    The project's machines set autovacuum = off (conf.d/90-ci.conf); no production PostgreSQL does.
    Without it a table that started empty is never analysed, and a plan cached while it was empty
    stays in use: in the API phase the dedup lookup kept a plan made for an empty jobs table and
    walked every job of the tenant per submit, slower with each request. Like autovacuum with its
    default naptime, this runs VACUUM ANALYZE over the schema's tables once a minute.
    """

    def __init__(self, args, every):
        super().__init__(daemon=True)
        self.args, self.every = args, every
        self.rounds = 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.wait(self.every):
            tables = psql(self.args, f"select tablename from pg_tables where schemaname = '{SCHEMA}'", check=False)
            for table in tables.split():
                psql(self.args, f"vacuum (analyze) {SCHEMA}.{table}", check=False)
            self.rounds += 1

    def finish(self):
        self._halt.set()
        return self.rounds


def rabbit_delete_bench_queues():
    if not shutil.which("rabbitmqctl"):
        log("rabbitmqctl not found: bench queues are not cleared (leftover messages only hit the dead-letter path)")
        return
    for q in (QUEUE, DEAD_LETTER):
        subprocess.run(["rabbitmqctl", "-q", "delete_queue", q], capture_output=True, text=True, timeout=120)


def wait_outbox_drained(args, seconds=120):
    """Until the relay has sent every outbox row (at most `seconds`)."""
    drained_by = time.time() + seconds
    while (psql(args, f"select count(*) from {SCHEMA}.outbox where sent_at is null", check=False) not in ("0", "")
           and time.time() < drained_by):
        time.sleep(1)


def settle_jobs_queue(args):
    """Before a measured wrk run: wait until the relay has sent every outbox row, then purge the
    jobs queue. With the worker stopped, the unmeasured load leaves hundreds of thousands of
    messages in it, and a classic queue that deep costs RabbitMQ more CPU per message published
    (0.18 ms on an empty queue, 0.34-0.41 ms at 300-870k messages, 2026-12-05) than the
    consumed queue of a running service would. Returns the messages purged, or None."""
    wait_outbox_drained(args)
    depth = jobs_queue_depth()
    if depth is None:
        return None
    r = subprocess.run(["rabbitmqctl", "-q", "purge_queue", QUEUE], capture_output=True, text=True, timeout=120)
    return depth if r.returncode == 0 else None


def jobs_queue_depth():
    """Messages in the bench's jobs queue, or None without rabbitmqctl."""
    if not shutil.which("rabbitmqctl"):
        return None
    r = subprocess.run(["rabbitmqctl", "-q", "list_queues", "name", "messages"], capture_output=True, text=True,
                       timeout=120)
    m = re.search(rf"^{re.escape(QUEUE)}\s+(\d+)$", r.stdout, re.M)
    return int(m.group(1)) if m else None


def version_of(cmd, pattern=None):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        text = (r.stdout + r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    if pattern:
        m = re.search(pattern, text)
        return m.group(1) if m else text.splitlines()[-1] if text else "?"
    return text.splitlines()[0] if text else "?"


def machine_facts(args):
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu_model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    pom = (ROOT / "pom.xml").read_text()
    quarkus = re.search(r"<quarkus.platform.version>([^<]+)<", pom)
    playwright = re.search(r"<playwright.version>([^<]+)<", pom)
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": os.uname().release,
        "java": version_of(["java", "-version"]),
        "chromium": version_of(["/usr/bin/chromium", "--version"], r"(Chromium [0-9.]+)"),
        "postgresql": psql(args, "show server_version", check=False) or "?",
        "rabbitmq": version_of(["rabbitmqctl", "version"]) if shutil.which("rabbitmqctl") else "?",
        "quarkus": quarkus.group(1) if quarkus else "?",
        "playwright-java": playwright.group(1) if playwright else "?",
        "wrk": version_of(["wrk", "--version"], r"(wrk [^\s]+)") if shutil.which("wrk") else "not installed",
        "pgbench": version_of(["pgbench", "--version"]) if shutil.which("pgbench") else "not installed",
        "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip(),
    }


# --------------------------------------------------------------------------------------------
# the service

class Service:
    def __init__(self, args, run_dir, proxy):
        self.args, self.run_dir, self.proxy = args, run_dir, proxy

    def env(self, role, port, mgmt_port, slots):
        a = self.args
        env = os.environ.copy()
        # Without a token of the operator's own, the bench signs one with the committed TEST key
        # (docs/dev-token.sh) and the service must trust that key's public half.
        if not a.token_given:
            env.setdefault("MP_JWT_VERIFY_PUBLICKEY_LOCATION", str(TEST_PUBLIC_KEY))
            env.setdefault("MP_JWT_VERIFY_ISSUER", TEST_ISSUER)
        env.update({
            "COURT_ROLE": role,
            "COURT_WORKER_SLOTS": str(slots),
            "COURT_HTTP_PROXY": self.proxy,
            "COURT_WORKER_NAME": f"bench-{role}-s{slots}",
            "COURT_QUEUE_EXCHANGE": EXCHANGE,
            "COURT_QUEUE_JOBS": QUEUE,
            "COURT_QUEUE_DEAD_LETTER": DEAD_LETTER,
            "QUARKUS_HTTP_PORT": str(port),
            "QUARKUS_MANAGEMENT_PORT": str(mgmt_port),
            # wrk submits far more than the per-caller limit (120/min) meant for people
            "COURT_AUTH_SUBMIT_RATE_PER_MINUTE": "100000000",
            "QUARKUS_DATASOURCE_JDBC_URL":
                f"jdbc:postgresql://{a.pg_host}:{a.pg_port}/{a.pg_db}?currentSchema={SCHEMA}",
            "QUARKUS_DATASOURCE_USERNAME": a.pg_user,
            "QUARKUS_FLYWAY_SCHEMAS": SCHEMA,
        })
        if os.environ.get("PGPASSWORD"):
            env["QUARKUS_DATASOURCE_PASSWORD"] = os.environ["PGPASSWORD"]
        return env

    def start(self, role, slots=2, name=None):
        port, mgmt_port = free_port(), free_port()
        name = name or role
        # GC pauses with wall-clock times, to line them up with the measured windows (negligible cost)
        gc = f"-Xlog:gc:file={self.run_dir / (name + '-gc.log')}:time"
        cmd = ["java", gc] + self.args.image_java_opts[role] + self.args.service_java_opts.split() + ["-jar", str(JAR)]
        p = spawn(cmd, self.run_dir / f"{name}.log", env=self.env(role, port, mgmt_port, slots))
        wait_http(f"http://127.0.0.1:{mgmt_port}/q/health/ready", 180, p, name)
        log(f"{name} ready on port {port} (pid {p.pid})")
        return p, port


# Heap sizes relative to the container's memory limit: the bench machine has no such limit.
SIZING_OPTS = ("-XX:MaxRAMPercentage", "-XX:InitialRAMPercentage", "-XX:MinRAMPercentage", "-Xmx", "-Xms")


def image_java_opts(role):
    """The JVM options of the role's container image (JAVA_OPTS in docker/<role>.Dockerfile), so a
    role runs here as it is deployed (the worker's JIT setting, say), less the heap sizing."""
    dockerfile = ROOT / "docker" / f"{role}.Dockerfile"
    m = re.search(r'JAVA_OPTS="([^"]*)"', dockerfile.read_text()) if dockerfile.exists() else None
    return [o for o in (m.group(1).split() if m else []) if not o.startswith(SIZING_OPTS)]


GC_LINE = re.compile(r"^\[(\d{4}-\d\d-\d\dT[\d:.]+)([+-]\d{4})\].*\bPause\b.* ([0-9.]+)ms$")


def gc_pauses(logfile, t0, t1):
    """Stop-the-world GC pauses logged between epoch seconds t0 and t1: count, total ms, max ms."""
    pauses = []
    try:
        with open(logfile) as f:
            for line in f:
                m = GC_LINE.match(line.strip())
                if not m:
                    continue
                when = dt.datetime.strptime(m.group(1) + m.group(2), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
                if t0 <= when <= t1:
                    pauses.append(float(m.group(3)))
    except OSError:
        return None
    return {"count": len(pauses), "total_ms": sum(pauses), "max_ms": max(pauses) if pauses else 0.0}


def document_timing(args, case_ref):
    """From the documents' created_at (taken in the intake transaction, before the row and its bytes
    are written): startedAt → first document, gap between documents, last document → finishedAt.
    The last segment is storing the last document plus closing the job; the floor has no such step."""
    q = f"""with d as (
      select j.id, j.started_at s, j.finished_at f, count(*) n, min(d.created_at) a, max(d.created_at) b
      from {SCHEMA}.jobs j join {SCHEMA}.documents d on d.job_id = j.id
      where j.case_ref = '{case_ref}' and j.status = 'SUCCEEDED' group by 1, 2, 3)
    select percentile_cont(0.5) within group (order by extract(epoch from a - s) * 1000),
           percentile_cont(0.5) within group (order by extract(epoch from (b - a) / greatest(n - 1, 1)) * 1000)
             filter (where n > 1),
           percentile_cont(0.5) within group (order by extract(epoch from f - b) * 1000),
           avg(extract(epoch from f - b) * 1000)
    from d"""
    try:
        vals = psql(args, q).split("|")
        return {k: float(v) if v else None for k, v in
                zip(("to_first_doc_p50", "between_docs_p50", "last_doc_to_finish_p50", "last_doc_to_finish_mean"), vals)}
    except (RuntimeError, ValueError) as e:
        log(f"document timing not available: {e}")
        return None


def submit_burst(api, links, case_ref, threads=4):
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda u: api.submit(u, case_ref), links))


def wait_finished(api, case_ref, n, timeout):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        counts = {s: api.count(case_ref, s) for s in FINAL + ("RETRY_SCHEDULED",)}
        done = sum(counts[s] for s in FINAL)
        if counts != last:
            last = counts
            log(f"  {case_ref}: {done}/{n} finished {counts}")
        if done >= n:
            return counts
        time.sleep(1.0)
    raise RuntimeError(f"{case_ref}: not finished within {timeout}s: {last}")


def job_rows(jobs):
    rows = []
    for j in jobs:
        c, s, f = ts(j["createdAt"]), ts(j.get("startedAt")), ts(j.get("finishedAt"))
        rows.append({
            "id": j["id"], "status": j["status"], "created": c, "started": s, "finished": f,
            "queue_ms": (s - c) * 1000 if s else None,
            "work_ms": (f - s) * 1000 if s and f else None,
            "e2e_ms": (f - c) * 1000 if f else None,
            "docs": len(j.get("documents") or []),
            "bytes": sum(d.get("sizeBytes", 0) for d in j.get("documents") or []),
            "attempts": j.get("attempts"),
        })
    return rows


def hop_probes(api, links, case_ref, count):
    """One job at a time, nothing queued behind it: its queue wait is the bare submit→RUNNING hop."""
    rows = []
    for i in range(count):
        jid = api.submit(links[i % len(links)], case_ref)
        end = time.time() + 120
        while time.time() < end:
            code, job = api.call("GET", f"/api/v1/jobs/{jid}")
            if code == 200 and job["status"] in FINAL:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"warm-up job {jid} did not finish")
        if job["status"] != "SUCCEEDED":
            raise RuntimeError(f"warm-up job {jid} ended {job['status']}: {job.get('error')}")
        rows.extend(job_rows([job]))
    return rows


def run_worker_phase(args, svc, api, links, slots, label, jobs_n, run_dir):
    """Starts a worker with `slots`, warms it, submits jobs_n jobs at once, waits, measures."""
    worker, _ = svc.start("worker", slots, name=f"worker-{label}")
    try:
        # Warm-up at the parallelism of the timed part, as the floor's: --warmup jobs per slot at once
        # (the floor: per thread). Until 2026-12-05 they went one at a time, so the JIT first saw
        # `slots` jobs side by side in the timed burst and compiled through it.
        warm_ref = f"{args.run_id}-{label}-warm"
        warm_n = args.warmup * slots
        if warm_n:
            submit_burst(api, [links[i % len(links)] for i in range(warm_n)], warm_ref)
            wait_finished(api, warm_ref, warm_n, timeout=120 + warm_n * 10 / max(1, slots))
        probes = hop_probes(api, links, f"{warm_ref}-hop", HOP_PROBES)
        sampler = PssSampler(worker.pid, args.sample_interval)
        sampler.start()
        time.sleep(max(1.0, args.sample_interval * 3))
        load_before = loadavg()
        sampler.threads.begin()
        cpu0 = cpu_seconds(tree(worker.pid))
        case_ref = f"{args.run_id}-{label}"
        batch = [links[i % len(links)] for i in range(jobs_n)]
        t_submit0 = time.time()
        submit_burst(api, batch, case_ref)
        t_submit1 = time.time()
        counts = wait_finished(api, case_ref, jobs_n, timeout=120 + jobs_n * 10 / max(1, slots))
        cpu1 = cpu_seconds(tree(worker.pid))
        jvm_threads = sampler.threads.end()
        load_after = loadavg()
        time.sleep(2)
        samples = sampler.finish()
        rows = job_rows(api.jobs(case_ref))
        doc_timing = document_timing(args, case_ref)
        gc = gc_pauses(run_dir / f"worker-{label}-gc.log", t_submit0, time.time())
    finally:
        stop(worker)
    return {"slots": slots, "label": label, "rows": rows, "hop_probes": probes, "samples": samples,
            "counts": counts, "doc_timing": doc_timing, "gc": gc, "jvm_threads_cpu_s": jvm_threads,
            "cpu_s": cpu1 - cpu0, "load": (load_before, load_after), "submit_s": t_submit1 - t_submit0,
            "worker_log": str(run_dir / f"worker-{label}.log")}


def run_floor(args, links_file, proxy, threads, mode, jobs_n, run_dir):
    out = run_dir / f"floor-{mode}-p{threads}.csv"
    load_before = loadavg()
    cmd = ["java", "-cp", CLASSPATH, "Floor", "--links", str(links_file), "--threads", str(threads),
           "--warmup", str(args.warmup), "--jobs", str(jobs_n), "--mode", mode, "--proxy", proxy, "--out", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    (run_dir / f"floor-{mode}-p{threads}.log").write_text(r.stdout + r.stderr)
    if r.returncode != 0:
        raise RuntimeError(f"floor ({mode}, {threads} threads) failed:\n{r.stderr[-3000:]}")
    info = json.loads(r.stdout.strip().splitlines()[-1])
    with open(out) as f:
        rows = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]
    return {"mode": mode, "threads": threads, "rows": rows, "wall_ms": info["wallMs"],
            "load": (load_before, loadavg())}


# --------------------------------------------------------------------------------------------
# API phase

# Each request submits a different delivery (a counter in the link's sdsin, per wrk thread), so the
# API does the full work of a new job; the same link again would be answered by dedup (200).
WRK_LUA = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
%(auth)s
request = function()
  counter = counter + 1
  local body = '{"url":"%(link)s-%(case_ref)s-' .. tid .. '-' .. counter .. '","caseRef":"%(case_ref)s"}'
  return wrk.format(nil, nil, nil, body)
end
function done(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests":%%d,"duration_us":%%d,"status_errors":%%d,"connect_errors":%%d,' ..
    '"read_errors":%%d,"write_errors":%%d,"timeouts":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"max_us":%%d,"mean_us":%%f}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""

PGBENCH_SQL = f"""INSERT INTO {SCHEMA}.bench_insert_floor (id, url, case_ref, created_at)
VALUES (gen_random_uuid(), 'http://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=a&sdbh=b&sdsin=c', 'pgbench', now());
"""


def wrk_script(args, link, case_ref, path):
    auth = f'wrk.headers["Authorization"] = "Bearer {args.token}"' if args.token else ""
    path.write_text(WRK_LUA % {"link": link.replace('"', '\\"'), "case_ref": case_ref, "auth": auth})
    return path


def thread_dumps(pid, run_dir, at, count=3, every=2.0):
    """jcmd Thread.print of the api JVM at `at` seconds from now: where request threads wait."""
    def take():
        time.sleep(at)
        for i in range(count):
            r = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True)
            (run_dir / f"api-threads-{i}.txt").write_text(r.stdout + r.stderr)
            time.sleep(every)
    if shutil.which("jcmd"):
        t = threading.Thread(target=take, daemon=True)
        t.start()
        return t
    return None


def classify_dumps(run_dir):
    """Where the api's request threads (executor-thread-*) were in the dumps: a coarse histogram."""
    counts = {}
    for f in sorted(run_dir.glob("api-threads-*.txt")):
        for block in f.read_text().split("\n\n"):
            if not block.startswith('"executor-thread'):
                continue
            if "law.courtdocs" not in block:
                kind = "idle (parked, no request)"
            elif "org.postgresql.core" in block:
                m = re.search(r"at law\.courtdocs\.[\w.$]+\.(\w+)\((\w+\.java:\d+)\)", block)
                kind = "waiting on PostgreSQL" + (f" (innermost service frame {m.group(2)})" if m else "")
            elif "BaseTransaction.commit" in block:
                kind = "committing (Narayana JTA, not on the socket)"
            elif "rabbitmq" in block:
                kind = "waiting on RabbitMQ"
            elif "Agroal" in block or "agroal" in block:
                kind = "waiting for a pooled connection"
            else:
                kind = "in service/framework code (CPU or lock)"
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def measure_wrk(args, api_proc, url, link, case_ref, lua_name, run_dir, gc_too):
    """One measured wrk run of POST /api/v1/jobs with its server-side accounting."""
    lua = wrk_script(args, link, case_ref, run_dir / lua_name)
    res = {}
    purged = settle_jobs_queue(args)
    load_before = loadavg()
    acc0 = cpu_account(api_proc.pid)
    cmd = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.wrk_connections), "-d", f"{args.wrk_duration}s",
           "--timeout", "10s", "--latency", "-s", str(lua), url]
    log("  " + " ".join(cmd))
    t_wrk0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    t_wrk1 = time.time()
    acc1 = cpu_account(api_proc.pid)
    if gc_too:
        res["gc"] = gc_pauses(run_dir / "api-gc.log", t_wrk0, t_wrk1)
    (run_dir / (lua_name + ".wrk.txt")).write_text(r.stdout + r.stderr)
    m = re.search(r"WRKJSON (\{.*\})", r.stdout)
    if r.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed: {r.stdout[-2000:]} {r.stderr[-2000:]}")
    w = json.loads(m.group(1))
    ok = w["requests"] - w["status_errors"]
    w["rps_ok"] = ok / (w["duration_us"] / 1e6)
    w["load"] = (load_before, loadavg())
    time.sleep(2)  # let the relay drain before counting rows
    w["rows_stored"] = int(psql(args, f"select count(*) from {SCHEMA}.jobs where case_ref = '{case_ref}'"))
    w["cpu_ms"] = cpu_per_unit(acc0, acc1, w["requests"])
    w["api_cpu_ms_per_request"] = w["cpu_ms"]["api"]
    w["queue_purged_before"] = purged
    # The relay deletes a row once the broker confirmed it; the queue was purged before the run
    wait_outbox_drained(args)
    w["outbox_left"] = int(psql(args, f"select count(*) from {SCHEMA}.outbox o join {SCHEMA}.jobs j on j.id = o.job_id "
                                      f"where j.case_ref = '{case_ref}' and o.sent_at is null"))
    w["queue_depth_after"] = jobs_queue_depth()
    log(f"  wrk: {w['rps_ok']:.1f} req/s (2xx), p99 {w['p99_us'] / 1000:.1f} ms, {w['status_errors']} non-2xx")
    return w, res


def unmeasured_wrk(args, url, link, case_ref, seconds, run_dir, lua_name, dumps_of=None):
    """wrk load nobody measures; `dumps_of`: a pid whose thread dumps to take in its last seconds."""
    lua = wrk_script(args, link, case_ref, run_dir / lua_name)
    # Each dump is a jcmd JVM (0.6 s of CPU) plus a safepoint in the api: taken during the measured
    # run they cost it a fifth of its rate and lifted its p99 (23.7/23.9 ms without, 38.5/28.0 ms
    # with, 2026-12-05), so they are taken here, under the same load, where nothing is measured.
    dumps = thread_dumps(dumps_of, run_dir, at=max(0, seconds - 10)) if dumps_of else None
    subprocess.run(["wrk", "-t", str(args.wrk_threads), "-c", str(args.wrk_connections), "-d", f"{seconds}s",
                    "-s", str(lua), url], capture_output=True, text=True)
    if dumps:
        dumps.join(30)
    time.sleep(2)


def run_api_phase(args, api_proc, api_port, link, run_dir):
    res = {}
    url = f"http://127.0.0.1:{api_port}/api/v1/jobs"
    if shutil.which("wrk"):
        if args.wrk_warmup > 0:
            log(f"  wrk warm-up, {args.wrk_warmup} s (not measured)")
            unmeasured_wrk(args, url, link, f"{args.run_id}-wrk-warm", args.wrk_warmup, run_dir, "submit-warm.lua")
        if args.wrk_jit_warmup > 0:
            # A JVM minutes old still compiles the submit path (C2 took 13-20 % of the api's CPU
            # 1.5-3 minutes in): measure it just started, then again after sustained load.
            res["wrk_cold"], _ = measure_wrk(args, api_proc, url, link, f"{args.run_id}-wrk-cold", "submit-cold.lua",
                                             run_dir, gc_too=False)
            log(f"  wrk load for {args.wrk_jit_warmup} s more (not measured, thread dumps in its last 10 s), "
                "then the warm run")
            unmeasured_wrk(args, url, link, f"{args.run_id}-wrk-jit", args.wrk_jit_warmup, run_dir, "submit-jit.lua",
                           dumps_of=api_proc.pid)
            res["thread_dumps"] = classify_dumps(run_dir)
        res["wrk"], extra = measure_wrk(args, api_proc, url, link, f"{args.run_id}-wrk", "submit.lua", run_dir,
                                        gc_too=True)
        res.update(extra)
        # A request context left spinning after wrk dropped its connections (quarkusio/quarkus#55116)
        # shows here: once the relay has caught up and the JIT has settled, an idle api uses next to
        # no CPU.
        wait_outbox_drained(args)
        time.sleep(10)
        cpu0, t0, threads0 = cpu_seconds(tree(api_proc.pid)), time.time(), thread_cpu_seconds(api_proc.pid)
        time.sleep(5)
        elapsed = time.time() - t0
        res["idle_cpu_cores"] = (cpu_seconds(tree(api_proc.pid)) - cpu0) / elapsed
        # which threads: JIT compilers finishing their queue, or request threads spinning
        threads1 = thread_cpu_seconds(api_proc.pid)
        busy = sorted(((threads1[k] - threads0.get(k, 0)) / elapsed, k) for k in threads1)[::-1]
        res["idle_cpu_threads"] = [[k, round(c, 3)] for c, k in busy[:3] if c >= 0.01]
        log(f"  api CPU while idle after wrk: {res['idle_cpu_cores']:.3f} cores {res['idle_cpu_threads']}")
    else:
        log("wrk not installed: API figures skipped (apt-get install -y wrk)")
    if shutil.which("pgbench"):
        psql(args, f"drop table if exists {SCHEMA}.bench_insert_floor; create table {SCHEMA}.bench_insert_floor ("
                   "id uuid primary key, url varchar(2048) not null, case_ref varchar(128), created_at timestamptz not null)")
        script = run_dir / "insert.sql"
        script.write_text(PGBENCH_SQL)
        logdir = run_dir / "pgbench-log"
        logdir.mkdir(exist_ok=True)
        load_before = loadavg()
        acc0 = cpu_account()
        cmd = ["pgbench", "-n", "-M", "prepared", "-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_user,
               "-c", str(args.wrk_connections), "-j", str(args.wrk_threads), "-T", str(args.wrk_duration),
               "-f", str(script), "-l", "--log-prefix", str(logdir / "pgb"), args.pg_db]
        log("  " + " ".join(cmd))
        r = subprocess.run(cmd, capture_output=True, text=True)
        acc1 = cpu_account()
        (run_dir / "pgbench.txt").write_text(r.stdout + r.stderr)
        m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", r.stdout)
        if r.returncode != 0 or not m:
            raise RuntimeError(f"pgbench failed: {r.stdout[-2000:]} {r.stderr[-2000:]}")
        lat = []
        for f in logdir.glob("pgb*"):
            with open(f) as fh:
                for line in fh:
                    parts = line.split()
                    if len(parts) >= 3:
                        lat.append(int(parts[2]) / 1000.0)
        res["pgbench"] = {"tps": float(m.group(1)), "transactions": len(lat), "p50_ms": pct(lat, 50),
                          "p99_ms": pct(lat, 99), "load": (load_before, loadavg()),
                          "cpu_ms": cpu_per_unit(acc0, acc1, len(lat))}
        shutil.rmtree(logdir, ignore_errors=True)
        log(f"  pgbench: {res['pgbench']['tps']:.1f} tps, p99 {res['pgbench']['p99_ms']:.1f} ms")
    else:
        log("pgbench not found: durable-write floor skipped")
    return res


# --------------------------------------------------------------------------------------------
# list phase: GET /api/v1/jobs over a table of --list-rows jobs

LIST_LUA = """
wrk.method = "GET"
%(auth)s
function done(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests":%%d,"duration_us":%%d,"status_errors":%%d,"timeouts":%%d,' ..
    '"p50_us":%%d,"p95_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

# Queries a frontend makes: a status tab, the plain newest-first list, a deep page of the biggest status.
LIST_QUERIES = ["status=FAILED&size=20", "size=20", "status=SUCCEEDED&page=50&size=20"]


def token_tenant(token):
    """The tenant claim of the bench token (rows must belong to the caller to be listed)."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return json.loads(base64.urlsafe_b64decode(payload)).get("tenant") or "acme"
    except (IndexError, ValueError):
        return "acme"


def run_list_phase(args, api_port, run_dir):
    """Fills jobs with --list-rows rows (half the caller's tenant, half another firm's; mostly
    SUCCEEDED, like a firm's history) and measures the list endpoint with wrk."""
    tenant = token_tenant(args.token)
    n = args.list_rows
    # RETRY_SCHEDULED rows are due in 30 days so the retry scheduler leaves them alone; no RUNNING
    # or QUEUED rows, so no reaper or worker touches them.
    psql(args, f"""insert into {SCHEMA}.jobs (id, url, portal, status, priority, case_ref, attempts, max_attempts,
                 created_at, finished_at, next_attempt_at, tenant)
        select gen_random_uuid(), 'https://sd.gdems.com/v3/dzsd/list' || i, 'gdems',
               case when i % 20 = 0 then 'FAILED' when i % 20 = 1 then 'CANCELLED'
                    when i % 20 = 2 then 'RETRY_SCHEDULED' else 'SUCCEEDED' end,
               5, '（2026）粤0106民初' || (i % 5000) || '号', 1, 5,
               now() - i * interval '1 minute', now() - i * interval '1 minute',
               case when i % 20 = 2 then now() + interval '30 days' end,
               case when i % 2 = 0 then '{tenant}' else 'bench-other-firm' end
        from generate_series(1, {n}) i""")
    # As autovacuum would have done on a table that grew over months: statistics, and a visibility
    # map so that the list's count(*) can be an index-only scan.
    psql(args, f"vacuum analyze {SCHEMA}.jobs")
    total = int(psql(args, f"select count(*) from {SCHEMA}.jobs"))
    log(f"  list: {n} rows inserted ({total} jobs in the table), tenant {tenant}")
    lua = run_dir / "list.lua"
    auth = f'wrk.headers["Authorization"] = "Bearer {args.token}"' if args.token else ""
    lua.write_text(LIST_LUA % {"auth": auth})
    res = {"rows": n, "table_rows": total, "queries": []}
    # Each query twice: one connection (a person paging: latency) and --list-connections (several
    # frontends at once, closed loop: on 2 cores this saturates the CPU, so latency = queueing).
    for q in LIST_QUERIES:
        url = f"http://127.0.0.1:{api_port}/api/v1/jobs?{q}"
        subprocess.run(["wrk", "-t", "1", "-c", "1", "-d", "3s", "-s", str(lua), url], capture_output=True, text=True)
        for conns in sorted({1, args.list_connections}):
            load_before = loadavg()
            cmd = ["wrk", "-t", str(min(conns, args.wrk_threads)), "-c", str(conns), "-d", f"{args.list_duration}s",
                   "--timeout", "10s", "-s", str(lua), url]
            log("  " + " ".join(cmd))
            r = subprocess.run(cmd, capture_output=True, text=True)
            m = re.search(r"WRKJSON (\{.*\})", r.stdout)
            if r.returncode != 0 or not m:
                raise RuntimeError(f"wrk failed: {r.stdout[-2000:]} {r.stderr[-2000:]}")
            w = json.loads(m.group(1))
            w["query"] = q
            w["connections"] = conns
            w["rps"] = (w["requests"] - w["status_errors"]) / (w["duration_us"] / 1e6)
            w["load"] = (load_before, loadavg())
            plan = psql(args, f"explain (analyze, format text) select * from {SCHEMA}.jobs where tenant = '{tenant}'"
                              + (f" and status = '{q.split('status=')[1].split('&')[0]}'" if "status=" in q else "")
                              + " order by created_at desc, id desc limit 20", check=False)
            w["db_ms"] = float(re.findall(r"Execution Time: ([0-9.]+) ms", plan)[-1]) if "Execution Time" in plan else None
            (run_dir / f"list-plan-{len(res['queries'])}.txt").write_text(plan)
            res["queries"].append(w)
            log(f"  list ?{q}, {conns} conn: p95 {w['p95_us'] / 1000:.1f} ms, {w['rps']:.0f} req/s, "
                f"{w['status_errors']} non-2xx")
    return res


# --------------------------------------------------------------------------------------------
# analysis and output

def analyse_worker(ph):
    rows = [r for r in ph["rows"] if r["status"] == "SUCCEEDED"]
    n = len(ph["rows"])
    created0 = min(r["created"] for r in ph["rows"])
    started0 = min(r["started"] for r in rows) if rows else None
    finished1 = max(r["finished"] for r in rows) if rows else None
    a = {"slots": ph["slots"], "label": ph["label"], "n": n, "ok": len(rows),
         "failed": n - len(rows), "counts": ph["counts"], "load": ph["load"]}
    if not rows:
        return a
    makespan = finished1 - created0
    a["makespan_s"] = makespan
    a["jobs_per_min"] = len(rows) / makespan * 60
    a["queue"] = summary([r["queue_ms"] for r in rows])
    a["work"] = summary([r["work_ms"] for r in rows])
    a["e2e"] = summary([r["e2e_ms"] for r in rows])
    a["max_concurrency"] = max_concurrency([(r["started"], r["finished"]) for r in rows])
    busy = sum(r["work_ms"] for r in rows) / 1000
    a["utilisation"] = busy / (ph["slots"] * (finished1 - started0))
    # time a slot spends between jobs: (slots × span − Σ work) / jobs
    a["between_jobs_ms"] = (ph["slots"] * (finished1 - started0) - busy) * 1000 / len(rows)
    a["first_hop_ms"] = min(r["queue_ms"] for r in rows)
    a["cpu_s_per_job"] = ph["cpu_s"] / len(rows)
    a["fit"] = fit([(r["docs"], r["work_ms"]) for r in rows])
    a["doc_timing"] = ph.get("doc_timing")
    a["gc"] = ph.get("gc")
    # runs before 2026-12-05 kept their one-at-a-time warm-up jobs, the first half of them still cold
    warm = ph["hop_probes"] if "hop_probes" in ph else ph["warm"][len(ph["warm"]) // 2:]
    a["warm_up_at_once"] = "hop_probes" in ph
    threads = ph.get("jvm_threads_cpu_s")
    if threads:
        a["jit_cpu_s"] = jit_seconds(threads)
        a["jit_s_per_job"] = a["jit_cpu_s"] / len(rows)
        a["jit_share"] = a["jit_cpu_s"] / ph["cpu_s"] if ph["cpu_s"] > 0 else None
    a["idle_hop"] = summary([r["queue_ms"] for r in warm])
    a["idle_work"] = summary([r["work_ms"] for r in warm])
    s = ph["samples"]
    if s:
        a["pss_peak_mb"] = max(x[1] for x in s) / 1024
        fin = sorted(r["finished"] for r in rows)
        half = fin[len(fin) // 2]
        steady = [x[1] for x in s if half <= x[0] <= fin[-1]] or [s[-1][1]]
        a["pss_steady_mb"] = statistics.median(steady) / 1024
        a["procs_max"] = max(x[3] for x in s)
        a["jvm_pss_peak_mb"] = max(x[2] for x in s) / 1024
    return a


def pss_after(samples, t, window=1.0):
    near = [x[1] for x in samples if t - window <= x[0] <= t + window]
    if not near:
        later = [x for x in samples if x[0] >= t]
        near = [later[0][1]] if later else [samples[-1][1]]
    return statistics.median(near) / 1024


def analyse_soak(ph, early):
    a = analyse_worker(ph)
    fin = sorted(r["finished"] for r in ph["rows"] if r["finished"])
    if len(fin) >= early and ph["samples"]:
        a["early_job"] = early
        a["pss_early_mb"] = pss_after(ph["samples"], fin[early - 1])
        a["pss_last_mb"] = pss_after(ph["samples"], fin[-1])
        a["pss_growth"] = a["pss_last_mb"] / a["pss_early_mb"] - 1
    return a


def analyse_floor(fl):
    work = [r["work_ms"] for r in fl["rows"]]
    return {"mode": fl["mode"], "threads": fl["threads"], "n": len(work), "work": summary(work),
            "fit": fit([(r["docs"], r["work_ms"]) for r in fl["rows"]]),
            "wall_s": fl["wall_ms"] / 1000, "jobs_per_min": len(work) / (fl["wall_ms"] / 1000) * 60, "load": fl["load"]}


def verdict(ok):
    return "**met**" if ok else "**not met**"


def write_results(args, facts, workers, floors, soak, api, out_dir, run_dir, started, load_start, load_end,
                  browser=None):
    stamp = started.strftime("%Y-%m-%d-%H%M")
    taken = out_dir / f"{stamp}.md"
    if taken.exists() and run_dir.name not in taken.read_text():
        # another run started in the same minute (a short one); --render of this run still overwrites its own
        stamp = started.strftime("%Y-%m-%d-%H%M%S")
    md_path, csv_path, png_path = out_dir / f"{stamp}.md", out_dir / f"{stamp}.csv", out_dir / f"{stamp}.png"
    jobs_csv = out_dir / f"{stamp}-jobs.csv"
    floor_by = {(f["mode"], f["threads"]): f for f in floors}
    targets = []
    L = []
    L.append(f"# court-docs benchmark, {started.strftime('%Y-%m-%d %H:%M')}")
    L.append("")
    if args.note:
        L.append(f"> **{args.note}**")
        L.append("")
    L.append(f"Command: `{args.command_line}`")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    if head and head != facts.get("git"):
        L.append("")
        L.append(f"Measured with harness commit {facts.get('git')}; this page was rendered again from the same "
                 f"measurements (`phases.json`) by commit {head}.")
    L.append("")
    L.append(f"Load average (1/5/15 min) at start: **{load_start}**, at end: **{load_end}** "
             f"on {facts['cores']} cores. Every phase below records its own load average.")
    if float(load_start.split()[0]) > 0.5 * facts["cores"]:
        L.append("")
        L.append("⚠ The machine was busy when this run started (1-minute load above half the cores): "
                 "other processes competed for CPU, so absolute times are inflated and ratios noisy. "
                 "Re-run on a quiet machine for clean figures.")
    L.append("")
    L.append("## Machine and versions")
    L.append("")
    L.append("| fact | value |")
    L.append("| --- | --- |")
    for k, v in facts.items():
        L.append(f"| {k} | {v} |")
    L.append("")
    L.append("## Settings")
    L.append("")
    L.append(f"- jobs per worker run: {args.jobs} (submitted at once, 4 client threads); documents per job: "
             f"{args.docs}; document size: {args.doc_kb} KiB; simulator delay: {args.delay_ms} ms before the list "
             f"answer and before each file")
    at_once = any(w.get("warm_up_at_once") for w in workers)
    L.append(f"- warm-up: {args.warmup} jobs per slot (service: "
             + (f"submitted at once, then {HOP_PROBES} one at a time for the idle hop; " if at_once else
                "submitted one at a time; ")
             + "floor: per thread), not in the figures")
    L.append(f"- service: packaged jar, roles split (1 api process, 1 worker process), schema `{SCHEMA}`, "
             f"queues `{QUEUE}`/`{DEAD_LETTER}`; JVM options of the images (heap sizing left out): "
             + "; ".join(f"{role} `{' '.join(opts) or '(none)'}`" for role, opts in
                         saved_image_opts(args).items())
             + f"; added for this run: `{args.service_java_opts or '(none)'}`")
    L.append(f"- memory: sum of `Pss` over the worker's process tree every {args.sample_interval} s; "
             "service JVMs log GC pauses (`-Xlog:gc`) for the diagnostics")
    L.append("")

    if workers:
        L.append("## Worker: service vs floor")
        L.append("")
        L.append("Times in ms. *queue* = createdAt→startedAt, *work* = startedAt→finishedAt, *e2e* = "
                 "createdAt→finishedAt, all from the Job JSON (server clocks). *floor* = bare Playwright, "
                 "new context per job, per-job time. jobs/min = jobs ÷ (last finishedAt − first createdAt) "
                 "for the service, jobs ÷ wall time of the timed part for the floor.")
        L.append("")
        L.append("| slots | jobs ok | jobs/min | floor jobs/min | work p50 / p95 / p99 | floor p50 / p95 / p99 | "
                 "work÷floor p50 (mean) | queue p50 | e2e p50 / p95 / p99 | PSS peak / steady MB | procs | load avg |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for w in workers:
            fl = floor_by.get(("context", w["slots"]))
            if "work" not in w:
                L.append(f"| {w['slots']} | {w['ok']}/{w['n']} | – | | | | | | | | | {w['load'][0]} |")
                continue
            fw = fl["work"] if fl else None
            ratio50 = w["work"]["p50"] / fw["p50"] if fw else None
            ratio_mean = w["work"]["mean"] / fw["mean"] if fw else None
            w["ratio50"], w["ratio_mean"] = ratio50, ratio_mean
            L.append(
                f"| {w['slots']} | {w['ok']}/{w['n']} | {fmt(w['jobs_per_min'], 1)} | "
                f"{fmt(fl['jobs_per_min'], 1) if fl else '–'} | "
                f"{fmt(w['work']['p50'])} / {fmt(w['work']['p95'])} / {fmt(w['work']['p99'])} | "
                + (f"{fmt(fw['p50'])} / {fmt(fw['p95'])} / {fmt(fw['p99'])} | " if fw else "– | ")
                + f"{fmt(ratio50, 2)} ({fmt(ratio_mean, 2)}) | {fmt(w['queue']['p50'])} | "
                f"{fmt(w['e2e']['p50'])} / {fmt(w['e2e']['p95'])} / {fmt(w['e2e']['p99'])} | "
                f"{fmt(w.get('pss_peak_mb'))} / {fmt(w.get('pss_steady_mb'))} | {w.get('procs_max', '–')} | "
                f"{w['load'][0]} → {w['load'][1]} |")
        L.append("")
        http_floors = [f for f in floors if f["mode"] == "http"]
        if http_floors:
            L.append("Like-for-like floor: the service's zxfw fast path never opens a browser context, so the "
                     "same program without the context (java.net.http only) is shown too:")
            L.append("")
            L.append("| slots | floor-http p50 / p95 / p99 | floor-http jobs/min | work÷floor-http p50 (mean) | load avg |")
            L.append("| --- | --- | --- | --- | --- |")
            for f in http_floors:
                w = next((x for x in workers if x["slots"] == f["threads"] and "work" in x), None)
                r50 = w["work"]["p50"] / f["work"]["p50"] if w else None
                rm = w["work"]["mean"] / f["work"]["mean"] if w else None
                if w:
                    w["ratio_http50"], w["ratio_http_mean"] = r50, rm
                L.append(f"| {f['threads']} | {fmt(f['work']['p50'])} / {fmt(f['work']['p95'])} / "
                         f"{fmt(f['work']['p99'])} | {fmt(f['jobs_per_min'], 1)} | {fmt(r50, 2)} ({fmt(rm, 2)}) | "
                         f"{f['load'][0]} → {f['load'][1]} |")
            L.append("")
        L.append("Where the service's time goes (diagnostics):")
        L.append("")
        L.append("| slots | idle submit→RUNNING hop p50 (one job at a time, after the warm-up) | first job's queue wait in the burst | "
                 "slot utilisation Σwork ÷ (slots × span) | slot time between jobs, ms/job | max RUNNING at once | "
                 "worker CPU s/job | of which JIT compiling | worker GC pauses (count, total, max ms) |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for w in workers:
            if "work" not in w:
                continue
            L.append(f"| {w['slots']} | {fmt(w['idle_hop'].get('p50'))} ms (n={w['idle_hop']['n']}) | "
                     f"{fmt(w['first_hop_ms'])} ms | {fmt(w['utilisation'] * 100, 1)} % | "
                     f"{fmt(w['between_jobs_ms'])} | {w['max_concurrency']} | {fmt(w['cpu_s_per_job'], 3)} | "
                     + (f"{fmt(w['jit_s_per_job'], 3)} ({fmt(100 * w['jit_share'], 0)} %) | "
                        if w.get("jit_share") is not None else "– | ")
                     + (f"{w['gc']['count']}, {fmt(w['gc']['total_ms'], 1)}, {fmt(w['gc']['max_ms'], 1)} |" if w.get("gc") else "– |"))
        L.append("")
        L.append("Per-job and per-document cost, least squares over the timed jobs: time = a + b × documents "
                 "(ms). The service's b includes storing each document in PostgreSQL; the floor's, writing it to a file.")
        L.append("")
        L.append("| slots | service a / b | floor (context) a / b | floor (http) a / b |")
        L.append("| --- | --- | --- | --- |")
        for w in workers:
            if "work" not in w:
                continue
            cells = []
            for f in (w.get("fit"), (floor_by.get(("context", w["slots"])) or {}).get("fit"),
                      (floor_by.get(("http", w["slots"])) or {}).get("fit")):
                cells.append(f"{fmt(f[0])} / {fmt(f[1])}" if f else "–")
            L.append(f"| {w['slots']} | " + " | ".join(cells) + " |")
        L.append("")
        if any(w.get("doc_timing") for w in workers):
            L.append("Inside the service's work, from each document's `created_at` (stamped in the intake transaction "
                     "before its row and bytes are written), medians in ms: *to first document* = list call + first "
                     "download + hashing; *between documents* = next download + reading and hashing it (writing the "
                     "previous document overlaps that download since commit 6b47c2f); *last "
                     "document → finishedAt* = writing the last document, closing the job's session, the success "
                     "transaction's lock. The floor's comparable figures: its per-document slope b above, and nothing "
                     "after its last download.")
            L.append("")
            L.append("| slots | to first document | between documents | last document → finishedAt p50 (mean) |")
            L.append("| --- | --- | --- | --- |")
            for w in workers:
                d = w.get("doc_timing")
                if d:
                    L.append(f"| {w['slots']} | {fmt(d['to_first_doc_p50'])} | {fmt(d['between_docs_p50'])} | "
                             f"{fmt(d['last_doc_to_finish_p50'])} ({fmt(d['last_doc_to_finish_mean'])}) |")
            L.append("")
        for w in workers:
            if "ratio50" in w and w["ratio50"] is not None:
                ok = w["ratio50"] <= 1.10 and w["ratio_mean"] <= 1.10
                targets.append((f"per-job time ≤ 1.10× floor at {w['slots']} slot(s) (p50 and mean), issue's floor "
                                "(new browser context per job, which the service's zxfw fast path does not create)",
                                f"{w['ratio50']:.2f}× p50, {w['ratio_mean']:.2f}× mean", verdict(ok)))
            if w.get("ratio_http50") is not None:
                ok = w["ratio_http50"] <= 1.10 and w["ratio_http_mean"] <= 1.10
                targets.append((f"same, like-for-like floor at {w['slots']} slot(s) (http only, as the fast path)",
                                f"{w['ratio_http50']:.2f}× p50, {w['ratio_http_mean']:.2f}× mean", verdict(ok)))
        by_slots = {w["slots"]: w for w in workers if "jobs_per_min" in w}
        if 1 in by_slots and 2 in by_slots:
            sc = by_slots[2]["jobs_per_min"] / by_slots[1]["jobs_per_min"]
            targets.append(("2 slots ≥ 1.6× throughput of 1 slot", f"{sc:.2f}×",
                            verdict(sc >= 1.6) + (" on paper, but unreliable (see ⚠ above)" if sc > 2.1 else "")))
            fl1, fl2 = floor_by.get(("context", 1)), floor_by.get(("context", 2))
            if fl1 and fl2:
                L.append(f"Scaling 1→2 slots: service {sc:.2f}×, floor {fl2['jobs_per_min'] / fl1['jobs_per_min']:.2f}× "
                         "(the floor shows what the machine allows at that moment). Load average during the service "
                         f"phases: {by_slots[1]['load'][0]} (1 slot) and {by_slots[2]['load'][0]} (2 slots).")
                L.append("")
            if sc > 2.1:
                L.append(f"⚠ Scaling above 2× with 2 slots cannot come from the slots alone: the two phases ran at "
                         "different moments and the machine was less busy (or the 1-slot phase was disturbed) in between. "
                         "Treat this figure as unreliable on this run.")
                L.append("")

    if browser and browser.get("work"):
        b = browser
        L.append("## zxfw through Chromium")
        L.append("")
        L.append(f"The simulator refuses direct list-API calls, so the service's zxfw adapter takes the portal page in "
                 f"Chromium (a warm browser, a new context per job), the path jysd, sfdw and gdems always take. "
                 f"1 slot, {b['n']} jobs at once after {args.warmup} warm-up jobs"
                 + (f" and {HOP_PROBES} one at a time. " if b.get("warm_up_at_once") else " submitted one at a time. ")
                 + f"No floor here: the floor programs read the list API directly. PSS = worker JVM plus its Chromium "
                 f"processes.")
        L.append("")
        L.append("| jobs ok | jobs/min | work p50 / p95 / p99 | one job alone: submit→RUNNING p50, work p50 | "
                 "PSS peak / steady MB | JVM PSS peak MB | processes (max) | load avg |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        L.append(f"| {b['ok']}/{b['n']} | {fmt(b['jobs_per_min'], 1)} | {fmt(b['work']['p50'])} / {fmt(b['work']['p95'])} / "
                 f"{fmt(b['work']['p99'])} | {fmt(b['idle_hop']['p50'])} ms, {fmt(b['idle_work']['p50'])} ms | "
                 f"{fmt(b.get('pss_peak_mb', 0))} / {fmt(b.get('pss_steady_mb', 0))} | {fmt(b.get('jvm_pss_peak_mb', 0))} | "
                 f"{b.get('procs_max', '?')} | {b['load'][0]} → {b['load'][1]} |")
        L.append("")
    if soak:
        L.append("## Memory over time")
        L.append("")
        if "pss_growth" in soak:
            L.append(f"{soak['n']} jobs through one worker with {soak['slots']} slot(s) "
                     f"({soak['ok']} succeeded, {fmt(soak.get('jobs_per_min'), 1)} jobs/min, "
                     f"load {soak['load'][0]} → {soak['load'][1]}). PSS of the worker tree, median of the samples "
                     "within ±1 s of the moment the job finished:")
            L.append("")
            L.append(f"| after job {soak['early_job']} | after job {soak['n']} | growth | peak |")
            L.append("| --- | --- | --- | --- |")
            L.append(f"| {fmt(soak['pss_early_mb'])} MB | {fmt(soak['pss_last_mb'])} MB | "
                     f"{soak['pss_growth'] * 100:+.1f} % | {fmt(soak.get('pss_peak_mb'))} MB |")
            L.append("")
            label = f"memory after {soak['n']} jobs within 10% of after {soak['early_job']}"
            if soak["n"] < 500:
                label += f" (run with {soak['n']} jobs, the target asks for 500)"
            targets.append((label, f"{soak['pss_growth'] * 100:+.1f} %", verdict(abs(soak["pss_growth"]) <= 0.10)))
        else:
            L.append("Soak too short for the early checkpoint; no figure.")
            L.append("")

    if api and (api.get("wrk") or api.get("pgbench")):
        L.append("## API")
        L.append("")
        w, pg, cold = api.get("wrk"), api.get("pgbench"), api.get("wrk_cold")
        jit = getattr(args, "wrk_jit_warmup", 0) if cold else 0
        when = (f"once {args.wrk_warmup} s after the api's first request (*just started*) and again after "
                f"{jit} s more of unmeasured load (*warm*; the targets are judged on this one)" if cold else
                f"after {args.wrk_warmup} s of unmeasured warm-up")
        L.append(f"`POST /api/v1/jobs` with wrk, {args.wrk_connections} connections, {args.wrk_threads} threads, "
                 f"{args.wrk_duration} s {when}, worker stopped (jobs pile up in the queue); pgbench with a one-row "
                 f"insert script (`-M prepared`), same connections, threads and duration, same PostgreSQL.")
        L.append("")
        L.append("| tool | rate /s | p50 ms | p99 ms | notes | load avg |")
        L.append("| --- | --- | --- | --- | --- | --- |")
        for label, run in (("wrk → API, just started", cold), ("wrk → API, warm" if cold else "wrk → API", w)):
            if run:
                L.append(f"| {label} | {fmt(run['rps_ok'], 1)} | {fmt(run['p50_us'] / 1000, 1)} | "
                         f"{fmt(run['p99_us'] / 1000, 1)} | "
                         f"{run['requests']} requests, {run['status_errors']} non-2xx, {run['timeouts']} timeouts; "
                         f"{run['rows_stored']} jobs stored¹; api CPU {run['api_cpu_ms_per_request']:.1f} ms/request; "
                         f"{relayed(run)}; {fmt(run.get('queue_purged_before'), 0)} earlier messages purged from the jobs queue "
                         f"before it² | {run['load'][0]} → {run['load'][1]} |")
        if pg:
            L.append(f"| pgbench insert | {fmt(pg['tps'], 1)} | {fmt(pg['p50_ms'], 1)} | {fmt(pg['p99_ms'], 1)} | "
                     f"{pg['transactions']} transactions | {pg['load'][0]} → {pg['load'][1]} |")
        L.append("")
        if w:
            L.append("¹ jobs stored can exceed the requests wrk counted: requests still in flight when wrk stops "
                     "complete on the server. api CPU = user+system time of the api JVM during the measured run ÷ "
                     "requests. A batch (results up to 2026-12-05-1947, when the relay still marked rows sent) = "
                     "one relay transaction with one publisher-confirm wait. "
                     "² each measured run starts once the relay has sent every outbox row, with the jobs queue "
                     "purged: the worker is stopped, and the earlier load's messages would otherwise leave a queue "
                     "hundreds of thousands deep, which costs RabbitMQ about twice the CPU per message a consumed "
                     "queue does; the run's own messages pile up as before.")
            L.append("")
        runs = [(label, run) for label, run in (("wrk → API, warm" if cold else "wrk → API", w), ("pgbench insert", pg))
                if run and run.get("cpu_ms")]
        if runs:
            parts = ("api", "PostgreSQL", "RabbitMQ", "load generator", "other", "machine")
            L.append("Where the CPU went, in ms of CPU per request (per transaction for pgbench): the api JVM, "
                     "PostgreSQL's processes, RabbitMQ's, the load generator (wrk or pgbench), everything else on the "
                     f"machine, and the machine's total; {os.cpu_count()} cores give "
                     f"{os.cpu_count() * 1000} ms of CPU per second, so the machine column bounds the rate.")
            L.append("")
            L.append("| run | " + " | ".join(parts) + " |")
            L.append("| --- |" + " --- |" * len(parts))
            for label, run in runs:
                L.append(f"| {label} | " + " | ".join(f"{run['cpu_ms'][k]:.3f}" for k in parts) + " |")
            L.append("")
        if api.get("idle_cpu_cores") is not None:
            L.append(f"api CPU while idle (5 s, starting 10 s after the relay had sent the last outbox row of the warm "
                     f"run): {api['idle_cpu_cores']:.3f} cores"
                     + (" (busiest threads: " + ", ".join(f"{n} {c:.2f}" for n, c in api["idle_cpu_threads"]) + ")"
                        if api.get("idle_cpu_threads") else "")
                     + "; a request context left spinning after a client disconnect (quarkusio/quarkus#55116) "
                     "would show in executor or event-loop threads, the JIT finishing its queue in compiler threads.")
            L.append("")
        if api.get("gc"):
            g = api["gc"]
            L.append(f"GC pauses of the api JVM during the measured wrk run: {g['count']}, {g['total_ms']:.1f} ms in "
                     f"total, longest {g['max_ms']:.1f} ms.")
            L.append("")
        if api.get("thread_dumps"):
            L.append("api request threads in 3 thread dumps taken in the last 10 s of the unmeasured load before the "
                     "warm run (thread-samples): "
                     + "; ".join(f"{k}: {v}" for k, v in sorted(api["thread_dumps"].items(), key=lambda kv: -kv[1])))
            L.append("")
        if w and pg:
            ratio = w["rps_ok"] / pg["tps"]
            api["ratio"] = ratio
            L.append(f"API ÷ pgbench: **{ratio * 100:.1f} %**")
            L.append("")
            targets.append(("API ≥ 50% of pgbench one-row inserts", f"{ratio * 100:.1f} %", verdict(ratio >= 0.5)))
        if w:
            targets.append(("API p99 < 50 ms", f"{w['p99_us'] / 1000:.1f} ms", verdict(w["p99_us"] < 50_000)))

    if api and api.get("list"):
        li = api["list"]
        L.append("## List query")
        L.append("")
        L.append(f"`GET /api/v1/jobs?…` with wrk, 1 and {args.list_connections} connections, {args.list_duration} s per query and count, "
                 f"over {li['table_rows']} jobs ({li['rows']} inserted for this phase, half of them the caller's "
                 f"tenant, mostly SUCCEEDED). db ms = PostgreSQL's own execution time of the page query (EXPLAIN ANALYZE).")
        L.append("")
        L.append("| query | connections | req/s | p50 ms | p95 ms | p99 ms | db ms | non-2xx | load avg |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for q in li["queries"]:
            L.append(f"| `?{q['query']}` | {q.get('connections', args.list_connections)} | {fmt(q['rps'], 0)} | {fmt(q['p50_us'] / 1000, 1)} | {fmt(q['p95_us'] / 1000, 1)} | "
                     f"{fmt(q['p99_us'] / 1000, 1)} | {fmt(q.get('db_ms'), 2)} | {q['status_errors']} | "
                     f"{q['load'][0]} → {q['load'][1]} |")
        L.append("")
        for conns in sorted({q.get("connections", args.list_connections) for q in li["queries"]}):
            worst = max(q["p95_us"] for q in li["queries"] if q.get("connections", args.list_connections) == conns)
            targets.append((f"list p95 < 20 ms over {li['table_rows']} jobs (worst query, {conns} connection(s))",
                            f"{worst / 1000:.1f} ms", verdict(worst < 20_000)))

    L.append("## Targets")
    L.append("")
    L.append("| target | measured | verdict |")
    L.append("| --- | --- | --- |")
    for t in targets:
        L.append(f"| {t[0]} | {t[1]} | {t[2]} |")
    measured = " ".join(t[0] for t in targets)
    if "soak" not in measured and "memory" not in measured:
        L.append("| memory after 500 jobs within 10% of after 50 | not run (`--soak 0`) | – |")
    L.append("")
    L.append(f"Chart: `{png_path.name}`; per-job rows: `{jobs_csv.name}`; summary figures: `{csv_path.name}`. "
             f"Logs of this run (not committed): `{run_dir.relative_to(ROOT)}`.")
    L.append("")
    md_path.write_text("\n".join(L))

    # summary CSV
    with open(csv_path, "w", newline="") as f:
        c = csv.writer(f)
        c.writerow(["section", "slots", "metric", "value", "unit", "load_avg"])
        for w in workers:
            if "work" not in w:
                continue
            for key, unit in (("jobs_per_min", "jobs/min"), ("utilisation", "fraction"), ("between_jobs_ms", "ms"),
                              ("first_hop_ms", "ms"), ("cpu_s_per_job", "s"), ("jit_s_per_job", "s"), ("jit_share", "fraction"),
                              ("pss_peak_mb", "MB"),
                              ("pss_steady_mb", "MB"), ("ratio50", "x"), ("ratio_mean", "x")):
                if w.get(key) is not None:
                    c.writerow(["worker", w["slots"], key, f"{w[key]:.4f}", unit, w["load"][0]])
            for part in ("queue", "work", "e2e", "idle_hop"):
                for p in ("p50", "p95", "p99", "mean"):
                    if p in w[part]:
                        c.writerow(["worker", w["slots"], f"{part}_{p}", f"{w[part][p]:.1f}", "ms", w["load"][0]])
        for fl in floors:
            c.writerow([f"floor-{fl['mode']}", fl["threads"], "jobs_per_min", f"{fl['jobs_per_min']:.4f}", "jobs/min",
                        fl["load"][0]])
            for p in ("p50", "p95", "p99", "mean"):
                c.writerow([f"floor-{fl['mode']}", fl["threads"], f"work_{p}", f"{fl['work'][p]:.1f}", "ms", fl["load"][0]])
        if soak and "pss_growth" in soak:
            c.writerow(["soak", soak["slots"], f"pss_after_job_{soak['early_job']}", f"{soak['pss_early_mb']:.1f}", "MB", soak["load"][0]])
            c.writerow(["soak", soak["slots"], f"pss_after_job_{soak['n']}", f"{soak['pss_last_mb']:.1f}", "MB", soak["load"][1]])
            c.writerow(["soak", soak["slots"], "pss_growth", f"{soak['pss_growth']:.4f}", "fraction", soak["load"][1]])
        for key in ("wrk", "wrk_cold"):
            if api.get(key):
                w = api[key]
                c.writerow(["api", "", f"{key}_rps_2xx", f"{w['rps_ok']:.1f}", "req/s", w["load"][0]])
                c.writerow(["api", "", f"{key}_p99", f"{w['p99_us'] / 1000:.2f}", "ms", w["load"][0]])
                cpu_rows(c, key, w, "ms/request")
        if api.get("idle_cpu_cores") is not None:
            c.writerow(["api", "", "idle_cpu_after_wrk", f"{api['idle_cpu_cores']:.3f}", "cores", ""])
        if api.get("pgbench"):
            pg = api["pgbench"]
            c.writerow(["api", "", "pgbench_tps", f"{pg['tps']:.1f}", "tx/s", pg["load"][0]])
            c.writerow(["api", "", "pgbench_p99", f"{pg['p99_ms']:.2f}", "ms", pg["load"][0]])
            cpu_rows(c, "pgbench", pg, "ms/transaction")
        if api.get("ratio") is not None:
            c.writerow(["api", "", "api_over_pgbench", f"{api['ratio']:.4f}", "fraction", ""])
        for q in (api.get("list") or {}).get("queries", []):
            c.writerow(["list", q.get("connections", ""), f"p95 ?{q['query']}", f"{q['p95_us'] / 1000:.2f}", "ms",
                        q["load"][0]])
    return md_path, csv_path, png_path, jobs_csv


def write_jobs_csv(path, worker_phases, floor_runs, soak_phase):
    with open(path, "w", newline="") as f:
        c = csv.writer(f)
        c.writerow(["kind", "slots", "index", "status", "queue_ms", "work_ms", "e2e_ms", "docs", "bytes"])
        for ph in worker_phases + ([soak_phase] if soak_phase else []):
            kind = "soak" if ph is soak_phase else "service"
            for i, r in enumerate(sorted(ph["rows"], key=lambda r: r["created"])):
                c.writerow([kind, ph["slots"], i, r["status"]] + [
                    "" if r[k] is None else f"{r[k]:.1f}" for k in ("queue_ms", "work_ms", "e2e_ms")] + [r["docs"], r["bytes"]])
        for fl in floor_runs:
            for r in fl["rows"]:
                c.writerow([f"floor-{fl['mode']}", fl["threads"], int(r["index"]), "SUCCEEDED", "", f"{r['work_ms']:.1f}",
                            "", int(r["docs"]), int(r["bytes"])])


def chart(path, workers, floors, worker_phases, soak, soak_phase, api, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib missing (apt-get install -y python3-matplotlib): no chart")
        return False
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    fig.suptitle(title, fontsize=11)
    ws = [w for w in workers if "work" in w]
    slots = [w["slots"] for w in ws]
    xs = list(range(len(slots)))

    ax = axes[0][0]
    width = 0.27
    ax.bar([x - width for x in xs], [w["jobs_per_min"] for w in ws], width, label="service")
    for k, (mode, lab) in enumerate((("context", "floor (context/job)"), ("http", "floor (http only)"))):
        vals = [next((f["jobs_per_min"] for f in floors if f["mode"] == mode and f["threads"] == s), 0) for s in slots]
        if any(vals):
            ax.bar([x + width * k for x in xs], vals, width, label=lab)
    ax.set_xticks(xs, [f"{s} slot(s)" for s in slots])
    ax.set_ylabel("jobs / minute")
    ax.set_title("Throughput")
    ax.legend(fontsize=8)

    ax = axes[0][1]
    pcts = ("p50", "p95", "p99")
    series = [("service work", lambda s: next(w["work"] for w in ws if w["slots"] == s)),
              ("floor (context)", lambda s: next((f["work"] for f in floors if f["mode"] == "context" and f["threads"] == s), None)),
              ("floor (http)", lambda s: next((f["work"] for f in floors if f["mode"] == "http" and f["threads"] == s), None))]
    width = 0.8 / (len(series) * len(pcts))
    i = 0
    for (name, get), colour in zip(series, ("tab:blue", "tab:orange", "tab:green")):
        for p, alpha in zip(pcts, (1.0, 0.65, 0.35)):
            vals = [(get(s) or {}).get(p, 0) for s in slots]
            if any(vals):
                ax.bar([x - 0.4 + width * (i + 0.5) for x in xs], vals, width, color=colour, alpha=alpha,
                       label=f"{name} {p}")
            i += 1
    ax.set_xticks(xs, [f"{s} slot(s)" for s in slots])
    ax.set_ylabel("ms per job")
    ax.set_title("Per-job time percentiles (service: startedAt→finishedAt)")
    ax.legend(fontsize=6, ncol=3)

    ax = axes[1][0]
    for p, style in zip(pcts, ("o-", "s--", "^:")):
        ax.plot(slots, [w["e2e"][p] for w in ws], style, label=f"e2e {p}")
        ax.plot(slots, [w["queue"][p] for w in ws], style, alpha=0.4, label=f"queue {p}")
    ax.set_xticks(slots)
    ax.set_xlabel("slots")
    ax.set_ylabel("ms")
    ax.set_title("Service end to end and queue wait (burst of all jobs at once)")
    ax.legend(fontsize=7, ncol=2)

    ax = axes[1][1]
    for ph in worker_phases + ([soak_phase] if soak_phase else []):
        s = ph["samples"]
        if not s:
            continue
        t0 = s[0][0]
        ax.plot([x[0] - t0 for x in s], [x[1] / 1024 for x in s], label=ph["label"])
    ax.set_xlabel("seconds since sampling started")
    ax.set_ylabel("PSS MB (worker JVM + children)")
    title4 = "Worker memory"
    if api.get("wrk") and api.get("pgbench"):
        title4 += (f"   |   API {api['wrk']['rps_ok']:.0f}/s (p99 {api['wrk']['p99_us'] / 1000:.0f} ms) "
                   f"vs pgbench {api['pgbench']['tps']:.0f}/s")
    ax.set_title(title4, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    return True


# --------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run.sh", description="court-docs benchmark (see bench/README.md)")
    p.add_argument("--jobs", type=int, default=200, help="jobs per worker run (default 200)")
    p.add_argument("--docs", default="1-3", help="documents per job, N or MIN-MAX (default 1-3)")
    p.add_argument("--doc-kb", type=int, default=200, help="size of each document in KiB (default 200)")
    p.add_argument("--delay-ms", type=int, default=50, help="simulator delay per list answer and per file (default 50)")
    p.add_argument("--slots", default="1,2,4", help="worker slot counts to measure (default 1,2,4)")
    p.add_argument("--soak", type=int, default=500, help="jobs through one worker for the memory check; 0 = skip")
    p.add_argument("--soak-slots", type=int, default=2, help="slots of the soak worker (default 2)")
    p.add_argument("--warmup", type=int, default=5, help="untimed warm-up jobs per slot/thread (default 5)")
    p.add_argument("--floor-modes", default="context,http", help="floor variants: context, http (default both)")
    p.add_argument("--wrk-duration", type=int, default=15, help="seconds of wrk and of pgbench (default 15); 0 = skip API phase")
    p.add_argument("--wrk-warmup", type=int, default=5, help="seconds of unmeasured wrk before the measured run (default 5)")
    p.add_argument("--wrk-jit-warmup", type=int, default=120,
                   help="seconds of unmeasured wrk between the just-started and the warm API run; 0 = one run only (default 120)")
    p.add_argument("--wrk-connections", type=int, default=16)
    p.add_argument("--list-rows", type=int, default=100000,
                   help="jobs inserted for the list-query phase (default 100000); 0 = skip")
    p.add_argument("--list-duration", type=int, default=10, help="seconds of wrk per list query (default 10)")
    p.add_argument("--list-connections", type=int, default=4, help="wrk connections for the list phase (default 4)")
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--sample-interval", type=float, default=0.5, help="PSS sampling interval, s")
    p.add_argument("--token", default=os.environ.get("BENCH_TOKEN", ""),
                   help="bearer token for the API (default: env BENCH_TOKEN; unset: one signed with the "
                        "committed TEST key by docs/dev-token.sh, which the started service is told to trust)")
    p.add_argument("--service-java-opts", default=os.environ.get("BENCH_SERVICE_JAVA_OPTS", ""),
                   help="JVM options for the service processes (default: env BENCH_SERVICE_JAVA_OPTS)")
    p.add_argument("--pg-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    p.add_argument("--pg-port", type=int, default=int(os.environ.get("PGPORT", "5432")))
    p.add_argument("--pg-user", default=os.environ.get("PGUSER", "postgres"))
    p.add_argument("--pg-db", default=os.environ.get("PGDATABASE", "postgres"))
    p.add_argument("--autovacuum-naptime", type=int, default=60,
                   help="seconds between the harness's VACUUM ANALYZE rounds when PostgreSQL's autovacuum is off (default 60)")
    p.add_argument("--browser-jobs", type=int, default=30,
                   help="jobs through a 1-slot worker with the zxfw fast path refused (Chromium path); 0 = skip (default 30)")
    p.add_argument("--seed", type=int, default=42, help="seed for document counts and contents")
    p.add_argument("--note", default="", help="a line printed at the top of the results, e.g. 'shared machine'")
    p.add_argument("--out", default=str(BENCH / "results"), help="results directory (default bench/results)")
    return p.parse_args(argv)


def fast_path(sim, on):
    with urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{sim['controlPort']}/fast-path?on={1 if on else 0}", method="POST"), timeout=30) as r:
        r.read()


def main(argv):
    if argv[:1] == ["--render"]:
        # bench/run.sh --render bench/target/runs/<run> [OUT_DIR]: rewrite the results of a finished run
        run_dir = Path(argv[1]).resolve()
        out_dir = Path(argv[2]) if len(argv) > 2 else BENCH / "results"
        out_dir.mkdir(parents=True, exist_ok=True)
        md = render(json.loads((run_dir / "phases.json").read_text()), run_dir, out_dir)
        log(f"results: {md}")
        return
    args = parse_args(argv)
    args.command_line = "bench/run.sh " + shlex.join(argv)
    args.token_given = bool(args.token)
    if not args.token:
        # court-service: a machine client that submits and reads, like the bench; tenant 'bench'
        args.token = subprocess.run(["bash", str(ROOT / "docs/dev-token.sh"), "bench", "court-service", "bench"],
                                    env={**os.environ, "LIFETIME": "86400"}, capture_output=True, text=True,
                                    check=True).stdout.strip()
    if args.pg_host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("this harness only talks to 127.0.0.1")
    dmin, _, dmax = args.docs.partition("-")
    dmin, dmax = int(dmin), int(dmax or dmin)
    slot_list = [int(s) for s in args.slots.split(",") if s.strip()]
    modes = [m for m in args.floor_modes.split(",") if m.strip()]
    started = dt.datetime.now()
    args.run_id = "bench-" + started.strftime("%Y%m%d%H%M%S")
    args.image_java_opts = {role: image_java_opts(role) for role in ("api", "worker")}
    run_dir = BENCH / "target" / "runs" / started.strftime("%Y-%m-%d-%H%M%S")
    run_dir.mkdir(parents=True, exist_ok=True)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    load_start = loadavg()
    log(f"run {args.run_id}; logs in {run_dir}; load average {load_start}")
    facts = machine_facts(args)

    # fresh schema and queues for this run (both belong to the bench alone)
    psql(args, f"drop schema if exists {SCHEMA} cascade")
    rabbit_delete_bench_queues()

    autovacuum = None
    if psql(args, "show autovacuum", check=False) == "off":
        autovacuum = AutovacuumStandIn(args, args.autovacuum_naptime)
        autovacuum.start()
        log(f"PostgreSQL runs with autovacuum off: VACUUM ANALYZE of {SCHEMA} every {args.autovacuum_naptime} s instead")

    ready = run_dir / "sim.ready"
    spawn(["java", "-Xmx1g", "-cp", CLASSPATH, "BenchSim", "--ready-file", str(ready), "--delay-ms", str(args.delay_ms)],
          run_dir / "sim.log")
    end = time.time() + 60
    while not ready.exists():
        if time.time() > end:
            raise RuntimeError("simulator did not start; see sim.log")
        time.sleep(0.2)
    sim = json.loads(ready.read_text())
    proxy = f"http://127.0.0.1:{sim['proxyPort']}"
    n_links = max(args.jobs, 1)
    with urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{sim['controlPort']}/deliveries?n={n_links}&min={dmin}&max={dmax}&kb={args.doc_kb}"
            f"&seed={args.seed}", method="POST"), timeout=300) as r:
        links = [l for l in r.read().decode().splitlines() if l.strip()]
    links_file = run_dir / "links.txt"
    links_file.write_text("\n".join(links) + "\n")
    log(f"simulator: proxy {proxy}, {len(links)} deliveries registered")

    svc = Service(args, run_dir, proxy)
    api_proc, api_port = svc.start("api", 2, name="api")
    api = Api(f"http://127.0.0.1:{api_port}", args.token)

    worker_phases, floor_runs, soak_phase = [], [], None
    for s in slot_list:
        if "context" in modes:
            log(f"floor (context per job), {s} thread(s), {args.jobs} jobs; load {loadavg()}")
            floor_runs.append(run_floor(args, links_file, proxy, s, "context", args.jobs, run_dir))
        log(f"service, worker with {s} slot(s), {args.jobs} jobs; load {loadavg()}")
        worker_phases.append(run_worker_phase(args, svc, api, links, s, f"s{s}", args.jobs, run_dir))
        if "http" in modes:
            log(f"floor (http only), {s} thread(s), {args.jobs} jobs; load {loadavg()}")
            floor_runs.append(run_floor(args, links_file, proxy, s, "http", args.jobs, run_dir))

    if args.soak > 0:
        log(f"soak: {args.soak} jobs through one worker with {args.soak_slots} slot(s); load {loadavg()}")
        soak_phase = run_worker_phase(args, svc, api, links, args.soak_slots, f"soak-s{args.soak_slots}", args.soak, run_dir)

    browser_phase = None
    if args.browser_jobs > 0:
        log(f"zxfw through Chromium: {args.browser_jobs} jobs, 1 slot, fast path refused; load {loadavg()}")
        fast_path(sim, False)
        try:
            browser_phase = run_worker_phase(args, svc, api, links, 1, "browser-s1", args.browser_jobs, run_dir)
        finally:
            fast_path(sim, True)

    api_res = {}
    if args.wrk_duration > 0:
        log(f"API phase (no worker running); load {loadavg()}")
        api_res = run_api_phase(args, api_proc, api_port, links[0], run_dir)
    if args.list_rows > 0:
        if shutil.which("wrk"):
            log(f"list phase: {args.list_rows} jobs; load {loadavg()}")
            api_res["list"] = run_list_phase(args, api_port, run_dir)
        else:
            log("wrk not installed: list figures skipped (apt-get install -y wrk)")

    stop(api_proc)
    load_end = loadavg()
    facts["autovacuum"] = ("on (PostgreSQL's own)" if autovacuum is None else
                           f"off on this machine; the harness ran VACUUM ANALYZE of its schema every "
                           f"{args.autovacuum_naptime} s instead ({autovacuum.finish()} rounds)")

    # Everything measured, so the results can be rendered again (--render) without re-running.
    saved = {"args": {k: v for k, v in vars(args).items() if k not in ("token", "token_given")}, "facts": facts,
             "started": started.isoformat(), "load_start": load_start, "load_end": load_end,
             "worker_phases": worker_phases, "floor_runs": floor_runs, "soak_phase": soak_phase, "api": api_res,
             "browser_phase": browser_phase}
    with open(run_dir / "phases.json", "w") as f:
        json.dump(saved, f, default=str)
    stop_all()
    rabbit_delete_bench_queues()
    md = render(saved, run_dir, out_dir)
    log(f"results: {md}")
    print(md.read_text())


def saved_image_opts(args):
    """The images' JVM options as this run used them; runs before they were applied used none."""
    return getattr(args, "image_java_opts", None) or {"api": [], "worker": []}


def relayed(run):
    """What the relay did with a measured run's jobs, in the words of the run's harness."""
    if "relay_batches" in run:  # the relay marked rows sent, one mark per batch
        return f"{run['outbox_sent']} of {run['outbox_rows']} outbox rows relayed in {run['relay_batches']} batches"
    return (f"{run['outbox_left']} outbox rows left unsent; {fmt(run.get('queue_depth_after'), 0)} messages in the "
            f"jobs queue after it")


def render(saved, run_dir, out_dir):
    args = argparse.Namespace(**saved["args"])
    facts, api_res = saved["facts"], saved["api"]
    worker_phases, floor_runs, soak_phase = saved["worker_phases"], saved["floor_runs"], saved["soak_phase"]
    started = dt.datetime.fromisoformat(saved["started"])
    load_start, load_end = saved["load_start"], saved["load_end"]
    workers = [analyse_worker(ph) for ph in worker_phases]
    floors = [analyse_floor(f) for f in floor_runs]
    soak = analyse_soak(soak_phase, 50 if args.soak >= 100 else max(1, args.soak // 10)) if soak_phase else None
    browser = analyse_worker(saved["browser_phase"]) if saved.get("browser_phase") else None
    md, csv_path, png, jobs_csv = write_results(args, facts, workers, floors, soak, api_res, out_dir, run_dir, started,
                                                load_start, load_end, browser)
    write_jobs_csv(jobs_csv, worker_phases, floor_runs, soak_phase)
    title = f"court-docs bench {started.strftime('%Y-%m-%d %H:%M')}: {args.jobs} jobs, {args.docs} docs × " \
            f"{args.doc_kb} KiB, delay {args.delay_ms} ms; load avg {load_start} → {load_end}"
    if args.note:
        title += "\n" + args.note
    if not chart(png, workers, floors, worker_phases, soak, soak_phase, api_res, title):
        md.write_text(md.read_text().replace(f"Chart: `{png.name}`", "Chart: not drawn (matplotlib missing)"))
    with open(run_dir / "raw.json", "w") as f:
        json.dump({"workers": workers, "floors": floors, "soak": soak, "api": api_res, "facts": facts}, f, indent=1,
                  default=str)
    return md


if __name__ == "__main__":
    main(sys.argv[1:])
