"""Events: who did what to whom, where and when, from trigger words and the dependency parse.

Triggers come from ``data/event_triggers.tsv`` (Danish verbs and event nouns → Kilde/PLOVER type and ACLED
subtype, some only with a context word nearby: ``trække … tilbage``). Nouns are also found as the head of a
compound (``artilleri|beskydning``, ``Kina-|kampen``). The parse gives the arguments: the subject (or the
``af``-agent of a passive) is the actor, the object (or the passive subject) the target; for an event noun,
its possessor (``Ruslands overfald``) or nationality adjective (``russisk artilleribeskydning``), else the
subject of the verb that governs it. The place is a place mention linked by a locative preposition (or
``byen``/``området`` pointing back to the last city or region named), the time the closest non-vague time
expression in the sentence. An event whose sentence names no place happened in the article's setting when one
place dominates the article (``_dominant_place``), unless it is a speech act. Modality: a trigger inside a quote
or under a reporting verb (``Reuters skriver, at …``, ``ifølge …``) is *reported* and attributed;
``skal``/``vil`` or a future time make it *planned*; ``hvis``/``kan`` *hypothetical*; ``ikke``/``aldrig``
negate (a negated report is *denied*).

What a threat, demand or refusal is about (``truede med at henrette``) is not an event of its own.

A definite event noun (``tilbagetrækningen``) that repeats a type already found refers back to that event and
adds none. Without a dependency parse (the rule pipeline) there are no events.

Type names follow ``docs/EVENTS.md`` (typology v2): shelling, missile, air and drone strikes are ``ASSAULT`` as in
PLOVER 2021, with the ACLED subtype saying which; ``FIGHT`` is kept for armed clashes between organised armed groups.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, Protocol

from spacy.tokens import Doc, Span, Token

from kilde.errors import ModelError
from kilde.extract.gazetteer import gazetteer
from kilde.records import Event, Place, Quantity, Quote, TimeExpression
from kilde.records import Span as RecordSpan

__all__ = [
    "DROPPED_FILE",
    "GATE_FILE",
    "LEXICON_FILES",
    "Candidate",
    "Gate",
    "LinearGate",
    "dropped_rows",
    "events",
    "gate_features",
    "lexicon_from_rows",
    "lexicon_rows",
    "shipped_gate",
]

_REPORTING = frozenset(
    [
        "sige",
        "skrive",
        "oplyse",
        "fortælle",
        "melde",
        "rapportere",
        "bekræfte",
        "hævde",
        "meddele",
        "erklære",
        "konstatere",
        "vurdere",
        "mene",
        "påstå",
        "forlyde",
        "berette",
        "citere",
    ]
)
_LOCATIVE = frozenset(
    {
        "i",
        "ved",
        "på",
        "nær",
        "omkring",
        "langs",
        "udenfor",
        "uden for",
        "nord for",
        "syd for",
        "øst for",
        "vest for",
        "mod",
        "fra",
        "ud for",
        "inden for",
    }
)
# common nouns between a preposition and a name: "nord for byen Lyman", "i havnebyen Esbjerg"
_APPOSITION = frozenset(["byen", "landsbyen", "havnebyen", "hovedstaden", "området", "regionen", "provinsen", "grænseovergangen", "lejren"])
# words between a preposition and a place name: "mod det sydlige Israel", "i hele landet"
_BETWEEN = frozenset(
    {"det", "den", "de", "hele", "selve", "sydlige", "nordlige", "østlige", "vestlige", "centrale", "nordøstlige", "nordvestlige", "sydøstlige", "sydvestlige"}
)
_SPEECH_ACTS = frozenset({"REQUEST", "ACCUSE", "REJECT", "SUPPORT", "THREATEN", "CONCEDE"})
_CONSEQUENCES = frozenset({"dræbe", "omkomme", "drab"})  # killed in an attack/accident: a quantity of it, not a second event
_NEGATION = frozenset({"ikke", "aldrig", "hverken"})
_PERSONAL_REFLEXIVE = frozenset({"beslutte", "bestemme"})
_PLANNED_AUX = frozenset({"skal", "skulle", "vil"})
_HYPOTHETICAL = frozenset({"hvis", "kan", "kunne", "ville", "måske", "håber", "håbe", "muligvis"})
_QUANTITY = re.compile(
    r"(?P<n>\d[\d.,]*|en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|tyve|hundrede|tusinde|flere|mange)\s+(?:\w+\s+){0,2}?"
    r"(?P<kind>dræbt|dræbte|døde|omkom|omkomne|dræbes|sårede|såret|sårede|anholdt|anholdte|savnet|savnede|demonstranter|deltagere|soldater)\b",
    re.I,
)
_KIND = {
    "dræbt": "killed",
    "dræbte": "killed",
    "døde": "killed",
    "omkom": "killed",
    "omkomne": "killed",
    "dræbes": "killed",
    "sårede": "wounded",
    "såret": "wounded",
    "anholdt": "arrested",
    "anholdte": "arrested",
    "savnet": "missing",
    "savnede": "missing",
    "demonstranter": "size",
    "deltagere": "size",
    "soldater": "size",
}
_NUMBER_WORDS = {
    "en": 1,
    "et": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "syv": 7,
    "otte": 8,
    "ni": 9,
    "ti": 10,
    "tyve": 20,
    "hundrede": 100,
    "tusinde": 1000,
}


@dataclass(frozen=True, slots=True)
class _Trigger:
    lemma: str
    pos: str  # V or N
    type: str
    subtype: str | None
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    verbs: dict[str, list[_Trigger]]  # inflected form → triggers
    verb_lemmas: dict[str, list[_Trigger]]  # lemma → triggers, for the model's lemmatiser
    nouns: dict[str, list[_Trigger]]


def _verb_forms(lemma: str) -> set[str]:
    # regular Danish verb inflection, generated generously: a form that is not a word never matches
    if lemma.endswith("es"):  # deponent verbs (mødes, enes): only their own few forms
        base = lemma[:-2]
        return {lemma, base + "tes", base + "edes", base + "es"}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "r", lemma + "s", lemma + "de", lemma + "t", stem + "ede", stem + "et", stem + "er", stem + "es", stem + "te", stem + "t"}
    return forms


_DOUBLING = ("ik", "dom", "brud", "bud")


def _noun_forms(lemma: str) -> set[str]:
    """Definite and plural forms: -er plurals only where Danish uses them (-ion, -ing, -hed, -e + r), so that
    agent nouns (dommer, kritiker) are not taken for forms of dom, kritik."""
    forms = {lemma, lemma + "en", lemma + "et"}
    if lemma.endswith("e"):
        # -n for common gender (ulykken), -t for neuter (mødet, samarbejdet); the other gender's form is no word
        forms |= {lemma + "n", lemma + "t", lemma + "r", lemma + "rne", lemma + "ne"}
    elif lemma.endswith(("ion", "ing", "hed", "al")):
        forms |= {lemma + "er", lemma + "erne"}
    else:
        forms |= {lemma + "e", lemma + "ene"}
    if lemma.endswith(_DOUBLING):
        # endings whose short vowel doubles the consonant (kritikken, dommen, bruddet, buddet); elsewhere spelling does
        # not say, and a doubled form can be another word (pres → pressen, "the press"), so such forms are listed in the
        # file. Plurals: kritikker(ne) for -ik, domme(ne) for -dom (dommer is the judge); -brud/-bud take none.
        doubled = lemma + lemma[-1]
        forms |= {doubled + "en", doubled + "et", doubled + "ene"}
        if lemma.endswith("ik"):
            forms |= {doubled + "er", doubled + "erne"}
        elif lemma.endswith("dom"):
            forms |= {doubled + "e"}
    return forms | {f + "s" for f in forms}


#: The lexicon's data files, read in order: the hand-written rows, then the rows learned from annotated
#: training documents (``training/build_event_lexicon.py``). For a lemma in both, the first row whose
#: context holds wins, so a hand-written row comes first.
LEXICON_FILES = ("event_triggers.tsv", "event_triggers_learned.tsv")
#: Rows of the files above that the same script found unreliable on the training documents (lemma, pos, type).
DROPPED_FILE = "event_triggers_dropped.tsv"


def lexicon_from_rows(rows: str, *, dropped: str = "") -> _Lexicon:
    """A trigger lexicon from TSV rows in the ``event_triggers.tsv`` format (comments and blank lines skipped),
    less the rows named (lemma, pos, type) in ``dropped``."""
    skip = {tuple(line.split("\t")[:3]) for line in dropped.splitlines() if line and not line.startswith("#")}
    verbs: dict[str, list[_Trigger]] = {}
    verb_lemmas: dict[str, list[_Trigger]] = {}
    nouns: dict[str, list[_Trigger]] = {}
    for line in rows.splitlines():
        if not line or line.startswith("#"):
            continue
        lemma, pos, type_, subtype, context, extra, _source = line.split("\t")[:7]
        if (lemma, pos, type_) in skip:
            continue
        trigger = _Trigger(lemma, pos, type_, None if subtype == "-" else subtype, () if context == "-" else tuple(context.split("|")))
        table = verbs if pos == "V" else nouns
        if pos == "V":
            verb_lemmas.setdefault(lemma, []).append(trigger)
        forms = _verb_forms(lemma) if pos == "V" else _noun_forms(lemma)
        if extra != "-":
            forms |= set(extra.split())
        for form in forms:
            bucket = table.setdefault(form, [])
            if trigger not in bucket:
                bucket.append(trigger)
    return _Lexicon(verbs, verb_lemmas, nouns)


def _data_file(name: str, *, optional: bool = False) -> str:
    """A data file's text; only the learned and dropped files may be absent (nothing learned is installed)."""
    path = resources.files("kilde.extract").joinpath("data", name)
    return "" if optional and not path.is_file() else path.read_text(encoding="utf-8")


