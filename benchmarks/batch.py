"""Speed of ``kilde batch`` on a local Dask cluster against one plain process.

    python benchmarks/batch.py [--model rules|PATH] [--articles 2400] [--partition-size 200 50] [--repeats 3] [--data ../shared/data] [--no-write]

Input: one JSON-lines file of ``--articles`` articles, generated from the
newspaper texts of the Danish Dependency Treebank (``cdt_ddt/txt``; documents
marked test-only are left out) and our own fixture articles below, cycled, each
with its own headline and URL; one line in 200 is an empty record (a rejection).

Measured, all on the same file, BLAS/OpenMP pinned to one thread:
- single process: what ``kilde analyze FILE -o records.jsonl`` does (read →
  analyse → JSON lines written), pipeline loaded before the clock starts, in a
  fresh process so its peak RSS is its own; and the ``kilde analyze`` command
  itself, end to end (interpreter start-up and model loading included);
- ``kilde batch`` on a local cluster of 1 and of 2 worker processes (one thread
  each), at each ``--partition-size`` (default: the shipped default, 200, and 50,
  where per-partition costs weigh four times as much): analysis time from the first submission to the last partition written
  (``BatchReport.seconds``), with start-up (cluster, model loading on the
  workers) reported apart; peak RSS per worker.
Scaling = rate(2 workers) / rate(1 worker), target ≥ 1.7; overhead = 1 − rate(1
worker) / rate(single process) at one core each, target ≤ 10 %.

Results are printed and written to benchmarks/results/batch.json and the
"batch" section of benchmarks/RESULTS.md. Run it on a quiet machine with at
least 2 cores: each run waits until the 1-minute load average is below 0.5
(at most 15 minutes), and the load it started at is recorded.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from kilde.batch.partitions import DEFAULT_PARTITION_SIZE  # noqa: E402
from results_file import git_commit, save_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS_JSON = ROOT / "benchmarks" / "results" / "batch.json"
RESULTS_MD = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- batch:start -->", "<!-- batch:end -->"
HEADING = "## Batch on Dask (kilde batch)"
TARGETS = {"scaling": 1.7, "overhead": 0.10}
#: Each run starts once the 1-minute load average is below this (or after QUIET_TIMEOUT seconds; the load is recorded either way).
QUIET_LOAD, QUIET_TIMEOUT = 0.5, 900.0

# Our own short articles (written for Kilde), mixed in with the treebank texts.
OWN = (
    (
        "Havnen i Esbjerg får ny kaj",
        "Esbjerg Kommune har besluttet at bygge en ny kaj til havvindmøller. Byggeriet begynder til foråret og skal stå færdigt i 2028.\n\n"
        "»Det er den største investering i havnen i tyve år,« siger havnedirektør Lene Bech til Ritzau.\n\n"
        "Ifølge kommunen vil kajen skabe omkring 300 arbejdspladser. Flere lokale virksomheder har allerede meldt sig som leverandører, "
        "mens miljøorganisationer kræver, at ålegræsset i Vadehavet beskyttes under arbejdet.",
    ),
    (
        "Storm lukker broer i nat",
        "Storebæltsbroen og Øresundsbroen lukker for høje vogne fra klokken 22, oplyser Vejdirektoratet.\n\n"
        "DMI varsler vindstød af stormstyrke i hele landet, og beredskabet i Aalborg og Frederikshavn er sat i forhøjet parathed.\n\n"
        "»Bliv hjemme, hvis du kan,« skriver politiet på sociale medier. Togtrafikken over Fyn vil ifølge DSB være stærkt begrænset til i morgen tidlig.",
    ),
    (
        "Skole i Vejle vinder pris",
        "Nørremarksskolen i Vejle har vundet årets pris for bedste naturfagsundervisning.\n\n"
        "Juryen fremhæver skolens samarbejde med Vejle Fjord Biologiske Station, hvor eleverne måler vandkvaliteten hver måned.\n\n"
        "Skoleleder Anders Kragh kalder prisen et skulderklap til lærerne. »De har brugt utallige eftermiddage ved fjorden,« siger han.",
    ),
    (
        "Landmænd protesterer i København",
        "Flere hundrede traktorer kørte onsdag ind mod Christiansborg i protest mod den nye afgift på udledning fra landbruget.\n\n"
        "Landbrug & Fødevarer mener, at afgiften vil koste tusindvis af job i Jylland. Ministeren afviser kritikken og siger, "
        "at ordningen er aftalt med et bredt flertal i Folketinget.\n\n"
        "Politiet oplyser, at demonstrationen forløb fredeligt, men at trafikken på Langebro var spærret i to timer.",
    ),
    (
        "Ny lægevagt i Thisted",
        "Region Nordjylland åbner en ny lægevagt på sygehuset i Thisted fra 1. marts.\n\n"
        "»Borgerne i Thy har haft langt til hjælp om natten. Det ændrer vi nu,« siger regionsrådsformand Mads Duedahl.\n\n"
        "Den nye vagt bemandes af fire læger og seks sygeplejersker. Ifølge regionen koster ordningen 12 millioner kroner om året.",
    ),
    (
        "Museum i Ribe viser vikingefund",
        "Et sværd og tre sølvmønter fundet ved Ribe Å vises fra lørdag på Museet Ribes Vikinger.\n\n"
        "Arkæologer fra Sydvestjyske Museer fandt genstandene under en udgravning i sommer. De vurderer, at sværdet er fra 800-tallet.\n\n"
        "»Fundet fortæller os, at handelen i Ribe var større, end vi troede,« siger museumsinspektør Sofie Lund.",
    ),
)


def source_texts(data: Path) -> list[dict[str, str]]:
    """Treebank newspaper texts (not test-only) with their outlet and date, then our own articles."""
    texts: list[dict[str, str]] = []
    metadata = data / "cdt_ddt" / "metadata.tsv"
    if metadata.is_file():
        with metadata.open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream, delimiter="\t"):
                path = data / "cdt_ddt" / "txt" / f"{row['id']}-da.txt"
                if row["ud_split_status"] == "test-only" or row["medium"] != "newspaper" or not path.is_file():
                    continue
                texts.append({"title": row["title"], "body": path.read_text(encoding="utf-8").strip(), "outlet": row["publisher"], "published": row["date"]})
    texts.extend({"title": title, "body": body, "outlet": "Kilde", "published": "2026-11-25"} for title, body in OWN)
    return texts


def write_input(path: Path, count: int, data: Path) -> tuple[int, int, int]:
    """``count`` JSON lines cycled from the source texts; (articles, empty records, source texts)."""
    texts = source_texts(data)
    empty = 0
    with path.open("w", encoding="utf-8") as stream:
        for i in range(count):
            if i % 200 == 199:
                stream.write(json.dumps({"text": "", "url": f"https://bench.kilde.dev/{i}"}) + "\n")
                empty += 1
                continue
            source = texts[i % len(texts)]
            text = f"{source['title']} ({i // len(texts) + 1})\n\n{source['body']}"
            record = {"text": text, "url": f"https://bench.kilde.dev/{i}", "outlet": source["outlet"], "published": source["published"]}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count - empty, empty, len(texts)


def wait_for_quiet(threshold: float, timeout: float) -> float:
    """Wait (up to ``timeout`` s) until the 1-minute load average is below ``threshold``: others' jobs on a 2-core machine skew the ratios."""
    started = time.monotonic()
    while os.getloadavg()[0] >= threshold and time.monotonic() - started < timeout:
        time.sleep(5)
    return os.getloadavg()[0]


