from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kilde.cli import EXIT_OK, EXIT_USAGE
from kilde.cli.store import register as register_store
from kilde.cli.stories import register

runner = CliRunner()
app = typer.Typer(add_completion=False)
register_store(app)
register(app)

# Our own Danish texts: one story over two days, its first article copied by a second outlet, and a budget.
FERRY_1 = (
    "Færgen mellem Ystad og Rønne sejler ikke i dag på grund af kraftig storm, oplyser rederiet Bornholmslinjen. "
    "Passagerer med billetter kan få pengene tilbage eller flytte rejsen til en senere afgang. "
    "Rederiet venter at sejle igen i morgen tidlig, hvis vinden løjer af som ventet."
)
FERRY_2 = (
    "Færgerne mellem Ystad og Rønne sejler igen efter stormen, oplyser Bornholmslinjen. "
    "Der er lange køer ved havnen i Ystad, hvor flere hundrede biler venter på at komme med færgen til Rønne."
)
BUDGET = "Et flertal i byrådet i Odense stemte torsdag for et budget med flere midler til ældreplejen og til skolerne i kommunen."
ROWS = [
    {"text": FERRY_1, "title": "Storm lukker færgerne", "url": "https://a.dk/1", "published": "2024-03-01T08:00", "outlet": "Ritzau"},
    {"text": FERRY_1, "title": "Ingen færger til Bornholm", "url": "https://b.dk/1", "published": "2024-03-01T09:00", "outlet": "Bornholms Avis"},
    {"text": FERRY_2, "title": "Færgerne sejler igen", "url": "https://b.dk/2", "published": "2024-03-02T10:00", "outlet": "Bornholms Avis"},
    {"text": BUDGET, "title": "Budget i Odense", "url": "https://c.dk/1", "published": "2024-03-01T11:00", "outlet": "Fyns Avis"},
]


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    return path


def test_help_lists_the_options() -> None:
    result = runner.invoke(app, ["stories", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--limit", "--json", "--rebuild"):
        assert option in result.output
    assert "--no-stories" in runner.invoke(app, ["ingest", "--help"]).output


def test_ingest_builds_stories_and_stories_lists_them(feed: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    ingested = runner.invoke(app, ["ingest", str(feed), "--db", db, "--model", "rules"])
    assert ingested.exit_code == EXIT_OK, ingested.output
    assert "1 stories, 1 near-duplicate copies" in ingested.output
    listed = runner.invoke(app, ["stories", "--db", db, "--no-rebuild", "--json"])
    assert listed.exit_code == EXIT_OK, listed.output
    out = json.loads(listed.output)
    assert out["summary"] is None and out["total"] == 1
    [story] = out["stories"]
    assert (story["first"], story["last"], story["size"]) == ("2024-03-01", "2024-03-02", 3)
    assert story["outlets"] == ["Bornholms Avis", "Ritzau"]
    assert [a["duplicate_of"] is not None for a in story["articles"]] == [False, True, False]
    table = runner.invoke(app, ["stories", "--db", db])
    assert table.exit_code == EXIT_OK, table.output
    assert "4 articles: 1 near-duplicate copies in 1 groups; 1 stories with 3 articles" in table.output
    assert story["title"] in table.output and "2024-03-01 – 2024-03-02" in table.output


def test_ingest_without_stories_leaves_them_alone(feed: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    assert runner.invoke(app, ["ingest", str(feed), "--db", db, "--model", "rules", "--no-stories"]).exit_code == EXIT_OK
    listed = runner.invoke(app, ["stories", "--db", db, "--no-rebuild"])
    assert listed.exit_code == EXIT_OK and "no stories" in listed.output


def test_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == EXIT_USAGE
    assert "no store here" in result.output
    assert runner.invoke(app, ["stories"]).exit_code == EXIT_USAGE  # no default store yet