def lexicon_rows(*, learned: bool = True) -> str:
    """The shipped lexicon's rows: the hand-written file, and the learned one unless ``learned=False``."""
    hand, learned_file = LEXICON_FILES
    return _data_file(hand) + ("\n" + _data_file(learned_file, optional=True) if learned else "")


def dropped_rows() -> str:
    """The shipped list of rows left out as unreliable (empty when there is none)."""
    return _data_file(DROPPED_FILE, optional=True)


@cache
def _lexicon() -> _Lexicon:
    return lexicon_from_rows(lexicon_rows(), dropped=dropped_rows())


#: The learned gate's weights (``training/train_event_gate.py``); absent means every candidate is kept.
GATE_FILE = "event_gate.json"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate event as a gate sees it: its trigger token, its type and its ``gate_features``."""

    token: Token
    kind: str
    features: list[str]


class Gate(Protocol):
    """Decides whether a candidate event is kept."""

    def keep(self, candidate: Candidate) -> bool: ...


@dataclass(frozen=True, slots=True)
class LinearGate:
    """A logistic model over binary features: keep a candidate when its probability reaches ``threshold``."""

    bias: float
    weights: dict[str, float]
    threshold: float

    def probability(self, features: list[str]) -> float:
        score = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def keep(self, candidate: Candidate) -> bool:
        return self.probability(candidate.features) >= self.threshold

    @classmethod
    def from_json(cls, text: str, *, name: str = "gate") -> LinearGate:
        """A gate from ``training/train_event_gate.py``'s JSON; ``ModelError`` naming ``name`` when it is not one."""
        try:
            data = json.loads(text)
            gate = cls(bias=float(data["bias"]), weights={str(k): float(v) for k, v in data["weights"].items()}, threshold=float(data["threshold"]))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise ModelError(f"{name}: not an event gate (needs bias, weights and threshold): {error!r}") from error
        if not 0.0 <= gate.threshold <= 1.0:
            raise ModelError(f"{name}: threshold {gate.threshold} is not a probability")
        return gate


@cache
def shipped_gate() -> LinearGate | None:
    """The installed gate, or None when none is installed."""
    text = _data_file(GATE_FILE, optional=True)
    return LinearGate.from_json(text, name=f"kilde/extract/data/{GATE_FILE}") if text else None


_SCORE = re.compile(r"\d{1,3}-\d{1,3}$")  # "endte 18-12": a result, so a match


def _context_ok(trigger: _Trigger, window: list[str]) -> bool:
    # a hyphenated compound counts by its last part: "IBM-forslaget" is a forslag
    if not trigger.context:
        return True
    if "#score" in trigger.context and any(_SCORE.match(w) for w in window):
        return True
    return any(_context_word(w, c) or _context_word(w.rsplit("-", 1)[-1], c) for w in window for c in trigger.context if c != "#score")


def _context_word(word: str, context: str) -> bool:
    """A context entry is a prefix ("tropp" for tropper, troppernes), or a whole word when it ends in "$" ("sig$")."""
    return word == context[:-1] if context.endswith("$") else word.startswith(context)


_MIN_COMPOUND_HEAD = 5  # valg, dom, kamp are too short to find inside compounds (udvalg, sygdom, dommer)


