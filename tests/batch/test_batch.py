"""kilde batch: planning, atomic partition outputs, and runs on a local Dask cluster of 2 worker processes.

The cluster tests check the one property that matters for an archive: every
input article (or its rejection) is in the output exactly once, also when a
worker is killed mid-partition and when a run is interrupted and resumed.
"""

from __future__ import annotations

import io
import json
import os
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import typer  # noqa: E402
from distributed import Client, WorkerPlugin  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from kilde.batch import (  # noqa: E402
    TABLES,
    OutputDirError,
    PartitionFailure,
    PartitionResult,
    analyse,
    check_output,
    connect,
    plan_partitions,
    read_partition,
    read_table,
    run_batch,
    run_partition,
)
from kilde.batch.driver import local_worker_config  # noqa: E402
from kilde.cli.batch import EXIT_SOME_REJECTED, register  # noqa: E402
from kilde.errors import UnsupportedInputError  # noqa: E402
from kilde.read import RawDocument, from_string  # noqa: E402
from kilde.records import Article, Rejection  # noqa: E402
from kilde.store import open_store  # noqa: E402

# Dask's comms and the spawned workers leave sockets for the GC to close when a worker is killed or a cluster shuts down.
pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning"), pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]

# Our own short articles; cities and names vary so the records differ.
CITIES = ("Aarhus", "Odense", "Aalborg", "Esbjerg", "Vejle", "Roskilde", "Herning", "Silkeborg")


def article(i: int) -> str:
    city = CITIES[i % len(CITIES)]
    return (
        f"Byrådet i {city} vedtog budget nummer {i}\n\n"
        f"»Det er en god dag for {city},« siger borgmester Karen Holm nummer {i}.\n\n"
        f"Ifølge Ritzau skal pengene bruges på skoler og veje i {city} fra næste år."
    )


@pytest.fixture
def archive(tmp_path: Path) -> tuple[list[str], set[str], set[str]]:
    """Inputs in three formats with bad items among them; (inputs, keys of good articles, keys of bad items).

    A key is how the output names an input item: the file, ``file:line`` of a JSON line, ``file [row n]`` of a Parquet row.
    """
    root = tmp_path / "archive"
    (root / "txt").mkdir(parents=True)
    good: set[str] = set()
    bad: set[str] = set()
    for i in range(14):
        path = root / "txt" / f"{i:02}.txt"
        path.write_text(article(i), encoding="utf-8")
        good.add(str(path))
    (root / "txt" / "empty.txt").write_bytes(b"")
    bad.add(str(root / "txt" / "empty.txt"))
    jsonl = root / "feed.jsonl"
    with jsonl.open("w", encoding="utf-8") as stream:
        for line_no in range(1, 21):
            if line_no == 7:
                stream.write('{"text": "afbrudt\n')  # a truncated line
                bad.add(f"{jsonl}:{line_no}")
            elif line_no == 12:
                stream.write(json.dumps({"text": "", "url": "https://example.dk/tom"}) + "\n")
                bad.add(f"{jsonl}:{line_no}")
            else:
                stream.write(json.dumps({"text": article(100 + line_no), "url": f"https://example.dk/{line_no}", "outlet": "Testavisen"}) + "\n")
                good.add(f"{jsonl}:{line_no}")
    parquet = root / "dump.parquet"
    texts = [article(200 + i) if i != 3 else "   " for i in range(11)]
    table = pa.table({"text": texts, "url": [f"https://example.dk/p/{i}" for i in range(11)], "published": ["2026-03-10"] * 11})
    pq.write_table(table, parquet, row_group_size=4)  # row groups that do not line up with partitions
    good.update(f"{parquet} [row {i}]" for i in range(11) if i != 3)
    bad.add(f"{parquet} [row 3]")
    warc = root / "crawl.warc.gz"
    warc.write_bytes(_warc([(f"https://example.dk/w/{i}", _page(article(300 + i))) for i in range(3)]))
    good.update(f"{warc}#{i}" for i in range(3))
    return [str(root / "txt"), str(jsonl), str(root / "*.parquet"), str(warc)], good, bad


