"""Stories: each day's articles clustered by content, the days' clusters linked over a week.

The approach of the Europe Media Monitor's story tracking, in two steps:

1. **Daily clusters.** Each article that is not a copy of another (near-duplicates are
   collapsed to their original first) becomes a TF-IDF vector over its Danish-stemmed
   words, without stop words (spaCy's Danish list), headline words counted twice, and
   the names of its entities, places and speakers as extra features weighted up (two
   articles about the same people and places are about the same thing more often
   than two that share words). A day's vectors are clustered by average linkage on
   cosine distance, cut at ``day_threshold``.
2. **Linking.** Days are taken in order; each daily cluster joins the story whose
   recent articles (those of the last ``window_days`` days) are most similar to it, when
   the cosine similarity reaches ``link_threshold``, or starts a new story. A story
   that has had no article for more than ``window_days`` days is closed: later articles
   on the same subject start another story.

A story keeps two or more articles (copies count). Its title is the headline of its most
central article (or its top terms, when no article has a headline); its places and
speakers are the most mentioned and most quoted over all its articles, copies included.
Articles without a publication date are placed only through their original.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from kilde.store.stemming import WORD, _stemmer
from kilde.stories.records import DuplicateGroup, Story, StoryArticle, StoryDoc

__all__ = ["StoryParams", "StoryVectors", "cluster_stories", "stories_of"]


@dataclass(frozen=True, kw_only=True)
class StoryParams:
    """How stories are made. Thresholds chosen on the dev half of eval/duplicates (benchmarks/stories.py)."""

    day_threshold: float = 0.4  # cosine: articles of one day in one cluster (average linkage)
    link_threshold: float = 0.2  # cosine: a day's cluster joins a story
    window_days: int = 7  # a story stays open this many days after its last article
    name_weight: float = 1.0  # a name feature counts as this many occurrences of a word (its words count as words too)
    title_weight: int = 2  # a headline word counts as this many occurrences
    min_size: int = 2  # articles (copies included) a story needs
    max_cluster_batch: int = 3000  # a day with more originals is clustered in batches of this many (memory is quadratic)
    places: int = 5  # places, speakers kept per story
    speakers: int = 5


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.da.stop_words import STOP_WORDS  # spaCy's Danish stop word list

    return frozenset(STOP_WORDS)


def _content_words(text: str) -> list[str]:
    """The content words of ``text`` as written: no stop words, no one-letter words, no bare numbers."""
    stop = _stop_words()
    return [w for w in WORD.findall(text) if len(w) > 1 and not w.isdigit() and w.casefold() not in stop]


def _terms(words: list[str]) -> list[str]:
    """The Danish Snowball stems of ``words``, case-folded."""
    return list(_stemmer().stemWords([w.casefold() for w in words]))


@dataclass(slots=True)
class _Doc:
    id: str
    published: str | None
    day: date | None
    outlet: str | None
    title: str | None
    places: tuple[tuple[str, int], ...]
    speakers: tuple[tuple[str, int], ...]


@dataclass
class StoryVectors:
    """Term counts of the articles, collected one at a time; the texts themselves are not kept."""

    params: StoryParams = field(default_factory=StoryParams)
    docs: list[_Doc] = field(default_factory=list)
    vocabulary: dict[str, int] = field(default_factory=dict)
    surface: list[str] = field(default_factory=list)  # a written form of each term, for titles made of terms
    df: array = field(default_factory=lambda: array("i"))
    indices: array = field(default_factory=lambda: array("i"))
    counts: array = field(default_factory=lambda: array("f"))
    indptr: array = field(default_factory=lambda: array("q", [0]))

    def add(self, doc: StoryDoc) -> None:
        """Count the terms and names of one article."""
        day = None
        if doc.day:
            try:
                day = date.fromisoformat(doc.day)
            except ValueError:
                day = None  # an unreadable date: the article is placed through its original, if any
        self.docs.append(_Doc(doc.id, doc.published, day, doc.outlet, doc.title, doc.places, doc.speakers))
        counts: Counter[int] = Counter()
        text = doc.text
        title = (doc.title or "").strip()
        if title and text.startswith(title):
            text = text[len(title) :]
        for weight, words in ((self.params.title_weight, _content_words(title)), (1, _content_words(text))):
            for stem_, word in zip(_terms(words), words, strict=True):
                counts[self._term(stem_, word.casefold())] += weight
        names = Counter(name.casefold() for name in doc.entities)
        for name, n in doc.places:
            names[name.casefold()] += n
        for name, n in doc.speakers:
            names[name.casefold()] += n
        display = {n.casefold(): n for n in (*doc.entities, *(p for p, _ in doc.places), *(s for s, _ in doc.speakers))}
        name_counts: Counter[int] = Counter()
        for name, n in names.items():
            name_counts[self._term("\x00" + name, display.get(name, name))] += n
        for index in counts.keys() | name_counts.keys():
            self.df[index] += 1
        for index, n in counts.items():
            self.indices.append(index)
            self.counts.append(float(n))
        for index, n in name_counts.items():
            self.indices.append(index)
            self.counts.append(-float(n))  # negative marks a name: weighted up when the matrix is built
        self.indptr.append(len(self.indices))

    def _term(self, key: str, written: str) -> int:
        index = self.vocabulary.get(key)
        if index is None:
            index = self.vocabulary[key] = len(self.surface)
            self.surface.append(written)
            self.df.append(0)
        return index

    def matrix(self) -> sp.csr_matrix:
        """The articles' L2-normalised TF-IDF rows (sublinear term frequency; terms in one article only are dropped)."""
        n = len(self.docs)
        # copies, not views of the buffers: scipy edits index arrays in place (eliminate_zeros), and the counts must survive
        raw = np.array(self.counts, dtype=np.float32)
        cols = np.array(self.indices, dtype=np.int32)
        df = np.array(self.df, dtype=np.float64)
        idf = np.log((n + 1) / (df + 1)) + 1.0
        idf[df < 2] = 0.0  # a term of one article links it to nothing
        values = (1.0 + np.log(np.abs(raw).astype(np.float64))) * idf[cols]
        values = np.where(raw < 0, values * self.params.name_weight, values)
        indptr = np.array(self.indptr, dtype=np.int64)
        m = sp.csr_matrix((values, cols, indptr), shape=(n, len(self.surface)))
        m.eliminate_zeros()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def _day_clusters(x: sp.csr_matrix, rows: list[int], threshold: float, batch: int) -> list[list[int]]:
    """Average-linkage clusters of one day's rows at cosine similarity ``threshold``."""
    clusters: list[list[int]] = []
    for start in range(0, len(rows), batch):
        part = rows[start : start + batch]
        if len(part) == 1:
            clusters.append(part)
            continue
        sub = x[part]
        similarity = (sub @ sub.T).toarray()
        distance = np.clip(1.0 - similarity, 0.0, 2.0)
        np.fill_diagonal(distance, 0.0)
        labels = fcluster(linkage(squareform(distance, checks=False), method="average"), t=1.0 - threshold, criterion="distance")
        by_label: dict[int, list[int]] = defaultdict(list)
        for row, label in zip(part, labels, strict=True):
            by_label[int(label)].append(row)
        clusters += sorted(by_label.values(), key=lambda c: c[0])
    return clusters


