"""Speaker mentions and their resolution to the most specific name in the article.

A quote's attribution points at its speaker with a *mention*: a name ("Mette Kjærgaard"), a pronoun
("hun"), a description ("efterretningstjenesten", "en kilde tæt på sagen") or a genitive
("efterretningstjenestens opdatering"). :class:`Resolver` finds the mention's words around a cue (from the
dependency parse when there is one, from word shapes and the lexicons otherwise) and resolves it:

* a surname to the full name given elsewhere in the article ("Hauth" → "Lars Hauth");
* ``han``/``hun`` to the last person named before it;
* a role ("borgmesteren", "ministeren") to the person introduced with that role ("borgmester Karin Sejer");
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


@cache
def noun_kind(word: str) -> tuple[str, str] | None:
    """(stem, kind) of the source noun this word inflects or ends a compound with, if any."""
    lower = word.lower().strip("'’")
    for stem, kind in source_nouns():
        at = lower.rfind(stem)
        # the stem must end the word (bar an inflection ending) and be the whole word or a compound head
        rest = lower[at + len(stem) :]
        # a doubled final consonant before the ending is regular: "oplæg" → "oplægget", "ret" → "retten"
        doubled = bool(rest) and rest[0] == stem[-1] and rest[1:] in NOUN_ENDINGS and rest[1:] != ""
        if at >= 0 and (rest in NOUN_ENDINGS or doubled) and (at == 0 or at >= 3 or lower[at - 1] == "-"):
            return stem, kind
    return None


def _strip_genitive(text: str, head: Token) -> str:
    """ "politiets" → "politiet" when the mention ends in its genitive head."""
    if text.endswith(head.text) and head.text.endswith("s") and noun_kind(head.text[:-1]):
        return text[:-1]
    return text


def is_definite(word: str) -> bool:
    lower = word.lower()
    return lower.endswith(("en", "et", "ne", "ens", "ets", "nes"))


def _outlet_at(doc: Doc, i: int) -> tuple[str, int] | None:
    """The longest outlet name starting at token ``i``: (name, end token)."""
    best = None
    for name in outlets():
        words = name.split()
        end = i + len(words)
        if end <= len(doc) and [t.text for t in doc[i:end]] == words:
            if best is None or end > best[1]:
                best = (name, end)
        elif len(words) == 1 and doc[i].text.rstrip("s") == name and doc[i].text.endswith("s") and len(doc[i].text) > 2:
            best = best or (name, i + 1)  # genitive "Reuters'" / "Ritzaus"
    return best


@dataclass(frozen=True, slots=True)
class Name:
    """A capitalised name in the text, typed."""

    text: str
    start: int
    end: int
    kind: SpeakerType  # person | organisation | outlet | unknown


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
        self.ents = {(e.start, e.end): e.label_ for e in doc.ents}
        self.ent_of = {t.i: e for e in doc.ents for t in e}
        self.names = self._names()
        self.roles = self._roles()
        self.quoted: list[tuple[int, int]] = []  # quote contents, set by the extractor: no antecedents there

    # ----- index -----------------------------------------------------------------------------------
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
                names.append(Name(ent.text, ent.start_char, ent.end_char, self._name_kind(ent.text, kind)))
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

    def cap_run_end(self, i: int) -> int:
        """End of a run of capitalised words (a name) starting at ``i``; ``i`` if none."""
        doc, j = self.doc, i
        while j < len(doc):
            t = doc[j]
            if (
                (is_cap(t) and t.is_alpha)
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
            else:
                return None
        # a role/title word followed by the name: "byrådsmedlem Mette Kjærgaard", "projektleder og professor X"
        if j < end and j > i and doc[j].lower_ == "og" and j + 1 < end and not is_cap(doc[j + 1]) and noun_kind(doc[j + 1].text):
            j += 2
        run = self.cap_run_end(j)
        if run > j and run <= end:
            j = run
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
            k = self.np_forward(j + 1, end)
            if k is not None and k.end - j <= 5:
                j = k.end
        return doc[i:j]

    def _age_piece(self, j: int) -> bool:
        """Part of an age written as "29-årige" split by the tokenizer."""
        doc = self.doc
        return doc[j].text == "-" and 0 < j < len(doc) - 1 and doc[j - 1].like_num and doc[j + 1].lower_.startswith("åri")

    def appositive_name(self, np: Span, end: int) -> Span | None:
        """A name in apposition after a description: "formanden for X, Bent Rosager," → "Bent Rosager"."""
        doc, k = self.doc, np.end
        limit = min(end, np.end + 8)
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

    def subject_from_parse(self, verb: Token) -> Span | None:
        """The cue's ``nsubj`` from the dependency parse, trimmed to the noun phrase."""
        if not self.has_dep:
            return None
        head = verb
        # "har sagt": the subject hangs on the participle or the auxiliary
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubj:pass") and child.sent == verb.sent and child.lower_ not in ("det", "der"):
                for appos in child.children:
                    if appos.dep_ == "appos" and appos.pos_ == "PROPN":
                        # "Hans forsvarer, advokat Tine Mørch, siger": the name in apposition
                        run = self.cap_run_end(appos.i)
                        return self.doc[appos.i : max(run, appos.i + 1)]
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
                return self.doc[left:right]
        return None

    # ----- resolution ------------------------------------------------------------------------------
    def gender(self, name: str) -> str | None:
        first = name.split()[0]
        return first_names().get(first) or first_names().get(self.full_name(name).split()[0])

    def person_before(self, char: int, pronoun: str | None = None) -> str | None:
        """The last person named before ``char`` outside quoted content (pronoun antecedent).

        With ``han``/``hun`` a person whose first name has the other gender is skipped.
        """
        want = {"han": "m", "ham": "m", "hun": "f", "hende": "f"}.get(pronoun or "")
        best = None
        for name in self.names:
            if name.start >= char:
                break
            if any(s <= name.start < e for s, e in self.quoted):
                continue
            if name.kind == "person" or (name.kind == "unknown" and self._known_person_part(name.text)):
                gender = self.gender(name.text)
                if want and gender and gender != want:
                    continue
                best = self.full_name(name.text)
        return best

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
            if not found or found[0] != stem or (token.lower_.endswith("s") and not token.lower_.endswith("ss")):
                continue
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
        base = {"mention": text, "mention_start": span.start_char, "mention_end": span.end_char}
        low = cleaned[0].lower_
        if len(cleaned) == 1 and low in PERSON_PRONOUNS | {"hende", "ham"}:
            name = self.person_before(span.start_char, low)
            if name is None and fallback is not None and fallback.type in ("person", "unnamed"):
                return Speaker(name=fallback.name, type=fallback.type, **base), 0.8
            return Speaker(name=name, type="person", **base), 0.9 if name else 0.6
        if len(cleaned) == 1 and low in ("de", "den", "dem"):
            if fallback is not None:
                return Speaker(name=fallback.name, type=fallback.type, **base), 0.7
            return Speaker(name=None, type="unknown", **base), 0.5
        # an outlet by name
        outlet = _outlet_at(doc, cleaned[0].i)
        if outlet and outlet[1] >= cleaned[-1].i + 1:
            return Speaker(name=outlet[0], type="outlet", **base), 1.0
        # a person's name anywhere in the mention wins ("formanden for Ældre Sagen, Bent Rosager")
        for t in cleaned:
            if t.text in first_names() and self.cap_run_end(t.i) - t.i >= 2:
                run = doc[t.i : min(self.cap_run_end(t.i), cleaned[-1].i + 1)]
                if len(run) >= 2:
                    return Speaker(name=self.full_name(run.text.removesuffix("s") if run.end <= cleaned[-1].i else run.text), type="person", **base), 0.95
        # a name: NER entity or a run of capitalised words (not just a sentence-initial common noun)
        for k, t in enumerate(cleaned):
            run_end = self.cap_run_end(t.i)
            if run_end <= t.i:
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
            name_text = run.text.removesuffix("'s").removesuffix("’s")
            if run.text.endswith("s") and k + (run_end - t.i) < len(cleaned) and name_text not in outlets():
                # genitive "Lejre Kommunes borgmester": the speaker is the role holder, not the organisation
                rest = cleaned[k + (run_end - t.i) :]
                if rest and noun_kind(rest[0].text) and noun_kind(rest[0].text)[1] in ("role", "anon"):  # type: ignore[index]
                    stem = noun_kind(rest[0].text)[0]  # type: ignore[index]
                    person = self.role_name(stem, rest[0].text, span.start_char)
                    return Speaker(name=person or text, type="person" if person else "unnamed", **base), 0.85
            kind = self._kind_of(name_text, t.i)
            if kind == "person" or kind == "unknown":
                full = self.full_name(name_text)
                return Speaker(name=full, type="person", **base), 0.95 if kind == "person" else 0.85
            if kind == "outlet":
                return Speaker(name=name_text, type="outlet", **base), 1.0
            return Speaker(name=name_text, type=kind, **base), 0.95
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
                return Speaker(name=person, type="person", **base), 0.8
        if head is None:
            kind: SpeakerType = "unnamed" if unnamed else "unknown"
            return Speaker(name=text, type=kind, **base), 0.6
        token, (stem, kind_word) = head
        genitive = token.lower_.endswith("s") and token.i < cleaned[-1].i
        if kind_word == "document" and not genitive:
            # "efterretningstjenestens opdatering": the organisation stands behind the document
            owner = [t for t in cleaned if t.i < token.i and t.lower_.endswith("s") and noun_kind(t.text)]
            if owner:
                return self.resolve(doc[owner[0].i : owner[0].i + 1], fallback=fallback)
            if not unnamed:
                specific = self.introduced(token)
                if specific:
                    return Speaker(name=specific, type="document", **base), 0.85
            return Speaker(name=text, type="document", **base), 0.85
        if kind_word == "organisation":
            if unnamed:
                return Speaker(name=text, type="organisation", **base), 0.8
            org = self.org_for(stem, span.start_char, stem in GENERIC_ORG)
            return Speaker(name=org or _strip_genitive(text, token), type="organisation", **base), 0.9 if org else 0.8
        if kind_word == "outlet":
            name = self.outlet_before(span.start_char)
            return Speaker(name=name or text, type="outlet", **base), 0.85 if name else 0.6
        if kind_word == "role" and not unnamed and is_definite(token.text):
            person = self.role_name(stem, token.text, span.start_char)
            if person:
                return Speaker(name=person, type="person", **base), 0.85
        same_source = fallback is not None and fallback.type == "unnamed" and bool(fallback.name) and fallback.name.split()[-1].lower().endswith(stem)  # type: ignore[union-attr]
        if kind_word in ("role", "anon") and not unnamed and is_definite(token.text) and same_source and fallback is not None:
            # "kilden" after "en branchekilde": the same anonymous source
            return Speaker(name=fallback.name, type="unnamed", **base), 0.85
        return Speaker(name=_strip_genitive(text, token), type="unnamed", **base), 0.75

    def _kind_of(self, text: str, i: int) -> SpeakerType:
        ent = self.ent_of.get(i)
        if ent is not None and ent.label_ in ("PER", "ORG"):
            return self._name_kind(text, "person" if ent.label_ == "PER" else "organisation")
        for name in self.names:
            if (name.text == text or name.text.endswith(" " + text)) and name.kind != "unknown":
                return name.kind
        return self._name_kind(text, "unknown")
