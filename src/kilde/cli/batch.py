"""``kilde batch``: whole archives on a Dask cluster, into Parquet tables (and optionally a store).

Exit codes, as for ``kilde analyze``: 0 all analysed; 1 some inputs rejected;
2 usage error (also: an input that matches nothing, an output directory that
holds another run); 3 nothing could be analysed; 4 the model could not be
loaded; 5 some partitions failed after their retries (rerun the same command
to redo only those); 130 interrupted (rerun to resume).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kilde.cli import InputFormat
from kilde.errors import KildeError, ModelError, UnsupportedInputError
from kilde.settings import Settings

EXIT_OK, EXIT_SOME_REJECTED, EXIT_USAGE, EXIT_ALL_REJECTED, EXIT_MODEL, EXIT_PARTITIONS_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5, 130

__all__ = ["batch", "register"]


def _megabytes(count: int) -> str:
    return f"{count / 2**20:,.0f} MB"


def batch(
    inputs: Annotated[list[str], typer.Argument(help="Directories, globs, files: text, HTML, JSON/JSONL, feeds, WARC, Parquet.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory: one Parquet table per record part. Must be visible to every worker.")],
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Start a local cluster of N worker processes (default: one per core).")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="A running Dask scheduler: address (tcp://host:8786) or scheduler file.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Also load the articles into this store (sqlite:///path.db or postgresql://…).")] = None,
    model: Annotated[str | None, typer.Option("--model", help="'rules' (fast, rule-only) or a path to a trained spaCy pipeline on every worker.")] = None,
    partition_size: Annotated[int, typer.Option("--partition-size", min=1, help="Articles per partition (files, JSON lines or Parquet rows).")] = 200,
    input_format: Annotated[InputFormat | None, typer.Option("--input-format", help="Read every input as this format, not guessed.")] = None,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries of a partition that raises (a dead worker's tasks are rescheduled anyway).")] = 2,
    dashboard_address: Annotated[str, typer.Option("--dashboard-address", help="Dashboard of the local cluster (':0' for any free port).")] = ":8787",
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="Progress bar (default: on when stderr is a terminal).")] = None,
) -> None:
    """Analyse whole archives on a Dask cluster into Parquet (articles, quotes, entities, places, events …); rerun to resume."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if workers is not None and scheduler is not None:
        err.print("[red]error:[/red] --workers starts a local cluster; --scheduler uses a running one: give one of them")
        raise typer.Exit(EXIT_USAGE)
    if importlib.util.find_spec("distributed") is None or importlib.util.find_spec("pyarrow") is None:
        err.print("[red]error:[/red] kilde batch needs Dask and pyarrow: pip install 'kilde[distributed]'")
        raise typer.Exit(EXIT_USAGE)

    from kilde.batch import OutputDirError, PartitionFailure, PartitionResult, check_output, connect, plan_partitions, read_table, run_batch, store_records
    from kilde.store import StoreError, open_store

    model = model or Settings.from_env().model  # KILDE_MODEL, as for kilde analyze
    try:
        plan = plan_partitions(inputs, partition_size=partition_size, format=input_format.value if input_format else None)
    except UnsupportedInputError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    err.print(f"{len(plan.partitions)} partitions, about {plan.estimate:,} articles (WARC files counted when read)")
    show_progress = progress if progress is not None else err.is_terminal
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("partitions"), TimeElapsedColumn())
    bar = Progress(*columns, console=err, transient=True, disable=not show_progress)
    counts = Counter[str]()

    def on_result(outcome: PartitionResult | PartitionFailure) -> None:
        if isinstance(outcome, PartitionFailure):
            err.print(f"[red]partition {escape(str(outcome.partition))} failed:[/red] {escape(str(outcome.error))}")
        else:
            counts["articles"] += outcome.articles
            counts["rejections"] += outcome.rejections
        bar.update(task, advance=1, description=f"{counts['articles']:,} articles, {counts['rejections']:,} rejected")

    try:
        # Before starting a cluster: a missing model, a clashing --out or a store that cannot be opened fails fast.
        check_output(plan, out, model=model)
        if db is not None:
            open_store(db).close()
        with connect(workers=workers, scheduler=scheduler, dashboard_address=dashboard_address) as client:
            err.print(f"Dask dashboard: {client.dashboard_link}")
            with bar:
                task = bar.add_task("starting workers", total=len(plan.partitions))
                report = run_batch(client, plan, out, model=model, retries=retries, on_result=on_result)
    except ModelError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_MODEL) from None
    except (OutputDirError, StoreError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        err.print(f"interrupted; finished partitions are kept in {out}: rerun the same command to resume")
        raise typer.Exit(EXIT_INTERRUPTED) from None

    if report.threads > report.workers:
        err.print(
            f"[yellow]warning:[/yellow] the workers have {report.threads} threads for {report.workers} processes; a worker analyses one partition at a time,"
            " so start workers with --nthreads 1 (and --nworkers per core) to use every core"
        )
    ids = {p.id for p in plan.partitions}
    if db is not None:
        try:
            report.stored, report.already_stored = store_records(out, db, partitions=ids)
        except KildeError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")  # the store's message names it without the password
            raise typer.Exit(EXIT_USAGE) from None

    summary = Table(title="kilde batch", show_header=False, box=None)
    summary.add_row("partitions", f"{report.done} done, {report.skipped} already finished, {len(report.failed)} failed (of {report.partitions})")
    summary.add_row("articles", f"{report.articles:,} analysed, {report.rejections:,} rejected" + (
        f" (+{report.previous_articles:,} / {report.previous_rejections:,} from earlier runs)" if report.skipped else ""
    ))  # fmt: skip
    speed = f"{report.articles_per_second:,.1f} articles/s on {report.workers} workers"
    summary.add_row("speed", f"{speed} ({report.seconds:,.1f} s; start-up {report.setup_seconds:,.1f} s)")
    if report.worker_memory:
        peaks = sorted(report.worker_memory.values())
        summary.add_row("memory", f"peak RSS per worker {_megabytes(peaks[0])}–{_megabytes(peaks[-1])}")
    summary.add_row("output", report.out)
    if report.stored is not None:
        summary.add_row("store", f"{report.stored:,} articles added ({report.already_stored or 0:,} were there already)")
    rejections = read_table(Path(report.out), "rejections", partitions=ids).column("error").to_pylist()
    if rejections:
        summary.add_row("rejections", ", ".join(f"{error} {n:,}" for error, n in Counter(rejections).most_common()) + f" (see {report.out}/rejections)")
    err.print(summary)

    if report.failed:
        err.print(f"{len(report.failed)} partitions failed; rerun the same command to redo only those")
        raise typer.Exit(EXIT_PARTITIONS_FAILED)
    total_articles = report.articles + report.previous_articles
    if not total_articles:
        err.print("no article could be analysed")
        raise typer.Exit(EXIT_ALL_REJECTED)
    if report.rejections or report.previous_rejections:
        raise typer.Exit(EXIT_SOME_REJECTED)


def register(app: typer.Typer) -> None:
    """Add ``kilde batch`` to the ``kilde`` command."""
    app.command(name="batch")(batch)
