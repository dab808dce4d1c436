"""``kilde ingest`` and ``kilde search``: the corpus store from the command line.

Registered on the main app by :func:`register`. Exit codes as for ``analyze``:
0 all good; 1 some inputs were rejected (the rest were stored); 2 usage error,
including a ``--db`` that cannot be opened or a bad filter; 3 nothing could be
stored (every input rejected, none found, or the store failed while writing);
4 the model could not be loaded; 130 interrupted (what was stored stays).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.padding import Padding
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from kilde.cli import EXIT_ALL_REJECTED, EXIT_MODEL, EXIT_SOME_REJECTED, EXIT_USAGE, InputFormat, _inputs, _stderr
from kilde.cli.render import rejection_line
from kilde.errors import ModelError
from kilde.nlp import load_pipeline
from kilde.records import Article
from kilde.settings import Settings
from kilde.store import Filters, Hit, SearchResults, Store, StoreError, _redact, default_path, open_store
from kilde.store.errors import QueryError
from kilde.store.ingest import ingest_documents

__all__ = ["ingest", "register", "search", "store_demo"]

EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C

DB_HELP = (
    "The store: an SQLite file (created if missing), sqlite:///PATH, or postgresql://USER:PASSWORD@HOST/DB (the team store; needs kilde[postgres])."
    " Default: kilde.db in the user data directory (KILDE_DATA_DIR)."
)


class SearchFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


def _open(db: str | None, settings: Settings, *, create: bool) -> Store:
    try:
        return open_store(db, settings=settings, create=create)
    except StoreError as exc:
        _stderr().print(Text.assemble(("error: ", "red"), str(exc)))
        raise typer.Exit(EXIT_USAGE) from None


STORIES_HELP = (
    "Rebuild near-duplicates and stories when articles were added. The rebuild rereads the whole store (~1 ms per article in it:"
    " ~100 s at 100,000), so for many small ingests into a large store use --no-stories and run `kilde stories` afterwards."
)


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.", show_default=False)],
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    input_format: Annotated[InputFormat | None, typer.Option("--input-format", help="Read every input as this format, not guessed.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="'rules' for the fast rule-only pipeline, or a path to a trained spaCy pipeline.")] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="Progress bar (default: on when stderr is a terminal).")] = None,
    stories: Annotated[bool, typer.Option("--stories/--no-stories", help=STORIES_HELP)] = True,
) -> None:
    """Analyse articles and add them to the store; articles already there are skipped, so a rerun resumes."""
    settings = Settings.from_env()
    err = _stderr()
    store = _open(db, settings, create=True)
    counts = {"stored": 0, "skipped": 0, "rejected": 0}
    try:
        try:
            nlp = load_pipeline(model or settings.model)
        except ModelError as exc:
            err.print(Text.assemble(("error: ", "red"), str(exc)))
            raise typer.Exit(EXIT_MODEL) from None
        show = progress if progress is not None else err.is_terminal
        columns = (
            SpinnerColumn(),
            TextColumn("ingesting"),
            BarColumn(),
            TextColumn("{task.fields[stored]} stored, {task.fields[skipped]} already there, {task.fields[rejected]} rejected"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=err, transient=True, disable=not show) as bar:
            task = bar.add_task("ingest", total=None, stored=0, skipped=0, rejected=0)
            for event in ingest_documents(store, _inputs(paths, input_format, settings), nlp=nlp):
                counts[event.status] += 1
                if event.rejection is not None:
                    err.print(Text(rejection_line(event.rejection), style="yellow"))
                elif event.status == "stored" and event.article is not None:
                    for warning in event.article.warnings:
                        err.print(Text.assemble(("warning: ", "yellow"), f"{event.where}: {warning}"))
                bar.update(task, advance=1, stored=counts["stored"], skipped=counts["skipped"], rejected=counts["rejected"])
        if stories and counts["stored"]:
            _rebuild_stories(store, err)
    except StoreError as exc:
        err.print(Text.assemble(("error: ", "red"), str(exc)))
        err.print(_summary(counts, store))
        raise typer.Exit(EXIT_ALL_REJECTED) from None
    except KeyboardInterrupt:
        err.print(f"interrupted: {_summary(counts, store)}; run the same command again to carry on")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        store.close()
    err.print(_summary(counts, store))
    if counts["rejected"]:
        raise typer.Exit(EXIT_SOME_REJECTED if counts["stored"] + counts["skipped"] else EXIT_ALL_REJECTED)
    if not counts["stored"] + counts["skipped"]:
        err.print("no articles found in the input")
        raise typer.Exit(EXIT_ALL_REJECTED)


def _rebuild_stories(store: Store, err: Console) -> None:
    """Bring the store's stories up to date after an ingest; a failure is a warning (the articles are stored)."""
    from kilde.cli.stories import rebuild_stories  # imports the clustering's numerical libraries only now
    from kilde.store.story_tables import StoryTables

    if not isinstance(store, StoryTables):
        return
    with err.status("rebuilding near-duplicates and stories …"):
        try:
            summary = rebuild_stories(store)
        except StoreError as exc:
            err.print(Text.assemble(("warning: ", "yellow"), f"stories not rebuilt: {exc} (`kilde stories` retries)"))
            return
    err.print(f"{summary.stories} stories, {summary.copies} near-duplicate copies ({summary.seconds:.1f} s; `kilde stories` lists them)")


def _summary(counts: dict[str, int], store: Store) -> str:
    return f"{counts['stored']} stored, {counts['skipped']} already in the store, {counts['rejected']} rejected → {store.location}"


