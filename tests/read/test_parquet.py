"""Parquet tables of articles read like any other input: by path, by row range, from bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kilde.errors import EmptyInputError, InputError, UnsupportedInputError
from kilde.read import RawDocument, read_bytes, read_path, sniff
from kilde.read.parquet import parquet_rows, read_parquet

pa = pytest.importorskip("pyarrow", reason="Parquet inputs need pyarrow (kilde[distributed])")
pq = pytest.importorskip("pyarrow.parquet")

TEXTS = [f"Artikel nummer {i} om havnen i Esbjerg.\n\nDen handler om færger og vejret." for i in range(7)]


@pytest.fixture
def table(tmp_path: Path) -> Path:
    import datetime as dt

    path = tmp_path / "arkiv.parquet"
    texts = list(TEXTS)
    texts[3] = "   "  # one bad row among good ones
    pq.write_table(
        pa.table(
            {
                "text": texts,
                "title": [f"Titel {i}" for i in range(7)],
                "published": [dt.date(2024, 5, i + 1) for i in range(7)],
                "extra": list(range(7)),  # columns Kilde does not know are ignored
            }
        ),
        path,
        row_group_size=3,
    )
    return path


def test_every_row_is_an_article_and_a_bad_row_is_an_error_in_its_place(table: Path) -> None:
    items = list(read_path(str(table)))
    assert len(items) == 7
    assert isinstance(items[3], EmptyInputError) and items[3].where == f"{table} [row 3]"
    doc = items[0]
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.published, doc.format, doc.index) == ("Titel 0", "2024-05-01", "parquet", 0)


def test_row_ranges_read_across_row_groups(table: Path) -> None:
    assert parquet_rows(str(table)) == 7
    docs = [d for d in read_parquet(str(table), start=2, end=6) if isinstance(d, RawDocument)]
    assert [d.title for d in docs] == ["Titel 2", "Titel 4", "Titel 5"]


def test_parquet_is_known_by_suffix_and_by_magic_bytes(table: Path) -> None:
    data = table.read_bytes()
    assert sniff(data, "arkiv.parquet") == "parquet"
    assert sniff(data, "<stdin>") == "parquet"
    assert len([d for d in read_bytes(data, name="<stdin>") if isinstance(d, RawDocument)]) == 6


def test_a_table_without_text_or_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    no_text = tmp_path / "meta.parquet"
    pq.write_table(pa.table({"title": ["x"]}), no_text)
    (error,) = read_path(str(no_text))
    assert isinstance(error, UnsupportedInputError) and "needs a 'text' or 'html' column" in str(error) and str(no_text) in str(error)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    (error,) = read_path(str(broken))
    assert isinstance(error, InputError) and "not a readable Parquet file" in str(error)


def test_rows_are_streamed_a_batch_at_a_time_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kilde.read.parquet as reader

    path = tmp_path / "stor.parquet"
    pq.write_table(pa.table({"text": [f"Artikel {i}.\n\nOm havnen." for i in range(300)]}), path, row_group_size=300)  # one big row group
    monkeypatch.setattr(reader, "BATCH_ROWS", 50)
    pulled: list[int] = []
    real_open = reader._open

    class Counting:  # the ParquetFile, counting the rows each batch it hands out holds
        def __init__(self, parquet: object) -> None:
            self._parquet = parquet

        def __getattr__(self, name: str) -> object:
            return getattr(self._parquet, name)

        def iter_batches(self, **options: object):  # type: ignore[no-untyped-def]
            for batch in self._parquet.iter_batches(**options):  # type: ignore[attr-defined]
                pulled.append(batch.num_rows)
                yield batch

    monkeypatch.setattr(reader, "_open", lambda path, data=None: Counting(real_open(path, data)))
    items = reader.read_parquet(str(path), start=120, end=180)
    first = next(items)
    assert isinstance(first, RawDocument) and first.index == 120
    assert sum(pulled) == 150  # rows 0–149 so far, in batches of 50: not the 300 of the row group
    assert [d.index for d in items] == list(range(121, 180))
    assert sum(pulled) == 200  # it stops with the batch that holds the last row asked for
