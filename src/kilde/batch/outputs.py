"""The output directory of a batch run: one Parquet table per record part, written atomically per partition.

    OUT/_run.json                       the plan (partition ids and what they read) and the model
    OUT/<table>/part-<partition>.parquet   articles, quotes, entities, places, events, times, sources, rejections
    OUT/_partitions/<partition>.json    the marker: written last, after every table file of the partition is in place

A table file is written under a temporary name beginning with ``.`` in its own
directory and renamed with :func:`os.replace`, so a reader never sees half a
file and a crash leaves only hidden temporaries (which Parquet readers skip).
Outputs are deterministic, so a partition that is written twice (a retried or
duplicated task) replaces its files with the same rows. A partition counts as
done only when its marker exists; a rerun skips those and redoes the rest.

Every table has ``partition`` and ``article_id``; ``(partition, article_id)``
joins the part tables to ``articles``, whose ``record`` column holds the full
JSON record. Read a table with ``pyarrow.dataset.dataset(OUT / "quotes")`` or
``pandas.read_parquet(OUT / "quotes")``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kilde.errors import OutputDirError
from kilde.records import Article, Rejection

__all__ = [
    "MARKERS",
    "TABLES",
    "OutputDirError",
    "PartitionResult",
    "PartitionWriter",
    "finished",
    "read_marker",
    "read_table",
    "remove_temporaries",
]

MARKERS = "_partitions"
RUN_FILE = "_run.json"
#: Rows are handed to Parquet in row groups of this many articles, so a large partition never sits whole in memory.
ROW_GROUP_ARTICLES = 256


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([("partition", pa.string()), ("article_id", pa.string()), *fields])


_STR, _INT, _FLOAT, _BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": _schema(
        ("path", _STR), ("url", _STR), ("outlet", _STR), ("format", _STR), ("index", _INT),
        ("title", _STR), ("published", _STR), ("language", _STR), ("byline", _STR), ("text", _STR),
        ("keywords", pa.list_(_STR)), ("warnings", pa.list_(_STR)),
        ("quotes", _INT), ("entities", _INT), ("places", _INT), ("events", _INT),
        ("record", _STR),
    ),
    "quotes": _schema(
        ("quote", _INT), ("start", _INT), ("end", _INT), ("text", _STR), ("kind", _STR), ("cue", _STR), ("cue_start", _INT),
        ("speaker_name", _STR), ("speaker_mention", _STR), ("speaker_type", _STR), ("confidence", _FLOAT),
    ),
    "entities": _schema(("entity", _INT), ("start", _INT), ("end", _INT), ("text", _STR), ("label", _STR), ("link", _STR)),
    "places": _schema(
        ("place", _INT), ("name", _STR), ("lat", _FLOAT), ("lon", _FLOAT), ("geonameid", _INT), ("country", _STR), ("feature", _STR),
        ("mentions", _INT), ("score", _FLOAT), ("source", _STR),
    ),
    "events": _schema(
        ("event", _INT), ("type", _STR), ("subtype", _STR), ("trigger", _STR), ("trigger_start", _INT), ("actor", _STR), ("target", _STR),
        ("place", _STR), ("place_geonameid", _INT), ("time", _STR), ("sentence_start", _INT), ("sentence_end", _INT),
        ("modality", _STR), ("negated", _BOOL), ("attributed_to", _STR),
    ),
    "times": _schema(
        ("time", _INT), ("start", _INT), ("end", _INT), ("text", _STR), ("value", _STR), ("type", _STR), ("anchor", _STR), ("vague", _BOOL), ("mod", _STR)
    ),
    "sources": _schema(("source", _INT), ("name", _STR), ("type", _STR), ("mentions", _INT)),
    # A rejection has no article id: the input never became an article. ``index`` is the line, row or item.
    "rejections": pa.schema(
        [("partition", _STR), ("path", _STR), ("url", _STR), ("outlet", _STR), ("format", _STR), ("index", _INT), ("error", _STR), ("message", _STR)]
    ),
}  # fmt: skip
TABLES = tuple(SCHEMAS)


def article_rows(partition: str, article: Article) -> dict[str, list[dict[str, Any]]]:
    """The rows ``article`` contributes to each table."""
    key = {"partition": partition, "article_id": article.id}
    src = article.source
    return {
        "articles": [
            {
                **key, "path": src.path, "url": src.url, "outlet": src.outlet, "format": src.format, "index": src.index,
                "title": article.title, "published": article.published, "language": article.language, "byline": article.byline,
                "text": article.text, "keywords": article.keywords, "warnings": article.warnings,
                "quotes": len(article.quotes), "entities": len(article.entities), "places": len(article.places), "events": len(article.events),
                "record": article.to_json(),
            }
        ],
        "quotes": [
            {
                **key, "quote": i, "start": q.start, "end": q.end, "text": q.text, "kind": q.kind, "cue": q.cue, "cue_start": q.cue_start,
                "speaker_name": q.speaker.name, "speaker_mention": q.speaker.mention, "speaker_type": q.speaker.type, "confidence": q.confidence,
            }
            for i, q in enumerate(article.quotes)
        ],
        "entities": [
            {**key, "entity": i, "start": e.start, "end": e.end, "text": e.text, "label": e.label, "link": e.link} for i, e in enumerate(article.entities)
        ],
        "places": [
            {
                **key, "place": i, "name": p.name, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid, "country": p.country, "feature": p.feature,
                "mentions": len(p.mentions), "score": p.score, "source": p.source,
            }
            for i, p in enumerate(article.places)
        ],
        "events": [
            {
                **key, "event": i, "type": e.type, "subtype": e.subtype, "trigger": e.trigger, "trigger_start": e.trigger_start, "actor": e.actor,
                "target": e.target, "place": e.place, "place_geonameid": e.place_geonameid, "time": e.time,
                "sentence_start": e.sentence.start, "sentence_end": e.sentence.end, "modality": e.modality, "negated": e.negated,
                "attributed_to": e.attributed_to,
            }
            for i, e in enumerate(article.events)
        ],
        "times": [
            {
                **key, "time": i, "start": t.start, "end": t.end, "text": t.text, "value": t.value, "type": t.type, "anchor": t.anchor,
                "vague": t.vague, "mod": t.mod,
            }
            for i, t in enumerate(article.times)
        ],
        "sources": [{**key, "source": i, "name": s.name, "type": s.type, "mentions": s.mentions} for i, s in enumerate(article.sources)],
    }  # fmt: skip


def rejection_row(partition: str, rejection: Rejection) -> dict[str, Any]:
    src = rejection.source
    return {
        "partition": partition, "path": src.path, "url": src.url, "outlet": src.outlet, "format": src.format, "index": src.index,
        "error": rejection.error, "message": rejection.message,
    }  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class PartitionResult:
    """What one partition produced; also the content of its marker file."""

    partition: str
    articles: int
    rejections: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    worker: str = ""
    skipped: bool = False

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if k != "skipped"}, ensure_ascii=False, indent=1)


def marker_path(out: Path, partition: str) -> Path:
    return out / MARKERS / f"{partition}.json"


def table_path(out: Path, table: str, partition: str) -> Path:
    return out / table / f"part-{partition}.parquet"


def read_marker(out: Path, partition: str) -> PartitionResult | None:
    """The stored result of a finished partition, or None when it is not finished."""
    path = marker_path(out, partition)
    if not path.is_file():
        return None
    return PartitionResult(**json.loads(path.read_text(encoding="utf-8")), skipped=True)


def finished(out: Path) -> set[str]:
    """Ids of the partitions whose marker exists."""
    markers = out / MARKERS
    return {p.stem for p in markers.glob("*.json")} if markers.is_dir() else set()


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the directory entry is on disk (matters when a node, not just a process, dies).
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temporary)`` for a hidden temporary beside ``path``, then rename it to ``path``."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")  # unique: two attempts of one partition never share a temporary
    try:
        write(temporary)
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_dir(path.parent)


class PartitionWriter:
    """Streams one partition's records into hidden temporary Parquet files; :meth:`commit` renames them and writes the marker."""

    def __init__(self, out: Path, partition: str) -> None:
        self.out = out
        self.partition = partition
        self.token = uuid.uuid4().hex
        self.rows = {table: 0 for table in TABLES}
        self.articles = self.rejections = 0
        self._buffers: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._pending = 0

    def _temporary(self, table: str) -> Path:
        final = table_path(self.out, table, self.partition)
        return final.with_name(f".{final.name}.{self.token}.tmp")

    def add(self, result: Article | Rejection) -> None:
        if isinstance(result, Rejection):
            self.rejections += 1
            self._buffers["rejections"].append(rejection_row(self.partition, result))
        else:
            self.articles += 1
            for table, rows in article_rows(self.partition, result).items():
                self._buffers[table].extend(rows)
        self._pending += 1
        if self._pending >= ROW_GROUP_ARTICLES:
            self._flush()

    def _flush(self) -> None:
        for table, rows in self._buffers.items():
            if rows:
                self._writer(table).write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]))
                self.rows[table] += len(rows)
                rows.clear()
        self._pending = 0

    def _writer(self, table: str) -> pq.ParquetWriter:
        if table not in self._writers:
            self._writers[table] = pq.ParquetWriter(self._temporary(table), SCHEMAS[table], compression="zstd")
        return self._writers[table]

    def commit(self, *, seconds: float, worker: str) -> PartitionResult:
        """Put every table file in place, then the marker: from here on the partition is done."""
        self._flush()
        for table in TABLES:
            # A table with no rows still gets its (empty) file, so every finished partition has one in every table.
            writer = self._writer(table)
            writer.close()
            temporary = self._temporary(table)
            with temporary.open("rb+") as stream:
                os.fsync(stream.fileno())
            os.replace(temporary, table_path(self.out, table, self.partition))
            _fsync_dir(temporary.parent)
        self._writers.clear()
        result = PartitionResult(
            partition=self.partition, articles=self.articles, rejections=self.rejections, rows=dict(self.rows), seconds=round(seconds, 3), worker=worker
        )
        write_atomically(marker_path(self.out, self.partition), lambda path: path.write_text(result.to_json(), encoding="utf-8"))
        return result

    def abort(self) -> None:
        """Drop the temporaries of a failed attempt."""
        for table, writer in self._writers.items():
            writer.close()
            self._temporary(table).unlink(missing_ok=True)
        self._writers.clear()


