"""Search queries: parsed once, stemmed, rendered for the store's full-text engine.

The syntax is a small, forgiving subset of what search boxes take::

    tilbagetrækning Bakhmut        both words (any inflection: tilbagetrækningen, Bakhmuts)
    "britiske efterretningstjeneste"   the words in this order
    Rusland OR Ukraine             either
    -Wagner                        not this word
    tilbage*                       a word (stem) that starts so

Everything else (punctuation, unbalanced quotes, a lone OR) is read as words,
never as an error, because queries are typed by people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kilde.store.stemming import WORD, stem_text

__all__ = ["MAX_LEXEME_BYTES", "Query", "Term", "lexeme", "parse_query"]

_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    """One word, phrase or prefix, as stems."""

    stems: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, kw_only=True)
class Query:
    """A parsed query: all of ``clauses`` (each: any of its terms), none of ``excluded``."""

    text: str
    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    stems: frozenset[str] = field(default_factory=frozenset)
    prefixes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.clauses

    def matches(self, word_stem: str) -> bool:
        """Whether a word of a text (as its stem) is one the query asks for: what snippets highlight."""
        return word_stem in self.stems or any(word_stem.startswith(p) for p in self.prefixes)

    def fts5(self) -> str:
        """The query as an SQLite FTS5 MATCH expression (every string quoted, so no FTS5 syntax leaks in)."""

        def term(t: Term) -> str:
            return '"' + " ".join(t.stems) + '"' + ("*" if t.prefix else "")

        positive = " AND ".join("(" + " OR ".join(term(t) for t in clause) + ")" for clause in self.clauses)
        if not self.excluded:
            return positive
        return f"({positive}) NOT (" + " OR ".join(term(t) for t in self.excluded) + ")"

    def tsquery(self) -> str:
        """The query as PostgreSQL ``tsquery`` text, to be cast (``CAST(? AS tsquery)``), never parsed by a text search configuration.

        Every lexeme is quoted, so no tsquery syntax leaks in; a phrase's stems must be adjacent (``<->``),
        a prefix is ``'stem':*``. The stems are those of the stored tsvector (:mod:`kilde.store.stemming`).
        """

        def term(t: Term) -> str:
            if t.prefix:
                return lexeme(t.stems[0]) + ":*"
            return lexeme(t.stems[0]) if len(t.stems) == 1 else "(" + " <-> ".join(lexeme(s) for s in t.stems) + ")"

        positive = " & ".join("(" + " | ".join(term(t) for t in clause) + ")" for clause in self.clauses)
        if not self.excluded:
            return positive
        return f"({positive}) & !(" + " | ".join(term(t) for t in self.excluded) + ")"


MAX_LEXEME_BYTES = 2047  # PostgreSQL's limit on one lexeme of a tsvector or tsquery


def lexeme(word: str) -> str:
    """A word quoted as one tsvector/tsquery lexeme (a word too long for PostgreSQL is cut: the index skips such words)."""
    if len(word) * 4 > MAX_LEXEME_BYTES and len(word.encode()) > MAX_LEXEME_BYTES:
        word = word.encode()[:MAX_LEXEME_BYTES].decode(errors="ignore")
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _term(text: str, *, phrase: bool) -> Term | None:
    if not phrase and text.endswith("*") and WORD.fullmatch(text.rstrip("*")):
        # a prefix is matched against stems as typed: stemming "tilbage" could cut it shorter than meant
        return Term((text.rstrip("*").casefold(),), prefix=True)
    stems = tuple(stem_text(text).split())
    return Term(stems) if stems else None


def parse_query(text: str) -> Query:
    """Parse what a person typed into a :class:`Query` (see the module docstring)."""
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for match in _PIECE.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare == "OR" and clauses:
            join_next = True
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        term = _term(quoted if quoted is not None else bare, phrase=quoted is not None)
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    positive = [t for clause in clauses for t in clause]
    return Query(
        text=text,
        clauses=tuple(tuple(c) for c in clauses),
        # an exclusion alone cannot be searched (FTS5 NOT is binary): with no positive term it is dropped
        excluded=tuple(excluded) if clauses else (),
        stems=frozenset(s for t in positive if not t.prefix for s in t.stems),
        prefixes=tuple(t.stems[0] for t in positive if t.prefix),
    )
