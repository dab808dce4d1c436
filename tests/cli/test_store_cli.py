from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kilde.cli import EXIT_ALL_REJECTED, EXIT_OK, EXIT_SOME_REJECTED, EXIT_USAGE
from kilde.cli.store import register

runner = CliRunner()
app = typer.Typer(add_completion=False)
register(app)

# Our own Danish texts.
RETREAT = (
    "Regeringen udskyder tilbagetrækningen af soldater\n\n"
    "Tilbagetrækningen af de danske soldater bliver udskudt til foråret, oplyser ministeriet.\n\n"
    "»Vi skal gøre det ordentligt,« siger forsvarsminister Anne Holm."
)
FERRY = "Storm lukker færgerne til Bornholm\n\nFærgerne sejler ikke i dag på grund af storm, oplyser rederiet."


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KILDE_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "retreat.txt").write_text(RETREAT, encoding="utf-8")
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    return folder


def test_help_lists_the_options() -> None:
    for command, options in {
        "ingest": ("--db", "--model", "--input-format", "--progress"),
        "search": ("--db", "--from", "--to", "--outlet", "--speaker", "--place", "--entity", "--event-type", "--limit", "--format"),
    }.items():
        result = run(command, "--help")
        assert result.exit_code == 0
        for option in options:
            assert option in result.output


def test_ingest_then_search_in_the_default_store(inputs: Path, tmp_path: Path) -> None:
    result = run("ingest", str(inputs), "--model", "rules")
    assert result.exit_code == EXIT_OK, result.output
    assert "2 stored, 0 already in the store, 0 rejected" in result.output
    assert (tmp_path / "data" / "kilde.db").is_file()
    again = run("ingest", str(inputs), "--model", "rules")
    assert again.exit_code == EXIT_OK and "0 stored, 2 already in the store" in again.output
    found = run("search", "tilbagetrækning")
    assert found.exit_code == EXIT_OK, found.output
    assert "1–1 of 1 match" in found.stdout and "Regeringen udskyder tilbagetrækningen af soldater" in found.stdout
    assert "Tilbagetrækningen af de danske soldater" in found.stdout and str(inputs / "retreat.txt") in found.stdout


def test_search_jsonl_and_filters(inputs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "corpus.db")
    assert run("ingest", str(inputs), "--db", db, "--model", "rules").exit_code == EXIT_OK
    lines = [json.loads(line) for line in run("search", "færgen", "--db", db, "-f", "jsonl").stdout.splitlines()]
    assert [(h["rank"], h["title"]) for h in lines] == [(1, "Storm lukker færgerne til Bornholm")]
    assert [line["snippet"][s:e] for line in lines for s, e in line["highlights"]] == ["færgerne", "Færgerne"]
    by_speaker = run("search", "--db", db, "--speaker", "anne holm", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["title"] for line in by_speaker] == ["Regeringen udskyder tilbagetrækningen af soldater"]
    assert run("search", "xylofon", "--db", db).stdout.strip() == "no matches"
    # the store is plain SQL
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_rejected_inputs_are_reported_and_the_rest_stored(inputs: Path, tmp_path: Path) -> None:
    (inputs / "empty.txt").write_text("   \n", encoding="utf-8")
    result = run("ingest", str(inputs), "--db", str(tmp_path / "k.db"), "--model", "rules")
    assert result.exit_code == EXIT_SOME_REJECTED
    assert "empty.txt" in result.output and "2 stored, 0 already in the store, 1 rejected" in result.output
    only_bad = run("ingest", str(inputs / "empty.txt"), "--db", str(tmp_path / "k.db"), "--model", "rules")
    assert only_bad.exit_code == EXIT_ALL_REJECTED


def test_bad_db_paths_and_filters_are_usage_errors(inputs: Path, tmp_path: Path) -> None:
    result = run("ingest", str(inputs), "--db", str(tmp_path / "missing" / "k.db"), "--model", "rules")
    assert result.exit_code == EXIT_USAGE and "does not exist" in result.output
    directory = run("ingest", str(inputs), "--db", str(tmp_path), "--model", "rules")
    assert directory.exit_code == EXIT_USAGE and "is a directory" in directory.output
    absent = run("search", "storm", "--db", str(tmp_path / "absent.db"))
    assert absent.exit_code == EXIT_USAGE and "no store here" in absent.output
    assert not (tmp_path / "absent.db").exists()  # searching never creates a store
    no_default = run("search", "storm")
    assert no_default.exit_code == EXIT_USAGE and "kilde ingest" in no_default.output
    bad_date = run("search", "storm", "--from", "1. marts")
    assert bad_date.exit_code == EXIT_USAGE and "YYYY-MM-DD" in bad_date.output
    unknown = run("search", "storm", "--db", "mysql://kilde:hemmelig@localhost/kilde")
    assert unknown.exit_code == EXIT_USAGE and "unknown kind of store" in unknown.output and "hemmelig" not in unknown.output


def test_an_interrupted_ingest_keeps_what_was_stored_and_a_rerun_completes(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kilde.cli.store as cli_store

    real = cli_store.ingest_documents

    def interrupted(*args: object, **kwargs: object):  # Ctrl-C after the first article is stored
        events = real(*args, **kwargs)  # type: ignore[arg-type]
        yield next(events)
        raise KeyboardInterrupt

    db = str(tmp_path / "k.db")
    monkeypatch.setattr(cli_store, "ingest_documents", interrupted)
    result = run("ingest", str(inputs), "--db", db, "--model", "rules")
    assert result.exit_code == cli_store.EXIT_INTERRUPTED
    assert "interrupted: 1 stored" in result.output and "run the same command again" in result.output
    monkeypatch.undo()
    rerun = run("ingest", str(inputs), "--db", db, "--model", "rules")
    assert rerun.exit_code == EXIT_OK and "1 stored, 1 already in the store" in rerun.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == 2


# -- the team store (PostgreSQL; tests/conftest.py's server, skipped without one) ----------------------


def test_ingest_and_search_in_postgres(inputs: Path, postgres: Any) -> None:
    db = postgres.url()
    result = run("ingest", str(inputs), "--db", db, "--model", "rules")
    assert result.exit_code == EXIT_OK, result.output
    assert "2 stored, 0 already in the store, 0 rejected → postgresql://kilde:***@" in result.output
    password = db.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert password not in result.output
    again = run("ingest", str(inputs), "--db", db, "--model", "rules")
    assert again.exit_code == EXIT_OK and "0 stored, 2 already in the store" in again.output
    found = run("search", "tilbagetrækning", "--db", db)
    assert found.exit_code == EXIT_OK and "1–1 of 1 match" in found.stdout and "Regeringen udskyder tilbagetrækningen af soldater" in found.stdout
    lines = [json.loads(line) for line in run("search", "--db", db, "--speaker", "anne holm", "-f", "jsonl").stdout.splitlines()]
    assert [line["title"] for line in lines] == ["Regeringen udskyder tilbagetrækningen af soldater"]
    assert run("search", "xylofon", "--db", db).stdout.strip() == "no matches"


def test_postgres_problems_are_usage_errors_without_the_password(inputs: Path, postgres: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here
    refused = run("ingest", str(inputs), "--db", f"postgresql://kilde:hemmelig@127.0.0.1:{port}/kilde", "--model", "rules")
    assert refused.exit_code == EXIT_USAGE and "cannot connect" in refused.output and "hemmelig" not in refused.output
    absent = run("search", "storm", "--db", postgres.url("empty"))
    assert absent.exit_code == EXIT_USAGE and "no store here" in absent.output
