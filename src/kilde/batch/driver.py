"""The driver: connects to a Dask cluster, submits the partitions that are not finished, and reports.

Fault tolerance comes from Dask and from idempotent outputs together: a task
whose worker dies is rescheduled by the scheduler (up to
``distributed.scheduler.allowed-failures`` times, default 3), a task that
raises is retried ``retries`` times, and since a partition's files are
replaced whole and its marker is written last, a rerun of a half-done
partition leaves exactly one copy of each record. A partition that still fails
is reported, not fatal: rerunning the same command redoes only what is missing.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dask
from distributed import Client, LocalCluster, as_completed

from kilde.batch.outputs import PartitionResult, iter_records, prepare, read_marker, remove_temporaries, write_atomically
from kilde.batch.partitions import Plan
from kilde.batch.worker import PipelinePlugin, run_partition
from kilde.errors import ModelError
from kilde.nlp import DEFAULT_MODEL, model_path
from kilde.pipeline import BATCH_SIZE
from kilde.settings import Settings

__all__ = ["BatchReport", "PartitionFailure", "check_output", "connect", "run_batch", "store_records"]

RUN_SCHEMA = "kilde.batch/1"
#: The last run's report, beside its outputs.
REPORT_FILE = "_report.json"
LOAD_PER_TRANSACTION = 100  # articles per commit when store_records loads a finished run into a store


@dataclass(frozen=True, kw_only=True)
class PartitionFailure:
    """A partition that failed after all retries (or whose workers kept dying); a rerun tries it again."""

    partition: str
    error: str


@dataclass(kw_only=True)
class BatchReport:
    """What a run did. ``articles``/``rejections`` count this run's work; ``previous_*`` the partitions it skipped."""

    out: str
    dashboard: str | None
    workers: int
    threads: int = 0
    partitions: int
    done: int = 0
    skipped: int = 0
    failed: list[PartitionFailure] = field(default_factory=list)
    articles: int = 0
    rejections: int = 0
    previous_articles: int = 0
    previous_rejections: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    setup_seconds: float = 0.0
    seconds: float = 0.0
    worker_memory: dict[str, int] = field(default_factory=dict)
    removed_temporaries: int = 0
    stored: int | None = None
    already_stored: int | None = None

    @property
    def articles_per_second(self) -> float:
        """Articles analysed per second of wall time, from the first submission to the last result."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, object]:
        data = {k: v for k, v in self.__dict__.items() if k != "failed"}
        return {**data, "failed": [f.__dict__ for f in self.failed], "articles_per_second": round(self.articles_per_second, 2)}


@contextmanager
def connect(*, workers: int | None = None, scheduler: str | None = None, dashboard_address: str | None = ":8787") -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a new local cluster of ``workers`` single-threaded processes (default: one per core).

    ``scheduler`` is a scheduler address (``tcp://host:8786``) or a scheduler
    file path; the cluster itself (dask-kubernetes, dask-jobqueue, ``dask
    scheduler``/``dask worker``) is started outside Kilde, see docs/deploy.md.
    """
    if scheduler is not None:
        target = scheduler if "://" in scheduler or not Path(scheduler).is_file() else None
        with Client(target, scheduler_file=None if target else scheduler) as client:
            yield client
        return
    count = workers or _cores()
    # One thread per worker process: spaCy holds the GIL, so parallelism comes from processes, each with its own pipeline.
    # Logs are silenced below CRITICAL: shutdown races log tracebacks that are noise; failures reach the report through the futures.
    with (
        dask.config.set(local_worker_config()),
        LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=dashboard_address, silence_logs=logging.CRITICAL) as cluster,
        Client(cluster) as client,
    ):
        yield client


def local_worker_config() -> dict[str, Any]:
    """Dask settings for the workers of a local cluster (the nanny hands its config to the processes it starts).

    Dask's statistical profiler samples every thread's stack each 10 ms on the worker's event loop, which
    then takes the GIL from the analysis thread: a worker spent 4-9 % more CPU on the same partitions with
    it (600 articles in partitions of 50, 2026-11-25). It is off unless the user asks for it with
    ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED`` (the dashboard's Profile tab needs it).
    """
    config: dict[str, Any] = {"distributed.nanny.pre-spawn-environ": worker_environment()}
    if "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED" not in os.environ:
        config["distributed.worker.profile.enabled"] = False
    return config


def worker_environment() -> dict[str, Any]:
    """Dask's environment for new worker processes, without its ``MALLOC_TRIM_THRESHOLD_=65536``.

    That setting makes glibc hand memory back to the system after every large free, so the arrays spaCy
    allocates for each batch cost a system call each time: analysis ran 7 % slower with it (39.3 against
    42.4 articles/s, one process, 1,200 articles, 2026-11-25). A Kilde worker's memory is the model plus one
    partition, so glibc's own threshold is enough. docs/deploy.md gives the same setting for real clusters.
    """
    environment = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environment.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environment


