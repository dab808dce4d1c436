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
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, partial

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from kilde.store.stemming import WORD, _stemmer
from kilde.stories.records import DuplicateGroup, Story, StoryArticle, StoryDoc

__all__ = ["StoryParams", "StoryVectors", "cluster_stories", "stories_of"]


@dataclass(frozen=True, kw_only=True)
class StoryParams:
    """How stories are made. Thresholds chosen on the dev half of eval/duplicates (benchmarks/stories.py, RESULTS.md)."""

    # dev F1 is 1.0 for day thresholds 0.4-0.6 (the set has no independent same-day reports of one event, so
    # it cannot tell them apart: the middle is shipped) and link thresholds 0.25-0.3 (0.2 and 0.35 lose precision/recall)
    day_threshold: float = 0.5  # cosine: articles of one day in one cluster (average linkage)
    link_threshold: float = 0.25  # cosine: a day's cluster joins a story
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
    """The content words of ``text``, case-folded: no stop words, no one-letter words, no bare numbers."""
    stop = _stop_words()
    return [w for w in WORD.findall(text.casefold()) if len(w) > 1 and w not in stop and not w.isdigit()]


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
        for weight, part in ((self.params.title_weight, title), (1, text)):
            words = _content_words(part)
            stems = _stemmer().stemWords(words)
            written = dict(zip(stems, words, strict=True))  # a written form of each stem, for titles made of terms
            for stem_, n in Counter(stems).items():
                counts[self._term(stem_, written[stem_])] += n * weight
        names = Counter(name.casefold() for name in doc.entities)
        for name, n in doc.places:
            names[name.casefold()] += n
        for name, n in doc.speakers:
            names[name.casefold()] += n
        display = {n.casefold(): n for n in (*doc.entities, *(p for p, _ in doc.places), *(s for s, _ in doc.speakers))}
        name_counts: Counter[int] = Counter()
        for name, n in names.items():
            name_counts[self._term("\x00" + name, display.get(name, name))] += n
        # each term once per article, so document frequencies are a bincount of the indices later
        self.indices.extend(counts.keys())
        self.counts.extend(map(float, counts.values()))
        self.indices.extend(name_counts.keys())
        self.counts.extend(-float(n) for n in name_counts.values())  # negative marks a name: weighted up when the matrix is built
        self.indptr.append(len(self.indices))

    def _term(self, key: str, written: str) -> int:
        index = self.vocabulary.get(key)
        if index is None:
            index = self.vocabulary[key] = len(self.surface)
            self.surface.append(written)
        return index

    def matrix(self, *, counted: Sequence[int] | None = None) -> sp.csr_matrix:
        """The articles' L2-normalised TF-IDF rows (sublinear term frequency; terms in one article only are dropped).

        Document frequencies count the rows in ``counted`` (default: all): the clustering counts originals only,
        so a wire story copied by ten outlets does not make its own words look common.
        """
        n = len(self.docs)
        # copies, not views of the buffers: scipy edits index arrays in place (eliminate_zeros), and the counts must survive
        raw = np.array(self.counts, dtype=np.float32)
        cols = np.array(self.indices, dtype=np.int32)
        indptr = np.array(self.indptr, dtype=np.int64)
        if counted is None:
            df = np.bincount(cols, minlength=len(self.surface)).astype(np.float64)
        else:
            keep = np.zeros(n, dtype=bool)
            keep[np.asarray(counted, dtype=np.int64)] = True
            df = np.bincount(cols[np.repeat(keep, np.diff(indptr))], minlength=len(self.surface)).astype(np.float64)
            n = int(keep.sum())
        idf = np.log((n + 1) / (df + 1)) + 1.0
        idf[df < 2] = 0.0  # a term of one article links it to nothing
        values = (1.0 + np.log(np.abs(raw).astype(np.float64))) * idf[cols]
        values = np.where(raw < 0, values * self.params.name_weight, values)
        m = sp.csr_matrix((values, cols, indptr), shape=(len(self.docs), len(self.surface)))
        m.eliminate_zeros()
        return _rows_normalised(m)


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