def _match(token: Token, lex: _Lexicon, window: list[str]) -> _Trigger | None:
    text = token.lower_
    pos = token.pos_
    if text.endswith("ende") and text not in lex.nouns and text not in lex.verb_lemmas:
        return None  # present participles are descriptions or people (besøgende, rosende), not events; sende is a verb
    candidates: list[_Trigger] = []
    if pos in ("VERB", "AUX", "ADJ") or (pos == "NOUN" and text not in lex.nouns):
        candidates += lex.verbs.get(text, [])
        if pos == "VERB":
            candidates += lex.verb_lemmas.get(token.lemma_.lower(), [])
    # a noun the tagger took for a verb, but not a verb with its own subject ("de møder", "vi møder på gaden")
    noun_like = pos == "VERB" and not candidates and not any(c.dep_.startswith("nsubj") for c in token.children)
    if pos in ("NOUN", "PROPN", "X") or noun_like:
        head = text.rsplit("-", 1)[-1]
        found = lex.nouns.get(head)
        if found is None and len(head) >= 8:
            # compound head: the longest known noun the word ends in (artilleri|beskydning, folke|afstemningen)
            for i in range(3, len(head) - _MIN_COMPOUND_HEAD + 1):
                found = lex.nouns.get(head[i:])
                if found and len(found[0].lemma) >= _MIN_COMPOUND_HEAD:
                    break
                found = None
        candidates += found or []
    for trigger in candidates:
        if _context_ok(trigger, window):
            return trigger
    return None


_GENERIC_DET = frozenset({"al", "alt", "alle", "enhver", "ethvert", "ingen", "intet"})
_NOUN_ARGUMENTS = frozenset({"nmod", "nmod:poss", "acl", "acl:relcl", "compound", "obl", "appos", "nummod", "flat"})
_CORE = frozenset({"nsubj", "nsubj:pass", "obj", "iobj"})


def _eventive(token: Token, lex: _Lexicon, time_tokens: frozenset[int]) -> bool:
    """Whether an event noun names an occurrence here rather than the kind of thing ("hævet over al kritik",
    "flere store møder", "til salg"): it must be anchored by an argument of its own (Et møde i går mellem …,
    Søværnets auktion, russisk offensiv), be a core argument of a clause (foretaget adskillige anholdelser,
    Kina-kampen var …), be dated (endelig godkendelse 9. august), or be a compound naming a kind of event
    (artilleribeskydning). A predicate noun
    ("Ulykken er den tredje trafikulykke") classifies an occurrence already named, and adds none."""
    children = list(token.children)
    if any(c.dep_ == "cop" for c in children) or any(c.dep_ == "det" and c.lower_ in _GENERIC_DET for c in children):
        return False
    if token.lower_.rsplit("-", 1)[-1] != token.lower_ or token.lower_ not in lex.nouns:
        return True  # Kina-kampen, artilleribeskydning: the modifier makes it specific
    if any(c.dep_ in _NOUN_ARGUMENTS for c in children) or "Def" in token.morph.get("Definite", []):
        return True  # a definite noun presupposes the occurrence: "efter afstemningen", "under kampen"
    following = token.doc[token.i + 1 : min(token.i + 4, token.sent.end)]
    for t in following:
        if t.is_punct:
            break
        if t.i in time_tokens:
            return True  # dated, wherever the parser attached the date
    if any(c.dep_ == "amod" and _nationality(c) for c in children):
        return True  # a nationality adjective is an argument: russisk offensiv
    node = token
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    return node.dep_ in _CORE


def _nationality(token: Token) -> bool:
    """A place adjective (russisk, ukrainske, sønderjyske), not any adjective in -isk (økonomisk, politisk)."""
    gaz = gazetteer()
    return any(gaz.demonym(part) is not None for part in token.lower_.split("-") if part)  # dansk-tyske


def _phrase(token: Token, limit: int = 8) -> str:
    """The phrase a token heads, without relative clauses, and at most ``limit`` words nearest the head."""
    excluded: set[int] = set()
    for child in token.children:
        if child.dep_ in ("acl:relcl", "parataxis", "advcl", "punct"):
            excluded |= {t.i for t in child.subtree}
    words = [t for t in token.subtree if t.i not in excluded and not t.is_space]
    if any(t.dep_ == "conj" for t in words):
        limit += 6  # both parties of "De russiske lejesoldater i Wagner-gruppen og den russiske hær"
    if len(words) > limit:
        words = sorted(sorted(words, key=lambda t: abs(t.i - token.i))[:limit], key=lambda t: t.i)
    while words and (words[-1].is_punct or words[-1].pos_ in ("CCONJ", "ADP", "SCONJ", "ADV")):
        words.pop()
    while words and (words[0].is_punct or words[0].pos_ in ("CCONJ", "ADP", "SCONJ")):
        words.pop(0)
    if not words:
        return token.text
    return token.doc.text[words[0].idx : words[-1].idx + len(words[-1].text)]


# verbs whose subject undergoes the event: "grænseovergangen genåbner", "stormen ramte" is not one, "byen oversvømmes" is
_UNDERGOER_SUBJECT = frozenset({"genåbne", "åbne", "lukke", "forlise", "brænde"})
_INTRANSITIVE = frozenset({"kollidere", "omkomme", "protestere", "demonstrere", "strejke", "forulykke", "forlise", "kæmpe", "mødes", "enes", "grave"})
_PASSIVE_AUX = frozenset({"blive", "blev", "bliver", "blevet", "er", "var", "være", "været"})
# a possessor that is a time (gårsdagens møde, årets valg, ugens kampe) says when, not who
_TIME_NOUN = re.compile(r"(?:dag|uge|måned|år|time|døgn|nat|weekend|aften|morgen)(?:en|et|ens|ets|s|e|es)?$", re.I)


def _is_passive(token: Token, trigger: _Trigger) -> bool:
    if trigger.pos != "V":
        return False
    if "Pass" in token.morph.get("Voice", []) or (token.lower_.endswith("es") and not trigger.lemma.endswith("es")):
        return True  # s-passive: godkendes, offentliggøres (not the deponent mødes)
    participle = "Part" in token.morph.get("VerbForm", []) or token.lower_.endswith(("t", "et"))
    return (
        participle
        and any(c.dep_.startswith("aux") and c.lower_ in _PASSIVE_AUX and c.lower_ != "har" for c in token.children)
        and not any(c.lower_ in ("har", "havde", "have") for c in token.children)
    )


def _actor_text(child: Token) -> str:
    phrase = _phrase(child)
    if child.dep_ == "nmod:poss" and phrase == child.text and phrase.endswith("s") and len(phrase) > 3:
        return phrase[:-1]  # Søværnets auktion → Søværnet
    return phrase


