"""Loading the cleaning lexicons shipped as data files in ``kilde/clean/data``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("kilde.clean").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in (raw.strip() for raw in text.splitlines()) if line and not line.startswith("#")]


def _rows(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in _lines(name):
        kind, sep, value = line.partition("\t")
        if not sep:
            raise ValueError(f"kilde/clean/data/{name}: line {line!r} has no tab between kind and value")
        rows.append((kind.strip(), value.strip()))
    return rows


@cache
def credit_markers() -> tuple[str, ...]:
    return tuple(_lines("credit_markers.txt"))


@cache
def byline_roles() -> tuple[str, ...]:
    return tuple(_lines("byline_roles.txt"))


@cache
def boilerplate_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, pattern) pairs; each pattern must match a whole paragraph."""
    return tuple((kind, re.compile(rf"(?:{pattern})[.!]?", re.IGNORECASE)) for kind, pattern in _rows("boilerplate.tsv"))


@cache
def inline_phrases() -> tuple[tuple[str, str], ...]:
    """(kind, phrase) pairs removed wherever they occur, case-sensitively."""
    return tuple(_rows("inline.tsv"))