def _rows_normalised(m: sp.csr_matrix) -> sp.csr_matrix:
    """``m`` with each non-zero row scaled to length 1."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def _sums(x: sp.csr_matrix, groups: list[list[int]]) -> sp.csr_matrix:
    """One row per group of rows of ``x``: their sum (one sparse product, not a matrix per group)."""
    cols = [row for group in groups for row in group]
    owners = [k for k, group in enumerate(groups) for _ in group]
    assign = sp.csr_matrix((np.ones(len(cols)), (owners, cols)), shape=(len(groups), x.shape[0]))
    return sp.csr_matrix(assign @ x)


def _link(x: sp.csr_matrix, docs: list[_Doc], originals: list[int], params: StoryParams) -> list[list[int]]:
    """Originals grouped into stories: daily clusters, linked to the open story they are most like.

    A story's profile is the normalised sum of its articles of the last ``window_days`` days, so it follows a
    story as it moves on; it is rebuilt each day from the kept daily cluster sums in one sparse product.
    """
    by_day: dict[date, list[int]] = defaultdict(list)
    for row in originals:
        day = docs[row].day
        if day is not None:
            by_day[day].append(row)
    stories: list[list[int]] = []
    last: list[date] = []
    kept: list[tuple[date, sp.csr_matrix, list[int]]] = []  # per day in the window: its cluster sums and their stories
    window = timedelta(days=params.window_days)
    for day in sorted(by_day):
        kept = [k for k in kept if day - k[0] <= window]
        rows = sorted(by_day[day], key=lambda r: (docs[r].published or "", docs[r].id))
        clusters = _day_clusters(x, rows, params.day_threshold, params.max_cluster_batch)
        sums = _sums(x, clusters)
        best = np.full(len(clusters), -1)
        score = np.zeros(len(clusters))
        owners = [s for _, _, of in kept for s in of]
        if owners:
            active = sorted(set(owners))  # stories with an article in the window are the open ones
            slot = {s: j for j, s in enumerate(active)}
            stacked = sp.vstack([m for _, m, _ in kept]).tocsr()
            to_story = sp.csr_matrix((np.ones(len(owners)), ([slot[s] for s in owners], np.arange(len(owners)))), shape=(len(active), len(owners)))
            profiles = _rows_normalised(sp.csr_matrix(to_story @ stacked))
            similarity = (_rows_normalised(sums) @ profiles.T).toarray()
            j = similarity.argmax(axis=1)
            best = np.array([active[int(k)] for k in j])
            score = similarity[np.arange(len(clusters)), j]
        of: list[int] = []
        for k, cluster in enumerate(clusters):
            story = int(best[k])
            if story < 0 or score[k] < params.link_threshold:
                story = len(stories)
                stories.append([])
                last.append(day)
            stories[story] += cluster
            last[story] = day
            of.append(story)
        kept.append((day, sums, of))
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
    x = vectors.matrix(counted=originals)
    copies: dict[int, list[int]] = defaultdict(list)
    for copy, original in original_of.items():
        copies[original].append(copy)
    linked = [members for members in _link(x, docs, originals, params) if len(members) + sum(len(copies.get(m, ())) for m in members) >= params.min_size]
    if not linked:
        return [], {}
    # each original's closeness to its story's centroid (story by story: a matrix of every article's centroid
    # would hold a copy of a big story's dense centroid per article)
    centroids = _rows_normalised(_sums(x, linked))
    central: dict[int, float] = {}
    for k, members in enumerate(linked):
        closeness = (x[members] @ centroids[k].T).toarray().ravel()
        central.update(zip(members, closeness.tolist(), strict=True))
    stories: list[Story] = []
    mentions: dict[str, dict[str, int]] = {}
    for k, members in enumerate(linked):
        rows = sorted([*members, *(c for m in members for c in copies.get(m, ()))], key=lambda r: _order(docs[r]))
        story, places = _story(vectors, rows, members, central, original_of, params, partial(_top_terms, vectors, centroids, k))
        stories.append(story)
        mentions[story.id] = places
    stories.sort(key=lambda s: (s.last or "", s.size, s.id), reverse=True)
    return stories, mentions


def _story(
    vectors: StoryVectors,
    rows: list[int],
    originals: list[int],
    central: dict[int, float],
    original_of: dict[int, int],
    params: StoryParams,
    terms: Callable[[], str],
) -> tuple[Story, dict[str, int]]:
    docs = vectors.docs
    ordered = sorted(originals, key=lambda r: _order(docs[r]))
    ranked = sorted(ordered, key=lambda r: -round(central[r], 9))  # stable: of equally central ones, the earliest
    titles = [(docs[r].title or "").strip() for r in ranked]
    title = next((t for t in titles if t), None) or terms()
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


def _top_terms(vectors: StoryVectors, centroids: sp.csr_matrix, k: int, n: int = 4) -> str:
    """A title made of the heaviest terms of story ``k``, for stories whose articles have no headlines."""
    row = centroids[k].tocoo()
    order = np.argsort(-row.data, kind="stable")[:n]
    words = [vectors.surface[int(row.col[k])] for k in order]
    return " · ".join(words) if words else "(untitled)"


def stories_of(docs: Iterable[StoryDoc], groups: Sequence[DuplicateGroup], *, params: StoryParams | None = None) -> list[Story]:
    """The stories of ``docs`` (convenience for small inputs: collects them, then clusters)."""
    vectors = StoryVectors(params=params or StoryParams())
    for doc in docs:
        vectors.add(doc)
    return cluster_stories(vectors, groups)[0]