def _arguments(token: Token, trigger: _Trigger) -> tuple[str | None, str | None]:
    actor = target = None
    # the parser often hangs the subject on the auxiliary ("De to mænd blev … varetægtsfængslet")
    children = list(token.children) + [c for a in token.children if a.dep_.startswith("aux") for c in a.children if c.dep_.startswith("nsubj")]
    passive = _is_passive(token, trigger)
    objects = [c for c in children if c.dep_ == "obj" and c.pos_ != "PRON"]
    for child in children:
        dep = child.dep_
        if dep in ("nsubj", "nsubj:pass") and child.lower_ not in ("der", "som"):
            if passive or dep == "nsubj:pass":
                target = target or _phrase(child)
            elif actor is None:
                actor = _subject_phrase(child)
        elif dep in ("obl:agent", "obl", "nmod") and any(c.lower_ == "af" and c.dep_ == "case" for c in child.children) and (passive or trigger.pos == "N"):
            if passive:
                actor = actor or _phrase(child)
        elif dep == "nmod:poss" and actor is None and not _TIME_NOUN.search(child.text) and child.pos_ in ("NOUN", "PROPN", "PRON"):
            actor = _actor_text(child)
        elif dep == "nmod" and target is None and any(c.lower_ in ("på", "mod") for c in child.children):
            target = _phrase(child)
    if objects and target is None:
        if actor is None and (trigger.lemma in _INTRANSITIVE or len(objects) > 1):
            # a subject after the verb that the parser took for an object: "I forgårs kolliderede to personbiler"
            actor = _phrase(objects[0])
            objects = objects[1:]
        if objects:
            target = _phrase(objects[0])
    if actor is None and trigger.pos == "N":
        demonyms = [c for c in children if c.dep_ == "amod" and c.pos_ == "ADJ" and c.text[:1].isalpha() and _nationality(c)]
        if demonyms:
            actor = demonyms[0].text
    if actor is None and not passive and trigger.pos == "V":
        shared = _coordinated_subject(token)
        actor = _phrase(shared) if shared is not None else None
    if actor is None and not passive:
        # the subject of the governing verb: "ukrainerne … påbegynde en tilbagetrækning", "begyndt at arbejde sammen"
        head = token.head
        hops = 0
        while head.i != token.i and hops < 3 and actor is None:
            subject = next((c for c in head.children if c.dep_ == "nsubj" and c.lower_ not in ("der", "som", "det") and c.i != token.i), None)
            subject = subject or _coordinated_subject(head)
            if subject is not None:
                actor = _subject_phrase(subject)
            if head.head.i == head.i:
                break
            head, hops = head.head, hops + 1
    return actor, target


def _subject_phrase(subject: Token) -> str:
    """A subject with the subjects coordinated with it, also when the parser hung each on the verb:
    "De russiske lejesoldater i Wagner-gruppen og den russiske hær er … begyndt at arbejde sammen"."""
    verb = subject.head
    others = [c for c in verb.children if c.dep_ == "nsubj" and c.i > subject.i and c.pos_ in ("NOUN", "PROPN")]
    if others:
        last = others[0]
        between = subject.doc[max(t.i for t in subject.subtree) + 1 : min(t.i for t in last.subtree)]
        if len(between) == 1 and between[0].lower_ in ("og", "samt", "eller"):
            start = min(t.i for t in subject.subtree)
            end = max(t.i for t in last.subtree)
            return subject.doc[start : end + 1].text
    return _phrase(subject)


def _coordinated_subject(verb: Token) -> Token | None:
    """The subject a verb shares with a coordinated verb before it that the parser hung below it as a clause of its
    own: "har Nigeria tilbageholdt to skibe, foretaget anholdelser og truet med …" (not a subordinate clause: no
    conjunction such as "da", "at", "hvis" introduces it)."""
    for clause in verb.children:
        if clause.i > verb.i or clause.dep_ not in ("advcl", "conj") or clause.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "mark" for c in clause.children):
            continue
        subject = next((c for c in clause.children if c.dep_ == "nsubj" and c.lower_ not in ("der", "som", "det")), None)
        if subject is not None:
            return subject
    return None


_PRONOUNS = frozenset({"de", "han", "hun", "den", "det", "vi", "i"})


def _antecedent(token: Token, sent: Span) -> str | None:
    """A pronoun actor's antecedent: the noun subject of the main clause ("Ukrainerne …, da de har gravet"),
    else of the sentence before."""
    candidates = [sent]
    if sent.start > 0:
        candidates.append(token.doc[sent.start - 1].sent)
    for s in candidates:
        subject = next((c for c in s.root.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") and c.i != token.i), None)
        if subject is not None:
            return _phrase(subject)
    return None


def _mentions(places: list[Place], *, demonyms: bool = False) -> list[tuple[int, int, Place]]:
    return sorted(((m.start, m.end, p) for p in places for m in p.mentions if m.demonym == demonyms), key=lambda x: x[0])


# common nouns that point back to the last place of their kind: "nord for byen", "i hele landet"
_ANAPHORS = {"byen": ("city",), "landet": ("country",), "området": ("region", "city"), "regionen": ("region",), "provinsen": ("region",)}
# where the actor's nationality is where it happened: a Danish election, Danish tax cuts, arrests by the Nigerian police
_CIVIC = frozenset({"ELECTION", "POLITICAL_DECISION", "LEGAL_ACTION", "ARREST"})
_SPECIFICITY = {"other": 0, "city": 1, "region": 2, "country": 3}


_OVERHEAD = frozenset({"MOBILIZE", "ASSAULT", "DISASTER", "ACCIDENT", "FIGHT"})
# events whose "mod X" is where they strike or advance ("angreb mod Kyiv", "offensiven mod Bakhmut")
_TOWARDS = frozenset({"ASSAULT", "FIGHT", "MOBILIZE"})
_SAME_MOMENT = frozenset({"da", "mens", "idet", "hvor"})
_DIRECTIONAL = frozenset({"ind", "ud", "op", "ned", "hjem"})
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "acl:relcl", "acl", "parataxis", "xcomp", "csubj"})


def _clause(token: Token) -> int:
    """The head of the clause a token is in (index): the nearest ancestor that heads a clause of its own."""
    node = token
    while node.head.i != node.i and not (node.dep_ in _CLAUSE_DEPS or (node.dep_ == "conj" and node.pos_ in ("VERB", "AUX"))):
        node = node.head
    return node.i


