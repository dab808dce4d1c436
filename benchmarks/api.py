"""API benchmark: requests/s and latency of GET /api/search against `kilde serve` on loopback.

    .venv/bin/python benchmarks/api.py [--records 100000] [--db PATH] [--seconds 10] [--clients 4] [--no-write]

Builds a store of ``--records`` synthetic article records with the generator of ``benchmarks/store.py``
(or reuses the store at ``--db`` when it already holds that many), starts ``kilde serve`` on it in a
subprocess (uvicorn, one worker, the default settings) on a free loopback port, and drives it from this
process with ``--clients`` threads, each an httpx client with keep-alive, asking the same query in a
loop for ``--seconds`` (at most ``--max-requests``) after a warm-up. Reported per query: requests/s,
median and p95 latency as the client sees it, and the total of matches. Every answer must be a 200 with
the hits; the run fails otherwise. Traffic goes to 127.0.0.1 only and every loop is bounded.

Results go to ``benchmarks/results/api.json`` and the API section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from kilde.store.sqlite import SqliteStore
from results_file import git_commit, save_results
from store import DATA, _sentences, build_store

ROOT = Path(__file__).resolve().parents[1]
RESULTS_JSON = ROOT / "benchmarks" / "results" / "api.json"
START, END = "<!-- api:start -->", "<!-- api:end -->"
HEADING = "## REST API (kilde serve)"
DATE = "2026-11-25"

# (label, query parameters): words from common to rare, a phrase, a filtered search, a filter-only listing
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("common word", {"q": "regeringen"}),
    ("rare word", {"q": "folkeafstemningen"}),
    ("phrase", {"q": '"flere penge"'}),
    ("word + place filter", {"q": "storm", "place": "Esbjerg"}),
    ("listing by outlet, newest first", {"outlet": "Morgenposten"}),
]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def start_server(db: Path) -> tuple[subprocess.Popen[str], str]:
    """``kilde serve`` on a free loopback port; returns the process and its base URL (read from what it prints)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("KILDE_API_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from kilde.cli import main; main()", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", "0", "--log-level", "warning"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
    if not match:
        process.kill()
        raise RuntimeError(f"kilde serve did not start: {line}{process.stderr.read()}")
    url = match[1]
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/api", timeout=5).raise_for_status()
            return process, url
        except httpx.TransportError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.2)


