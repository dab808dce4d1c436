"""Near-duplicates: wire copies and lightly edited versions of one text across outlets.

Each text (without its headline, which outlets rewrite) is cut into overlapping
word shingles after normalising case and punctuation; a MinHash signature of the
shingles estimates the Jaccard similarity of two texts, and locality-sensitive
hashing (LSH) over the signatures proposes candidate pairs without comparing every
pair. A candidate pair is kept when its estimated Jaccard similarity reaches
``threshold``; groups are the connected sets of kept pairs. The original of a group
is its earliest published article (then the smallest id). Signatures use fixed
permutations (``seed``), so the same texts always give the same groups.

Texts too short for shingles to mean much (fewer than ``min_words`` words: a
one-line notice, a photo caption) are grouped only with texts whose words are
exactly the same.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from kilde.store.stemming import WORD
from kilde.stories.records import DuplicateGroup

__all__ = ["DEFAULT_THRESHOLD", "DuplicateFinder", "find_duplicates", "normalised_words", "shingle_hashes", "shingles"]

# Chosen on the dev half of eval/duplicates (benchmarks/stories.py, with 300 unrelated background texts): dev F1 is
# 1.0 from 0.25 to 0.4, lower at 0.2 (formulaic texts and shared stock paragraphs) and above 0.45 (heavier edits missed)
DEFAULT_THRESHOLD = 0.35
SHINGLE = 3  # words per shingle: one changed word touches 3 shingles of ~100, a reordered sentence only its edges
NUM_PERM = 128  # standard error of the Jaccard estimate ≈ sqrt(J(1-J)/128) ≈ 0.044 at J = 0.5
SEED = 20261125
SCHEME = "affine32"  # datasketch 2's default, named: signatures made with another scheme must never be compared with these
MIN_WORDS = 12  # below this, exact word-for-word matches only


def normalised_words(text: str) -> list[str]:
    """The words of ``text``, case-folded, without punctuation (»«, dashes, quotes …)."""
    return WORD.findall(text.casefold())


def body(text: str, title: str | None) -> str:
    """The text without its headline, when the text begins with it (outlets rewrite headlines of wire copy)."""
    if title and text.startswith(title.strip()):
        return text[len(title.strip()) :]
    return text


def shingles(words: list[str], *, size: int = SHINGLE) -> list[str]:
    """Overlapping runs of ``size`` words (a text of ``size`` words or fewer is one shingle)."""
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


_WORD_HASHES: dict[str, int] = {}
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


def _word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        if len(_WORD_HASHES) > 2_000_000:  # a bound on the cache, not on correctness
            _WORD_HASHES.clear()
        value = _WORD_HASHES[word] = zlib.crc32(word.encode())
    return value


def shingle_hashes(words: list[str], *, size: int = SHINGLE) -> np.ndarray:
    """A 32-bit hash of each shingle of :func:`shingles`, computed from word hashes in numpy.

    Hashing each shingle's bytes in Python (datasketch's default) is most of the cost of a signature;
    this combines per-word CRC32s (cached) by multiply-and-add with odd 64-bit constants and a final
    xor-shift, which is as deterministic and spreads as well for MinHash purposes.
    """
    if not words:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((_word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    n = max(1, len(words) - size + 1)
    combined = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping is the point
        for k in range(min(size, len(words))):
            combined = (combined ^ h[k : k + n]) * _MIX[k % 3]
        combined ^= combined >> np.uint64(31)
    return combined & np.uint64(0xFFFFFFFF)


@dataclass(frozen=True, slots=True)
class _Entry:
    id: str
    published: str | None


def _order(entry: _Entry) -> tuple[int, str, str]:
    """Earliest published first, undated last, then the smallest id."""
    return (entry.published is None, entry.published or "", entry.id)


class DuplicateFinder:
    """Collects texts one at a time (keeping only their signatures) and groups the near-duplicates.

    >>> finder = DuplicateFinder()
    >>> finder.add("a", published="2024-03-01", text="…")  # doctest: +SKIP
    >>> finder.groups()  # doctest: +SKIP
    """

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD, num_perm: int = NUM_PERM, seed: int = SEED, min_words: int = MIN_WORDS) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"the near-duplicate threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.seed = seed
        self.min_words = min_words
        # LSH bands tuned for a lower threshold than the check: a pair near the threshold is proposed almost
        # surely, and the estimated Jaccard (not the band hit) decides
        self._lsh = MinHashLSH(threshold=max(0.1, threshold - 0.15), num_perm=num_perm)
        self._template = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME)  # its permutations are reused: computing them per text is costly
        self._entries: list[_Entry] = []
        self._signatures: list[np.ndarray] = []
        self._short: dict[bytes, list[int]] = defaultdict(list)  # exact-words key → entries of short texts
        self._short_key: dict[int, bytes] = {}
        self._index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, article_id: str, *, published: str | None, text: str, title: str | None = None) -> None:
        """Take one article's text into account (its headline is left out when the text begins with it)."""
        if article_id in self._index:
            raise ValueError(f"article {article_id} was added twice")
        words = normalised_words(body(text, title))
        n = len(self._entries)
        self._index[article_id] = n
        self._entries.append(_Entry(article_id, published))
        if len(words) < self.min_words:
            self._signatures.append(np.empty(0, dtype=np.uint64))
            if words:
                key = hashlib.sha1(" ".join(words).encode()).digest()
                self._short[key].append(n)
                self._short_key[n] = key
            return
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed, permutations=self._template.permutations, scheme=SCHEME, hashfunc=int)
        minhash.update_batch(shingle_hashes(words))  # already hashed: hashfunc=int takes each value as it is
        lean = LeanMinHash(minhash)
        self._signatures.append(lean.hashvalues)
        self._lsh.insert(n, lean, check_duplication=False)

    def similarity(self, first: str, second: str) -> float:
        """The estimated Jaccard similarity of two added texts' shingles (short texts: 1.0 if the same words, else 0.0)."""
        return self._pair_similarity(self._index[first], self._index[second])

    def groups(self) -> list[DuplicateGroup]:
        """The near-duplicate groups of two or more articles, by their original's publication."""
        parent = list(range(len(self._entries)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(i: int, j: int) -> None:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)

        for i, signature in enumerate(self._signatures):
            if not len(signature):
                continue
            for j in self._lsh.query(LeanMinHash(seed=self.seed, hashvalues=signature, scheme=SCHEME)):
                if j > i and np.count_nonzero(signature == self._signatures[j]) >= self.threshold * self.num_perm:
                    union(i, j)
        for members in self._short.values():
            for j in members[1:]:
                union(members[0], j)
        components: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self._entries)):
            components[find(i)].append(i)
        groups = []
        for members in components.values():
            if len(members) < 2:
                continue
            members.sort(key=lambda k: _order(self._entries[k]))
            original = members[0]
            lowest = min(self._pair_similarity(original, k) for k in members[1:])
            ids = tuple(self._entries[k].id for k in members)
            group_id = "d" + hashlib.sha1(ids[0].encode()).hexdigest()[:15]
            groups.append(DuplicateGroup(id=group_id, original=ids[0], members=ids, similarity=round(lowest, 4)))
        groups.sort(key=lambda g: _order(self._entries[self._index[g.original]]))
        return groups

    def _pair_similarity(self, i: int, j: int) -> float:
        a, b = self._signatures[i], self._signatures[j]
        if not len(a) or not len(b):
            key = self._short_key.get(i)
            return 1.0 if key is not None and key == self._short_key.get(j) else 0.0
        return float(np.count_nonzero(a == b)) / self.num_perm


def find_duplicates(articles: Iterable[tuple[str, str | None, str, str | None]], *, threshold: float = DEFAULT_THRESHOLD) -> list[DuplicateGroup]:
    """Near-duplicate groups of ``(id, published, text, title)`` tuples; see :class:`DuplicateFinder`."""
    finder = DuplicateFinder(threshold=threshold)
    for article_id, published, text, title in articles:
        finder.add(article_id, published=published, text=text, title=title)
    return finder.groups()
