"""Ingest benchmark: the real ingest endpoints against a bare insert view, same server.

    .venv/bin/python bench/ingest/run.py [--seconds 10] [--workers 2]

Creates a fresh PostgreSQL database, migrates it, creates an Enterprise workspace with
limits too high to matter, starts gunicorn (one sync worker per core, DEBUG off) on a free
loopback port with PostgreSQL + Redis, and drives it from separate load-generator
processes (asyncio, raw HTTP/1.1, one connection per request as gunicorn's sync workers do):

1. closed loop at saturation: bare insert, then POST /v1/ingest/llm-request;
2. open loop at half the bare insert's throughput: both again, latency measured from the
   scheduled send time (so a stalled server cannot hide its queue);
3. closed loop, POST /v1/ingest/llm-requests with 1,000-row batches: rows/s.

Prints a table and writes bench/results/ingest.json. Needs PostgreSQL on 127.0.0.1:5432
(trust, user postgres) and Redis on 127.0.0.1:6379, as the test suite does.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "opsmeter_bench"
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
LOAD_PROCESSES = 2

ROW = {
    "provider": "openai",
    "model": "gpt-4o-mini",
    "promptVersion": "summarizer_v3",
    "endpointTag": "checkout.ai_summary",
    "userId": "u_042",
    "tenantId": "tenant_acme",
    "inputTokens": 1200,
    "outputTokens": 180,
    "cachedInputTokens": 300,
    "latencyMs": 820,
    "status": "success",
    "dataMode": "real",
    "environment": "prod",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each measured phase")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gunicorn gthread workers)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections in flight (closed loop)")
    parser.add_argument("--data-mode", default="real", choices=["real", "test"],
                        help="test rows skip the monthly allowance counter (to see what it costs)")  # fmt: skip
    args = parser.parse_args()

    ROW["dataMode"] = args.data_mode
    env = server_environment()
    prepare_database(env)
    raw_key, workspace_id = create_workspace(env)
    env["BENCH_WORKSPACE_ID"] = str(workspace_id)
    port = free_port()
    server = start_server(env, port, args.workers, args.threads)
    try:
        results = run_phases(port, raw_key, args)
    finally:
        server.terminate()
        server.wait(timeout=10)
    report(results, args)


def server_environment():
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG_SERVER}/{DB_NAME}",
        REDIS_URL=REDIS_URL,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="bench.ingest.settings",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare_database(env):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], capture_output=True, check=False)


def create_workspace(env):
    script = (
        "from workspaces.models import ApiKey, User, Workspace\n"
        "owner = User.objects.create_user('bench@example.com', 'bench-password-1')\n"
        "workspace = Workspace.create_with_owner('Bench', owner, plan='enterprise')\n"
        "workspace.custom_requests_per_month = 10**12\n"
        "workspace.custom_ingest_per_minute = 10**9\n"
        "workspace.save()\n"
        "_, raw_key = ApiKey.issue(workspace, 'bench', created_by=owner)\n"
        "print(raw_key, workspace.pk)\n"
    )
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return output[-2], int(output[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env, port, workers, threads):
    worker_class = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
    server = subprocess.Popen(
        [GUNICORN, "opsmeter.wsgi", "--workers", str(workers), *worker_class, "--bind", f"127.0.0.1:{port}",
         "--backlog", "2048", "--log-level", "warning", "--chdir", str(ROOT)],
        env=env,
    )  # fmt: skip
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


# --- load generation -------------------------------------------------------------------


def request_bytes(port, path, body, raw_key):
    payload = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"X-API-Key: {raw_key}\r\nContent-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + payload


def body_for(kind, tag, n):
    if kind == "bare":
        return {}
    if kind == "single":
        return {**ROW, "externalRequestId": f"{tag}-{n}"}
    return {"requests": [{**ROW, "externalRequestId": f"{tag}-{n}-{i}"} for i in range(1000)]}


PATHS = {"bare": "/bench/bare-insert", "single": "/v1/ingest/llm-request", "batch": "/v1/ingest/llm-requests"}


async def one_request(port, data):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        response = await reader.read()
    finally:
        writer.close()
    return int(response[9:12]) if len(response) > 12 else 0


async def closed_loop(port, kind, raw_key, tag, connections, seconds):
    samples = []
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def client():
        while time.perf_counter() < stop:
            data = request_bytes(port, PATHS[kind], body_for(kind, tag, next(counter)), raw_key)
            started = time.perf_counter()
            status = await one_request(port, data)
            samples.append((time.perf_counter() - started, status))

    await asyncio.gather(*(client() for _ in range(connections)))
    return samples


async def open_loop(port, kind, raw_key, tag, rate, seconds):
    samples, tasks = [], []
    interval = 1 / rate
    start = time.perf_counter()
    total = int(rate * seconds)
    prepared = [request_bytes(port, PATHS[kind], body_for(kind, tag, n), raw_key) for n in range(total)]

    async def send(n, scheduled):
        status = await one_request(port, prepared[n])
        samples.append((time.perf_counter() - scheduled, status))

    for n in range(total):
        scheduled = start + n * interval
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(n, scheduled)))
    await asyncio.gather(*tasks)
    return samples


def load_process(args):
    mode, port, kind, raw_key, tag, amount, seconds = args
    if mode == "closed":
        return asyncio.run(closed_loop(port, kind, raw_key, tag, amount, seconds))
    return asyncio.run(open_loop(port, kind, raw_key, tag, amount, seconds))


def drive(pool, mode, port, kind, raw_key, amount, seconds, phase):
    """Run one phase from LOAD_PROCESSES processes; `amount` is connections or requests/s in total."""
    share = amount / LOAD_PROCESSES if mode == "open" else max(1, int(amount // LOAD_PROCESSES))
    jobs = [(mode, port, kind, raw_key, f"{phase}-{p}", share, seconds) for p in range(LOAD_PROCESSES)]
    started = time.perf_counter()
    samples = [sample for part in pool.map(load_process, jobs) for sample in part]
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for latency, status in samples if status == 200)
    errors = sum(status != 200 for _, status in samples)
    return {
        "requests": len(samples),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
    }


def percentile(values, p):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def run_phases(port, raw_key, args):
    results = {}
    with multiprocessing.Pool(LOAD_PROCESSES) as pool:
        seconds, connections = args.seconds, args.concurrency
        drive(pool, "closed", port, "single", raw_key, connections, 2, "warmup-single")
        drive(pool, "closed", port, "bare", raw_key, connections, 2, "warmup-bare")
        results["bare_saturation"] = drive(pool, "closed", port, "bare", raw_key, connections, seconds, "bare")
        results["ingest_saturation"] = drive(pool, "closed", port, "single", raw_key, connections, seconds, "single")
        half = results["bare_saturation"]["requests_per_s"] / 2
        results["bare_open_loop"] = drive(pool, "open", port, "bare", raw_key, half, seconds, "bare-open")
        results["ingest_open_loop"] = drive(pool, "open", port, "single", raw_key, half, seconds, "single-open")
        results["offered_rate_per_s"] = round(half, 1)
        batch = drive(pool, "closed", port, "batch", raw_key, 4, seconds, "batch")
        batch["rows_per_s"] = round(batch["requests_per_s"] * 1000, 0)
        results["batch_saturation"] = batch
    results["ratio_single_to_bare"] = round(
        results["ingest_saturation"]["requests_per_s"] / results["bare_saturation"]["requests_per_s"], 3
    )
    return results


def report(results, args):
    workers = f"{args.workers} gthread workers × {args.threads} threads" if args.threads > 1 else f"{args.workers} sync workers"
    print(f"\nIngest benchmark — gunicorn {workers}, PostgreSQL + Redis, {os.cpu_count()} cores\n")
    print(f"{'phase':<34}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    rows = [
        ("bare insert, saturation", results["bare_saturation"]),
        ("ingest one row, saturation", results["ingest_saturation"]),
        (f"bare insert, open {results['offered_rate_per_s']}/s", results["bare_open_loop"]),
        (f"ingest one row, open {results['offered_rate_per_s']}/s", results["ingest_open_loop"]),
        ("ingest batch ×1000, saturation", results["batch_saturation"]),
    ]
    for name, figures in rows:
        print(f"{name:<34}{figures['requests_per_s']:>10}{figures['p50_ms']:>10}{figures['p99_ms']:>10}{figures['errors']:>8}")
    print(f"\nsingle-row / bare-insert throughput: {results['ratio_single_to_bare']:.0%}  (target ≥ 50%)")
    print(f"single-row p99 at half the baseline's rate: {results['ingest_open_loop']['p99_ms']} ms  (target ≤ 50 ms)")
    print(f"batch ingest: {results['batch_saturation']['rows_per_s']:.0f} rows/s  (target ≥ 20,000)")
    out = ROOT / "bench" / "results" / "ingest.json"
    out.parent.mkdir(exist_ok=True)
    results["server"] = {"workers": args.workers, "threads": args.threads, "cores": os.cpu_count()}
    results["data_mode"] = args.data_mode
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
