from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kilde.cli import EXIT_ALL_REJECTED, EXIT_MODEL, EXIT_OK, EXIT_SOME_REJECTED, app

runner = CliRunner()
ARTICLE = "Byrådet i Aarhus vedtog budgettet\n\n»Det er en god dag,« siger borgmesteren.\n"


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("budgettet", "planen"), encoding="utf-8")
    return tmp_path


def test_help_documents_commands_and_formats() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("analyze", "demo", "schema", "ingest", "search", "batch"):
        assert command in result.output
    analyze_help = run("analyze", "--help").output
    for option in ("--output", "--format", "--input-format", "--model", "--progress"):
        assert option in analyze_help


def test_one_article_is_json(files: Path) -> None:
    result = run("analyze", str(files / "a.txt"), "--model", "rules")
    assert result.exit_code == EXIT_OK, result.output
    record = json.loads(result.stdout)
    assert record["schema"] == "kilde.article/1" and record["title"] == "Byrådet i Aarhus vedtog budgettet"


def test_many_articles_are_jsonl_or_a_json_array(files: Path) -> None:
    lines = run("analyze", str(files), "--model", "rules").stdout.strip().splitlines()
    assert [json.loads(line)["source"]["path"] for line in lines] == [str(files / "a.txt"), str(files / "b.txt")]
    array = json.loads(run("analyze", str(files), "--model", "rules", "-f", "json").stdout)
    assert len(array) == 2


def test_text_view(files: Path) -> None:
    result = run("analyze", str(files / "a.txt"), "--model", "rules", "-f", "text")
    assert result.exit_code == 0
    assert "Byrådet i Aarhus vedtog budgettet" in result.stdout and "paragraphs" in result.stdout


def test_text_view_lists_what_happened(model_nlp: object) -> None:
    example = resources.files("kilde").joinpath("examples", "stormflod-da.txt")
    result = run("analyze", str(example), "-f", "text")
    assert result.exit_code == 0
    out = " ".join(result.stdout.replace("│", " ").split())  # the panel's borders and line breaks aside
    assert "What happened" in out
    assert 'DISASTER · "oversvømmede" · Beboerne i den indre by i Vejle · in Vejle · asserted' in out
    assert 'CONSULT · "møde" · Regeringen · in København · asserted' in out  # the place as the article names it


def test_stdin() -> None:
    result = run("analyze", "-", "--model", "rules", "-f", "jsonl", stdin=ARTICLE)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"]["path"] == "<stdin>"


def test_output_file_is_written_whole(files: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "records.jsonl"
    out.parent.mkdir()
    result = run("analyze", str(files), "--model", "rules", "-f", "jsonl", "-o", str(out))
    assert result.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert not list(out.parent.glob("*.part"))


def test_bad_file_among_good_carries_on_and_exits_nonzero(files: Path) -> None:
    (files / "c.txt").write_bytes(b"\x00\x01\x02binary")
    result = run("analyze", str(files), "--model", "rules", "-f", "jsonl")
    assert result.exit_code == EXIT_SOME_REJECTED
    assert len(result.stdout.strip().splitlines()) == 2
    assert str(files / "c.txt") in result.stderr and "binary" in result.stderr
    assert "2 analysed, 1 rejected" in result.stderr


def test_only_bad_input(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run("analyze", str(tmp_path / "empty.txt"), "--model", "rules")
    assert result.exit_code == EXIT_ALL_REJECTED
    assert "empty.txt: the file is empty" in result.stderr


def test_failed_run_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "records.json"
    out.write_text("previous results", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    run("analyze", str(tmp_path / "empty.txt"), "--model", "rules", "-o", str(out))
    assert out.read_text(encoding="utf-8") == "previous results"


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    result = run("analyze", "x.txt", "--model", str(tmp_path / "no-model"))
    assert result.exit_code == EXIT_MODEL
    assert "no trained Danish pipeline" in result.stderr


def test_demo_runs_on_bundled_example() -> None:
    result = run("demo", "--model", "rules")
    assert result.exit_code == 0, result.output
    assert "Stormflod rammer Vejle" in result.stdout
    assert "Mads Claus Rasmussen" in result.stdout


def test_schema_command() -> None:
    assert json.loads(run("schema").stdout)["properties"]["schema"]["const"] == "kilde.article/1"


def test_geojson_output(files: Path) -> None:
    result = run("analyze", str(files / "a.txt"), "--model", "rules", "-f", "geojson")
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "Point" for f in collection["features"])
    assert any(f["properties"]["kind"] == "place" and "Aarhus" in f["properties"]["mention_texts"] for f in collection["features"])


def test_fifty_megabyte_file_is_refused_clearly(tmp_path: Path) -> None:
    big = tmp_path / "stor.txt"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("Et ord mere. " * (50 * 1024 * 1024 // 13 + 1))
    (tmp_path / "lille.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("analyze", str(tmp_path), "--model", "rules", "-f", "jsonl")
    assert result.exit_code == EXIT_SOME_REJECTED
    assert f"{big}: " in result.stderr and "over the" in result.stderr and "byte limit" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 1


def test_parquet_input_and_a_rejection_line_that_names_the_row(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="Parquet inputs need pyarrow (kilde[distributed])")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "arkiv.parquet"
    pq.write_table(pa.table({"text": [ARTICLE, "", ARTICLE.replace("budgettet", "planen")]}), path)
    result = run("analyze", str(path), "--model", "rules", "-f", "jsonl")
    assert result.exit_code == EXIT_SOME_REJECTED
    assert len(result.stdout.splitlines()) == 2
    # the row number is in square brackets: the message must not be eaten as console markup
    assert f"{path} [row 1]: the record's 'text' is empty" in result.stderr


def test_demo_says_how_to_browse_and_prints_extras_literally(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real_find_spec(name, *a))
    db = tmp_path / "demo [kopi].db"  # brackets in a path are not console markup either
    result = run("demo", "--model", "rules", "--db", str(db))
    assert result.exit_code == EXIT_OK, result.output
    assert "kilde serve --db" in result.output and "pip install 'kilde[web]'" in result.output
    assert f"sqlite3 {db}" in " ".join(result.output.split())  # the terminal width may wrap the line
