"""Who said what: direct and indirect quotes with cue, speaker and confidence.

The extractor is a pure function over a spaCy ``Doc`` built on ``Article.text`` (so token offsets are
record offsets). It works on the rule pipeline (tokens and sentences only) and uses the dependency parse
and entities of the trained pipeline where they exist.

**Direct quotes** are found from the typography: pairs of »…«, «…», "…", „…“, ”…”, “…”, paragraphs
opening with a dialogue dash, quotes reopened at each paragraph, and quotes left open by damaged marks.
A marked span is kept as a quote when something attributes it (a reporting verb right after the closing
mark, a colon-introduced attribution before it, a reporting verb earlier in its sentence, or the same
speaker's previous quote), or when it stands as a sentence of its own. Short marked phrases without
attribution, and phrases after a title noun ("filmen »…«", "den såkaldte »…«"), are scare quotes or
titles and are dropped.

**Indirect quotes** come from a reporting verb with an *at*-clause (or an interrogative clause), a
postposed attribution (``…, oplyser rederiet.``), an anaphoric one (``Det mener formanden``), *ifølge X*,
*efter X's opfattelse*, and headline ``X: …``.

Spans follow ``eval/quotes/GUIDELINE.md``: direct = the content inside the marks without a trailing comma;
indirect = the content clause after *at*, without the final full stop. Confidence is a fixed score per
rule (how often that rule is right on the tune split of the dev set, rounded) times how sure the
speaker resolution is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from kilde.extract.lexicons import Verb, speech_verbs, title_nouns
from kilde.extract.sources import aggregate_sources
from kilde.extract.speakers import (
    ADVERBS,
    FIRST_SECOND_PERSON,
    NEGATIVE_SUBJECTS,
    PREPOSITIONS,
    SUBJECT_PRONOUNS,
    Resolver,
    is_cap,
    noun_kind,
)
from kilde.records import Quote, SourceRef, Speaker

if TYPE_CHECKING:
    from kilde.extract import Context

__all__ = ["extract_quotes"]

# Fixed confidence per rule (rounded precision of the rule on the tune split).
CONFIDENCE = {
    "direct-after": 0.95,
    "direct-colon": 0.9,
    "direct-before": 0.85,
    "direct-label": 0.85,
    "direct-interrupted": 0.9,
    "direct-continued": 0.75,
    "direct-next": 0.85,
    "direct-nearest": 0.5,
    "direct-mixed": 0.7,
    "indirect-at": 0.85,
    "indirect-at-cognition": 0.75,
    "indirect-evidence": 0.7,
    "indirect-postposed": 0.8,
    "indirect-anaphoric": 0.8,
    "indirect-ifolge": 0.85,
    "indirect-opinion": 0.75,
    "indirect-headline": 0.6,
}

# Grammar words (closed class), kept in code: they shape clauses, they are not a source lexicon.
SENTENCE_END = frozenset({".", "!", "?", "…", ":"})
CONNECTIVES = frozenset({"men", "og", "eller", "så", "for"})
WH_WORDS = frozenset({"om", "hvorvidt", "hvordan", "hvorfor", "hvad", "hvem", "hvor", "hvornår", "hvilke", "hvilken", "hvilket"})
OPINION_NOUNS = frozenset({"opfattelse", "mening", "vurdering", "overbevisning", "skøn"})
ANAPHORS = frozenset({"det", "dette", "sådan", "så"})
DASHES = ("–", "—", "-")
WH_VERBS = frozenset({"spørge", "vide", "forklare", "fortælle", "oplyse", "vurdere", "afsløre"})
WORDING_NOUNS = frozenset({"ord", "udtryk", "ordlyd"})


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    rule: str
    cue: Token | None = None
    mention: Span | None = None
    inherit: _Found | None = None  # same speaker as this earlier quote
    share_cue: bool = False  # an interrupted quote shares cue and mention
    speaker: Speaker | None = None
    factor: float = 1.0
    paragraph: int = 0
    nested: list[_Found] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int  # content start (after the opening mark / dash)
    end: int  # content end (before the closing mark)
    open_pos: int  # position of the opening mark (or dash)
    close_pos: int  # position after the closing mark (or the content end when unclosed)
    dash: bool
    closed: bool


def _verb(token: Token, classes: tuple[str, ...]) -> Verb | None:
    """The reporting verb this token is, if it is one of ``classes`` and its particle (if any) follows."""
    for verb in speech_verbs().get(token.lower_, ()):
        if verb.cls not in classes:
            continue
        if verb.particle:
            window = token.doc[token.i + 1 : min(len(token.doc), token.i + 5)]
            if not any(t.lower_ == verb.particle for t in window):
                continue
        return verb
    return None


ATTRIBUTING = ("speech", "cognition", "manner", "relay", "wording")


class _Extractor:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.resolver = Resolver(doc)
        self.paragraphs = self._paragraphs()
        self.token_at = {}
        for t in doc:
            for c in range(t.idx, t.idx + len(t.text)):
                self.token_at[c] = t.i

    # ----- layout ----------------------------------------------------------------------------------
    def _paragraphs(self) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for part in re.split(r"(\n\s*\n)", self.text):
            if part.strip() and not re.fullmatch(r"\n\s*\n", part):
                lead = len(part) - len(part.lstrip())
                spans.append((pos + lead, pos + len(part.rstrip())))
            pos += len(part)
        return spans

    def paragraph_of(self, char: int) -> int:
        """Index of the paragraph containing ``char`` (or the next one, for a gap between paragraphs)."""
        for k, (_, e) in enumerate(self.paragraphs):
            if char < e:
                return k
        return max(0, len(self.paragraphs) - 1)

    def tok(self, char: int) -> int | None:
        """Index of the token containing (or first token after) ``char``."""
        for c in range(char, min(len(self.text), char + 40)):
            if c in self.token_at:
                return self.token_at[c]
        return None

    def tok_before(self, char: int) -> int | None:
        for c in range(char - 1, max(-1, char - 40), -1):
            if c in self.token_at:
                return self.token_at[c]
        return None

    def sent_bounds(self, i: int) -> tuple[int, int]:
        sent = self.doc[i].sent
        start, end = sent.start, sent.end
        # a sentence split after an abbreviated title ("dr.scient.pol. Karen Siune") continues
        while end < len(self.doc) and re.fullmatch(r"[a-zæøå]+\.(?:[a-zæøå]+\.)+|[a-zæøå]{1,4}\.", self.doc[end - 1].text) and is_cap(self.doc[end]):
            end = self.doc[end].sent.end
        return start, end

    # ----- direct: marks ---------------------------------------------------------------------------
    def _guillemet_orientation(self) -> str:
        """»…« (Danish) or «…» (Norwegian/Swiss style), by which mark tends to precede a word."""
        text = self.text
        danish = sum(1 for m in re.finditer("»", text) if m.end() < len(text) and text[m.end()].isalnum()) + sum(
            1 for m in re.finditer("«", text) if m.start() > 0 and not text[m.start() - 1].isspace()
        )
        other = sum(1 for m in re.finditer("«", text) if m.end() < len(text) and text[m.end()].isalnum()) + sum(
            1 for m in re.finditer("»", text) if m.start() > 0 and not text[m.start() - 1].isspace()
        )
        return "»«" if danish >= other else "«»"

    def marks(self) -> list[_Mark]:
        text = self.text
        opener_g, closer_g = ("»", "«") if self._guillemet_orientation() == "»«" else ("«", "»")
        closers = {"guil": {closer_g}, "low": {"“", "”", '"'}, "curly": {"”"}, "swed": {"”"}, "straight": {'"'}}
        para_starts = {s for s, _ in self.paragraphs}
        found: list[_Mark] = []
        n = len(text)

        def opener_style(p: int) -> str | None:
            c = text[p]
            before = text[p - 1] if p > 0 else " "
            after = text[p + 1] if p + 1 < n else " "
            if after.isspace() and c not in (opener_g,):
                return None
            if c == opener_g:
                return "guil"
            if c == "„":
                return "low"
            if c == "“" and (before.isspace() or before in "(:–-"):
                return "curly"
            if c == "”" and (before.isspace() or before in "(:–-"):
                return "swed"
            if c == '"' and (before.isspace() or before in "(:–-[" or p in para_starts):
                return "straight"
            return None

        p = 0
        while p < n:
            style = opener_style(p)
            if style is None:
                p += 1
                continue
            start = p
            q = p + 1
            end_pos = None
            depth = 0  # »…»fest«…«: a same-style quote nested inside the paragraph
            while q < n:
                c = text[q]
                if style == "guil" and c == opener_g and q + 1 < n and text[q + 1].isalnum() and text[q - 1].isspace():
                    depth += 1
                    q += 1
                    continue
                if style == "guil" and c in closers[style] and depth > 0:
                    depth -= 1
                    q += 1
                    continue
                if c in closers[style] and not (style == "straight" and q in para_starts):
                    end_pos = q
                    break
                if text.startswith("\n\n", q) or (c == "\n" and text[q + 1 : q + 2] == "\n"):
                    depth = 0
                    # paragraph break inside an open quote: continue if the next paragraph reopens the same
                    # style, or a closer comes before any new opener; else the mark is damaged: stop here.
                    nxt = q
                    while nxt < n and text[nxt].isspace():
                        nxt += 1
                    if nxt < n and opener_style(nxt) == style:
                        q = nxt + 1
                        continue
                    if self._closes_later(nxt, style, closers[style], opener_style):
                        q = nxt
                        continue
                    break
                q += 1
            if end_pos is not None:
                found.append(_Mark(start + 1, end_pos, start, end_pos + 1, dash=False, closed=True))
                p = end_pos + 1
            else:
                stop = q
                while stop > start and text[stop - 1].isspace():
                    stop -= 1
                found.append(_Mark(start + 1, stop, start, stop, dash=False, closed=False))
                p = max(q, start + 1)
        # dialogue dashes: a paragraph opening with a dash
        for ps, pe in self.paragraphs:
            if text[ps] in DASHES and ps + 1 < pe and (text[ps + 1] == " " or text[ps + 1].isupper()):
                if any(m.open_pos <= ps < m.close_pos for m in found):
                    continue
                content = ps + 1
                while content < pe and text[content] == " ":
                    content += 1
                found.append(_Mark(content, pe, ps, pe, dash=True, closed=False))
        return sorted(found, key=lambda m: m.start)

    def _closes_later(self, pos: int, style: str, closers: set[str], opener_style: Callable[[int], str | None]) -> bool:
        """Whether a closing mark of ``style`` follows within a few paragraphs, before any new opener."""
        text = self.text
        limit = min(len(text), pos + 3000)
        q = pos
        while q < limit:
            if opener_style(q) == style and style != "straight":
                return False
            if text[q] in closers:
                return not (style == "straight" and opener_style(q) == style)
            q += 1
        return False

    # ----- direct: attribution ---------------------------------------------------------------------
    def _skip(self, i: int, end: int, words: frozenset[str]) -> int:
        while i < end and (self.doc[i].lower_ in words or self.doc[i].is_space):
            i += 1
        return i

    def subject_for(self, cue: Token) -> Span | None:
        """The speaker mention of a reporting verb: parse subject if any, else word order rules."""
        doc = self.doc
        verb = _verb(cue, ("relay",))
        s_start, s_end = self.sent_bounds(cue.i)
        if verb is not None:
            # "hedder det i X", "lyder det fra X", "fremgår det af X"; "I X hedder det"; "Det fremgår af X"
            k = cue.i + 1
            if k < s_end and doc[k].lower_ == "det":
                k += 1
            k = self._skip(k, s_end, ADVERBS - {"i"})
            adverb = k + 1 < s_end and not is_cap(doc[k]) and doc[k].is_alpha and doc[k].lower_ not in PREPOSITIONS
            if adverb and doc[k + 1].lower_ in ("i", "fra", "af", "hos"):
                k += 1  # a manner adverb: "lyder det kort fra naboen"
            if k < s_end and doc[k].lower_ in ("i", "fra", "af", "hos"):
                return self.resolver.np_forward(k + 1, s_end)
            for j in range(cue.i - 1, max(s_start - 1, cue.i - 8), -1):
                if doc[j].lower_ in ("i", "af", "fra") and (j == s_start or doc[j - 1].text in (",", ".")):
                    return self.resolver.np_forward(j + 1, cue.i)
            return None
        parsed = self.resolver.subject_from_parse(cue) or self.resolver.controller(cue)
        if parsed is not None and parsed.start >= s_start and parsed.end <= s_end:
            return parsed
        if self._subject_before(cue, s_start):
            return self._backward(cue, s_start)
        particles = {v.particle for v in speech_verbs().get(cue.lower_, ()) if v.particle}
        k = self._skip(cue.i + 1, s_end, (ADVERBS - {"i", "går", "dag"}) | particles)
        nxt = doc[k] if k < s_end else None
        det_np = nxt is not None and nxt.lower_ == "det" and k + 1 < s_end and not self.resolver._np_stop(doc[k + 1]) and not doc[k + 1].is_punct
        if (
            nxt is not None
            and not nxt.is_punct
            and (nxt.lower_ not in ("at", "det", "sig") or det_np)
            and nxt.lower_ not in PREPOSITIONS
            and nxt.lower_ not in ("om", "hvad", "hvorfor", "hvordan", "hvor")
        ):
            np = self.resolver.np_forward(k, s_end)
            if np is not None:
                appos = self.resolver.appositive_name(np, s_end) if (not is_cap(np[-1]) or np[-1].is_sent_start) and noun_kind(np[-1].text) else None
                return appos or np
        if nxt is not None and not nxt.is_punct and nxt.lower_ not in ("at", "det") and nxt.lower_ not in PREPOSITIONS:
            for j in range(k, min(s_end, k + 5)):
                if doc[j].lower_ in PREPOSITIONS or doc[j].text in (".", ":", ";") or doc[j].lower_ == "at":
                    break
                run = self.resolver.cap_run_end(j)
                if run - j >= 2:
                    return doc[j:run]
        return self._backward(cue, s_start)

    def _backward(self, cue: Token, s_start: int) -> Span | None:
        np = self.resolver.np_backward(cue.i, s_start)
        if np is not None and len(np) == 1 and np[0].lower_ in ("det", "der", "dette"):
            return None  # "Det forlyder, at …": no speaker
        return np

    def _subject_before(self, cue: Token, s_start: int) -> bool:
        """Straight word order: a name, pronoun or source noun right before the verb is its subject."""
        doc = self.doc
        k = cue.i - 1
        while k >= s_start and ((doc[k].lower_ in ADVERBS and doc[k].lower_ not in ("i", "dag")) or doc[k].lower_ in ("har", "havde")):
            k -= 1
        if k < s_start:
            return False
        t = doc[k]
        if t.text == ")" or (t.text == "," and k - 1 >= s_start and doc[k - 1].text == ")"):
            return True  # "Karin Sejer (K), afviser"
        segment = self.resolver.np_backward(cue.i, s_start)
        if segment is not None and segment[0].lower_ in PREPOSITIONS:
            return False  # a fronted adverbial: "Til DR Nyheder siger han", "Efter dommen skriver X"
        if t.lower_ in PREPOSITIONS or t.is_punct:
            return False
        if t.lower_ in SUBJECT_PRONOUNS:
            return True
        if noun_kind(t.text) or (self.resolver.has_pos and t.pos_ in ("NOUN", "PROPN")):
            return True
        return is_cap(t) and (
            not t.is_sent_start or self.resolver._known_name(t) or (len(t.text) > 1 and k + 1 == cue.i and k == s_start and t.i in self.resolver.ent_of)
        )

    def _attribution_after(self, m: _Mark) -> tuple[Token, Span | None] | None:
        """A reporting verb right after the closing mark: »…,« siger hun / »…?« spørger han."""
        doc = self.doc
        i = self.tok(m.close_pos)
        if i is None:
            return None
        para_end = self.paragraphs[self.paragraph_of(m.open_pos)][1]
        while i < len(doc) and doc[i].text in (",", "«", "»", '"', "“", "”") and doc[i].idx < para_end:
            i += 1
        if i >= len(doc) or doc[i].idx >= para_end:
            return None
        if _verb(doc[i], ATTRIBUTING):
            return doc[i], self.subject_for(doc[i])
        # "»…« Det siger X." / "Sådan siger X": an anaphoric attribution in the next sentence
        if doc[i].lower_ in ANAPHORS and i + 1 < len(doc) and _verb(doc[i + 1], ("speech", "cognition", "manner")):
            return doc[i + 1], self.subject_for(doc[i + 1])
        return None

    def _attribution_next_paragraph(self, m: _Mark) -> tuple[Token, Span | None] | None:
        """ "Sådan siger X." opening the next paragraph after a quote paragraph."""
        k = self.paragraph_of(m.open_pos)
        if k + 1 >= len(self.paragraphs):
            return None
        i = self.tok(self.paragraphs[k + 1][0])
        doc = self.doc
        if i is not None and i + 1 < len(doc) and doc[i].lower_ in ("sådan", "så", "det") and _verb(doc[i + 1], ("speech", "cognition", "manner")):
            s_start, s_end = self.sent_bounds(i + 1)
            if s_end - s_start <= 25:
                return doc[i + 1], self.subject_for(doc[i + 1])
        return None

    def _attribution_before(self, m: _Mark) -> tuple[str, Token | None, Span | None] | None:
        """A colon-introduced or same-sentence attribution before the opening mark."""
        doc = self.doc
        para = self.paragraph_of(m.open_pos)
        p_start = self.paragraphs[para][0]
        before = self.text[p_start : m.open_pos].rstrip()
        if before.endswith(":") or (not before and para > 0 and self.text[: self.paragraphs[para - 1][1]].rstrip().endswith(":")):
            colon = p_start + len(before) - 1 if before else self.paragraphs[para - 1][1] - 1
            ci = self.tok_before(colon + 1)
            if ci is None:
                return None
            s_start, _ = self.sent_bounds(ci)
            # interview label "Hanne: »…«"
            if ci - s_start <= 3 and all(is_cap(t) for t in doc[s_start:ci]) and ci > s_start and before:
                label = doc[s_start:ci]
                if not any(t.text.isupper() and len(t.text) > 2 for t in label):
                    return "direct-label", None, label
            for j in range(ci - 1, s_start - 1, -1):
                if _verb(doc[j], ATTRIBUTING):
                    mention = self.subject_for(doc[j])
                    if mention is None:
                        # "… og før semifinalen lyder taktikken:": the person the introducing sentence is about
                        mention = next(
                            (
                                doc[k : self.resolver.cap_run_end(k)]
                                for k in range(s_start, j)
                                if self.resolver.ent_of.get(k) is not None and self.resolver.ent_of[k].label_ == "PER" and self.resolver.ent_of[k].start == k
                            ),
                            None,
                        )
                    return "direct-colon", doc[j], mention
            for j in range(s_start, ci):
                run = self.resolver.cap_run_end(j)
                if run - j >= 2 and not doc[j:run].text.isupper():
                    return "direct-colon", None, doc[j:run]
            return "colon-no-verb", None, None
        # same sentence: "Hun siger, at »…«", "kalder meldingen »…«", "I notatet hedder det, at „…“"
        oi = self.tok_before(m.open_pos + 1)
        if oi is None:
            return None
        s_start, _ = self.sent_bounds(oi)
        for j in range(oi - 1, max(s_start - 1, oi - 12), -1):
            t = doc[j]
            if t.text in ("»", "«", '"', "“", "”", "„"):
                break
            verb = _verb(t, ATTRIBUTING)
            if verb is not None:
                return ("direct-before-wording" if verb.cls in ("wording", "manner") else "direct-before"), t, self.subject_for(t)
            if t.lower_ in WORDING_NOUNS and j + 1 < len(doc):
                # "med Brian Lentz' ord": the genitive before the noun is the speaker
                k = j - 1
                while k >= s_start and (is_cap(doc[k]) or doc[k].text in ("'", "’")):
                    k -= 1
                owner = doc[k + 1 : j] if k + 1 < j and doc[j - 1].text.endswith(("s", "'", "’")) else None
                return "direct-before-wording", t, owner
        return None

    def _titled(self, m: _Mark) -> bool:
        """A title noun or "såkaldte" right before the mark: a title or a name, not speech."""
        i = self.tok_before(m.open_pos)
        doc = self.doc
        for j in (i, (i or 0) - 1):
            if j is None or j < 0:
                continue
            word = doc[j].lower_
            if word in title_nouns() or any(word.endswith(n) and len(n) >= 5 for n in ("serien", "filmen", "programmet", "bogen", "romanen", "kampagnen")):
                return True
            if doc[j].is_punct:
                break
        # "DR's »Deadline«": a genitive outlet or name right before a short capitalised phrase
        return False

    def direct(self) -> list[_Found]:
        found: list[_Found] = []
        previous: _Found | None = None
        for m in self.marks():
            start, end = m.start, m.end
            content = self.text[start:end]
            stripped = content.rstrip()
            if stripped.endswith(","):
                stripped = stripped[:-1].rstrip()
            lead = len(content) - len(content.lstrip())
            start, end = start + lead, start + len(stripped)
            if end <= start:
                continue
            content = self.text[start:end]
            n_words = len(re.findall(r"\w+", content))
            para = self.paragraph_of(m.open_pos)
            if m.dash:
                end = self._dash_end(m, start, end)
                content = self.text[start:end]
                n_words = len(re.findall(r"\w+", content))
                if n_words < 2:
                    continue
            item = _Found(start, end, "direct", "", paragraph=para)
            after = self._attribution_after(m) if not m.dash else self._dash_attribution(m, end)
            if after is not None:
                item.rule, item.cue, item.mention = "direct-after", after[0], after[1]
            else:
                before = self._attribution_before(m) if not m.dash else None
                if before is not None and before[0] != "colon-no-verb":
                    rule, cue, mention = before
                    if rule == "direct-before-wording":
                        rule = "direct-before"
                    elif rule == "direct-before" and n_words < 3:
                        before = None
                    if before is not None:
                        item.rule, item.cue, item.mention = rule, cue, mention
                if not item.rule:
                    nxt = self._attribution_next_paragraph(m) if self._whole_paragraph(m) else None
                    if nxt is not None:
                        item.rule, item.cue, item.mention = "direct-next", nxt[0], nxt[1]
            if not item.rule:
                standalone = self._standalone(m)
                if self._titled(m) or not standalone or n_words < 3:
                    if not m.dash and n_words >= 3 and not self._titled(m):
                        item.rule = "maybe-mixed"
                        found.append(item)
                    continue
                if previous is not None and para - previous.paragraph <= 1 and (para == previous.paragraph or self._adjacent_quotes(previous, item)):
                    item.rule, item.inherit = ("direct-interrupted" if para == previous.paragraph else "direct-continued"), previous
                    item.share_cue = para == previous.paragraph
                else:
                    item.rule = "direct-nearest"
            elif self._titled(m) and item.rule != "direct-after":
                continue
            found.append(item)
            previous = item
        return found

    def _adjacent_quotes(self, a: _Found, b: _Found) -> bool:
        """No paragraph of plain narrative between two quotes: a continuation of the same voice."""
        gap = self.text[a.end : b.start]
        return gap.count("\n\n") <= 1

    def _whole_paragraph(self, m: _Mark) -> bool:
        s, e = self.paragraphs[self.paragraph_of(m.open_pos)]
        return m.open_pos <= s + 1 and m.close_pos >= e - 1

    def _standalone(self, m: _Mark) -> bool:
        """The quote opens its paragraph or sentence (a voice of its own, not a phrase in the narrative)."""
        s, _ = self.paragraphs[self.paragraph_of(m.open_pos)]
        head = self.text[s : m.open_pos].rstrip()
        return not head or head.endswith((".", "!", "?", ":", "«", "»", '"', "”", "“"))

    def _dash_end(self, m: _Mark, start: int, end: int) -> int:
        """A dash quote ends before a postposed ", siger hun." in its paragraph."""
        attribution = self._dash_attribution(m, end)
        if attribution is None:
            return end
        cue = attribution[0]
        j = cue.i - 1
        while j >= 0 and self.doc[j].text in (",",):
            j -= 1
        return self.doc[j].idx + len(self.doc[j].text) if self.doc[j].idx >= start else end

    def _dash_attribution(self, m: _Mark, end: int) -> tuple[Token, Span | None] | None:
        doc = self.doc
        first, last = self.tok(m.start), self.tok_before(m.close_pos)
        if first is None or last is None:
            return None
        for j in range(last, first, -1):
            prev = doc[j - 1]
            if prev.text in (",", "?", "!") and _verb(doc[j], ATTRIBUTING):
                _, s_end = self.sent_bounds(j)
                if s_end - j <= 14:
                    return doc[j], self.subject_for(doc[j])
        return None

    # ----- indirect --------------------------------------------------------------------------------
    def _clause_start_ok(self, i: int) -> bool:
        """The word after *at* opens a finite clause, not an infinitive ("at lukke")."""
        doc = self.doc
        if i >= len(doc):
            return False
        t = doc[i]
        if self.resolver.has_pos:
            if t.pos_ == "VERB" and "Inf" in t.morph.to_dict().get("VerbForm", ""):
                return False
            if t.pos_ in ("PRON", "DET", "NOUN", "PROPN", "NUM", "ADJ", "ADV", "SCONJ"):
                return True
        if (
            is_cap(t)
            or t.like_num
            or t.lower_ in SUBJECT_PRONOUNS
            or t.lower_
            in (
                "det",
                "der",
                "man",
                "alle",
                "ingen",
                "intet",
                "hun",
                "han",
                "en",
                "et",
                "flere",
                "mange",
                "nogle",
                "hans",
                "hendes",
                "deres",
                "sin",
                "sit",
                "sine",
                "vores",
                "dette",
                "disse",
                "denne",
                "heller",
            )
        ):
            return True
        if t.text in ("»", "«", '"', "„", "“", "”"):
            return True
        # an infinitive ends in -e; most other words opening a clause do not (nouns in -e are the exception)
        return not (t.lower_.endswith("e") and not t.lower_.endswith(("ne", "erne")) and i + 1 < len(doc) and not doc[i + 1].lower_.endswith(("r", "de", "te")))

    def _content_end(self, i: int, s_end: int) -> int:
        """End offset of a content clause running from token ``i`` to the end of its sentence."""
        doc = self.doc
        j = s_end - 1
        while j >= i and (
            doc[j].is_space or doc[j].text in (".", "!", ":", ";") or (doc[j].text in ("«", "»", '"', "“", "”") and not self._closes_inside(i, j))
        ):
            j -= 1
        if j < i:
            return doc[i].idx
        return doc[j].idx + len(doc[j].text)

    def _closes_inside(self, i: int, j: int) -> bool:
        """Whether the quote mark at token ``j`` closes one opened inside the clause (keep it)."""
        return any(self.doc[k].text in ("»", "«", '"', "„", "“", "”") for k in range(i, j))

    def _subject_ok(self, mention: Span | None, cue: Token) -> bool:
        if mention is None:
            return True
        first = mention[0].lower_
        if first in FIRST_SECOND_PERSON or first in NEGATIVE_SUBJECTS:
            return False
        # counterfactual "hvis han havde sagt": a conditional before the subject
        s_start, _ = self.sent_bounds(cue.i)
        return all(self.doc[k].lower_ not in ("hvis", "ville", "skulle") for k in range(max(s_start, mention.start - 3), mention.start))

    def indirect(self, directs: list[_Found]) -> list[_Found]:
        doc = self.doc
        found: list[_Found] = []
        for cue in doc:
            verb = _verb(cue, ("speech", "cognition", "evidence", "relay", "manner"))
            if verb is None:
                if cue.lower_ == "ifølge":
                    item = self._ifolge(cue)
                    if item:
                        found.append(item)
                elif cue.lower_ == "efter":
                    item = self._opinion(cue)
                    if item:
                        found.append(item)
                continue
            item = self._at_clause(cue, verb) or self._postposed(cue, verb) or self._anaphoric(cue, verb)
            if item is not None:
                found.append(item)
        headline = self._headline()
        if headline:
            found.append(headline)
        return found

    def _at_clause(self, cue: Token, verb: Verb) -> _Found | None:
        doc = self.doc
        _, s_end = self.sent_bounds(cue.i)
        k = cue.i + 1
        limit = min(s_end, cue.i + 14)
        while k < limit:
            t = doc[k]
            low = t.lower_
            if low == "at" and verb.cls != "manner":
                if k + 1 < s_end and self._clause_start_ok(k + 1):
                    return self._clause_item(cue, verb, k + 1, s_end, "indirect-at")
                return None
            # an interrogative content clause: "spørger, om …", "forklarer, hvorfor …"
            wh_clause = (low in WH_WORDS and doc[k - 1].text == ",") or (low in WH_WORDS and verb.lemma == "spørge" and k == cue.i + 1)
            if wh_clause and k + 1 < s_end and doc[k + 1].text == ",":
                return None  # "spurgt hvorfor, tøver han": a bare question word, no content clause
            if wh_clause and (verb.lemma in WH_VERBS or low in ("om", "hvorvidt")):
                if low == "om" and verb.lemma != "spørge" and doc[k - 1].text != ",":
                    return None
                return self._clause_item(cue, verb, k, s_end, "indirect-at")
            if t.is_punct and t.text not in (",", "-"):
                return None
            if low in ("og", "men", "eller", "som", "der", "fordi", "hvis", "når") or (_verb(t, ("speech", "cognition")) is not None and t.i != cue.i):
                return None
            if self.resolver.has_pos and t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.to_dict().get("VerbForm", "") and not is_cap(t):
                return None
            k += 1
        return None

    def _clause_item(self, cue: Token, verb: Verb, i: int, s_end: int, rule: str) -> _Found | None:
        doc = self.doc
        if doc[i].text in ("»", "«", '"', "„", "“", "”"):
            return None  # a quoted at-clause is a direct quote only
        mention = self.subject_for(cue)
        if not self._subject_ok(mention, cue):
            return None
        if verb.cls == "evidence":
            if mention is None or not any((noun_kind(t.text) or ("", ""))[1] == "document" for t in mention):
                return None
            rule = "indirect-evidence"
        elif verb.cls == "cognition":
            rule = "indirect-at-cognition"
        start = doc[i].idx
        end = self._content_end(i, s_end)
        if end - start < 8:
            return None
        return _Found(start, end, "indirect", rule, cue=cue, mention=mention, paragraph=self.paragraph_of(start))

    def _postposed(self, cue: Token, verb: Verb) -> _Found | None:
        """ "Færgen sejler igen, oplyser rederiet." — content before a comma and the attribution."""
        doc = self.doc
        if verb.cls not in ("speech", "cognition", "relay") or cue.i == 0 or doc[cue.i - 1].text != ",":
            return None
        s_start, s_end = self.sent_bounds(cue.i)
        if cue.i - s_start < 4:
            return None
        if doc[cue.i - 2].text in ("«", "»", '"', "”", "“"):
            return None  # a direct quote's attribution
        mention = self.subject_for(cue)
        if mention is None or mention.start < cue.i or not self._subject_ok(mention, cue):
            return None
        # the attribution must close the sentence (bar an addressee, place or time phrase, or a relative clause)
        tail = doc[mention.end : s_end]
        if len([t for t in tail if not t.is_punct]) > 12:
            return None
        i = s_start
        while i < cue.i and (doc[i].is_space or doc[i].lower_ in CONNECTIVES):
            i += 1
        if doc[i].text in ("»", "«", '"', "„", "“", "”", "–", "-"):
            return None
        start, end = doc[i].idx, doc[cue.i - 1].idx
        return _Found(start, end, "indirect", "indirect-postposed", cue=cue, mention=mention, paragraph=self.paragraph_of(start))

    def _anaphoric(self, cue: Token, verb: Verb) -> _Found | None:
        """ "Det mener formanden." — the content is the previous sentence."""
        doc = self.doc
        if verb.cls not in ("speech", "cognition", "evidence", "relay") or cue.i == 0:
            return None
        det = doc[cue.i - 1]
        if det.lower_ not in ("det", "dette") or not (det.is_sent_start or det.i == 0 or doc[det.i - 1].is_space):
            return None
        mention = self.subject_for(cue)
        if verb.cls == "evidence" and (mention is None or not any((noun_kind(t.text) or ("", ""))[1] == "document" for t in mention)):
            return None
        if not self._subject_ok(mention, cue):
            return None
        prev_end = det.i - 1
        while prev_end >= 0 and doc[prev_end].is_space:
            prev_end -= 1
        if prev_end < 0:
            return None
        p_start, p_end = self.sent_bounds(prev_end)
        i = p_start
        while i < p_end and (doc[i].is_space or doc[i].lower_ in CONNECTIVES):
            i += 1
        if doc[i].text in ("»", "«", '"', "„", "“", "”", "–", "-"):
            return None  # "»…« Det siger X": the direct quote's attribution
        start, end = doc[i].idx, self._content_end(i, p_end)
        if end - start < 8:
            return None
        return _Found(start, end, "indirect", "indirect-anaphoric", cue=cue, mention=mention, paragraph=self.paragraph_of(start))

    def _edge_span(self, phrase_start: int, phrase_end: int) -> tuple[int, int] | None:
        """The clause an adverbial phrase (ifølge X, efter X's opfattelse) modifies, without the phrase at an edge."""
        doc = self.doc
        s_start, s_end = self.sent_bounds(phrase_start)
        last = s_end - 1
        while last > s_start and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        i = s_start
        while i < s_end and (doc[i].is_space or doc[i].lower_ in CONNECTIVES):
            i += 1
        if phrase_start == i:
            k = phrase_end
            while k < s_end and doc[k].text == ",":
                k += 1
            if k >= s_end:
                return None
            return doc[k].idx, self._content_end(k, s_end)
        if phrase_end > last:
            j = phrase_start - 1
            while j > i and doc[j].text == ",":
                j -= 1
            return doc[i].idx, doc[j].idx + len(doc[j].text)
        return doc[i].idx, self._content_end(i, s_end)

    def _ifolge(self, cue: Token) -> _Found | None:
        s_start, s_end = self.sent_bounds(cue.i)
        if any(_verb(t, ("speech", "cognition")) for t in self.doc[s_start : cue.i]) and cue.i > s_start + 2 and self.doc[cue.i - 1].text != ",":
            return None  # "Det oplyser politiet ifølge TT": the outlet relays, the police speak
        np = self.resolver.np_forward(cue.i + 1, s_end)
        if np is None:
            return None
        span = self._edge_span(cue.i, np.end)
        if span is None or span[1] - span[0] < 8:
            return None
        if self.text[span[0]] in '»«"„“”':
            return None
        return _Found(span[0], span[1], "indirect", "indirect-ifolge", cue=cue, mention=np, paragraph=self.paragraph_of(span[0]))

    def _opinion(self, cue: Token) -> _Found | None:
        """ "efter borgmesterens opfattelse …": the genitive is the speaker."""
        doc = self.doc
        _, s_end = self.sent_bounds(cue.i)
        for k in range(cue.i + 1, min(s_end, cue.i + 6)):
            if doc[k].lower_ in OPINION_NOUNS:
                owner = doc[cue.i + 1 : k]
                if not owner or not owner[-1].text.endswith(("s", "'")):
                    return None
                span = self._edge_span(cue.i, k + 1)
                if span is None:
                    return None
                return _Found(span[0], span[1], "indirect", "indirect-opinion", cue=doc[k], mention=owner, paragraph=self.paragraph_of(span[0]))
        return None

    def _headline(self) -> _Found | None:
        """``Borgmester: Vi lukker ikke skolen`` — a speaker label before a colon in the first paragraph."""
        from kilde.extract.lexicons import _lines

        if not self.paragraphs:
            return None
        s, e = self.paragraphs[0]
        line = self.text[s:e]
        if "\n" in line or line.rstrip().endswith("."):
            return None
        label, sep, rest = line.partition(":")
        if not sep or not rest.strip() or len(label.split()) > 4 or label.isupper():
            return None
        if label.strip().lower() in set(_lines("kicker_labels.txt")):
            return None
        rest_start = s + len(label) + 1
        while rest_start < e and self.text[rest_start] == " ":
            rest_start += 1
        if self.text[rest_start] in '»«"„“”':
            return None
        first = self.tok(s)
        colon = self.tok(s + len(label))
        if first is None or colon is None:
            return None
        words = self.doc[first:colon]
        speakerish = any(noun_kind(t.text) and noun_kind(t.text)[1] in ("role", "anon", "organisation", "outlet") for t in words)  # type: ignore[index]
        speakerish = speakerish or any(n.start >= s and n.end <= s + len(label) and n.kind in ("person", "outlet", "organisation") for n in self.resolver.names)
        if not speakerish:
            return None
        mention = self.doc[first : first + 1] if words[0].text != words[-1].text and noun_kind(words[0].text) else words
        return _Found(rest_start, e, "indirect", "indirect-headline", cue=None, mention=mention, paragraph=0)

    # ----- assembly --------------------------------------------------------------------------------
    def run(self) -> list[Quote]:
        directs = self.direct()
        indirects = self.indirect(directs)
        kept_direct = [d for d in directs if d.rule != "maybe-mixed"]
        # a marked fragment inside an indirect clause is a mixed quote: the same speaker said those words
        for d in directs:
            if d.rule != "maybe-mixed":
                continue
            host = next((q for q in indirects if q.start <= d.start and d.end <= q.end), None)
            if host is not None:
                d.rule, d.inherit = "direct-mixed", host
                kept_direct.append(d)
        # an indirect item whose content is already a direct quote (quoted at-clause) is dropped
        indirects = [
            q for q in indirects if not any(d.start <= q.start and q.end <= d.end + 1 and (d.end - d.start) - (q.end - q.start) < 6 for d in kept_direct)
        ]
        # content inside a direct quote is reported again only when its own cue is inside too (nested speech)
        indirects = [
            q for q in indirects if not any(d.start <= q.start < d.end and not (q.cue is not None and d.start <= q.cue.idx < d.end) for d in kept_direct)
        ]
        self.resolver.quoted = [(q.start, q.end) for q in kept_direct + indirects]
        # one item per span: keep the more confident rule on overlapping indirects with the same cue region
        indirects = self._dedupe(indirects)
        items = sorted(kept_direct + indirects, key=lambda q: (q.start, -q.end))
        # resolve speakers in text order, so continuations and pronouns can use earlier speakers
        quotes: list[Quote] = []
        last: Speaker | None = None
        for item in sorted(items, key=lambda q: q.cue.idx if q.cue is not None and q.kind == "direct" and q.rule != "direct-next" else q.start):
            self._speaker(item, last)
            if item.speaker is not None and item.speaker.name:
                last = item.speaker
        for item in items:
            speaker = item.speaker or Speaker(name=None, type="unknown")
            cue = item.cue
            if item.inherit is not None and not item.share_cue:
                cue = None
            confidence = round(min(1.0, CONFIDENCE.get(item.rule, 0.6) * item.factor), 3)
            quotes.append(
                Quote(
                    start=item.start,
                    end=item.end,
                    text=self.text[item.start : item.end],
                    kind=item.kind,  # type: ignore[arg-type]
                    cue=cue.text if cue is not None else None,
                    cue_start=cue.idx if cue is not None else None,
                    speaker=speaker,
                    confidence=confidence,
                )
            )
        return quotes

    def _speaker(self, item: _Found, last: Speaker | None) -> None:
        if item.inherit is not None:
            source = item.inherit
            if source.speaker is None:
                self._speaker(source, last)
            base = source.speaker or Speaker(name=None, type="unknown")
            if item.share_cue:
                item.cue, item.mention, item.speaker = source.cue, source.mention, base
            else:
                item.speaker = Speaker(name=base.name, type=base.type)
                item.cue = None
            item.factor = 1.0
            return
        if item.rule == "direct-nearest":
            name = self.resolver.person_before(item.start)
            if name is None and last is not None:
                item.speaker = Speaker(name=last.name, type=last.type)
            else:
                item.speaker = Speaker(name=name, type="person" if name else "unknown")
            return
        speaker, factor = self.resolver.resolve(item.mention, fallback=last)
        if item.rule == "indirect-headline" and speaker.type == "unnamed" and item.mention is not None:
            # "Borgmester: …" names the role; the article introduces the person later
            found = noun_kind(item.mention[-1].text)
            if found:
                person = self.resolver.role_name(found[0], item.mention[-1].text, len(self.text))
                if person:
                    speaker = Speaker(name=person, type="person", mention=speaker.mention, mention_start=speaker.mention_start, mention_end=speaker.mention_end)
        item.speaker, item.factor = speaker, factor

    @staticmethod
    def _dedupe(items: list[_Found]) -> list[_Found]:
        kept: list[_Found] = []
        for item in sorted(items, key=lambda q: -CONFIDENCE.get(q.rule, 0.5)):
            clash = any(min(item.end, k.end) - max(item.start, k.start) > 0.6 * min(item.end - item.start, k.end - k.start) for k in kept)
            if not clash:
                kept.append(item)
        return kept


def extract_quotes(doc: Doc, context: Context | None = None) -> tuple[list[Quote], list[SourceRef]]:
    """All quotes in the article, in text order, and the sources they and the text cite."""
    if not doc.text.strip():
        return [], []
    extractor = _Extractor(doc)
    quotes = extractor.run()
    return quotes, aggregate_sources(doc, quotes, resolver=extractor.resolver)