def _normalised(vector: sp.csr_matrix) -> sp.csr_matrix:
    norm = math.sqrt(float(vector.multiply(vector).sum()))
    return vector / norm if norm else vector


def _link(x: sp.csr_matrix, docs: list[_Doc], originals: list[int], params: StoryParams) -> list[list[int]]:
    """Originals grouped into stories: daily clusters, linked to the open story they are most like."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for row in originals:
        day = docs[row].day
        if day is not None:
            by_day[day].append(row)
    width = x.shape[1]
    stories: list[list[int]] = []
    recent: list[dict[date, sp.csr_matrix]] = []  # per open story: the sum of its article vectors per day in the window
    centroid: list[sp.csr_matrix | None] = []  # per open story: its normalised recent centroid, None when it must be recomputed
    last: list[date] = []
    active: list[int] = []  # stories still open
    window = timedelta(days=params.window_days)
    for day in sorted(by_day):
        still = []
        for s in active:
            if day - last[s] > window:  # closed for good: free what it held
                recent[s], centroid[s] = {}, None
                continue
            still.append(s)
            old = [d for d in recent[s] if day - d > window]
            for d in old:
                del recent[s][d]
            if old:
                centroid[s] = None
        active = still
        rows = sorted(by_day[day], key=lambda r: (docs[r].published or "", docs[r].id))
        clusters = _day_clusters(x, rows, params.day_threshold, params.max_cluster_batch)
        sums = [sp.csr_matrix(x[c].sum(axis=0)) for c in clusters]
        best: list[tuple[int, float]] = [(-1, 0.0)] * len(clusters)
        if active:
            for s in active:
                if centroid[s] is None:
                    centroid[s] = _normalised(sum(recent[s].values(), sp.csr_matrix((1, width))))
            open_centroids = sp.vstack([centroid[s] for s in active]).tocsr()
            similarity = (sp.vstack([_normalised(v) for v in sums]).tocsr() @ open_centroids.T).toarray()
            for k in range(len(clusters)):
                j = int(np.argmax(similarity[k]))
                best[k] = (active[j], float(similarity[k, j]))
        for k, cluster in enumerate(clusters):
            story, score = best[k]
            if story < 0 or score < params.link_threshold:
                story = len(stories)
                stories.append([])
                recent.append({})
                centroid.append(None)
                last.append(day)
                active.append(story)
            stories[story] += cluster
            recent[story][day] = recent[story].get(day, sp.csr_matrix((1, width))) + sums[k]
            centroid[story] = None
            last[story] = day
    return stories


def _story_id(first_article: str) -> str:
    return "s" + hashlib.sha1(first_article.encode()).hexdigest()[:15]


def _order(doc: _Doc) -> tuple[int, str, str]:
    return (doc.published is None, doc.published or "", doc.id)


def cluster_stories(
    vectors: StoryVectors, groups: Sequence[DuplicateGroup], *, params: StoryParams | None = None
) -> tuple[list[Story], dict[str, dict[str, int]]]:
    """The stories of the collected articles, given their near-duplicate groups; and each story's place mention counts.

    ``params`` overrides the thresholds the vectors were collected with (the weights are fixed by then).
    """
    params = params or vectors.params
    docs = vectors.docs
    row_of = {d.id: i for i, d in enumerate(docs)}
    original_of: dict[int, int] = {}
    for g in groups:
        if g.original not in row_of:
            continue
        for member in g.members[1:]:
            if member in row_of:
                original_of[row_of[member]] = row_of[g.original]
    originals = [i for i in range(len(docs)) if i not in original_of]
    x = vectors.matrix()
    copies: dict[int, list[int]] = defaultdict(list)
    for copy, original in original_of.items():
        copies[original].append(copy)
    stories: list[Story] = []
    mentions: dict[str, dict[str, int]] = {}
    for members in _link(x, docs, originals, params):
        rows = sorted([*members, *(c for m in members for c in copies.get(m, ()))], key=lambda r: _order(docs[r]))
        if len(rows) < params.min_size:
            continue
        story, places = _story(x, vectors, rows, members, original_of, params)
        stories.append(story)
        mentions[story.id] = places
    stories.sort(key=lambda s: (s.last or "", s.size, s.id), reverse=True)
    return stories, mentions


def _story(
    x: sp.csr_matrix, vectors: StoryVectors, rows: list[int], originals: list[int], original_of: dict[int, int], params: StoryParams
) -> tuple[Story, dict[str, int]]:
    docs = vectors.docs
    ordered = sorted(originals, key=lambda r: _order(docs[r]))
    centroid = _normalised(sp.csr_matrix(x[ordered].sum(axis=0)))
    centrality = (x[ordered] @ centroid.T).toarray().ravel()
    ranked = [ordered[k] for k in sorted(range(len(ordered)), key=lambda k: (-round(float(centrality[k]), 9), k))]
    titles = [(docs[r].title or "").strip() for r in ranked]
    title = next((t for t in titles if t), None) or _top_terms(vectors, centroid)
    places: Counter[str] = Counter()
    speakers: Counter[str] = Counter()
    days: Counter[str] = Counter()
    for r in rows:
        doc = docs[r]
        for name, n in doc.places:
            places[name] += n
        for name, n in doc.speakers:
            speakers[name] += n
        if doc.day is not None:
            days[doc.day.isoformat()] += 1
    top_places = sorted(places, key=lambda p: (-places[p], p))[: params.places]
    timeline = tuple(sorted(days.items()))
    articles = tuple(
        StoryArticle(id=docs[r].id, title=docs[r].title, published=docs[r].published, outlet=docs[r].outlet, duplicate_of=_id(docs, original_of.get(r)))
        for r in rows
    )
    story = Story(
        id=_story_id(docs[ordered[0]].id),
        title=title,
        first=timeline[0][0] if timeline else None,
        last=timeline[-1][0] if timeline else None,
        size=len(rows),
        articles=articles,
        places=tuple(top_places),
        speakers=tuple(sorted(speakers.items(), key=lambda s: (-s[1], s[0]))[: params.speakers]),
        timeline=timeline,
    )
    return story, {p: places[p] for p in top_places}


def _id(docs: list[_Doc], row: int | None) -> str | None:
    return docs[row].id if row is not None else None


def _top_terms(vectors: StoryVectors, centroid: sp.csr_matrix, n: int = 4) -> str:
    """A title made of the story's heaviest terms, for articles without headlines."""
    row = centroid.tocoo()
    order = np.argsort(-row.data, kind="stable")[:n]
    words = [vectors.surface[int(row.col[k])] for k in order]
    return " · ".join(words) if words else "(untitled)"


def stories_of(docs: Iterable[StoryDoc], groups: Sequence[DuplicateGroup], *, params: StoryParams | None = None) -> list[Story]:
    """The stories of ``docs`` (convenience for small inputs: collects them, then clusters)."""
    vectors = StoryVectors(params=params or StoryParams())
    for doc in docs:
        vectors.add(doc)
    return cluster_stories(vectors, groups)[0]