def _cores() -> int:
    """Cores this process may use (the affinity mask where the platform has one, e.g. under taskset or a batch scheduler)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _peak_rss() -> int:
    """Peak resident memory of this (worker) process in bytes."""
    if sys.platform == "win32":
        import psutil

        return int(psutil.Process().memory_info().peak_wset)
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _model_name(model: str | None) -> str | None:
    """The model as workers will load it: ``rules``, ``None`` (the shipped model) or an absolute path."""
    if model in (None, "rules", DEFAULT_MODEL):
        if model != "rules" and not (model_path() / "config.cfg").is_file():
            raise ModelError(f"no trained Danish pipeline at {model_path()}; use --model rules or a path to a trained pipeline")
        return None if model == DEFAULT_MODEL else model
    return str(Path(model).resolve())


def check_output(plan: Plan, out: str | os.PathLike[str], *, model: str | None = None) -> set[str]:
    """Check that the model exists and ``out`` can take ``plan`` (creating it); the partitions already finished there.

    Cheap, so a command can fail before it starts a cluster. Raises
    :class:`~kilde.errors.ModelError` or :class:`~kilde.batch.outputs.OutputDirError`.
    """
    name = _model_name(model)
    run = {"schema": RUN_SCHEMA, "model": name or DEFAULT_MODEL, "partition_size": plan.partition_size, "partitions": [p.to_dict() for p in plan.partitions]}
    return prepare(Path(out).resolve(), run)


def run_batch(
    client: Client,
    plan: Plan,
    out: str | os.PathLike[str],
    *,
    model: str | None = None,
    settings: Settings | None = None,
    retries: int = 2,
    batch_size: int = BATCH_SIZE,
    on_result: Callable[[PartitionResult | PartitionFailure], None] | None = None,
) -> BatchReport:
    """Analyse every partition of ``plan`` not yet finished in ``out`` on ``client``'s cluster.

    ``out`` must be a directory every worker sees at the same path. Raises
    :class:`~kilde.batch.outputs.OutputDirError` when ``out`` holds another
    plan, :class:`~kilde.errors.ModelError` when the model cannot be found or
    loaded on the workers. ``on_result`` is called for each partition as it ends.
    """
    setup_started = time.perf_counter()
    settings = settings or Settings.from_env()
    model = _model_name(model)
    directory = Path(out).resolve()
    finished = check_output(plan, directory, model=model)
    workers = client.scheduler_info(n_workers=-1)["workers"]
    report = BatchReport(
        out=str(directory),
        dashboard=client.dashboard_link,
        workers=len(workers),
        threads=sum(int(w.get("nthreads", 1)) for w in workers.values()),
        partitions=len(plan.partitions),
    )
    report.removed_temporaries = remove_temporaries(directory)
    for partition in plan.partitions:
        previous = read_marker(directory, partition.id) if partition.id in finished else None
        if previous is not None:
            report.skipped += 1
            report.previous_articles += previous.articles
            report.previous_rejections += previous.rejections
    pending = [p for p in plan.partitions if p.id not in finished]
    if pending:
        # Every worker (and every worker that replaces a dead one) loads the pipeline now, once, not inside a timed partition.
        # A worker that cannot load it raises here, on the client: ModelError for a missing or broken model.
        client.register_plugin(PipelinePlugin(model), name=PipelinePlugin.name)
    report.setup_seconds = round(time.perf_counter() - setup_started, 3)
    started = time.perf_counter()
    # A fresh token per run keeps keys unique: the scheduler must not hand back a result it still holds from an earlier run.
    token = uuid.uuid4().hex[:8]
    futures = client.map(
        run_partition,
        pending,
        out=str(directory),
        model=model,
        max_input_bytes=settings.max_input_bytes,
        batch_size=batch_size,
        key=[f"kilde-partition-{p.id}-{token}" for p in pending],
        retries=retries,
        pure=False,
    )
    ids = {future.key: p.id for future, p in zip(futures, pending, strict=True)}
    try:
        for future in as_completed(futures):
            outcome: PartitionResult | PartitionFailure
            if future.status == "finished":
                outcome = future.result()
                assert isinstance(outcome, PartitionResult)
                if outcome.skipped:  # finished meanwhile by a duplicate attempt
                    report.skipped += 1
                    report.previous_articles += outcome.articles
                    report.previous_rejections += outcome.rejections
                else:
                    report.done += 1
                    report.articles += outcome.articles
                    report.rejections += outcome.rejections
                    for table, count in outcome.rows.items():
                        report.rows[table] = report.rows.get(table, 0) + count
            else:
                error = future.exception()
                outcome = PartitionFailure(partition=ids[future.key], error=f"{type(error).__name__}: {error}")
                report.failed.append(outcome)
            future.release()
            if on_result is not None:
                on_result(outcome)
    except BaseException:
        # Interrupted (Ctrl-C): stop the cluster's work; finished partitions are kept and a rerun resumes from them.
        client.cancel(futures)
        raise
    report.seconds = round(time.perf_counter() - started, 3)
    report.worker_memory = {str(k): int(v) for k, v in client.run(_peak_rss).items()}
    write_atomically(directory / REPORT_FILE, lambda path: path.write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8"))
    return report


def store_records(out: str | os.PathLike[str], url: str, *, partitions: set[str] | None = None) -> tuple[int, int]:
    """Load the articles of the finished partitions in ``out`` into the store at ``url``; (inserted, already there).

    Runs on the driver, so one process writes to the database (SQLite has one
    writer). Idempotent: the store skips articles it holds, so loading after a
    resumed run adds only the new ones. Raises :class:`~kilde.store.StoreError`.
    """
    from kilde.store import open_store

    with open_store(url) as store:
        # 100 articles to a commit: twice the rate of one per commit into PostgreSQL (407 → 873 records/s measured); an
        # interrupted load loses at most the open hundred, which the next load (idempotent) adds
        result = store.add_many(iter_records(Path(out), partitions=partitions), per_transaction=LOAD_PER_TRANSACTION)
    return result.inserted, result.skipped
