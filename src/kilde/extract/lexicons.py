"""Loading the extraction lexicons shipped as data files in ``kilde/extract/data``.

Each file starts with a comment saying where the list came from; lines starting with ``#`` are comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("kilde.extract").joinpath("data", name).read_text(encoding="utf-8")
    return [line.rstrip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _columns(name: str, minimum: int) -> list[list[str]]:
    rows = []
    for line in _lines(name):
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < minimum:
            raise ValueError(f"kilde/extract/data/{name}: line {line!r} needs {minimum} tab-separated columns")
        rows.append(cols)
    return rows


@dataclass(frozen=True, slots=True)
class Verb:
    """A reporting verb form: its lemma, class (speech, cognition, …) and a required particle, if any."""

    lemma: str
    cls: str
    particle: str | None = None


@cache
def speech_verbs() -> dict[str, tuple[Verb, ...]]:
    """Lower-cased word form → the reporting verbs it can be (a form may belong to several)."""
    result: dict[str, list[Verb]] = {}
    for cols in _columns("speech_verbs.tsv", 3):
        verb = Verb(lemma=cols[0], cls=cols[1], particle=cols[3] if len(cols) > 3 and cols[3] else None)
        for form in cols[2].split():
            result.setdefault(form.lower(), []).append(verb)
    return {form: tuple(verbs) for form, verbs in result.items()}


@cache
def source_nouns() -> tuple[tuple[str, str], ...]:
    """(stem, kind) pairs, longest stem first so compounds match their most specific entry."""
    rows = [(cols[0].lower(), cols[1]) for cols in _columns("source_nouns.tsv", 2)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@cache
def outlets() -> dict[str, str]:
    """Outlet name as written → kind (agency, newspaper, broadcaster, magazine, online)."""
    return {cols[0]: cols[1] for cols in _columns("outlets.tsv", 2)}


@cache
def unnamed_openers() -> frozenset[str]:
    return frozenset(word.lower() for word in _lines("unnamed_sources.txt"))


@cache
def title_nouns() -> frozenset[str]:
    return frozenset(word.lower() for word in _lines("title_nouns.txt"))


@cache
def first_names() -> dict[str, str]:
    """First name → "m" or "f"."""
    return {cols[0]: cols[1] for cols in _columns("first_names.tsv", 2)}