def search(
    query: Annotated[str, typer.Argument(help='Words (any inflection), "a phrase", A OR B, -not, prefix*. Empty: list by date.')] = "",
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Published on or after this day (YYYY-MM-DD).", show_default=False)] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before this day (YYYY-MM-DD).", show_default=False)] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet name or words of it.", show_default=False)] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Quoted speaker (name or words of it).", show_default=False)] = None,
    place: Annotated[str | None, typer.Option("--place", help="Place named in the article.", show_default=False)] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Person, organisation or other entity named in the article.", show_default=False)] = None,
    event_type: Annotated[str | None, typer.Option("--event-type", help="Event type (ASSAULT, PROTEST …) or ACLED subtype.", show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="Results per page.")] = 10,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many results (paging).")] = 0,
    fmt: Annotated[SearchFormat, typer.Option("--format", "-f", help="text (readable, ranked) or jsonl (one result per line).")] = SearchFormat.text,
) -> None:
    """Search the store: ranked full-text search over text, quotes and captions, with Danish stemming and filters."""
    settings = Settings.from_env()
    try:
        filters = Filters(date_from=date_from, date_to=date_to, outlet=outlet, speaker=speaker, place=place, entity=entity, event_type=event_type)
    except QueryError as exc:
        _stderr().print(Text.assemble(("error: ", "red"), str(exc)))
        raise typer.Exit(EXIT_USAGE) from None
    if db is None and not default_path(settings).exists():
        _stderr().print(f"no store yet at {default_path(settings)}: `kilde ingest PATH…` (or `kilde demo`) creates it")
        raise typer.Exit(EXIT_USAGE)
    store = _open(db, settings, create=False)
    try:
        results = store.search(query, filters=filters, limit=limit, offset=offset)
    except StoreError as exc:
        _stderr().print(Text.assemble(("error: ", "red"), str(exc)))
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        store.close()
    if fmt is SearchFormat.jsonl:
        for rank, hit in enumerate(results.hits, start=offset + 1):
            typer.echo(json.dumps({"rank": rank, **dataclasses.asdict(hit)}, ensure_ascii=False))
        return
    console = Console(highlight=False)
    console.soft_wrap = not console.is_terminal
    _print_results(console, results)


def _print_results(console: Console, results: SearchResults) -> None:
    if not results.hits:
        console.print("no matches" if results.total == 0 else f"no results past {results.offset} (of {results.total})")
        return

    def indented(text: Text) -> Padding | Text:
        # wrapped under the indent on a terminal; one line per field in a pipe, for grep
        return Padding(text, (0, 0, 0, 4), expand=False) if console.is_terminal else Text("    ") + text

    first, last = results.offset + 1, results.offset + len(results.hits)
    console.print(Text(f"{first}–{last} of {results.total} " + ("match" if results.total == 1 else "matches"), style="dim"))
    for rank, hit in enumerate(results.hits, start=first):
        console.print()
        console.print(Text.assemble((f"{rank:>2}. ", "bold"), (hit.title or "(untitled)", "bold")))
        console.print(indented(Text(_meta(hit), style="dim")))
        console.print(indented(_snippet(hit)))
        console.print(indented(Text(f"{hit.id} · {hit.url or hit.path or ''}".rstrip(" ·"), style="dim")))


def _meta(hit: Hit) -> str:
    parts = [hit.published[:10] if hit.published else "no date", hit.outlet or "no outlet"]
    if hit.field != "text":
        parts.append(f"in a {hit.field}")
    if hit.score >= 0.005:  # bm25 is ~0 when nearly every article matches (or there is only one)
        parts.append(f"score {hit.score:.2f}")
    return " · ".join(parts)


def _snippet(hit: Hit) -> Text:
    text = Text(hit.snippet)
    for start, end in hit.highlights:
        text.stylize("bold yellow", start, end)
    return text


def store_demo(article: Article, *, db: str | None, settings: Settings, console: Console) -> bool:
    """Keep the demo's article in the store and say how to browse it; a store that cannot be written is a warning."""
    try:
        with open_store(db, settings=settings) as store:
            added = store.add(article)
            location = store.location
    except StoreError as exc:
        _stderr().print(Text.assemble(("warning: ", "yellow"), f"the example was not stored: {exc}"))
        return False
    db_option = f" --db {_redact(db)}" if db else ""  # a password is never printed: the user fills it in again
    word = next((w for w in (article.title or "").split() if len(w) > 4), "")
    console.print()
    console.print(Text.assemble(("Stored in ", "bold"), location, " (already there)" if not added else ""))
    console.print("Browse it:")
    console.print(f"  kilde search {word.lower().strip(':,.')}{db_option}", markup=False)
    console.print(f"  kilde search --speaker NAME{db_option}    (kilde search --help: more filters)", markup=False)
    console.print(f"  kilde ingest FILES…{db_option}            (add your own articles)", markup=False)
    web = importlib.util.find_spec("fastapi") is not None
    hint = "(in the browser: http://127.0.0.1:8000/)" if web else "(after pip install 'kilde[web]')"
    console.print(f"  kilde serve{db_option}                  {hint}", markup=False)  # "[web]" is not console markup
    sql = "SELECT speaker, text FROM quotes"
    console.print(f'  psql "{location}" -c "{sql}"' if location.startswith(("postgresql:", "postgres:")) else f'  sqlite3 {location} "{sql}"', markup=False)
    return True


def register(app: typer.Typer) -> None:
    """Add ``ingest`` and ``search`` to the ``kilde`` app."""
    app.command()(ingest)
    app.command()(search)