def prepare(out: Path, run: dict[str, Any]) -> set[str]:
    """Create ``out`` for a run described by ``run`` (plan and model); the ids of partitions already finished there.

    Raises :class:`OutputDirError` when ``out`` holds finished partitions of a
    different plan or model: resuming into it would mix or duplicate records.
    """
    try:
        for name in (*TABLES, MARKERS):
            (out / name).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputDirError(f"cannot create the output directory {out}: {exc.strerror or exc}") from None
    done = finished(out)
    run_file = out / RUN_FILE
    if run_file.is_file() and done:
        previous = json.loads(run_file.read_text(encoding="utf-8"))
        if previous.get("model") != run.get("model"):
            raise OutputDirError(f"{out} holds a run with the model {previous.get('model')!r}, not {run.get('model')!r}; use a new --out")
        stale = done - {p["id"] for p in run["partitions"]}
        if stale:
            raise OutputDirError(
                f"{out} holds {len(stale)} finished partitions that are not in this plan (different inputs or partition size); use a new --out"
            )
    write_atomically(run_file, lambda path: path.write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8"))
    return done


def remove_temporaries(out: Path) -> int:
    """Delete temporaries left by attempts that died; call only when no run is writing to ``out``."""
    count = 0
    for name in (*TABLES, MARKERS):
        for path in (out / name).glob(".*.tmp"):
            path.unlink(missing_ok=True)
            count += 1
    return count


def read_table(out: Path, table: str, *, partitions: set[str] | None = None) -> pa.Table:
    """One output table, from the finished partitions only (all of them, or those in ``partitions``)."""
    done = finished(out) if partitions is None else partitions & finished(out)
    files = [table_path(out, table, p) for p in sorted(done)]
    if not files:
        return SCHEMAS[table].empty_table()
    return pa.concat_tables(pq.read_table(f, schema=SCHEMAS[table]) for f in files)


def iter_records(out: Path, *, partitions: set[str] | None = None, batch_size: int = 256) -> Iterator[Article]:
    """The articles of the finished partitions, parsed back from the ``record`` column."""
    done = finished(out) if partitions is None else partitions & finished(out)
    for partition in sorted(done):
        parquet = pq.ParquetFile(table_path(out, "articles", partition))
        for batch in parquet.iter_batches(batch_size=batch_size, columns=["record"]):
            for record in batch.column(0).to_pylist():
                yield Article.from_json(record)