def drive(url: str, params: dict[str, str], *, clients: int, seconds: float, max_requests: int, warmup: int) -> dict[str, Any]:
    """``clients`` threads asking ``GET /api/search`` with ``params`` until the time or the request budget is spent."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    total_matches: list[int] = []
    budget = threading.Semaphore(max_requests)
    stop = threading.Event()

    def client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            for _ in range(warmup):
                http.get("/api/search", params=params)
            barrier.wait()
            while not stop.is_set() and budget.acquire(blocking=False):
                started = time.perf_counter()
                response = http.get("/api/search", params=params)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200 or "hits" not in response.json():
                    errors.append(f"{response.status_code}: {response.text[:200]}")
                    stop.set()
                    return
                latencies[n].append(elapsed)
                if n == 0 and not total_matches:
                    total_matches.append(response.json()["total"])

    barrier = threading.Barrier(clients + 1)
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    stop.wait(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{params}: {errors[0]}")
    every = [x for xs in latencies for x in xs]
    return {
        "params": params,
        "requests": len(every),
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(every) / elapsed, 1),
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(_p95(every), 2),
        "matches": total_matches[0] if total_matches else None,
    }


def direct_ms(db: Path, rounds: int) -> dict[str, float]:
    """Median ms of ``Store.search`` in this process for each query, for comparison: what the API adds is the rest."""
    from kilde.store import Filters

    medians = {}
    with SqliteStore(db, create=False) as store:
        for label, params in QUERIES:
            query = params.get("q", "")
            filters = Filters(**{("event_type" if k == "event" else k): v for k, v in params.items() if k != "q"})
            store.search(query, filters=filters, limit=10)  # warm
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                store.search(query, filters=filters, limit=10)
                times.append((time.perf_counter() - started) * 1000)
            medians[label] = round(statistics.median(times), 2)
    return medians


def markdown(result: dict[str, Any]) -> str:
    lines = [
        START,
        f"{result['date']}, commit `{result['commit']}`. Command: `.venv/bin/python benchmarks/api.py --records {result['records']}"
        f" --seconds {result['seconds']} --clients {result['clients']}`. Load average before {result['load_before']} (2 cores, shared).",
        "",
        f"`GET /api/search` (ranked hits with total, snippets and highlights of the top 10, as JSON) against `kilde serve` (uvicorn, one worker)"
        f" on 127.0.0.1, over a store of {result['records']:,} synthetic records ({result['db_mb']:,} MB) made by the generator of"
        f" `benchmarks/store.py`; client threads (1: the service time; more: queueing on the store's one connection) with keep-alive in"
        f" another process, {result['seconds']} s per query after a warm-up. Latency is what the client measures (request to parsed answer).",
        "",
        "| query | clients | matches | requests | requests/s | median ms | p95 ms | `Store.search` in-process median ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['label']} `{json.dumps(r['params'], ensure_ascii=False)}` | {r['clients']} | {r['matches']:,} | {r['requests']:,} | **{r['requests_per_s']}** |"
        f" {r['median_ms']} | {r['p95_ms']} | {result['direct_ms'].get(r['label'], '')} |"
        for r in result["queries"]
    ]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="synthetic records in the store")
    parser.add_argument("--db", type=Path, help="build the store here (and reuse it when it already holds --records)")
    parser.add_argument("--seconds", type=float, default=10.0, help="timed seconds per query")
    parser.add_argument("--clients", default="1,4", help="concurrent client threads; a comma-separated list runs each query at each")
    parser.add_argument("--max-requests", type=int, default=200_000, help="at most this many timed requests per query")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per client before timing")
    parser.add_argument("--data", type=Path, default=DATA, help="where cdt_ddt is, for the generator's filler sentences")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update the results files")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kilde-api-bench-") as tmp:
        db = args.db or Path(tmp) / "api.db"
        count = 0
        if db.exists():
            with SqliteStore(db, create=False) as store:
                count = store.count()
        if count != args.records:
            if db.exists():
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
            print(f"building {args.records:,} synthetic records at {db} …", file=sys.stderr)
            build_store(db, args.records, args.seed, _sentences(args.data))
        else:
            print(f"reusing {db} ({count:,} records)", file=sys.stderr)
        load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        direct = direct_ms(db, rounds=max(3, int(args.seconds * 2)))
        process, url = start_server(db)
        try:
            print(f"kilde serve at {url}", file=sys.stderr)
            rows = []
            for clients in [int(c) for c in str(args.clients).split(",")]:
                for label, params in QUERIES:
                    row = drive(url, params, clients=clients, seconds=args.seconds, max_requests=args.max_requests, warmup=args.warmup)
                    row["label"] = label
                    row["clients"] = clients
                    print(
                        f"{label}: {row['requests_per_s']} req/s, median {row['median_ms']} ms, p95 {row['p95_ms']} ms ({row['matches']} matches)",
                        file=sys.stderr,
                    )
                    rows.append(row)
        finally:
            process.terminate()
            process.wait(timeout=30)
            if process.stderr is not None:
                process.stderr.close()
        result = {
            "date": DATE,
            "commit": git_commit(),
            "records": args.records,
            "db_mb": round(db.stat().st_size / 1e6, 1),
            "clients": args.clients,
            "seconds": args.seconds,
            "load_before": load_before,
            "direct_ms": direct,
            "queries": rows,
        }
    print(markdown(result))
    if not args.no_write:
        save_results(result, markdown(result), json_path=RESULTS_JSON, start=START, end=END, heading=HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
