"""A small corpus of our own hand-written Danish articles (and one hostile one), analysed with the shipped model, for the API and UI tests."""

from __future__ import annotations

from collections import Counter

from spacy.language import Language

from kilde.pipeline import analyze
from kilde.records import Article
from kilde.store.sqlite import SqliteStore
from kilde.stories import Story, StoryArticle
from kilde.stories.duplicates import find_duplicates

FERRY = (
    "Storm lukker færgerne til Bornholm\n\n"
    "Færgerne mellem Ystad og Rønne sejler ikke i dag på grund af kraftig storm, oplyser rederiet Bornholmslinjen.\n\n"
    "Passagerer venter i terminalen i Rønne. Foto: JENS HANSEN/Ritzau Scanpix\n\n"
    "»Vi beklager over for vores passagerer, men sikkerheden går forud,« siger direktør Mette Lund fra Bornholmslinjen.\n\n"
    "Hun oplyser, at de første afgange tidligst sejler i morgen."
)
BUDGET = (
    "Byrådet i Odense vedtager nyt budget\n\n"
    "Et flertal i byrådet stemte torsdag for et budget med flere penge til ældreplejen.\n\n"
    "»Det er en god dag for byens ældre,« siger rådmand Peter Skov.\n\n"
    "Mette Lund fra Bornholmslinjen var også i Odense og sagde, at færgerne skal være grønnere."
)
PROTEST = (
    "Tusinder demonstrerer i København\n\n"
    "Flere tusinde mennesker demonstrerede lørdag foran Christiansborg i København mod nedskæringerne.\n\n"
    "»Vi bliver ved, indtil politikerne lytter,« siger talsperson Sofie Dahl fra Foreningen for Velfærd.\n\n"
    "Politiet anholdt to personer, oplyser Københavns Politi."
)
# a wire copy of FERRY in another outlet: another headline over the same body
FERRY_COPY = "Ingen færger til Bornholm i dag" + FERRY[FERRY.index("\n\n") :]
XSS_TITLE = '<script>window.__kilde_xss = "title"</script>Angreb <img src=x onerror="window.__kilde_xss=1">'
XSS = (
    "Borgmester advarer mod <script>window.__kilde_xss = 'text'</script> hackere\n\n"
    'Kommunens hjemmeside blev ramt af et angreb med <img src=x onerror="window.__kilde_xss=2"> i koden, oplyser kommunen.\n\n'
    "Skærmbillede af <script>window.__kilde_xss='caption'</script> siden. Foto: JENS HANSEN\n\n"
    "»Vi tager <script>window.__kilde_xss='quote'</script> det meget alvorligt,« siger borgmester Anne Holm."
)

ARTICLES: list[tuple[str, dict[str, str]]] = [
    (FERRY, {"url": "https://example.dk/ferry", "published": "2024-03-01", "outlet": "Dagbladet Øst"}),
    (BUDGET, {"url": "https://example.dk/budget", "published": "2024-03-04", "outlet": "Fyns Avis"}),
    (PROTEST, {"url": "https://example.dk/protest", "published": "2024-03-09", "outlet": "Dagbladet Øst"}),
    (XSS, {"url": "javascript:window.__kilde_xss=5", "published": "2024-03-10", "outlet": "<i>Hackerbladet</i>", "title": XSS_TITLE}),
]


STORY_ID = "s-storm-faerger"


def build(nlp: Language, *, stories: bool = False) -> tuple[SqliteStore, dict[str, Article]]:
    """An in-memory store of the corpus and its records by name (ferry, budget, protest, xss).

    With ``stories``, also the wire copy of the ferry article ("copy"), its near-duplicate group as
    :func:`kilde.stories.duplicates.find_duplicates` finds it, and one story (ferry, copy, budget) saved
    through the store's story tables.
    """
    store = SqliteStore(":memory:")
    records = {}
    for name, (text, metadata) in zip(("ferry", "budget", "protest", "xss"), ARTICLES, strict=True):
        article = analyze(text, nlp=nlp, **metadata)
        store.add(article)
        records[name] = article
    if stories:
        copy = analyze(FERRY_COPY, nlp=nlp, url="https://example.dk/wire/ferry", published="2024-03-01T15:00", outlet="Vestkysten Nu")
        store.add(copy)
        records["copy"] = copy
        groups = find_duplicates((a.id, a.published, a.text, a.title) for a in records.values())
        assert [g.members for g in groups] == [(records["ferry"].id, copy.id)], groups
        members = [records["ferry"], copy, records["budget"]]
        speakers = Counter(q.speaker.name for a in members for q in a.quotes if q.speaker.name)
        story = Story(
            id=STORY_ID,
            title=records["ferry"].title or "",
            first="2024-03-01",
            last="2024-03-04",
            size=3,
            articles=tuple(StoryArticle(a.id, a.title, a.published, a.source.outlet, groups[0].original if a.id == copy.id else None) for a in members),
            places=("Rønne", "Bornholm", "Ystad", "Odense"),
            speakers=tuple(speakers.most_common()),
            timeline=(("2024-03-01", 2), ("2024-03-04", 1)),
        )
        store.replace_stories(groups, [story])
    return store, records
