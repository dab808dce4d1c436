"""Speaker mentions and their resolution to the most specific name in the article.

A quote's attribution points at its speaker with a *mention*: a name ("Mette Kjærgaard"), a pronoun
("hun"), a description ("efterretningstjenesten", "en kilde tæt på sagen") or a genitive
("efterretningstjenestens opdatering"). :class:`Resolver` finds the mention's words around a cue (from the
dependency parse when there is one, from word shapes and the lexicons otherwise) and resolves it:

* a surname to the full name given elsewhere in the article ("Hauth" → "Lars Hauth");
* ``han``/``hun`` to the last person named before it (of the same gender where the first name or noun
  tells), else to the last person described ("en far, der græd … råbte han"); names inside someone else's
  quote are not antecedents, names inside the pronoun's own quote are;
* ``de`` to the last group of named people ("B. Lau, H. Sumiyoshi og R. Lin", kept as one speaker) or
  plural description, ``den`` to the last organisation;
* a role ("borgmesteren", "ministeren") to the person introduced with that role ("borgmester Karin Sejer");
  a definite role description with no such link ("den sympatiske studievært", "departementschefen") to
  the person named before it, or, when nobody is, the next person named (a lead that names people later);
* a description with a name in apposition to the name ("Sinn Feins talsmand, Richard McCauley");
* an organisation or document noun ("efterretningstjenesten", "selskabet", "rapporten") to the most
  specific mention of it ("Den britiske efterretningstjeneste") or the last organisation named;
* an outlet description ("avisen") to the last outlet named.

Types follow ``records.SpeakerType``. Everything here is heuristic, so each resolution returns a factor
that the quote's confidence is multiplied by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from kilde.extract.lexicons import first_names, outlets, source_nouns, speech_verbs, unnamed_openers
from kilde.records import Speaker, SpeakerType

# Closed-class Danish grammar words (not a lexicon of sources): they bound noun phrases.
PERSON_PRONOUNS = frozenset({"han", "hun"})
# Source nouns that carry natural gender (kinship and sex-specific person nouns), for han/hun.
NOUN_GENDER = {
    "far": "m",
    "fader": "m",
    "mor": "f",
    "moder": "f",
    "søn": "m",
    "datter": "f",
    "bror": "m",
    "broder": "m",
    "søster": "f",
    "mand": "m",
    "kvinde": "f",
    "dreng": "m",
    "pige": "f",
    "forkvinde": "f",
    "talskvinde": "f",
}
SUBJECT_PRONOUNS = frozenset({"han", "hun", "de", "vi", "jeg", "man", "du", "den"})
FIRST_SECOND_PERSON = frozenset({"jeg", "vi", "du", "i", "man"})
NEGATIVE_SUBJECTS = frozenset({"ingen", "intet", "ingenting"})
DETERMINERS = frozenset(
    {
        "den",
        "det",
        "de",
        "denne",
        "dette",
        "disse",
        "hans",
        "hendes",
        "deres",
        "dens",
        "dets",
        "sin",
        "sit",
        "sine",
        "min",
        "mit",
        "mine",
        "vores",
        "jeres",
        "alle",
        "begge",
        "samme",
    }
)
POSSESSIVES = frozenset({"hans", "hendes", "deres", "dens", "dets", "sin", "sit", "sine", "min", "mit", "mine", "din", "dit", "dine", "vores", "jeres"})
PREPOSITIONS = frozenset(
    {
        "til",
        "over",
        "for",
        "fra",
        "på",
        "i",
        "om",
        "med",
        "ved",
        "efter",
        "under",
        "af",
        "hos",
        "mod",
        "blandt",
        "gennem",
        "uden",
        "bag",
        "foran",
        "inden",
        "siden",
        "via",
        "overfor",
        "imod",
        "trods",
        "ifølge",
    }
)
CONJUNCTIONS = frozenset({"og", "men", "eller", "at", "som", "der", "da", "når", "hvis", "fordi", "mens", "så", "end", "om"})
FINITE_COMMON = frozenset(
    {
        "er",
        "var",
        "har",
        "havde",
        "vil",
        "ville",
        "skal",
        "skulle",
        "kan",
        "kunne",
        "må",
        "måtte",
        "bliver",
        "blev",
        "får",
        "fik",
        "gør",
        "gjorde",
        "bør",
        "burde",
        "går",
        "gik",
        "kommer",
        "kom",
        "står",
        "stod",
        "ser",
        "så",
        "tager",
        "tog",
        "ligger",
        "lå",
        "giver",
        "gav",
        "holder",
        "holdt",
        "sidder",
        "sad",
    }
)
ADVERBS = frozenset(
    {
        "også",
        "dog",
        "ikke",
        "nu",
        "så",
        "sådan",
        "forleden",
        "egentlig",
        "ærligt",
        "talt",
        "afværgende",
        "tørt",
        "stille",
        "lidt",
        "her",
        "der",
        "hjemme",
        "bagefter",
        "straks",
        "samtidig",
        "heller",
        "videre",
        "endvidere",
        "yderligere",
        "ellers",
        "selv",
        "stadig",
        "fortsat",
        "blot",
        "bare",
        "kun",
        "netop",
        "allerede",
        "derfor",
        "desuden",
        "klart",
        "nemlig",
        "igen",
        "tidligere",
        "senere",
        "simpelthen",
        "faktisk",
        "dengang",
        "bl.a.",
        "blandt",
        "andet",
        "pure",
        "gerne",
        "altid",
        "aldrig",
        "endnu",
        "åbent",
        "direkte",
        "skriftligt",
        "i",
        "dag",
        "går",
        "mandag",
        "tirsdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lørdag",
        "søndag",
    }
)
OPENING_PUNCT = frozenset({"»", "«", '"', "„", "“", "”", "(", "'", "’", "›", "‹"})
GENERIC_ORG = frozenset({"selskab", "virksomhed", "firma", "koncern", "rederi", "organisation", "forening", "bank"})
ORG_NAME_WORDS = ("a/s", "aps", "i/s", "amba", "a.m.b.a.")


def is_cap(token: Token) -> bool:
    return bool(token.text) and token.text[0].isupper()


def _sentence_initial(token: Token) -> bool:
    if token.i == 0:
        return True
    prev = token.doc[token.i - 1]
    return token.is_sent_start or prev.text in ("»", "«", '"', "„", "“", "”", "–", "-", ":") or (prev.is_space and "\n" in prev.text)


# Inflection endings of Danish nouns (definite, plural, genitive) after the stem as listed in the lexicon.
NOUN_ENDINGS = frozenset(
    {"", "n", "en", "t", "et", "r", "er", "e", "ne", "ene", "erne", "rne", "s", "ns", "ens", "ts", "ets", "es", "rs", "ers", "nes", "enes", "ernes", "rnes"}
)


_LONGEST_ENDING = max(map(len, NOUN_ENDINGS)) + 1  # + a doubled final consonant


@cache
def _stems() -> dict[str, tuple[int, str]]:
    """Source-noun stem → (its place in the lexicon's order, kind); where a stem is listed twice the first wins."""
    found: dict[str, tuple[int, str]] = {}
    for i, (stem, kind) in enumerate(source_nouns()):
        found.setdefault(stem, (i, kind))
    return found


def _inflects(lower: str, stem: str) -> bool:
    """Whether ``lower`` is ``stem`` (or a compound ending in it) plus an inflection ending."""
    at = lower.rfind(stem)
    # the stem must end the word (bar an inflection ending) and be the whole word or a compound head
    rest = lower[at + len(stem) :]
    # a doubled final consonant before the ending is regular: "oplæg" → "oplægget", "ret" → "retten"
    doubled = bool(rest) and rest[0] == stem[-1] and rest[1:] in NOUN_ENDINGS and rest[1:] != ""
    return at >= 0 and (rest in NOUN_ENDINGS or doubled) and (at == 0 or at >= 3 or lower[at - 1] == "-")


@cache
def noun_kind(word: str) -> tuple[str, str] | None:
    """(stem, kind) of the source noun this word inflects or ends a compound with, if any.

    The lexicon's first entry that fits wins (it lists the longest stems first). Only substrings that end
    where an inflection ending could begin are looked up, not every stem of the lexicon: this runs for
    every token of every article.
    """
    lower = word.lower().strip("'’")
    stems = _stems()
    best: tuple[int, str, str] | None = None
    for end in range(max(0, len(lower) - _LONGEST_ENDING), len(lower) + 1):
        for start in range(end):
            entry = stems.get(lower[start:end])
            if entry is not None and (best is None or entry[0] < best[0]) and _inflects(lower, lower[start:end]):
                best = (entry[0], lower[start:end], entry[1])
    return None if best is None else (best[1], best[2])


def _strip_genitive(text: str, head: Token) -> str:
    """ "politiets" → "politiet" when the mention ends in its genitive head."""
    if text.endswith(head.text) and head.text.endswith("s") and noun_kind(head.text[:-1]):
        return text[:-1]
    return text


def is_definite(word: str) -> bool:
    lower = word.lower()
    return lower.endswith(("en", "et", "ne", "ens", "ets", "nes"))


@cache
def _outlet_index() -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]:
    """Outlet names by their first word, and the one-word names (for genitives)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in outlets():
        words = tuple(name.split())
        by_first.setdefault(words[0], []).append(words)
    singles = frozenset(name for name in outlets() if " " not in name)
    return {k: tuple(v) for k, v in by_first.items()}, singles


def _outlet_at(doc: Doc, i: int) -> tuple[str, int] | None:
    """The longest outlet name starting at token ``i``: (name, end token).

    Looked up by the token's text, not by scanning the lexicon: this runs for
    many tokens of every article.
    """
    by_first, singles = _outlet_index()
    text = doc[i].text
    best = None
    for words in by_first.get(text, ()):
        end = i + len(words)
        if end <= len(doc) and (len(words) == 1 or tuple(t.text for t in doc[i:end]) == words) and (best is None or end > best[1]):
            best = (" ".join(words), end)
    if best is None and text.endswith("s") and len(text) > 2 and text.rstrip("s") in singles:
        best = (text.rstrip("s"), i + 1)  # genitive "Reuters'" / "Ritzaus"
    return best


@dataclass(frozen=True, slots=True)
class Name:
    """A capitalised name in the text, typed."""

    text: str
    start: int
    end: int
    kind: SpeakerType  # person | organisation | outlet | unknown


@dataclass(frozen=True, slots=True)
class Description:
    """A noun phrase that describes a source without naming it ("en far", "de interviewede familier")."""

    text: str
    start: int
    head: int  # token index of the head noun
    kind: str  # role | anon | organisation (source_nouns kinds)
    plural: bool
    gender: str | None  # m | f for nouns that carry it (far, mor), else None


@dataclass(frozen=True, slots=True)
class RoleLink:
    role: str  # lower-cased role word as written ("byrådsmedlem", "cheftræner")
    name: str
    start: int


class Resolver:
    """Per-document index of names, roles and descriptions, and the rules that use it."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.has_dep = doc.has_annotation("DEP")
        self.has_pos = doc.has_annotation("POS")
        ents = self._clean_ents(doc)
        self.ents = {(e.start, e.end): e.label_ for e in ents}
        self.ent_of = {t.i: e for e in ents for t in e}
        self.names = self._names()
        self.roles = self._roles()
        self.groups: list[tuple[str, int]] = []
        i = 0
        while i < len(doc):
            group = self.group_at(i) if i == 0 or not is_cap(doc[i - 1]) else None
            if group is not None:
                self.groups.append((group[0], doc[i].idx))
                i = group[1]
            else:
                i += 1
        self.descriptions = self._descriptions()
        self.quoted: list[tuple[int, int]] = []  # quote contents, set by the extractor: no antecedents there

    # ----- index -----------------------------------------------------------------------------------
    @staticmethod
    def _clean_ents(doc: Doc) -> list[Span]:
        """Entities without a leading title or grammar word, and without titles in quote marks.

        NER often takes in the word before a name ("Regionsrådsformand Anders Bøgh", "Også Berlingske"):
        that word is a role that introduces the person (kept as a role link), not part of the name.
        A name standing alone inside quote marks (»Deadline«) is a title, not a person.
        """
        result = []
        for ent in doc.ents:
            if not ent.text[:1].isalnum():
                continue  # "»Saltvand": a title glued to its mark
            start = ent.start
            while start < ent.end - 1 and (
                doc[start].lower_ in CONJUNCTIONS | PREPOSITIONS | DETERMINERS | ADVERBS | SUBJECT_PRONOUNS
                or (noun_kind(doc[start].text) or ("", ""))[1] in ("role", "anon")
            ):
                start += 1
            before = doc[start - 1].text if start > 0 else ""
            after = doc[ent.end].text if ent.end < len(doc) else ""
            closed = after in ("«", "»", '"', "“", "”", "’", "‹", "›")
            if before in OPENING_PUNCT and before != "(" and (closed or start == 0 or not doc[start - 1].is_sent_start):
                continue  # a title or nickname in marks (»Deadline«, »Mormor og havet«)
            if start > ent.start and _outlet_at(doc, start):
                continue  # "Også Berlingske": the outlet index takes it
            result.append(ent if start == ent.start else Span(doc, start, ent.end, label=ent.label_))
        return result

    def _names(self) -> list[Name]:
        doc, names = self.doc, []
        i = 0
        while i < len(doc):
            outlet = _outlet_at(doc, i)
            if outlet:
                names.append(Name(outlet[0], doc[i].idx, doc[outlet[1] - 1].idx + len(doc[outlet[1] - 1]), "outlet"))
                i = outlet[1]
                continue
            ent = self.ent_of.get(i)
            if ent is not None and ent.start == i and ent.label_ in ("PER", "ORG") and not (ent.label_ == "ORG" and ent.text.split()[0] in first_names()):
                kind: SpeakerType = "person" if ent.label_ == "PER" else "organisation"
                text = self._base_form(ent)
                names.append(Name(text, ent.start_char, ent.end_char, self._name_kind(text, kind)))
                i = ent.end
                continue
            j = self.cap_run_end(i)
            if j > i + 1 and (doc[i].lower_ in ("både", "ifølge") or (noun_kind(doc[i].text) or ("", ""))[1] in ("role", "anon")):
                i += 1  # "Regionsrådsformand Anders Bøgh": the title is not part of the name
                continue
            if j > i and _sentence_initial(doc[i]) and doc[i].lower_ in CONJUNCTIONS | PREPOSITIONS | DETERMINERS | ADVERBS | SUBJECT_PRONOUNS:
                i += 1  # "Og Michael Christiansen …": the capital is the sentence's, not the name's
                continue
            if j > i:
                run = doc[i:j]
                initial = _sentence_initial(doc[i])
                shouting = run.text.isupper() and len(run.text) > 4  # a subheading or dateline, not a name
                in_marks = i > 0 and doc[i - 1].text in OPENING_PUNCT and doc[i - 1].text != "("  # a title or nickname
                if (j - i >= 2 or not initial) and not shouting and not in_marks:
                    names.append(Name(run.text, run.start_char, run.end_char, self._name_kind(run.text, "unknown")))
                i = j
                continue
            i += 1
        return names

    def _descriptions(self) -> list[Description]:
        """Descriptions of people and organisations, in text order (pronoun antecedents when no name fits)."""
        doc, found = self.doc, []
        for t in doc:
            if is_cap(t) and not _sentence_initial(t):
                continue
            kind = noun_kind(t.text)
            if kind is None or kind[1] not in ("role", "anon", "organisation") or (t.lower_.endswith("s") and t.i + 1 < len(doc) and doc[t.i + 1].is_alpha):
                continue
            if t.i + 1 < len(doc) and (is_cap(doc[t.i + 1]) and not doc[t.i + 1].is_sent_start):
                continue  # a title before a name: the name is the antecedent
            left = t.i
            while left - 1 >= 0 and t.i - left < 5:
                w = doc[left - 1]
                genitive = w.text.endswith(("s", "'", "’")) and (is_cap(w) or noun_kind(w.text[:-1]) is not None or w.lower_.endswith("ens"))
                if w.is_punct or w.is_space or w.lower_ in PREPOSITIONS | CONJUNCTIONS | FINITE_COMMON or (self.has_pos and w.pos_ in ("VERB", "AUX", "ADP")):
                    break
                if not (w.lower_ in DETERMINERS or w.lower_ in unnamed_openers() or w.lower_.endswith("e") or w.like_num or genitive or is_cap(w)):
                    break
                left -= 1
            # an adjective must follow a determiner; a bare "-e" word at the left edge is a verb ("viste en mor")
            while left < t.i and not (doc[left].lower_ in DETERMINERS or doc[left].lower_ in unnamed_openers() or doc[left].like_num or is_cap(doc[left])):
                if doc[left].text.endswith(("s", "'", "’")):
                    break
                left += 1
            if left < t.i and doc[left].lower_ in ("sin", "sit", "sine"):
                continue  # a reflexive possessive is bound to the clause's subject, never a new referent
            while left < t.i and is_cap(doc[left]) and _sentence_initial(doc[left]) and doc[left].lower_ in ADVERBS | CONJUNCTIONS | PREPOSITIONS:
                left += 1
            plural = self._plural(t, kind[0])
            found.append(Description(doc[left : t.i + 1].text, doc[left].idx, t.i, kind[1], plural, NOUN_GENDER.get(kind[0])))
        return found

    def _plural(self, token: Token, stem: str) -> bool:
        number = token.morph.to_dict().get("Number") if self.has_pos else None
        if number:
            return number == "Plur"
        rest = token.lower_[token.lower_.rfind(stem) + len(stem) :] if stem in token.lower_ else ""
        return rest in ("er", "erne", "ene", "ne", "r", "rne") and not stem.endswith("er")

    def _base_form(self, span: Span) -> str:
        """A name without its genitive ending: "Erik Ninn-Hansens forklaring" → "Erik Ninn-Hansen"."""
        text = span.text
        if text.endswith(("'", "’")):
            return text[:-1]
        nxt = self.doc[span.end] if span.end < len(self.doc) else None
        last = span[-1].text
        if (
            nxt is not None
            and nxt.is_alpha
            and not is_cap(nxt)
            and nxt.lower_ not in CONJUNCTIONS | PREPOSITIONS | ADVERBS | FINITE_COMMON
            and last.endswith("s")
            and not last.endswith("ss")
            and len(last) > 3
            and last not in first_names()
            and (not self.has_pos or nxt.pos_ in ("NOUN", "ADJ"))
        ):
            return text[:-1]
        return text

    def _name_kind(self, text: str, default: SpeakerType) -> SpeakerType:
        if text in outlets():
            return "outlet"
        words = text.split()
        lower = text.lower()
        if any(lower.endswith(w) for w in ORG_NAME_WORDS):
            return "organisation"
        for word in words:
            found = noun_kind(word)
            if found and found[1] == "organisation":
                return "organisation"
        if words[0] in first_names() and len(words) >= 2:
            return "person"
        if default != "unknown":
            return default
        if 2 <= len(words) <= 4 and all(w[0].isupper() for w in words if w not in ("von", "van", "de", "la")):
            return "person"
        return "unknown"

    def _roles(self) -> list[RoleLink]:
        """Role words introducing a person name: "byrådsmedlem Mette Kjærgaard", "borgmester, Karin Sejer"."""
        doc, links = self.doc, []
        by_start = {n.start: n for n in self.names}
        for token in doc:
            name = by_start.get(token.idx)
            if name is None or name.kind not in ("person", "unknown"):
                continue
            k = token.i - 1
            # skip an apposition comma and an age description: "målmand, den 22-årige Oscar Winther"
            while k >= 0 and (doc[k].text == "," or doc[k].lower_ in ("den", "det") or re.fullmatch(r"\d+-årige", doc[k].lower_)):
                k -= 1
            for back in range(k, max(-1, k - 6), -1):
                word = doc[back]
                if word.is_punct or word.lower_ in CONJUNCTIONS:
                    break
                found = noun_kind(word.text)
                if found and found[1] in ("role", "anon"):
                    links.append(RoleLink(word.lower_, name.text, token.idx))
                    break
                if word.lower_ not in PREPOSITIONS and not is_cap(word) and back < k - 2:
                    break
        return links

    def group_at(self, i: int) -> tuple[str, int] | None:
        """Coordinated person names starting at token ``i`` ("B. Lau, H. Sumiyoshi og R. Lin"): (text, end token)."""
        doc, members, k = self.doc, [], i
        while k < len(doc):
            end = self.cap_run_end(k)
            if end <= k or _outlet_at(doc, k) or (noun_kind(doc[k].text) or ("", ""))[1] in ("role", "anon", "organisation"):
                break
            members.append((k, end))
            if end < len(doc) and doc[end].text == "," and end + 1 < len(doc) and is_cap(doc[end + 1]):
                k = end + 1
            elif end + 1 < len(doc) and doc[end].lower_ in ("og", "samt", "&") and (is_cap(doc[end + 1]) or self._title_before_name(end + 1)):
                k = end + 1 if is_cap(doc[end + 1]) else end + 2  # "Karen Siune og lektor Lars Bille"
                end2 = self.cap_run_end(k)
                if end2 > k and not _outlet_at(doc, k):
                    members.append((k, end2))
                    end = end2
                break
            else:
                break
        if len(members) < 2 or doc[members[-2][1]].lower_ not in ("og", "samt", "&"):
            return None
        personal = 0
        for a, b in members:
            ent = self.ent_of.get(a)
            if ent is not None and ent.label_ != "PER":
                return None
            initial = b - a >= 2 and len(doc[a].text) <= 3 and doc[a].text.endswith(".")  # "B. Lau"
            if (ent is not None and ent.label_ == "PER") or doc[a].text in first_names() or initial:
                personal += 1
        if personal < len(members) - 1:
            return None
        last = members[-1][1]
        return doc[i:last].text, last

    def _title_before_name(self, i: int) -> bool:
        return i + 1 < len(self.doc) and not is_cap(self.doc[i]) and (noun_kind(self.doc[i].text) or ("", ""))[1] == "role" and is_cap(self.doc[i + 1])

    def cap_run_end(self, i: int) -> int:
        """End of a run of capitalised words (a name) starting at ``i``; ``i`` if none."""
        doc, j = self.doc, i
        while j < len(doc):
            t = doc[j]
            if (
                (is_cap(t) and t.is_alpha)
                or (j > i and is_cap(t) and t.text.endswith(("'", "’")) and t.text[:-1].isalpha())  # genitive "Lentz'"
                or (j > i and t.text in ("A/S", "ApS"))
                or (is_cap(t) and "-" in t.text)
                or (is_cap(t) and t.text.endswith(".") and len(t.text) <= 3)
            ):
                j += 1
            elif j > i and t.text == "-" and j + 1 < len(doc) and is_cap(doc[j + 1]):
                j += 2
            elif j > i and t.text.isdigit() and len(t.text) <= 2 and doc[j - 1].text in ("TV", "P", "3F"):
                j += 1
            else:
                break
        return j

    # ----- mentions --------------------------------------------------------------------------------
    def _np_stop(self, token: Token) -> bool:
        low = token.lower_
        if token.is_punct or token.is_space or low in PREPOSITIONS or low in CONJUNCTIONS or low in FINITE_COMMON or low in speech_verbs():
            return True
        if low in ADVERBS and low not in ("selv",):
            return True
        return self.has_pos and token.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "CCONJ") and not is_cap(token)

    def np_forward(self, i: int, end: int) -> Span | None:
        """The noun phrase starting at token ``i`` (subject after an inverted verb, complement of ifølge)."""
        doc = self.doc
        if i >= end:
            return None
        first = doc[i]
        low = first.lower_
        determiner_use = low in ("den", "de") and i + 1 < end and not self._np_stop(doc[i + 1])
        if (low in SUBJECT_PRONOUNS or low in ("hende", "ham", "dem")) and not determiner_use:
            return doc[i : i + 1]
        outlet = _outlet_at(doc, i)
        if outlet and outlet[1] <= end:
            return doc[i : outlet[1]]
        j = i
        if low in DETERMINERS or low in unnamed_openers() or first.like_num or re.fullmatch(r"\d+-årige?", low):
            j += 1
            while j < end and j - i <= 6 and (not self._np_stop(doc[j]) or self._age_piece(j)) and not is_cap(doc[j]) and doc[j].lower_ not in DETERMINERS:
                j += 1
        elif not is_cap(first):
            if self._np_stop(first):
                return None
            if "." in first.text.strip("."):
                # an abbreviated title: "dr.scient.pol. Karen Siune"
                j += 1
                while j < end and doc[j].text == ".":
                    j += 1
            elif noun_kind(first.text) or (self.has_pos and first.pos_ == "NOUN"):
                # without a determiner only a source noun can head the phrase ("kilden", "selskabet"):
                # other bare words after a verb are adverbs or objects ("forleden", "meldingen")
                j += 1
                if first.lower_.endswith("s") and j < end and not is_cap(doc[j]) and (noun_kind(doc[j].text) or (self.has_pos and doc[j].pos_ == "NOUN")):
                    j += 1  # a genitive before its head: "ministeriets presseafdeling"
            else:
                return None
        # a role/title word followed by the name: "byrådsmedlem Mette Kjærgaard", "projektleder og professor X"
        if j < end and j > i and doc[j].lower_ == "og" and j + 1 < end and not is_cap(doc[j + 1]) and noun_kind(doc[j + 1].text):
            j += 2
        run = self.cap_run_end(j)
        if run > j and run <= end:
            coordinated = self.group_at(j)
            j = coordinated[1] if coordinated is not None and coordinated[1] <= end else run
            # genitive name + role noun: "Lejre Kommunes borgmester"
            if doc[j - 1].text.endswith("s") and j < end and not self._np_stop(doc[j]) and not is_cap(doc[j]) and noun_kind(doc[j].text):
                j += 1
        if j == i:
            return None
        # anonymous descriptions keep a short modifier phrase: "en kilde tæt på efterforskningen"
        if low in unnamed_openers() and j + 2 < end and doc[j].lower_ in ("tæt", "nær") and doc[j + 1].lower_ in ("på", "ved"):
            k = j + 2
            while k < end and not self._np_stop(doc[k]) and k - j < 5:
                k += 1
            j = k
        elif low in unnamed_openers() and j + 1 < end and doc[j].lower_ in ("fra", "i", "ved", "hos") and j - i <= 4:
            modifier = self.np_forward(j + 1, end)
            if modifier is not None and modifier.end - j <= 5:
                j = modifier.end
        return doc[i:j]

    def _age_piece(self, j: int) -> bool:
        """Part of an age written as "29-årige" split by the tokenizer."""
        doc = self.doc
        return doc[j].text == "-" and 0 < j < len(doc) - 1 and doc[j - 1].like_num and doc[j + 1].lower_.startswith("åri")

    def appositive_name(self, np: Span, end: int) -> Span | None:
        """A name in apposition after a description: "formanden for X, Bent Rosager," → "Bent Rosager"."""
        doc, k = self.doc, np.end
        limit = min(end, np.end + 12)
        while k < limit and doc[k].text != ",":
            if doc[k].is_punct and doc[k].text not in ("-", "/"):
                return None
            k += 1
        if k >= limit or doc[k].text != ",":
            return None
        k += 1
        while k < end and (
            doc[k].lower_ in ("den", "det") or re.fullmatch(r"\d+-årige?", doc[k].lower_) or (not is_cap(doc[k]) and "." in doc[k].text) or doc[k].text == "."
        ):
            k += 1  # "den 22-årige", "dr.phil." before the name
        if k + 1 < end and doc[k].is_alpha and not is_cap(doc[k]) and doc[k].lower_.endswith("e") and is_cap(doc[k + 1]):
            k += 1  # an adjective before the name: "danske Nordvind Energy"
        run = self.cap_run_end(k)
        if run - k >= 2 or (run - k == 1 and self.ent_of.get(k) is not None):
            return doc[k:run]
        return None

    def np_backward(self, verb: int, start: int) -> Span | None:
        """The subject before ``verb`` in the clause that starts at or after ``start``."""
        doc = self.doc
        k = verb - 1
        # skip adverbs and an auxiliary between subject and verb: "Hun har også sagt"
        while k >= start and (doc[k].lower_ in ADVERBS or doc[k].lower_ in ("har", "havde", "vil", "ville", "kan", "kunne", "skal", "skulle")):
            k -= 1
        # a parenthesis such as a party letter "(S)"
        if k >= start and doc[k].text == ")":
            while k >= start and doc[k].text != "(":
                k -= 1
            k -= 1
        # an apposition "Lejre Kommunes borgmester, Karin Sejer (K), afviser": the name before the comma
        if k >= start and doc[k].text == ",":
            k -= 1
            if k >= start and doc[k].text == ")":
                while k >= start and doc[k].text != "(":
                    k -= 1
                k -= 1
        end = k + 1
        # walk back to the clause start
        b = end - 1
        while b >= start:
            t = doc[b]
            if (
                t.text in (",", ":", ";", "–", "—")
                or t.text in OPENING_PUNCT
                or t.is_space
                or t.lower_ in ("at", "og", "men", "der", "som", "fordi", "når", "hvis", "da", "mens", "hvad", "hvem", "hvor", "hvorfor", "hvordan")
            ):
                break
            b -= 1
        seg_start = b + 1
        if seg_start >= end:
            # relative clause "…, der tilføjer": the antecedent is before the comma
            if b >= start and doc[b].lower_ in ("der", "som") and b - 1 >= start and doc[b - 1].text == ",":
                return self.np_backward(b, start) if b > start else None
            return None
        while seg_start < end and doc[seg_start].lower_ in ("og", "men", "eller", "så", "også", "både"):
            seg_start += 1
        if seg_start >= end:
            return None
        seg = doc[seg_start:end]
        opener = doc[seg_start]
        verb_first = opener.lower_ in FINITE_COMMON or (self.has_pos and opener.pos_ in ("VERB", "AUX"))
        if not self.has_pos and opener.lower_ not in DETERMINERS | unnamed_openers() and end - seg_start >= 2:
            verb_first = verb_first or doc[seg_start + 1].lower_ in PERSON_PRONOUNS | {"de", "vi", "jeg"}
        if end - seg_start >= 2 and not is_cap(opener) and verb_first:
            # an inverted clause "…, tøver han ikke med svaret": the subject follows the finite verb
            return self.np_forward(seg_start + 1, end)
        # "Administrerende direktør Camilla Hjort": the last name in the segment, cut a trailing PP "fra X"
        for m in range(seg_start, end):
            if doc[m].lower_ in PREPOSITIONS and m > seg_start:
                before = doc[seg_start:m]
                if any(is_cap(t) and not _sentence_initial(t) for t in before) or (self.ent_of.get(seg_start) is not None):
                    return before
                if doc[seg_start].lower_ not in unnamed_openers():
                    # "Flere forældre skriver i gruppen" never reaches here; "Overlæge X fra Y" did above
                    return before
                break
        # drop a leading adverbial ("I dag") only when a pronoun or name follows it
        return seg

    def controller(self, verb: Token) -> Span | None:
        """The object that controls an infinitive cue: "fik Frank Olsen til at bebude", "citerer en kilde for at sige"."""
        if not self.has_dep or not any(c.lower_ == "at" and c.i < verb.i for c in verb.children) or verb.head is verb:
            return None
        if verb.dep_ not in ("xcomp", "advcl", "obl", "ccomp"):
            return None
        for child in verb.head.children:
            # the object between the two verbs (a parser may label it a second subject)
            if child.dep_ in ("obj", "iobj", "nsubj") and verb.head.i < child.i < verb.i and child.pos_ in ("NOUN", "PROPN"):
                left = child.left_edge.i
                keep = ("flat", "flat:name", "amod", "nmod", "case", "det", "compound")
                right = max([child.i + 1] + [t.i + 1 for t in child.subtree if t.dep_ in keep and t.i < verb.i])
                return self.doc[left:right]
        return None

    def subject_from_parse(self, verb: Token) -> Span | None:
        """The cue's ``nsubj`` from the dependency parse, trimmed to the noun phrase."""
        if not self.has_dep:
            return None
        head = verb
        # a coordinated verb shares the first verb's subject: "da hun fremholder … og beretter, at"
        while head.dep_ == "conj" and head.head.i < head.i and not any(c.dep_ in ("nsubj", "nsubj:pass") for c in head.children):
            head = head.head
        # "har sagt": the subject hangs on the participle or the auxiliary; an abbreviated title tagged as a
        # second subject ("dr.scient.pol. Karen Siune") comes after the name
        for child in sorted(head.children, key=lambda c: c.pos_ == "X" or "." in c.text):
            if child.dep_ in ("nsubj", "nsubj:pass") and child.sent == verb.sent and child.lower_ not in ("det", "der") and child.lower_ not in ADVERBS:
                for appos in child.children:
                    if appos.dep_ != "appos":
                        continue
                    # "Hans forsvarer, advokat Tine Mørch, siger", "Energiselskabet, danske Nordvind Energy,":
                    # the name in apposition
                    names = [t for t in appos.subtree if t.pos_ == "PROPN" and is_cap(t)]
                    if names:
                        first = names[0].i
                        run = self.cap_run_end(first)
                        return self.doc[first : max(run, first + 1)]
                left = child.left_edge.i
                right = child.i + 1
                # an anonymous description keeps its modifier: "en kilde [i ministeriet]"
                keep = ("flat", "flat:name", "appos", "compound", "amod", "nmod:poss") + (
                    ("nmod", "case", "det") if self.doc[left].lower_ in unnamed_openers() else ()
                )
                for t in child.subtree:
                    if t.i > child.i and t.dep_ in keep and not t.is_punct:
                        right = max(right, t.i + 1)
                    if t.i > child.i and (t.dep_ in ("acl:relcl", "acl") or t.text == ","):
                        break
                np = self.doc[left:right]
                described = (noun_kind(np[-1].text) or ("", ""))[1] in ("role", "anon", "organisation") or np[-1].pos_ == "NOUN"
                if (not is_cap(np[-1]) or _sentence_initial(np[-1])) and described:
                    # "Sinn Feins officielle talsmand, Richard McCauley": the name in apposition
                    named = self.appositive_name(np, verb.sent.end)
                    if named is not None:
                        return named
                return np
        return None

    # ----- resolution ------------------------------------------------------------------------------
    def gender(self, name: str) -> str | None:
        first = name.split()[0]
        return first_names().get(first) or first_names().get(self.full_name(name).split()[0])

    def _visible(self, start: int, char: int) -> bool:
        """Whether a mention at ``start`` can be an antecedent for a pronoun at ``char``.

        Names inside quoted content are someone's words, not the narrator's introductions, so they are
        skipped, except inside the quote that also holds the pronoun (a speaker reporting what a third
        person said: »… sagde Lundbæk … Han har sagt …«).
        """
        return not any(s <= start < e and not (s <= char < e) for s, e in self.quoted)

    def person_before(self, char: int, pronoun: str | None = None) -> str | None:
        """The last person named before ``char`` outside quoted content (pronoun antecedent).

        With ``han``/``hun`` a person whose first name has the other gender is skipped.
        """
        want = {"han": "m", "ham": "m", "hun": "f", "hende": "f"}.get(pronoun or "")
        best = None
        for name in self.names:
            if name.start >= char:
                break
            if not self._visible(name.start, char):
                continue
            if name.kind == "person" or (name.kind == "unknown" and self._known_person_part(name.text)):
                gender = self.gender(name.text)
                if want and gender and gender != want:
                    continue
                best = self.full_name(name.text)
        return best

    def description_before(self, char: int, *, plural: bool, gender: str | None = None, kinds: tuple[str, ...] = ("role", "anon")) -> Description | None:
        """The last description of a source before ``char`` with this number (and gender, if known)."""
        best = None
        for d in self.descriptions:
            if d.start >= char:
                break
            if d.kind in kinds and d.plural == plural and self._visible(d.start, char) and not (gender and d.gender and d.gender != gender):
                best = d
        return best

    def plural_antecedent(self, char: int) -> tuple[str, SpeakerType] | None:
        """What "de" refers to: the last group of named people or plural description before ``char``.

        When nothing fits before (a text opening with »…,« råbte de), the first one after it in the
        same or the next paragraph (cataphora).
        """
        candidates: list[tuple[int, str, SpeakerType]] = [(start, text, "person") for text, start in self.groups]
        for d in self.descriptions:
            if d.plural:
                kind: SpeakerType = "organisation" if d.kind == "organisation" else "unnamed"
                candidates.append((d.start, d.text, kind))
        candidates.sort()
        before = [c for c in candidates if c[0] < char and self._visible(c[0], char)]
        if before:
            start, text, kind = before[-1]
            # "lægerne B. Lau, H. Sumiyoshi og R. Lin": a description introducing a group is the group
            group = next(((t, k) for s_, t, k in before if k == "person" and 0 < s_ - start <= len(text) + 2), None)
            return group or (text, kind)
        para_end = self._paragraph_end(char, extra=1)
        after = [c for c in candidates if char < c[0] < para_end and not any(s <= c[0] < e for s, e in self.quoted)]
        return (after[0][1], after[0][2]) if after else None

    def _paragraph_end(self, char: int, *, extra: int = 0) -> int:
        """Offset of the end of the paragraph holding ``char`` (or ``extra`` paragraphs later)."""
        text, pos = self.doc.text, char
        for _ in range(extra + 1):
            nxt = text.find("\n\n", pos)
            if nxt < 0:
                return len(text)
            pos = nxt + 2
        return pos

    def _known_person_part(self, text: str) -> bool:
        return any(n.kind == "person" and n.text != text and n.text.split()[-1] == text.split()[-1] for n in self.names)

    def full_name(self, text: str) -> str:
        """A surname or short form expanded to the longest person name ending in it."""
        words = text.split()
        best = text
        for name in self.names:
            parts = name.text.split()
            if name.kind == "person" and len(parts) > len(best.split()) and parts[-len(words) :] == words:
                best = name.text
        return best

    def org_for(self, stem: str, char: int, generic: bool) -> str | None:
        """The most specific organisation a description with head ``stem`` refers to."""
        named = [n for n in self.names if n.kind == "organisation" and stem in n.text.lower()]
        if named:
            return named[-1].text if all(n.start < char for n in named) else max(named, key=lambda n: len(n.text)).text
        described = self.described(stem)
        if described:
            return described
        if generic:
            before = [n for n in self.names if n.kind == "organisation" and n.start < char]
            if before:
                return before[-1].text
        return None

    def described(self, stem: str) -> str | None:
        """The longest modified description of ``stem`` in the article: "Den britiske efterretningstjeneste"."""
        doc, best = self.doc, None
        for token in doc:
            found = noun_kind(token.text)
            if not found or found[0] != stem:
                continue
            genitive = token.lower_.endswith("s") and not token.lower_.endswith("ss") and not token.lower_.endswith(stem)
            left = token.i
            while (
                left - 1 >= 0
                and not doc[left - 1].is_punct
                and (
                    doc[left - 1].lower_ in DETERMINERS
                    or (
                        doc[left - 1].lower_.endswith("e")
                        and not is_cap(doc[left - 1])
                        and doc[left - 1].lower_ not in PREPOSITIONS | CONJUNCTIONS | FINITE_COMMON
                    )
                )
            ):
                left -= 1
                if doc[left].lower_ in DETERMINERS:
                    break
            if left < token.i and doc[left].lower_ in DETERMINERS and left + 1 < token.i:
                text = doc[left : token.i + 1].text
                text = text[:-1] if genitive else text  # "det tyrkiske fjernsyns dækning" → "det tyrkiske fjernsyn"
                if best is None or len(text) > len(best):
                    best = text
        return best

    def introduced(self, token: Token) -> str | None:
        """Where a definite document noun was introduced: "meddelelsen" → "fondsbørsmeddelelse (fra X)"."""
        found = noun_kind(token.text)
        if not found:
            return None
        stem = found[0]
        for t in self.doc:
            if t.i >= token.i:
                break
            lower = t.lower_
            if (
                stem in lower
                and not is_definite(lower)
                and t.i > 0
                and self.doc[t.i - 1].lower_ in unnamed_openers() | {"ny", "nyt", "nye", "internt", "intern"}
            ):
                words = [t.text]
                if t.i + 2 < len(self.doc) and self.doc[t.i + 1].lower_ == "fra":
                    after = self.np_forward(t.i + 2, min(len(self.doc), t.i + 8))
                    if after is not None:
                        words.append("fra " + after.text)
                return " ".join(words)
        return None

    def _known_name(self, token: Token) -> bool:
        """A sentence-initial capitalised word that the article also uses as (part of) a name elsewhere."""
        if token.i in self.ent_of or _outlet_at(self.doc, token.i):
            return True
        return any(token.text in n.text.split() and n.start != token.idx for n in self.names)

    def role_name(self, stem: str, word: str, char: int) -> str | None:
        """The person introduced with a role matching this description ("ministeren" → "minister X")."""
        lower = word.lower()
        matches = []
        for link in self.roles:
            rk = noun_kind(link.role)
            if rk and (rk[0] == stem or link.role.startswith(lower[: max(4, len(lower) - 3)])):
                matches.append(link)
        if not matches:
            return None
        before = [m for m in matches if m.start < char]
        return self.full_name((before or matches)[-1 if before else 0].name)

    def epithet_person(self, char: int, stem: str) -> str | None:
        """The person a definite role description with no role link of its own refers to.

        The last person named before it (outside others' quotes), unless that person was introduced with
        a different role; when nobody is named before, the first person named in the same or the next
        paragraph (a description that the article resolves later, as in a lead).
        """
        linked = {self.full_name(link.name): noun_kind(link.role) for link in self.roles}

        def fits(name: Name) -> bool:
            if name.kind != "person":
                return False
            role = linked.get(self.full_name(name.text))
            return role is None or role[0] == stem

        before = [n for n in self.names if n.start < char and self._visible(n.start, char)]
        people = [n for n in before if n.kind == "person"]
        if people:
            return self.full_name(people[-1].text) if fits(people[-1]) else None
        limit = self._paragraph_end(char, extra=1)
        after = [n for n in self.names if char < n.start < limit and n.kind == "person" and not any(s <= n.start < e for s, e in self.quoted)]
        return self.full_name(after[0].text) if after and fits(after[0]) else None

    def outlet_before(self, char: int) -> str | None:
        before = [n for n in self.names if n.kind == "outlet" and n.start < char]
        return before[-1].text if before else None

    def resolve(self, mention: Span | None, *, fallback: Speaker | None = None) -> tuple[Speaker, float]:
        """A :class:`Speaker` for a mention, and how sure the resolution is (0–1)."""
        if mention is None:
            return Speaker(name=None, type="unknown"), 0.6
        doc = self.doc
        tokens = [t for t in mention if not t.is_space]
        # drop parentheses ("(S)") and a trailing comma
        cleaned: list[Token] = []
        depth = 0
        for t in tokens:
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth = max(0, depth - 1)
            elif depth == 0:
                cleaned.append(t)
        while cleaned and cleaned[-1].is_punct:
            cleaned.pop()
        while cleaned and cleaned[0].is_punct:
            cleaned.pop(0)
        if not cleaned:
            return Speaker(name=None, type="unknown"), 0.6
        span = doc[cleaned[0].i : cleaned[-1].i + 1]
        text = span.text

        def make(name: str | None, kind: SpeakerType) -> Speaker:
            return Speaker(name=name, type=kind, mention=text, mention_start=span.start_char, mention_end=span.end_char)

        low = cleaned[0].lower_
        if len(cleaned) == 1 and low in PERSON_PRONOUNS | {"hende", "ham"}:
            name = self.person_before(span.start_char, low)
            if name is None and fallback is not None and fallback.type in ("person", "unnamed") and fallback.name:
                return make(fallback.name, fallback.type), 0.8
            if name is None:
                # nobody named yet: the last person described ("en far, der græd … råbte han")
                gender = {"han": "m", "ham": "m", "hun": "f", "hende": "f"}[low]
                described = self.description_before(span.start_char, plural=False, gender=gender)
                if described is not None:
                    return make(described.text, "unnamed"), 0.6
            return make(name, "person"), 0.9 if name else 0.6
        if len(cleaned) == 1 and low in ("de", "dem"):
            plural = self.plural_antecedent(span.start_char)
            if plural is not None:
                return make(plural[0], plural[1]), 0.75
            if fallback is not None:
                return make(fallback.name, fallback.type), 0.6
            return make(None, "unknown"), 0.5
        if len(cleaned) == 1 and low == "den":
            # "den" stands for a thing of common gender: the last organisation named or described
            before = [n for n in self.names if n.kind == "organisation" and n.start < span.start_char and self._visible(n.start, span.start_char)]
            named_org = before[-1] if before else None
            if named_org is not None:
                return make(named_org.text, "organisation"), 0.7
            if fallback is not None:
                return make(fallback.name, fallback.type), 0.6
            return make(None, "unknown"), 0.5
        # an outlet by name
        outlet = _outlet_at(doc, cleaned[0].i)
        if outlet and outlet[1] >= cleaned[-1].i + 1:
            return make(outlet[0], "outlet"), 1.0
        # a person's name anywhere in the mention wins ("formanden for Ældre Sagen, Bent Rosager",
        # "Sinn Feins talsmand, Richard McCauley")
        for t in cleaned:
            ent = self.ent_of.get(t.i)
            inside = ent is not None and ent.start == t.i and ent.end <= cleaned[-1].i + 1
            if ent is not None and inside and ent.label_ == "PER" and self._name_kind(ent.text, "person") == "person":
                group = self.group_at(ent.start)
                if group is not None and group[1] <= cleaned[-1].i + 1:
                    return make(group[0], "person"), 0.9
                return make(self.full_name(self._base_form(ent)), "person"), 0.95
        for t in cleaned:
            if t.text in first_names() and self.cap_run_end(t.i) - t.i >= 2:
                run = doc[t.i : min(self.cap_run_end(t.i), cleaned[-1].i + 1)]
                group = self.group_at(t.i)
                if group is not None and group[1] <= cleaned[-1].i + 1:
                    return make(group[0], "person"), 0.9
                if len(run) >= 2:
                    name = run.text.removesuffix("s") if run.end <= cleaned[-1].i else run.text
                    return make(self.full_name(name.removesuffix("'").removesuffix("’")), "person"), 0.95
        # a name: NER entity or a run of capitalised words (not just a sentence-initial common noun)
        # a place or organisation after a preposition modifies a described source: "en kilde i Bonn"
        modifier_from = next(
            (n for n, t in enumerate(cleaned) if n > 0 and t.lower_ in PREPOSITIONS and any(noun_kind(x.text) for x in cleaned[:n])), len(cleaned)
        )
        for k, t in enumerate(cleaned):
            run_end = self.cap_run_end(t.i)
            if run_end <= t.i or k > modifier_from:
                continue
            run = doc[t.i : min(run_end, cleaned[-1].i + 1)]
            initial_noun = (
                _sentence_initial(t) and run_end - t.i == 1 and (t.lower_ in unnamed_openers() or t.lower_ in DETERMINERS or noun_kind(t.text) is not None)
            )
            if initial_noun or t.lower_ in DETERMINERS:
                continue
            # a capitalised first word followed by more words is an adjective or title ("Administrerende
            # direktør X"), unless nothing else in the mention could be the name
            if _sentence_initial(t) and run_end - t.i == 1 and k + 1 < len(cleaned) and not self._known_name(t):
                continue
            name_text = run.text.removesuffix("'s").removesuffix("’s").removesuffix("'").removesuffix("’")
            if run.text.endswith("s") and k + (run_end - t.i) < len(cleaned) and name_text not in outlets():
                # genitive "Lejre Kommunes borgmester": the speaker is the role holder, not the organisation
                rest = cleaned[k + (run_end - t.i) :]
                if rest and noun_kind(rest[0].text) and noun_kind(rest[0].text)[1] in ("role", "anon"):  # type: ignore[index]
                    stem = noun_kind(rest[0].text)[0]  # type: ignore[index]
                    person = self.role_name(stem, rest[0].text, span.start_char)
                    return make(person or text, "person" if person else "unnamed"), 0.85
            group = self.group_at(t.i)
            if group is not None and group[1] <= cleaned[-1].i + 1:
                return make(group[0], "person"), 0.9
            kind = self._kind_of(name_text, t.i)
            if kind == "person" or kind == "unknown":
                full = self.full_name(name_text)
                return make(full, "person"), 0.95 if kind == "person" else 0.85
            if kind == "outlet":
                return make(name_text, "outlet"), 1.0
            return make(name_text, kind), 0.95
        # a description: find its head noun (the last source noun in it)
        head = None
        # the head noun comes before any prepositional modifier: "en kilde [i ministeriet]"
        cut = next((n for n, t in enumerate(cleaned) if n > 0 and t.lower_ in PREPOSITIONS), len(cleaned))
        for t in reversed(cleaned[:cut]):
            found = noun_kind(t.text)
            if found:
                head = (t, found)
                break
        unnamed = low in unnamed_openers()
        if any(t.lower_.endswith("-årige") or t.lower_ == "årige" for t in cleaned) and not unnamed:
            # "den 23-årige (dansker)": the person the article just introduced
            person = self.person_before(span.start_char)
            if person:
                return make(person, "person"), 0.8
        if head is None:
            return make(text, "unnamed" if unnamed else "unknown"), 0.6
        token, (stem, kind_word) = head
        genitive = token.lower_.endswith("s") and token.i < cleaned[-1].i
        if genitive and kind_word != "document" and noun_kind(cleaned[-1].text) is None:
            # "politiets oplysninger": the owner of what is reported is the source
            return self.resolve(doc[cleaned[0].i : token.i + 1], fallback=fallback)
        if kind_word == "document" and not genitive:
            # "efterretningstjenestens opdatering": the organisation stands behind the document
            owner = [t for t in cleaned if t.i < token.i and t.lower_.endswith("s") and noun_kind(t.text)]
            if owner:
                return self.resolve(doc[owner[0].i : owner[0].i + 1], fallback=fallback)
            if not unnamed:
                specific = self.introduced(token)
                if specific:
                    return make(specific, "document"), 0.85
            return make(text, "document"), 0.85
        if kind_word == "organisation":
            if unnamed:
                return make(text, "organisation"), 0.8
            org = self.org_for(stem, span.start_char, stem in GENERIC_ORG)
            return make(org or _strip_genitive(text, token), "organisation"), 0.9 if org else 0.8
        if kind_word == "outlet":
            name = self.outlet_before(span.start_char) or (self.described(stem) if not unnamed else None)
            return make(name or text, "outlet"), 0.85 if name else 0.6
        # "hans advokat", "ministeriets chef": someone else's role, not an epithet for a person named before
        owned = any(t.i < token.i and (t.lower_ in POSSESSIVES or t.text.endswith(("s", "'", "’"))) for t in cleaned if t.lower_ not in ("den", "det", "denne"))
        definite = is_definite(token.text) or low in ("den", "det", "denne")
        if kind_word == "role" and not unnamed and definite:
            person = self.role_name(stem, token.text, span.start_char)
            if person:
                return make(person, "person"), 0.85
            if not owned:
                # an epithet ("den sympatiske studievært", "departementschefen") for the person the article is about
                person = self.epithet_person(span.start_char, stem)
                if person:
                    return make(person, "person"), 0.7
        same_source = fallback is not None and fallback.type == "unnamed" and bool(fallback.name) and fallback.name.split()[-1].lower().endswith(stem)  # type: ignore[union-attr]
        if kind_word in ("role", "anon") and not unnamed and is_definite(token.text) and same_source and fallback is not None:
            # "kilden" after "en branchekilde": the same anonymous source
            return make(fallback.name, "unnamed"), 0.85
        return make(_strip_genitive(text, token), "unnamed"), 0.75

    def _kind_of(self, text: str, i: int) -> SpeakerType:
        ent = self.ent_of.get(i)
        if ent is not None and ent.label_ in ("PER", "ORG"):
            return self._name_kind(text, "person" if ent.label_ == "PER" else "organisation")
        for name in self.names:
            if (name.text == text or name.text.endswith(" " + text)) and name.kind != "unknown":
                return name.kind
        return self._name_kind(text, "unknown")
