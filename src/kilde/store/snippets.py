"""Snippets: the passage of an article that best matches a query, cut from the unstemmed text.

The index holds stems, so FTS5's own ``snippet()`` would show "tilbagetrækning
blev udskud". Here the candidate texts (body, quotes, captions) are split into
words with their stems, and the window of :data:`WINDOW` words holding the
most distinct query words wins; the matched words' offsets in the snippet are
returned so a caller can highlight them however it shows text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kilde.store import Hit
from kilde.store.query import Query
from kilde.store.stemming import tokens

__all__ = ["Snippet", "best_snippet"]

WINDOW = 28  # words: about two lines of a terminal
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # offsets into text of the matched words
    field: str  # text | quote | caption
    score: tuple[int, int]  # (distinct query words, matched words): how well it matched


def _collapse(text: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Whitespace runs as one space and paragraph breaks as " ¶ ", highlight offsets moved along."""
    out: list[str] = []
    shift: list[int] = []  # shift[i]: position in the output of input offset i
    pos = last = 0
    for match in _SPACE.finditer(text):
        chunk = text[last : match.start()]
        out.append(chunk)
        shift.extend(range(pos, pos + len(chunk)))
        pos += len(chunk)
        gap = " ¶ " if "\n" in match.group() else " "
        out.append(gap)
        shift.extend([pos] * (match.end() - match.start()))
        pos += len(gap)
        last = match.end()
    out.append(text[last:])
    shift.extend(range(pos, pos + len(text) - last))
    shift.append(pos + len(text) - last)
    return "".join(out), tuple((shift[s], shift[e]) for s, e in spans)


def _window(text: str, query: Query, field: str, *, window: int) -> Snippet:
    words = list(tokens(text))
    hits = [i for i, w in enumerate(words) if query.matches(w.stem)]
    if not words:
        return Snippet("", (), field, (0, 0))
    best_start, best_score = 0, (0, 0)
    for i in hits:
        start = max(0, i - 3)  # a little context before the first match
        inside = [words[j].stem for j in hits if start <= j < start + window]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best_start, best_score = start, score
    end_word = min(len(words), best_start + window)
    cut_start = 0 if best_start == 0 else words[best_start].start
    cut_end = len(text) if end_word == len(words) else words[end_word - 1].end
    spans = [(words[j].start - cut_start, words[j].end - cut_start) for j in hits if best_start <= j < end_word]
    body, highlights = _collapse(text[cut_start:cut_end], spans)
    body = body.rstrip()
    prefix = "… " if cut_start > 0 else ""
    suffix = " …" if cut_end < len(text) else ""
    moved = tuple((s + len(prefix), e + len(prefix)) for s, e in highlights)
    return Snippet(prefix + body + suffix, moved, field, best_score)


def best_snippet(query: Query, *, text: str, quotes: list[tuple[str, str | None]], captions: list[str], window: int = WINDOW) -> Snippet:
    """The best-matching passage of the body, a quote (with its speaker) or a caption; the start of the body when nothing matches.

    Quotes are part of the body, so a quote that matches as well as the body wins:
    it shows who said it.
    """
    best = _window(text, query, "text", window=window)
    for quote, speaker in quotes:
        snippet = _window(quote, query, "quote", window=window)
        if snippet.score[0] and snippet.score >= best.score and (best.field != "quote" or snippet.score > best.score):
            best = Snippet(f"{snippet.text} — {speaker}", snippet.highlights, "quote", snippet.score) if speaker else snippet
    for caption in captions:  # captions are not in the body: they win only by matching better
        snippet = _window(caption, query, "caption", window=window)
        if snippet.score > best.score:
            best = snippet
    return best


def hit(row: Any, score: float, query: Query, *, quotes: list[tuple[str, str | None]], captions: list[str]) -> Hit:
    """A search result from an ``articles`` row (read by column name) and the best passage of its text, quotes and captions."""
    snippet = best_snippet(query, text=row["text"], quotes=quotes, captions=captions)
    return Hit(
        id=row["id"],
        title=row["title"],
        published=row["published"],
        outlet=row["outlet"],
        url=row["url"],
        path=row["path"],
        score=score,
        snippet=snippet.text,
        highlights=snippet.highlights,
        field=snippet.field,
    )