def _place(
    token: Token,
    trigger: _Trigger,
    sent: Span,
    mentions: list[tuple[int, int, Place]],
    demonyms: list[tuple[int, int, Place]],
    actor: str | None,
    kind: str,
) -> Place | None:
    """Where the event happened: a place governed by a locative preposition, closest in the tree, most specific;
    the place the event acts on (beskudt Bakhmut, ramte det sønderjyske); a place noun pointing back (i hele
    landet); for civic events, the country of a nationality adjective or inhabitant noun (danske
    afgiftsnedsættelser, et flertal af danskerne stemmer)."""
    doc = token.doc
    text = doc.text
    inside = [(s, e, p) for s, e, p in mentions if sent.start_char <= s < sent.end_char]
    clause = _clause(token)
    own = {t.i for t in token.subtree}
    # places in a reporting clause are the source's: "…, oplyser regeringen i Kyiv", "I Danmark meddelte ministeriet, at …"
    reporting = [t for t in sent if _reporting(t) and t.i != token.i]
    source_side = {x.i for r in reporting for c in r.children if c.dep_ in ("nsubj", "obl") and not c.is_ancestor(token) for x in c.subtree}
    subject_side = {x.i for c in token.children if c.dep_ == "nsubj" for x in c.subtree}
    if kind in _SPEECH_ACTS:
        # "Regeringen i Kyiv har bedt …": the place names the actor, not where a statement happened
        source_side |= subject_side
    locatives = _LOCATIVE | {"til"} if kind in ("AID", "MOBILIZE") else _LOCATIVE
    if kind == "FIGHT":
        locatives = locatives | {"om"}  # "kampen om byen", "slaget om Stalingrad": the battle is fought there
    if kind in _OVERHEAD:
        locatives = locatives | {"over"}  # "fløj over hovedstaden", "stormen over Vestjylland", "sejr over Irak"; not "valg … sejr over Irak"
    if kind not in _TOWARDS:
        locatives = locatives - {"mod"}  # "sanktioner mod Serbien", "protest mod Israel": whom it is aimed at, not where
    passive = _is_passive(token, trigger)
    direct: tuple[str, ...] = ("obj", "nsubj:pass", "conj", "nsubj") if passive or trigger.lemma in _UNDERGOER_SUBJECT else ("obj", "nsubj:pass", "conj")
    if kind in _SPEECH_ACTS:
        direct = ()  # "kritiserede Tyskland": whom it was said to or about, not where

    # the clauses that contain the event's clause, innermost first: their scene is the event's scene
    scope = [clause]
    while doc[scope[-1]].head.i != scope[-1] and len(scope) < 6:
        scope.append(_clause(doc[scope[-1]].head))
    # and a clause it governs that tells the same moment ("omkom i går, da hans bil kørte ind i et træ på landevejen
    # mellem Gråsten og Sønderborg"); "efter at Egypten mæglede … i Kairo" is another occurrence
    scope += [c.i for c in doc[clause].children if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _SAME_MOMENT for m in c.children)]
    place_starts = {span[0].i for s, e, _ in inside if (span := doc.char_span(s, e, alignment_mode="expand")) is not None}

    def locative(start: int) -> bool:
        before = [w for w in text[max(sent.start_char, start - 40) : start].lower().split() if w not in _APPOSITION and w not in _BETWEEN]
        if (before and before[-1] == "mellem") or (len(before) > 2 and before[-3] == "mellem" and before[-2] in ("og", "eller")):
            # "ulykken mellem Gråsten og Sønderborg" is where; "aftale mellem Israel og Islamisk Jihad" names the parties
            if kind not in _ON_SITE or kind in ("FIGHT", "CONTEST"):
                return False
            found = doc.char_span(start, start + 1, alignment_mode="expand")
            if found is None:
                return False
            word = found[0]
            pair = [c.i for c in word.children if c.dep_ == "conj"] + ([word.head.i] if word.dep_ == "conj" else [])
            return any(i in place_starts for i in pair)
        if len(before) > 1 and before[-2] in _DIRECTIONAL and before[-1] in ("i", "på"):
            return kind in ("AID", "MOBILIZE")  # "smugle hash ind i Danmark": where it goes, not where it happened
        return bool(before) and (before[-1] in locatives or " ".join(before[-2:]) in locatives)

    candidates = [(doc.char_span(s, e, alignment_mode="expand"), s, p) for s, e, p in inside]
    for t in sent:
        wanted = _ANAPHORS.get(t.lower_)
        if wanted and (locative(t.idx) or (t.dep_ in direct and t.head.i == token.i)):
            before = [p for s, _, p in mentions if s < t.idx and p.feature in wanted]
            if before:
                candidates.append((doc[t.i : t.i + 1], t.idx, before[-1]))
    scored = []
    for span, s, p in candidates:
        if span is None or span[0].i in source_side or span[0].dep_ == "nmod:poss":
            continue  # a possessor is the actor (Ruslands overfald), not the place
        first = span[0]
        near = _clause(first) == clause or (trigger.pos == "N" and first.i in own)
        adjacent = trigger.pos == "V" and first.i == token.i + 1 and first.dep_ != "nsubj" and kind not in _SPEECH_ACTS  # "kritiserede Danmark" is whom
        if (first.head.i == token.i and first.dep_ in direct) or adjacent:
            rank = 0  # the attacked place itself: "beskudt Bakhmut", "invaderede Ukraine", "grænseovergangen Kerem Shalom er åbnet"
        elif near and locative(s):
            rank = 0
        elif locative(s) and kind not in _SPEECH_ACTS and _clause(first) in scope:
            # a clause the event's clause is embedded in sets the scene for it: "Ved grænseovergangen i Padborg anholdt
            # politiet to mænd, der forsøgte at smugle …"; a clause beside or below it (a relative clause about a
            # participant, "Steen Olsen, der arbejder i København, bestilt …", a conjoined or adverbial clause) does not
            rank = 1
        else:
            continue
        if first.dep_ == "nmod" and first.head.i != token.i and first.head.pos_ == "NOUN" and _case(first) == "fra":
            continue  # "en varevogn fra Hamborg", "militante fra Gazastriben": where a participant comes from
        if _case(first) == "fra" and kind != "RETREAT":
            rank += 2  # "smugle … fra Hamborg": where it came from (but "trække sig tilbage fra Bakhmut" is where)
        if first.i in subject_side:
            rank += 2  # "militante fra Gazastriben affyrede raketter mod Israel": where the actor comes from, not where it happened
        scored.append((rank, _SPECIFICITY.get(p.feature or "", 2), abs(s - token.idx), p))
    if scored and min(scored, key=lambda x: x[:3])[0] == 0:
        return min(scored, key=lambda x: x[:3])[3]
    acted = _acted_on_region(token, sent, demonyms, source_side, direct)
    if acted is not None:
        return acted  # "Stormen, der ramte det sønderjyske i nat, … i Sønderborg": the region hit, not a town in another clause
    if scored:
        return min(scored, key=lambda x: x[:3])[3]
    # "ramte det sønderjyske", "danske afgiftsnedsættelser": a place adjective as the thing acted on or, for civic events, the actor's nation
    for s, e, p in demonyms:
        if not sent.start_char <= s < sent.end_char:
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or span[0].i in source_side:
            continue
        first = span[0]
        nation = (first.head.i == token.i and first.dep_ in ("amod", "nmod", "nmod:poss")) or first.i in subject_side or bool(actor and first.text in actor)
        if kind in _CIVIC and nation and p.feature == "country":
            return p
    if actor:
        same = [p for _, _, p in inside if p.feature == "country" and actor.strip() in {m.text for m in p.mentions}]
        if same:
            return same[0]
    return None


