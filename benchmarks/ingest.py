"""Ingest throughput: ``kilde ingest``'s whole pipeline into one store from 1 and from 2 processes.

    python benchmarks/ingest.py [--texts 300] [--model rules|PATH] [--data ../shared/data] [--no-write]

Input: cdt_ddt newspaper texts that are not held out (the same files as
benchmarks/store.py's one-process figure). Each process loads the pipeline
(and the gazetteer and lexicons, by analysing one sentence) before the clock starts, waits at a barrier, then reads → cleans → analyses →
stores its share (every other file) with ``ingest_documents``, into ONE fresh
SQLite file (WAL; the two writers take turns, one transaction per article). Rate = articles / (last process done − barrier). BLAS/OpenMP
pinned to one thread per process. Results go to benchmarks/results/ingest.json
and the "ingest" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from results_file import git_commit, save_results  # noqa: E402
from store import DATA, real_texts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS_JSON = ROOT / "benchmarks" / "results" / "ingest.json"
START, END = "<!-- ingest:start -->", "<!-- ingest:end -->"
HEADING = "## Ingest throughput (kilde ingest, 1 and 2 processes)"


def _worker(db: str, files: list[str], model: str | None, barrier: Any, queue: Any) -> None:
    from kilde.nlp import load_pipeline
    from kilde.pipeline import analyze
    from kilde.read import read_paths
    from kilde.store import open_store
    from kilde.store.ingest import ingest_documents

    nlp = load_pipeline(model)
    analyze("Opvarmning: »Klar,« siger Anne Holm i København i går.", nlp=nlp)  # loads the gazetteer, lexicons, language model
    with open_store(db) as store:
        barrier.wait()
        statuses = [e.status for e in ingest_documents(store, read_paths(files), nlp=nlp)]
        queue.put((time.perf_counter(), statuses))


def run(db: str, files: list[str], model: str | None, processes: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")  # a clean interpreter per process, as two `kilde ingest` commands
    barrier, queue = context.Barrier(processes + 1), context.Queue()
    shares = [files[i::processes] for i in range(processes)]
    workers = [context.Process(target=_worker, args=(db, share, model, barrier, queue)) for share in shares]
    for w in workers:
        w.start()
    barrier.wait()
    started = time.perf_counter()
    done = [queue.get() for _ in workers]
    for w in workers:
        w.join()
        if w.exitcode:
            raise RuntimeError(f"an ingest process failed (exit {w.exitcode})")
    seconds = max(t for t, _ in done) - started
    statuses = [s for _, batch in done for s in batch]
    return {
        "processes": processes,
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(files) / seconds, 1),
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [
        START,
        f"{result['date']}, commit `{result['commit']}`. Command: `.venv/bin/python benchmarks/ingest.py --texts {result['articles']}`."
        f" Store: {result['store']}; model {result['model']}; load average before {result['load_before']}.",
        "",
        f"{result['articles']} cdt_ddt newspaper texts ({result['words']:,} words), read → clean → nlp → extract → store, into one empty store;"
        " pipeline, gazetteer and lexicons loaded before the clock.",
        "",
        "| processes | seconds | articles/s | words/s | vs 1 process |",
        "|---|---|---|---|---|",
    ]
    one = result["runs"][0]["articles_per_s"]
    for r in result["runs"]:
        lines.append(
            f"| {r['processes']} | {r['seconds']} | **{r['articles_per_s']}** | {round(result['words'] / r['seconds']):,} | {r['articles_per_s'] / one:.2f}× |"
        )
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--model", default=None, help="'rules' or a pipeline path (default: the shipped model)")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / "cdt_ddt" / "metadata.tsv").is_file():
        print(f"{args.data}: no cdt_ddt data here; give --data", file=sys.stderr)
        return 2
    paths = real_texts(args.data, args.texts)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    runs = []
    with tempfile.TemporaryDirectory(prefix="kilde-ingest-bench-") as tmp:
        for processes in (1, 2):
            print(f"ingesting {len(paths)} texts from {processes} process(es) …", file=sys.stderr)
            runs.append(run(str(Path(tmp) / f"p{processes}.db"), [str(p) for p in paths], args.model, processes))
    result = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "store": "SQLite file (WAL), shared by the processes",
        "model": args.model or "da_kilde (shipped)",
        "articles": len(paths),
        "words": words,
        "load_before": load_before,
        "cores": os.cpu_count(),
        "runs": runs,
    }
    print(markdown(result))
    if not args.no_write:
        save_results(result, markdown(result), json_path=RESULTS_JSON, start=START, end=END, heading=HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