def _single_process(path: str, model: str | None, out: str) -> dict[str, Any]:
    """In a fresh process: ``kilde analyze PATH -o OUT`` minus the terminal, timed after the pipeline is loaded."""
    from kilde.nlp import load_pipeline
    from kilde.pipeline import analyze_documents
    from kilde.read import from_string, read_paths
    from kilde.records import Article

    nlp = load_pipeline(model)
    list(analyze_documents([from_string("Byrådet vedtog budgettet.\n\n»Det er godt,« siger borgmesteren.")], nlp=nlp))  # warm the lexicons, as the workers do
    articles = rejections = 0
    started = time.perf_counter()
    with open(out, "w", encoding="utf-8") as stream:
        for result in analyze_documents(read_paths([path]), nlp=nlp):
            if isinstance(result, Article):
                stream.write(result.to_json() + "\n")
                articles += 1
            else:
                rejections += 1
    seconds = time.perf_counter() - started
    return {"articles": articles, "rejections": rejections, "seconds": seconds, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def single_process(path: Path, model: str | None, work: Path) -> dict[str, Any]:
    load = wait_for_quiet(QUIET_LOAD, QUIET_TIMEOUT)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        result = pool.submit(_single_process, str(path), model, str(work / "records.jsonl")).result()
    return {"setup": "single process", "workers": 1, "load_before": round(load, 2), **result, "rate": result["articles"] / result["seconds"]}


def cli_run(path: Path, model: str | None, work: Path) -> dict[str, Any]:
    """``kilde analyze PATH -o records.jsonl`` as a user runs it: wall time includes start-up and loading the pipeline."""
    load = wait_for_quiet(QUIET_LOAD, QUIET_TIMEOUT)
    command = [str(Path(sys.executable).with_name("kilde")), "analyze", str(path), "-o", str(work / "cli.jsonl"), "--no-progress"]
    if model:
        command += ["--model", model]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode in (0, 1), f"kilde analyze exited with {process.returncode}"
    with (work / "cli.jsonl").open(encoding="utf-8") as stream:
        articles = sum(1 for _ in stream)
    return {
        "setup": "kilde analyze -o (CLI, end to end)",
        "workers": 1,
        "load_before": round(load, 2),
        "articles": articles,
        "seconds": seconds,
        "rate": articles / seconds,
        "peak_rss": usage.ru_maxrss * 1024,
    }


def dask_run(path: Path, model: str | None, workers: int, partition_size: int, work: Path) -> dict[str, Any]:
    from kilde.batch import connect, plan_partitions, run_batch

    load = wait_for_quiet(QUIET_LOAD, QUIET_TIMEOUT)
    started = time.perf_counter()
    plan = plan_partitions([str(path)], partition_size=partition_size)
    with connect(workers=workers, dashboard_address=":0") as client:
        cluster_seconds = time.perf_counter() - started
        report = run_batch(client, plan, work / f"out-{workers}", model=model)
    peaks = list(report.worker_memory.values())
    return {
        "setup": f"kilde batch, {workers} worker{'s' * (workers > 1)}",
        "workers": workers,
        "load_before": round(load, 2),
        "partitions": report.partitions,
        "articles": report.articles,
        "rejections": report.rejections,
        "seconds": report.seconds,
        "startup_seconds": round(cluster_seconds + report.setup_seconds, 2),
        "rate": report.articles_per_second,
        "peak_rss": max(peaks),
        "peak_rss_per_worker": peaks,
        "failed": len(report.failed),
    }


def _mb(value: float) -> str:
    return f"{value / 2**20:,.0f} MB"


def markdown(result: dict[str, Any]) -> str:
    sizes = result["partition_sizes"]
    options = (f" --model {result['model']}" if result["model"] != "da_kilde" else "") + f" --articles {result['articles'] + result['empty']}"
    options += " --partition-size " + " ".join(map(str, sizes)) + f" --repeats {result['repeats']}"
    rates = "; ".join(f"{label} {', '.join(map(str, values))}" for label, values in result["rates"].items())
    lines = [
        START,
        f"{result['date']}, commit `{result['commit']}`. Command: `.venv/bin/python benchmarks/batch.py{options}`. Model `{result['model']}`."
        f" Input: {result['articles'] + result['empty']:,} JSON lines ({result['articles']:,} articles cycled from {result['source_texts']} texts:"
        f" DDT newspaper documents except test-only, plus our own; {result['empty']} empty records); partitions of {' and of '.join(map(str, sizes))}"
        f" articles ({DEFAULT_PARTITION_SIZE} is `kilde batch`'s default)."
        f" Machine: {result['cores']} cores; BLAS/OpenMP one thread per process; load average before each run in the table."
        " Time = first submission to last partition written (the single process: read → analyse → JSON lines written); start-up apart."
        f" Single process and each cluster: median of {result['repeats']} interleaved runs (articles/s of each: {rates}); the CLI run once.",
        "",
        "| setup | articles/s | time (s) | start-up (s) | peak RSS per worker | load before |",
        "|---|---|---|---|---|---|",
    ]
    for run in result["runs"]:
        startup = f"{run['startup_seconds']:.1f}" if "startup_seconds" in run else "included" if "CLI" in run["setup"] else "— (pipeline loaded first)"
        lines.append(f"| {run['setup']} | {run['rate']:.1f} | {run['seconds']:.1f} | {startup} | {_mb(run['peak_rss'])} | {run['load_before']} |")
    lines.append("")
    for size in sizes:
        figures = result["by_partition_size"][str(size)]
        lines.append(
            f"Partitions of {size}{' (the default)' if size == DEFAULT_PARTITION_SIZE else ''}: scaling 2 workers / 1 worker **{figures['scaling']:.2f}×**"
            f" (target ≥ {TARGETS['scaling']}×); Dask overhead, 1 worker against the single process, **{figures['overhead'] * 100:.1f} %**"
            f" (target ≤ {TARGETS['overhead'] * 100:.0f} %); end to end with start-up, `kilde batch --workers 1` against `kilde analyze -o`:"
            f" {figures['overhead_end_to_end'] * 100:+.1f} %.  "
        )
    lines[-1] = lines[-1].rstrip()
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_results(result: dict[str, Any]) -> None:
    save_results(result, markdown(result), json_path=RESULTS_JSON, start=START, end=END, heading=HEADING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="'rules', a path to a trained pipeline, or the shipped model (default)")
    parser.add_argument("--articles", type=int, default=2400, help="JSON lines to generate (at least 2,000 for the published figures)")
    parser.add_argument(
        "--partition-size",
        type=int,
        nargs="+",
        default=[DEFAULT_PARTITION_SIZE, 50],
        help=f"articles per partition; several sizes are measured in one run (default: {DEFAULT_PARTITION_SIZE}, kilde batch's own default, and 50)",
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the single process and of 1 and 2 workers, interleaved; medians are reported")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update the results files")
    args = parser.parse_args(argv)
    sizes = list(dict.fromkeys(args.partition_size))
    with tempfile.TemporaryDirectory(prefix="kilde-batch-bench-") as tmp:
        work = Path(tmp)
        path = work / "articles.jsonl"
        articles, empty, sources = write_input(path, args.articles, args.data)
        cli = cli_run(path, args.model, work)
        # interleaved, so a slow spell of the machine touches every setup alike; the run with the median rate stands for each
        setups = [("single", 1, 0)] + [(f"{workers} worker{'s' * (workers > 1)}, partitions of {size}", workers, size) for size in sizes for workers in (1, 2)]
        tries: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in setups}
        for _ in range(args.repeats):
            for label, workers, size in setups:
                if label == "single":
                    tries[label].append(single_process(path, args.model, work))
                    continue
                shutil.rmtree(work / f"out-{workers}", ignore_errors=True)  # a fresh run, not a resumed one
                run = dask_run(path, args.model, workers, size, work)
                run["setup"] += f", partitions of {size}"
                tries[label].append(run)
    median = {label: sorted(runs, key=lambda run: run["rate"])[len(runs) // 2] for label, runs in tries.items()}
    single = median["single"]
    assert all(run["articles"] == articles for run in [cli, *median.values()]), "every run must analyse every article"
    by_size = {}
    for size in sizes:
        one, two = median[f"1 worker, partitions of {size}"], median[f"2 workers, partitions of {size}"]
        by_size[str(size)] = {
            "scaling": two["rate"] / one["rate"],
            "overhead": 1 - one["rate"] / single["rate"],
            # End to end, as a user waits: cluster start, model loading and analysis against the whole `kilde analyze` command.
            "overhead_end_to_end": (one["seconds"] + one["startup_seconds"]) / cli["seconds"] - 1,
        }
    result = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "model": args.model or "da_kilde",
        "articles": articles,
        "empty": empty,
        "source_texts": sources,
        "partition_sizes": sizes,
        "cores": len(os.sched_getaffinity(0)),
        "runs": [single, cli, *(median[label] for label, _, _ in setups[1:])],
        "repeats": args.repeats,
        "rates": {label: [round(run["rate"], 1) for run in runs] for label, runs in tries.items()},
        "by_partition_size": by_size,
        "targets": TARGETS,
    }
    print(markdown(result))
    if not args.no_write:
        write_results(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