def _case(token: Token) -> str | None:
    """The preposition of a nominal ("i" in "i Bakhmut")."""
    return next((c.lower_ for c in token.children if c.dep_ == "case"), None)


def _acted_on_region(token: Token, sent: Span, demonyms: list[tuple[int, int, Place]], source_side: set[int], direct: tuple[str, ...]) -> Place | None:
    """A region named by its adjective as the thing acted on: "ramte det sønderjyske" (not a country: "ramte danske mål")."""
    doc = token.doc
    for s, e, p in demonyms:
        if not sent.start_char <= s < sent.end_char:
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or span[0].i in source_side:
            continue
        first = span[0]
        acted_on = (first.head.i == token.i and first.dep_ in direct) or (first.head.head.i == token.i and first.head.dep_ in direct and first.dep_ == "amod")
        if acted_on and p.feature in ("region", "city", "other"):
            return p
    return None


def _time(token: Token, sent: Span, times: list[TimeExpression]) -> TimeExpression | None:
    inside = [t for t in times if sent.start_char <= t.start < sent.end_char and not t.vague and t.value and t.type in ("date", "time", "interval")]
    return min(inside, key=lambda t: abs(t.start - token.idx)) if inside else None


@cache
def _reporting_forms() -> frozenset[str]:
    irregular = {"sagde", "sagt", "skrev", "skrevet", "fortalte", "fortalt", "meldte", "meldt"}
    return frozenset({f for lemma in _REPORTING for f in _verb_forms(lemma)} | irregular)


def _reporting(token: Token) -> bool:
    """A reporting verb, by lemma when the model gives one, else by form."""
    return token.pos_ in ("VERB", "AUX", "") and (token.lemma_.lower() in _REPORTING or token.lower_ in _reporting_forms())


def _attribution(token: Token, sent: Span, quotes: list[Quote]) -> str | None:
    """Who reports the event: the speaker of a quote around it, a reporting verb above it, or "ifølge X"."""
    for quote in quotes:
        if quote.start <= token.idx < quote.end:
            return quote.speaker.name or quote.speaker.mention or "unknown"
    node = token
    for _ in range(5):
        if node.head.i == node.i:
            break
        node = node.head
        if _reporting(node) and node.i != token.i:
            subject = next((c for c in node.children if c.dep_ in ("nsubj", "obj") and c.i != token.i and c.i < token.i and not c.is_ancestor(token)), None)
            subject = subject or next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subject is not None and not subject.is_ancestor(token):
                return _phrase(subject, 5)
    for t in sent:
        if t.lower_ == "ifølge":
            obj = t.head if t.dep_ == "case" else next(iter(t.children), None)
            if obj is not None:
                return _phrase(obj, 5)
    return None


def _modality(token: Token, sent: Span, time: TimeExpression | None, published: dt.date | None) -> tuple[str, bool]:
    clause = [token, *token.children, *(token.head.children if token.dep_ in ("xcomp", "obj", "obl") else [])]
    negated = any(c.lower_ in _NEGATION for c in clause if c.dep_ in ("advmod", "cc:preconj", "det") or c.lower_ == "ikke")
    auxiliaries = {c.lower_ for c in clause if c.dep_.startswith("aux")}
    marks = {c.lower_ for t in (token, token.head) for c in t.children if c.dep_ == "mark"}
    if "hvis" in marks or auxiliaries & {"kan", "kunne", "ville"} or any(t.lemma_ == "håbe" for t in token.ancestors):
        return "hypothetical", negated
    if auxiliaries & _PLANNED_AUX or any(t.lemma_.lower() in ("planlægge", "ventes", "forventes") for t in token.ancestors):
        return "planned", negated
    value = time.value if time is not None else None
    if value and published is not None and re.match(r"\d{4}-\d{2}-\d{2}", value) and dt.date.fromisoformat(value[:10]) > published:
        return "planned", negated
    return "asserted", negated


def _quantities(sent: Span) -> list[Quantity]:
    out = []
    for m in _QUANTITY.finditer(sent.text):
        n = m.group("n").lower()
        value = float(_NUMBER_WORDS[n]) if n in _NUMBER_WORDS else None
        if value is None and n[0].isdigit():
            value = float(n.replace(".", "").replace(",", "."))
        out.append(Quantity(kind=_KIND[m.group("kind").lower()], value=value, text=m.group(0)))
    return out


def _sentence_span(sent: Span) -> RecordSpan:
    tokens = [t for t in sent if not t.is_space]
    return RecordSpan(start=tokens[0].idx, end=tokens[-1].idx + len(tokens[-1].text))


_MORPH = ("Tense", "VerbForm", "Voice", "Definite", "Number", "Mood")


def gate_features(
    token: Token,
    trigger: _Trigger,
    lex: _Lexicon,
    *,
    kind: str,
    actor: str | None,
    target: str | None,
    place: Place | None,
    time: TimeExpression | None,
    modality: str,
    negated: bool,
    attributed: str | None,
    sentence_index: int,
) -> list[str]:
    """What the learned gate sees of a candidate event: which lexicon row fired, how the trigger sits in the parse,
    and what the rules found around it (arguments, place, time, modality), as binary feature names."""
    sent = token.sent
    features = [
        "bias:" + kind,
        f"row:{trigger.lemma}|{trigger.pos}|{trigger.type}",
        f"pos:{token.pos_}",
        f"dep:{token.dep_}",
        f"type_dep:{kind}|{token.dep_}",
        f"type_pos:{kind}|{trigger.pos}",
        f"head:{token.head.lemma_.lower()}" if token.head.i != token.i else "head:ROOT",
        "context_row" if trigger.context else "plain_row",
        "own_form" if _own_form(token, trigger, lex) else "compound",
        f"actor:{actor is not None}",
        f"target:{target is not None}",
        f"place:{place is not None}",
        f"place_type:{kind}|{place is not None}",
        f"time:{time is not None}",
        f"modality:{modality}",
        f"type_modality:{kind}|{modality}",
        f"negated:{negated}",
        f"attributed:{attributed is not None}",
        f"sentence:{min(sentence_index, 4)}",
        f"question:{sent.text.rstrip().endswith('?')}",
        f"children:{min(sum(1 for c in token.children if c.dep_ not in ('punct', 'cc')), 4)}",
        f"capital:{token.text[:1].isupper() and token.i != sent.start}",
    ]
    features += [f"morph:{key}={value}" for key in _MORPH for value in token.morph.get(key, [])]
    return features