def _page(text: str) -> bytes:
    title, *paragraphs = text.split("\n\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>".encode()


def _warc(records: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def item_key(row: dict[str, Any]) -> str:
    if row["format"] == "jsonl":
        return f"{row['path']}:{row['index']}"
    if row["format"] == "parquet":
        return f"{row['path']} [row {row['index']}]"
    if row["format"] == "warc":
        return f"{row['path']}#{row['index']}"
    return str(row["path"])


def output_keys(out: Path) -> tuple[Counter[str], Counter[str]]:
    """How often each input item appears among the articles and among the rejections."""
    articles = Counter(item_key(row) for row in read_table(out, "articles").select(["path", "index", "format"]).to_pylist())
    # A rejected item never became an article; its source path is where the reader found it (file, file:line, file [row n]).
    rejections = Counter(str(row["path"]) for row in read_table(out, "rejections").select(["path"]).to_pylist())
    return articles, rejections


def assert_exactly_once(out: Path, good: set[str], bad: set[str]) -> None:
    articles, rejections = output_keys(out)
    assert set(articles) == good and set(articles.values()) == {1}, [k for k, n in articles.items() if n > 1]
    assert set(rejections) == bad and set(rejections.values()) == {1}
    # The part tables belong to articles that are there, once: quotes join back to exactly one article row.
    ids = Counter(zip(*read_table(out, "articles").select(["partition", "article_id"]).to_pydict().values(), strict=True))
    quotes = read_table(out, "quotes").select(["partition", "article_id"]).to_pydict()
    assert set(zip(quotes["partition"], quotes["article_id"], strict=True)) <= set(ids)
    assert len(quotes["article_id"]) == sum(read_table(out, "articles").column("quotes").to_pylist()) >= len(good)
    assert not list(out.rglob(".*.tmp"))


# ---------------------------------------------------------------- planning and one partition, no cluster


def test_plan_is_stable_and_covers_every_item(archive: tuple[list[str], set[str], set[str]]) -> None:
    inputs, good, bad = archive
    plan = plan_partitions(inputs, partition_size=4)
    assert plan == plan_partitions(inputs, partition_size=4)
    assert len({p.id for p in plan.partitions}) == len(plan.partitions)
    assert {p.kind for p in plan.partitions} == {"files", "jsonl", "parquet", "warc"}
    keys = [
        item_key({"path": item.path, "index": item.index, "format": item.format}) if isinstance(item, RawDocument) else item.where
        for partition in plan.partitions
        for item in read_partition(partition)
    ]
    assert sorted(keys) == sorted(good | bad)
    # Another partition size cuts other partitions, with other ids (a WARC file is one partition whatever the size, so it keeps its id).
    common = {p.id for p in plan.partitions} & {p.id for p in plan_partitions(inputs, partition_size=5).partitions}
    assert common == {p.id for p in plan.partitions if p.kind == "warc"}


def test_partition_is_written_atomically_and_skipped_when_done(archive: tuple[list[str], set[str], set[str]], tmp_path: Path) -> None:
    inputs, _, _ = archive
    partition = plan_partitions(inputs[1:2], partition_size=8).partitions[0]
    out = tmp_path / "out"
    check_output(plan_partitions(inputs[1:2], partition_size=8), out, model="rules")
    result = run_partition(partition, str(out), model="rules", max_input_bytes=10**6)
    assert (result.articles, result.rejections, result.skipped) == (7, 1, False)
    assert all((out / table / f"part-{partition.id}.parquet").is_file() for table in TABLES)
    assert json.loads((out / "_partitions" / f"{partition.id}.json").read_text())["articles"] == 7
    rejection = read_table(out, "rejections").to_pylist()[0]
    assert rejection["error"] == "MalformedRecordError" and "truncated" in rejection["message"]
    record = json.loads(read_table(out, "articles").column("record")[0].as_py())
    assert record["schema"] == "kilde.article/1" and record["source"]["outlet"] == "Testavisen"
    again = run_partition(partition, str(out), model="rules", max_input_bytes=10**6)
    assert again.skipped and again.articles == 7
    with pytest.raises(OutputDirError, match="not in this plan"):
        check_output(plan_partitions(inputs[1:2], partition_size=3), out, model="rules")


def test_an_article_that_breaks_the_pipeline_becomes_a_rejection(monkeypatch: pytest.MonkeyPatch, rules_nlp: Any) -> None:
    import kilde.pipeline

    real = kilde.pipeline.extract

    def extract(doc: Any, context: Any) -> Any:
        if "BOOM" in doc.text:
            raise RuntimeError("a bug in an extractor")
        return real(doc, context)

    monkeypatch.setattr(kilde.pipeline, "extract", extract)
    docs = [from_string(article(i) if i != 2 else "Byrådet sagde BOOM i dag.", path=f"{i}.txt") for i in range(5)]
    results = list(analyse(docs, nlp=rules_nlp, batch_size=4))
    assert [type(r).__name__ for r in results] == ["Article", "Article", "Rejection", "Article", "Article"]
    rejection = results[2]
    assert isinstance(rejection, Rejection) and rejection.error == "RuntimeError" and rejection.source.path == "2.txt"
    assert "analysis failed: a bug in an extractor" in rejection.message


# ---------------------------------------------------------------- a local cluster of 2 worker processes


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with connect(workers=2, dashboard_address=":0") as client:
        yield client


def _worker_env() -> tuple[str | None, str | None]:
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")


def test_local_workers_keep_single_threaded_blas_without_dasks_malloc_trimming(client: Client) -> None:
    assert set(client.run(_worker_env).values()) == {(None, "1")}


def _profiling() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


def test_local_workers_do_not_run_dasks_sampling_profiler(client: Client) -> None:
    assert set(client.run(_profiling).values()) == {False}


def test_profiling_stays_on_when_the_user_asks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert local_worker_config()["distributed.worker.profile.enabled"] is False
    monkeypatch.setenv("DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED", "True")
    assert "distributed.worker.profile.enabled" not in local_worker_config()


def test_run_on_two_workers(client: Client, archive: tuple[list[str], set[str], set[str]], tmp_path: Path) -> None:
    inputs, good, bad = archive
    plan = plan_partitions(inputs, partition_size=4)
    seen: list[PartitionResult | PartitionFailure] = []
    report = run_batch(client, plan, tmp_path / "out", model="rules", on_result=seen.append)
    assert report.workers == 2 and report.dashboard and report.dashboard.startswith("http")
    assert (report.done, report.skipped, report.failed) == (len(plan.partitions), 0, [])
    assert (report.articles, report.rejections) == (len(good), len(bad)) and len(seen) == len(plan.partitions)
    assert len({r.worker for r in seen if isinstance(r, PartitionResult)}) == 2  # both workers took part
    assert_exactly_once(tmp_path / "out", good, bad)
    assert json.loads((tmp_path / "out" / "_report.json").read_text())["articles"] == len(good)


class KillBeforeMarker(WorkerPlugin):
    """Kills its worker process once, after ``partition``'s table files are in place and before its marker: the worst moment."""

    name = "test-kill-before-marker"

    def __init__(self, partition: str, flag: str) -> None:
        self.partition, self.flag = partition, flag

    def setup(self, worker: Any) -> None:
        from kilde.batch import outputs

        original = outputs.write_atomically
        partition, flag = self.partition, Path(self.flag)

        def write_atomically(path: Path, write: Any) -> None:
            if path.parent.name == outputs.MARKERS and path.stem == partition and not flag.exists():
                flag.touch()
                os.kill(os.getpid(), signal.SIGKILL)
            original(path, write)

        outputs.write_atomically = write_atomically


def test_worker_killed_mid_partition(client: Client, archive: tuple[list[str], set[str], set[str]], tmp_path: Path) -> None:
    inputs, good, bad = archive
    plan = plan_partitions(inputs, partition_size=4)
    victim = plan.partitions[1].id
    flag = tmp_path / "killed"
    client.register_plugin(KillBeforeMarker(victim, str(flag)))
    try:
        report = run_batch(client, plan, tmp_path / "out", model="rules")
    finally:
        client.unregister_worker_plugin(KillBeforeMarker.name)
    assert flag.exists(), "the worker was not killed"
    assert report.failed == [] and report.done == len(plan.partitions)
    assert_exactly_once(tmp_path / "out", good, bad)
    client.wait_for_workers(2, timeout=30)  # the nanny restarted the killed worker


class Stop(Exception):
    pass


def test_interrupted_run_resumes(client: Client, archive: tuple[list[str], set[str], set[str]], tmp_path: Path) -> None:
    inputs, good, bad = archive
    plan = plan_partitions(inputs, partition_size=3)
    out = tmp_path / "out"

    def stop_after_two(outcome: PartitionResult | PartitionFailure) -> None:
        stop_after_two.calls += 1  # type: ignore[attr-defined]
        if stop_after_two.calls == 2:  # type: ignore[attr-defined]
            raise Stop

    stop_after_two.calls = 0  # type: ignore[attr-defined]
    with pytest.raises(Stop):
        run_batch(client, plan, out, model="rules", on_result=stop_after_two)
    finished = {p.stem for p in (out / "_partitions").glob("*.json")}
    assert 2 <= len(finished) < len(plan.partitions)
    (out / "articles" / ".part-pdead.parquet.0123.tmp").write_bytes(b"left by a dead attempt")
    report = run_batch(client, plan, out, model="rules")
    assert report.skipped >= 2 and report.done + report.skipped == len(plan.partitions) and report.removed_temporaries >= 1
    assert report.articles + report.previous_articles == len(good)
    assert_exactly_once(out, good, bad)


def test_cli_on_a_running_cluster(client: Client, archive: tuple[list[str], set[str], set[str]], tmp_path: Path) -> None:
    inputs, good, bad = archive
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    runner = CliRunner()
    help_text = runner.invoke(app, ["batch", "--help"]).output
    for option in ("--out", "--workers", "--scheduler", "--db", "--model", "--partition-size", "--retries"):
        assert option in help_text
    assert runner.invoke(app, ["batch", *inputs, "--out", str(tmp_path / "x"), "--workers", "2", "--scheduler", "tcp://nowhere:1"]).exit_code == 2
    db = tmp_path / "kilde.db"
    options = ["--out", str(tmp_path / "out"), "--scheduler", client.scheduler.address, "--model", "rules", "--no-progress", "--db", f"sqlite:///{db}"]
    result = runner.invoke(app, ["batch", *inputs, *options])
    assert result.exit_code == EXIT_SOME_REJECTED, result.output
    assert "Dask dashboard: http" in result.output and f"{len(good)} analysed, {len(bad)} rejected" in result.output
    assert f"{len(good)} articles added (0 were there already)" in result.output
    assert_exactly_once(tmp_path / "out", good, bad)
    # Rerun: every partition is finished, nothing is analysed again, and the store keeps one copy of each article.
    again = runner.invoke(app, ["batch", *inputs, *options])
    assert again.exit_code == EXIT_SOME_REJECTED and "0 done" in again.output and f"0 articles added ({len(good)} were there already)" in again.output
    with open_store(f"sqlite:///{db}") as store:
        assert store.count() == len(good)


@pytest.mark.model
def test_real_model_on_two_workers(client: Client, model_nlp: Any, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(4):
        (inputs / f"{i}.txt").write_text(article(i), encoding="utf-8")
    report = run_batch(client, plan_partitions([str(inputs)], partition_size=2), tmp_path / "out", model=None)
    assert report.articles == 4 and not report.failed
    entities = read_table(tmp_path / "out", "entities").to_pylist()
    assert {"Aarhus", "Odense"} <= {e["text"] for e in entities if e["label"] == "LOC"}
    assert json.loads((tmp_path / "out" / "_run.json").read_text())["model"] == "da_kilde"


def test_cli_loads_into_postgres_once_also_after_a_resumed_run(
    client: Client, archive: tuple[list[str], set[str], set[str]], tmp_path: Path, postgres: Any
) -> None:
    """Issue 7: `kilde batch … --db postgresql://…` puts every article in the team store exactly once, across an interrupted run."""
    inputs, good, bad = archive
    out, db = tmp_path / "out", postgres.url()
    plan = plan_partitions(inputs, partition_size=3)

    def stop_after_two(outcome: PartitionResult | PartitionFailure) -> None:
        stop_after_two.calls += 1  # type: ignore[attr-defined]
        if stop_after_two.calls == 2:  # type: ignore[attr-defined]
            raise Stop

    stop_after_two.calls = 0  # type: ignore[attr-defined]
    with pytest.raises(Stop):  # the first run is interrupted after two partitions
        run_batch(client, plan, out, model="rules", on_result=stop_after_two)
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    options = ["--out", str(out), "--scheduler", client.scheduler.address, "--model", "rules", "--no-progress", "--partition-size", "3", "--db", db]
    result = CliRunner().invoke(app, ["batch", *inputs, *options])
    assert result.exit_code == EXIT_SOME_REJECTED, result.output
    assert f"{len(good)} articles added (0 were there already)" in result.output
    assert db.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1] not in result.output  # the password
    again = CliRunner().invoke(app, ["batch", *inputs, *options])
    assert again.exit_code == EXIT_SOME_REJECTED and f"0 articles added ({len(good)} were there already)" in again.output
    assert_exactly_once(out, good, bad)
    with open_store(db) as store:
        assert store.count() == len(good)
        records = [Article.model_validate_json(row["record"]) for row in store._query("SELECT record FROM records")]  # type: ignore[attr-defined]
        keys = Counter(item_key({"format": a.source.format, "path": a.source.path, "index": a.source.index}) for a in records)
        assert set(keys) == good and set(keys.values()) == {1}
        assert store._query("SELECT count(*) FROM quotes")[0][0] == sum(len(a.quotes) for a in records) >= len(good)  # type: ignore[attr-defined]


def test_plan_refuses_a_pipe_it_could_read_only_once(tmp_path: Path) -> None:
    fifo = tmp_path / "articles.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(UnsupportedInputError, match="not a regular file"):
        plan_partitions([str(fifo)])
