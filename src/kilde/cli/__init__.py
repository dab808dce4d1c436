"""The ``kilde`` command: a thin wrapper over the library, and the only code that prints.

Exit codes: 0 all inputs analysed; 1 some inputs rejected (the others were
written); 2 usage error; 3 no input could be analysed; 4 the model could not be loaded.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from kilde.errors import InputError, ModelError
from kilde.extract.geojson import to_geojson
from kilde.nlp import load_pipeline
from kilde.pipeline import analyze_documents
from kilde.read import RawDocument, read_bytes, read_paths
from kilde.records import Article, Rejection, json_schema
from kilde.settings import Settings

from .render import print_article, rejection_line

EXIT_OK, EXIT_SOME_REJECTED, EXIT_USAGE, EXIT_ALL_REJECTED, EXIT_MODEL = 0, 1, 2, 3, 4

app = typer.Typer(
    name="kilde",
    help="Danish news articles in, source-attributed knowledge out: who said what, about whom, where and when.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    auto = "auto"
    json = "json"
    jsonl = "jsonl"
    text = "text"
    geojson = "geojson"


class InputFormat(StrEnum):
    text = "text"
    html = "html"
    json = "json"
    jsonl = "jsonl"
    feed = "feed"
    warc = "warc"
    parquet = "parquet"


def _inputs(paths: list[str], input_format: InputFormat | None, settings: Settings) -> Iterator[RawDocument | InputError]:
    fmt = input_format.value if input_format else None
    for path in paths:
        if path == "-":
            data = sys.stdin.buffer.read()
            try:
                yield from read_bytes(data, name="<stdin>", format=fmt, settings=settings)
            except InputError as exc:
                yield exc
        else:
            yield from read_paths([path], format=fmt, settings=settings)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


class _Writer:
    """Writes records as JSON, JSONL or the text view; into ``-o FILE`` atomically.

    One article is written as a JSON object. With more, ``json`` writes an
    array and ``auto`` writes JSON lines; the first article is held back until
    the second shows which.
    """

    def __init__(self, fmt: OutputFormat, output: Path | None) -> None:
        self.output = output
        self.partial = output.with_name(output.name + ".part") if output else None
        self.stream: TextIO = self.partial.open("w", encoding="utf-8") if self.partial else sys.stdout
        if fmt is OutputFormat.auto and output is None and self.stream.isatty():
            fmt = OutputFormat.text
        self.fmt = fmt
        self.console = Console(file=self.stream, highlight=False, width=None if output is None else 100)
        self.count = 0
        self._first: Article | None = None
        self._features: list[dict[str, object]] = []

    def write(self, article: Article) -> None:
        self.count += 1
        if self.fmt is OutputFormat.text:
            print_article(self.console, article)
        elif self.fmt is OutputFormat.geojson:
            self._features.extend(to_geojson([article])["features"])
            return
        elif self.fmt is OutputFormat.jsonl:
            self.stream.write(article.to_json() + "\n")
        elif self.count == 1:
            self._first = article
        else:
            if self._first is not None:
                first, self._first = self._first, None
                self.stream.write("[\n" + first.to_json() if self.fmt is OutputFormat.json else first.to_json() + "\n")
            self.stream.write(",\n" + article.to_json() if self.fmt is OutputFormat.json else article.to_json() + "\n")
        self.stream.flush()

    def close(self, *, ok: bool) -> None:
        if self.fmt is OutputFormat.geojson:
            self.stream.write(json.dumps({"type": "FeatureCollection", "features": self._features}, ensure_ascii=False) + "\n")
        elif self._first is not None:
            self.stream.write(self._first.to_json(indent=2) + "\n")
        elif self.fmt is OutputFormat.json and self.count > 1:
            self.stream.write("\n]\n")
        self.stream.flush()
        if self.partial is None or self.output is None:
            return
        self.stream.close()
        if ok:
            os.replace(self.partial, self.output)


FORMAT_HELP = (
    "json (an object; an array for many), jsonl (one line each), text (readable); auto: text on a terminal, else json for one article, jsonl for more."
)
INPUT_FORMAT_HELP = "Read every input as this format, not guessed from name and content."


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help=FORMAT_HELP)] = OutputFormat.auto,
    input_format: Annotated[InputFormat | None, typer.Option("--input-format", help=INPUT_FORMAT_HELP)] = None,
    model: Annotated[str | None, typer.Option("--model", help="'rules' for the fast rule-only pipeline, or a path to a trained spaCy pipeline.")] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="Progress bar (default: on when stderr is a terminal).")] = None,
) -> None:
    """Analyse articles: text, HTML, JSON/JSONL, RSS/Atom, WARC, directories, globs and stdin."""
    settings = Settings.from_env()
    err = _stderr()
    try:
        nlp = load_pipeline(model or settings.model)
    except ModelError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_MODEL) from None
    writer = _Writer(fmt, output)
    rejected = analysed = 0
    show_progress = progress if progress is not None else err.is_terminal
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} articles"), TimeElapsedColumn())
    bar = Progress(*columns, console=err, transient=True, disable=not show_progress)
    ok = False
    try:
        with bar:
            task = bar.add_task("analysing", total=None)
            for result in analyze_documents(_inputs(paths, input_format, settings), nlp=nlp):
                if isinstance(result, Rejection):
                    rejected += 1
                    err.print(f"[yellow]{escape(str(rejection_line(result)))}[/yellow]")
                else:
                    analysed += 1
                    for warning in result.warnings:
                        err.print(f"[yellow]warning:[/yellow] {escape(str(warning))}")
                    writer.write(result)
                bar.advance(task)
        ok = analysed > 0
    finally:
        writer.close(ok=ok)
    if rejected:
        err.print(f"{analysed} analysed, {rejected} rejected")
        raise typer.Exit(EXIT_SOME_REJECTED if analysed else EXIT_ALL_REJECTED)
    if not analysed:
        err.print("no articles found in the input")
        raise typer.Exit(EXIT_ALL_REJECTED)


def example_path() -> Path:
    return Path(str(resources.files("kilde").joinpath("examples", "stormflod-da.txt")))


@app.command()
def demo(
    model: Annotated[str | None, typer.Option("--model", help="'rules' or a path to a trained spaCy pipeline.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Store it here (SQLite file); default: kilde.db in the user data directory.")] = None,
) -> None:
    """Analyse the bundled example article, show the result, and keep it in the store to search."""
    settings = Settings.from_env()
    try:
        nlp = load_pipeline(model or settings.model)
    except ModelError as exc:
        _stderr().print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_MODEL) from None
    result = next(analyze_documents(_inputs([str(example_path())], None, settings), nlp=nlp))
    if isinstance(result, Rejection):  # the bundled example always analyses; this guards a broken install
        _stderr().print(f"[red]{escape(str(rejection_line(result)))}[/red]")
        raise typer.Exit(EXIT_ALL_REJECTED)
    console = Console(highlight=False)
    print_article(console, result)
    from kilde.cli.store import store_demo

    store_demo(result, db=db, settings=settings, console=console)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the article record."""
    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


from kilde.cli.store import register as _register_store  # noqa: E402  (kilde.cli.store uses app's helpers above)

_register_store(app)

from kilde.cli.batch import register as _register_batch  # noqa: E402

_register_batch(app)

from kilde.cli.stories import register as _register_stories  # noqa: E402

_register_stories(app)

from kilde.cli.serve import register as _register_serve  # noqa: E402

_register_serve(app)


def main() -> None:
    app()