def _own_form(token: Token, trigger: _Trigger, lex: _Lexicon) -> bool:
    """Whether the row matched the word itself (a form of its lemma, listed or generated) rather than as the head of
    a compound (artilleri|beskydning)."""
    word = token.lower_.rsplit("-", 1)[-1]
    if trigger.pos == "V":
        return trigger in lex.verbs.get(word, []) or trigger in lex.verb_lemmas.get(token.lemma_.lower(), [])
    return trigger in lex.nouns.get(word, [])


def events(
    doc: Doc,
    places: list[Place],
    times: list[TimeExpression],
    *,
    quotes: list[Quote] | None = None,
    published: str | None = None,
    lexicon: _Lexicon | None = None,
    gate: Gate | Literal["shipped"] | None = "shipped",
) -> list[Event]:
    """Events in the parsed ``doc``, linked to the article's places and times; [] without a dependency parse.

    ``lexicon`` replaces the shipped trigger lexicon (``lexicon_from_rows``), for learning and measuring one.
    ``gate`` decides which candidates are kept: the installed learned gate by default (every candidate when none is
    installed), None for every candidate, or a ``Gate`` of one's own (``training/train_event_gate.py`` records with one)."""
    if not doc.has_annotation("DEP"):
        return []
    lex = lexicon if lexicon is not None else _lexicon()
    chosen_gate = shipped_gate() if isinstance(gate, str) else gate
    mentions = _mentions(places)
    demonyms = _mentions(places, demonyms=True)
    pub = dt.date.fromisoformat(published[:10]) if published and re.match(r"\d{4}-\d{2}-\d{2}", published) else None
    seen_types: set[str] = set()
    seen_events: set[tuple[str, str, str | None]] = set()
    result: list[Event] = []
    lowered = [t.lower_ for t in doc]
    time_tokens = frozenset(t.i for x in times if (span := doc.char_span(x.start, x.end, alignment_mode="expand")) is not None for t in span)
    headline_end = _headline_end(doc)
    token_at = {t.idx: t.i for t in doc}
    last_place: dict[str, Place] = {}  # type → place of the latest event of that type that had one
    violence_seen = False
    for sentence_index, sent in enumerate(doc.sents):
        if sent.start_char < headline_end or _heading(sent):
            continue  # a headline or sub-head repeats the body's events
        sentence_types: set[str] = set()
        sentence_events: list[tuple[_Trigger, Event]] = []
        scene: Place | None = None  # where an event this sentence refers back to happened ("Demonstrationen forløb …")
        for token in sent:
            if not token.text[:1].isalpha() or (token.is_stop and token.lower_ not in lex.verbs):
                continue
            window = lowered[max(sent.start, token.i - 8) : min(sent.end, token.i + 9)]
            trigger = _match(token, lex, window)
            if trigger is None:
                continue
            if trigger.pos == "V" and (token.dep_ == "nmod:poss" or any(c.dep_ == "det" and c.i < token.i for c in token.children)):
                continue  # a participle used as a noun names people, not an event: "de anklagede", "de tiltaltes opførsel"
            if trigger.pos == "V" and token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN") and _bare_word(token):
                continue  # a bare participle listed among nouns names people: "vidner, tilhørere og tiltalte"
            if trigger.pos == "V" and token.dep_ == "amod" and any(c.dep_ in ("det", "nmod:poss") and c.i < token.i for c in token.head.children):
                continue  # an attributive participle describes a thing by an event told elsewhere: "de tilbageholdte skibe"
            if trigger.pos == "V" and _unrealised_infinitive(token):
                continue
            if trigger.pos == "V" and _content_of_speech_act(token, lex, lowered):
                continue
            if trigger.pos == "N" and not _eventive(token, lex, time_tokens):
                continue
            if trigger.lemma in _PERSONAL_REFLEXIVE and any(c.lower_ == "sig" for c in token.children):
                continue  # "beslutte sig for": a person making up their mind, not a decision of a public body
            if trigger.pos == "N" and trigger.type in seen_types and _definite(token) and _bare(token, lex):
                # "Tilbagetrækningen", "gårsdagens møde": the one already reported; its place is this sentence's scene
                if trigger.type in _ON_SITE and token.dep_.startswith("nsubj") and token.head.i == sent.root.i:
                    scene = scene or last_place.get(trigger.type)
                continue
            actor, target = _arguments(token, trigger)
            if trigger.lemma in _CONSEQUENCES and violence_seen and _is_passive(token, trigger) and actor is None:
                continue  # "blev mindst 40 mennesker dræbt" after the attack was told: its toll, not a new event
            replace: int | None = None
            if trigger.type in sentence_types:
                # one event per type and sentence (a verb names it more precisely than a noun before it), unless two
                # different actors do it: "kampfly angreb mål i Gaza, mens militante affyrede raketter mod Israel"
                replace = next((i for i, (t, _) in enumerate(sentence_events) if t.type == trigger.type), None)
                other = sentence_events[replace][1].actor if replace is not None else None
                separate = False
                if replace is not None:
                    previous, earlier = sentence_events[replace]
                    at = token_at.get(earlier.trigger_start if earlier.trigger_start is not None else -1, token.i)
                    separate = "V" in (trigger.pos, previous.pos) and _clause(token) != _clause(doc[at])
                if separate and actor and other and not _content_words(actor) & _content_words(other):
                    replace = None
                elif replace is None or not (trigger.pos == "V" and sentence_events[replace][0].pos == "N"):
                    continue
            place = _place(token, trigger, sent, mentions, demonyms, actor, trigger.type)
            time = _time(token, sent, times)
            modality, negated = _modality(token, sent, time, pub)
            attributed = _attribution(token, sent, quotes or [])
            if attributed and modality == "asserted":
                modality = "reported"
            if negated and attributed:
                modality = "denied"
            kind, subtype = trigger.type, trigger.subtype
            # one state attacking another is war, not one-sided violence (Ruslands overfald på Ukraine); a shelling
            # or an air strike stays ASSAULT whoever is hit
            states = [m.text for p in places if p.feature == "country" for m in p.mentions if not m.demonym]
            attacks_a_state = bool(target) and any((target or "").startswith(name) for name in states)
            if kind == "ASSAULT" and subtype == "Attack" and attacks_a_state:
                kind, subtype = "FIGHT", None
            if actor and actor.lower() in _PRONOUNS:
                actor = _antecedent(token, sent) or actor
            key = _key(kind, actor, place.name if place else None)
            replaced_key = _key(*(lambda e: (e.type, e.actor, e.place))(sentence_events[replace][1])) if replace is not None else None
            if key in seen_events and key != replaced_key:
                continue  # the same actor (or none) doing the same thing at the same place again: one occurrence
            if chosen_gate is not None:
                features = gate_features(
                    token,
                    trigger,
                    lex,
                    kind=kind,
                    actor=actor,
                    target=target,
                    place=place,
                    time=time,
                    modality=modality,
                    negated=negated,
                    attributed=attributed,
                    sentence_index=sentence_index,
                )
                if not chosen_gate.keep(Candidate(token, kind, features)):
                    continue
            if replace is not None:
                sentence_events.pop(replace)
                seen_events.discard(replaced_key)
            seen_events.add(key)
            sentence_types.add(trigger.type)
            seen_types.add(trigger.type)
            sentence_events.append(
                (
                    trigger,
                    Event(
                        type=kind,
                        subtype=subtype,
                        trigger=token.text,
                        trigger_start=token.idx,
                        actor=actor,
                        target=target,
                        place=place.name if place else None,
                        place_geonameid=place.geonameid if place else None,
                        time=time.value if time else None,
                        sentence=_sentence_span(sent),
                        modality=modality,  # type: ignore[arg-type]
                        negated=negated,
                        attributed_to=attributed,
                        quantities=_quantities(sent),
                    ),
                )
            )
        if scene is not None:
            sentence_events = [
                (t, e.model_copy(update={"place": scene.name, "place_geonameid": scene.geonameid}) if e.place is None and t.type in _ON_SITE else e)
                for t, e in sentence_events
            ]
        by_name = {p.name: p for p in places}
        for t, e in sentence_events:
            if e.place in by_name:
                last_place[t.type] = by_name[e.place]
        violent = any(t.type in ("FIGHT", "ACCIDENT", "DISASTER", "ASSAULT") and t.lemma not in _CONSEQUENCES for t, _ in sentence_events)
        violence_seen = violence_seen or violent
        result += [e for t, e in sentence_events if not (violent and t.lemma in _CONSEQUENCES)]
    return _in_setting(result, _dominant_place(mentions))


