"""``kilde stories``: rebuild the near-duplicate groups and stories of a store and list the latest stories.

Registered on the main app by :func:`register`. Exit codes: 0 done; 2 usage error,
including a ``--db`` that cannot be opened; 3 the store failed while reading or writing
(the stories it held before are kept); 130 interrupted (nothing was changed).
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kilde.cli import EXIT_ALL_REJECTED, EXIT_USAGE, _stderr
from kilde.cli.store import DB_HELP, EXIT_INTERRUPTED, _open
from kilde.settings import Settings
from kilde.store import StoreError, default_path
from kilde.store.story_tables import StoryTables
from kilde.stories import Story

if TYPE_CHECKING:
    from kilde.stories.build import StoriesSummary

__all__ = ["register", "stories"]


def stories(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10_000, help="Stories to list, latest first.")] = 20,
    rebuild: Annotated[bool, typer.Option("--rebuild/--no-rebuild", help="Recompute them first (--no-rebuild: list the stored ones).")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: the rebuild summary and the stories with their articles.")] = False,
) -> None:
    """Group near-duplicate articles across outlets and cluster articles into stories over time; list the latest stories."""
    settings = Settings.from_env()
    if db is None and not default_path(settings).exists():
        _stderr().print(f"no store yet at {default_path(settings)}: `kilde ingest PATH…` (or `kilde demo`) creates it")
        raise typer.Exit(EXIT_USAGE)
    store = _open(db, settings, create=False)
    summary = None
    try:
        if not isinstance(store, StoryTables):  # every Kilde backend has them; a foreign Store implementation may not
            _stderr().print(Text.assemble(("error: ", "red"), f"{store.location}: this store does not keep stories"))
            raise typer.Exit(EXIT_USAGE)
        if rebuild:
            summary = rebuild_stories(store)
        page = store.stories(limit=limit)
    except StoreError as exc:
        _stderr().print(Text.assemble(("error: ", "red"), str(exc)))
        raise typer.Exit(EXIT_ALL_REJECTED) from None
    except KeyboardInterrupt:
        _stderr().print("interrupted: the stories are as they were")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        store.close()
    if as_json:
        out = {
            "summary": dataclasses.asdict(summary) if summary else None,
            "total": page.total,
            "stories": [{**dataclasses.asdict(s), "outlets": list(s.outlets)} for s in page.items],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if summary is not None:
        _stderr().print(
            f"{summary.articles} articles: {summary.copies} near-duplicate copies in {summary.duplicate_groups} groups;"
            f" {summary.stories} stories with {summary.in_stories} articles ({summary.seconds:.1f} s)"
        )
    console = Console(highlight=False)
    _print_table(console, page.items, page.total)


def rebuild_stories(store: StoryTables) -> StoriesSummary:
    """Rebuild the stories of a store (the numerical libraries are imported only now, not when the CLI starts)."""
    from kilde.stories.build import build_stories

    return build_stories(store)


def _print_table(console: Console, items: list[Story], total: int) -> None:
    if not items:
        console.print("no stories (a story needs two or more articles on the same subject within a week)")
        return
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("story", overflow="fold", ratio=1)
    table.add_column("first – last", no_wrap=True)
    table.add_column("articles", justify="right")
    table.add_column("outlets", justify="right")
    for s in items:
        days = f"{s.first or '?'} – {s.last or '?'}" if s.first != s.last else (s.first or "no date")
        table.add_row(s.title, days, str(s.size), str(len(s.outlets)))
    console.print(table)
    if total > len(items):
        console.print(Text(f"{len(items)} of {total} stories (--limit for more)", style="dim"))


def register(app: typer.Typer) -> None:
    """Add ``stories`` to the ``kilde`` app."""
    app.command()(stories)