# events that happen at a scene: what else a sentence tells about them happened there too ("Demonstrationen forløb
# fredeligt, men politiet anholdt to mænd")
_ON_SITE = frozenset({"PROTEST", "FIGHT", "ASSAULT", "ACCIDENT", "DISASTER", "CRIME", "ARREST", "CONTEST", "MOBILIZE", "FORTIFY", "RETREAT", "COERCE"})
_DEFINITE_DET = frozenset({"den", "det", "de", "denne", "dette", "disse"})


def _definite(token: Token) -> bool:
    return (
        "Def" in token.morph.get("Definite", [])
        or token.lower_.endswith(("en", "et", "ene", "erne"))
        or any(c.dep_ == "nmod:poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE_DET) for c in token.children)
    )


def _bare(token: Token, lex: _Lexicon) -> bool:
    """An event noun with nothing that sets it apart from one told before: no named participant in a compound
    (Kina-kampen), an argument (kampen mod Kina) or a possessor (Ruslands angreb)."""
    head, _, last = token.text.rpartition("-")
    if head[:1].isupper() and last.lower() in lex.nouns:
        return False
    return not any(c.dep_ in ("nmod:poss", "nmod", "appos", "flat") and c.pos_ == "PROPN" for c in token.children)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 and w not in ("den", "det", "der", "som", "og")}


def _key(kind: str, actor: str | None, place: str | None) -> tuple[str, str, str | None]:
    return kind, (actor or "").lower().rstrip("s"), place


def _unrealised_infinitive(token: Token) -> bool:
    """An infinitive that names a kind of action, not one that took place: the complement of a noun ("interesse
    for at købe disse varer") or the predicate of a copula ("afvisningen er blot at tage til efterretning")."""
    form = token.morph.get("VerbForm", [])
    if (form and "Inf" not in form) or not any(c.lower_ == "at" and c.dep_ == "mark" for c in token.children):
        return False  # only an "at"-infinitive: "Hvis russerne kan indtage byen" is a (hypothetical) event
    return (token.head.pos_ == "NOUN" and token.head.i != token.i) or any(c.dep_ == "cop" for c in token.children)


def _content_of_speech_act(token: Token, lex: _Lexicon, lowered: list[str]) -> bool:
    """An at-infinitive that says what a threat, demand, refusal or appeal is about ("truet med at henrette de
    skyldige", "opfordrede dem til at trække sig tilbage", "nægtede at betale"): the speech act is the event; what
    it threatens or asks for has not happened."""
    if not any(c.lower_ == "at" and c.dep_ == "mark" for c in token.children) or token.head.i == token.i:
        return False
    head = token.head
    window = lowered[max(head.sent.start, head.i - 8) : min(head.sent.end, head.i + 9)]
    found = _match(head, lex, window)
    return found is not None and found.type in _SPEECH_ACTS


def _bare_word(token: Token) -> bool:
    """A word with no dependents but its conjunction and punctuation (so a verb with an object is no bare word)."""
    return all(c.dep_ in ("cc", "punct") for c in token.children)


def _heading(sent: Span) -> bool:
    """A sub-head set in capitals ("TABER 2.000 KR"): its words are all upper case."""
    letters = [c for c in sent.text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _headline_end(doc: Doc) -> int:
    """End of a headline: a short first paragraph without a full stop (0 when there is none)."""
    text = doc.text
    first = text.find("\n\n")
    if first <= 0 or first > 160 or text[:first].rstrip().endswith((".", "!", "?", ":", "«", "»", '"')):
        return 0
    return first


def _dominant_place(mentions: list[tuple[int, int, Place]]) -> Place | None:
    """The article's setting when it has an unambiguous one: the place named most often by name (demonyms aside),
    at least twice and at least twice as often as any other place ("Jersey" five times, "Samsø" once)."""
    counts: dict[str, tuple[int, Place]] = {}
    for _, _, place in mentions:
        n, _ = counts.get(place.name, (0, place))
        counts[place.name] = (n + 1, place)
    ranked = sorted(counts.values(), key=lambda x: -x[0])
    if not ranked or ranked[0][0] < 2 or (len(ranked) > 1 and ranked[0][0] < 2 * ranked[1][0]):
        return None
    return ranked[0][1]


def _in_setting(result: list[Event], setting: Place | None) -> list[Event]:
    """Events whose sentence names no place happened in the article's setting, if it has one (an event is told
    where the story is set: "Her gravede krigsfanger en tunnel" in an article about Jersey). Speech acts are not
    placed so: a demand or a criticism is made wherever its speaker is, which the article seldom says."""
    if setting is None:
        return result
    return [
        e.model_copy(update={"place": setting.name, "place_geonameid": setting.geonameid}) if e.place is None and e.type not in _SPEECH_ACTS else e
        for e in result
    ]
