"""Corpus store benchmark: search latency on a large synthetic store, ingest throughput on real texts.

    .venv/bin/python benchmarks/store.py [--records 100000] [--texts 300] [--model PATH|rules] [--no-write]
    .venv/bin/python benchmarks/store.py --backend postgresql [--db postgresql://…] [--records 100000] [--texts 0]

1. **Search latency.** Builds a SQLite store of ``--records`` synthetic article records (default 100,000)
   and times ``Store.search`` (ranked full-text search with the total count and snippets of the top 10,
   what ``kilde search`` does) over a fixed set of queries: single words from common to rare, inflected
   forms, phrases, OR, prefixes, exclusions, filtered searches and filter-only listings. Each query runs
   once to warm the page cache, then ``--rounds`` times; median and p95 are over all timed runs.
   The records are made by filling our own article templates (headline, lead, quotes with speakers,
   captions, places, events, dates, outlets) with slot values and with body sentences sampled from the
   newspaper texts in ``../shared/data/cdt_ddt/txt`` (read at run time, never stored in the repository),
   so the vocabulary has the long tail of real Danish news. The NLP is not run for them; their spans are
   exact by construction.
2. **Ingest throughput.** The whole pipeline (read → clean → nlp → extract → store, one process, as
   ``kilde ingest`` runs it) on the first ``--texts`` newspaper texts of cdt_ddt that are not held out
   (``test-only``), into an empty store: articles/s and words/s. Then the same inputs again, which are all
   skipped before the NLP: the cost of resuming.

Results go to ``benchmarks/results/store.json`` and the store section of ``benchmarks/RESULTS.md``.

``--backend postgresql`` measures the same for the team store (:mod:`kilde.store.postgres`): in the
database of ``--db`` (in schemas ``bench_*``, or ``--schema``, which it drops and recreates), or, without ``--db``, in a throwaway
server started with ``scripts/postgres.sh`` and switched to durable settings (fsync, synchronous commit) so
the write figures are those of a real server. Results go to ``benchmarks/results/store-postgres.json`` and
their own section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kilde.nlp import load_pipeline
from kilde.read import read_paths
from kilde.records import Article, Caption, Entity, Event, Paragraph, Place, PlaceMention, Quote, Sentence, Source, SourceRef, Span, Speaker, TimeExpression
from kilde.settings import Settings
from kilde.store import Filters, Store
from kilde.store.ingest import content_hash, ingest_documents
from kilde.store.sqlite import SqliteStore
from results_file import git_commit, save_results

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("KILDE_DATA", ROOT.parent / "shared" / "data"))
RESULTS_JSON = ROOT / "benchmarks" / "results" / "store.json"
RESULTS_MD = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- store:start -->", "<!-- store:end -->"
HEADING = "## Corpus store (ingest and search)"
PG_RESULTS_JSON = ROOT / "benchmarks" / "results" / "store-postgres.json"
PG_START, PG_END = "<!-- store-postgres:start -->", "<!-- store-postgres:end -->"
PG_HEADING = "## Team store, PostgreSQL (ingest and search)"
POSTGRES_SCRIPT = ROOT / "scripts" / "postgres.sh"
DATE = "2026-11-25"

# -- slot values and templates (our own) ----------------------------------------------------

FIRST = ["Anne", "Peter", "Mette", "Lars", "Sofie", "Jens", "Karen", "Mads", "Ida", "Henrik", "Camilla", "Søren", "Line", "Rasmus", "Birgitte", "Jakob"]
LAST = ["Holm", "Skov", "Nørgaard", "Lund", "Krogh", "Dahl", "Bech", "Thorsen", "Vestergaard", "Mølgaard", "Frost", "Bak", "Kjær", "Winther"]
ROLES = ["forsvarsminister", "borgmester", "professor", "direktør", "talsmand", "formand", "rådmand", "overlæge", "politikommissær", "økonom"]
ORGS = ["Forsvarsministeriet", "Region Midtjylland", "Københavns Universitet", "Rigspolitiet", "Dansk Industri", "Sundhedsstyrelsen", "FN", "EU-Kommissionen"]
PLACES = [
    ("København", 55.676, 12.568, "DK"), ("Aarhus", 56.157, 10.211, "DK"), ("Odense", 55.396, 10.388, "DK"), ("Aalborg", 57.048, 9.919, "DK"),
    ("Esbjerg", 55.467, 8.452, "DK"), ("Rønne", 55.101, 14.706, "DK"), ("Bruxelles", 50.850, 4.349, "BE"), ("Kyiv", 50.450, 30.524, "UA"),
    ("Berlin", 52.524, 13.411, "DE"), ("Nuuk", 64.184, -51.722, "GL"), ("Tórshavn", 62.010, -6.774, "FO"), ("Malmø", 55.606, 13.001, "SE"),
]  # fmt: skip
OUTLETS = ["Dagbladet Øst", "Vestkysten Nu", "Morgenposten", "Fyns Avis", "Nordjyden", "Bornholms Tidende", "Hovedstadens Blad", "Ritzau"]
EVENTS = [("PROTEST", "demonstrerede"), ("AGREE", "aftale"), ("CONSULT", "møde"), ("ASSAULT", "angreb"), ("ELECTION", "valget"), ("ACCIDENT", "ulykken")]
HEADLINES = [
    "{org} vil ændre reglerne efter kritik",
    "{role} i {place}: Vi har brug for flere penge",
    "Storm og regn rammer {place} hårdt",
    "Regeringen udskyder tilbagetrækningen af soldater",
    "{name} går af som {role}",
    "Ny aftale om skoler og sygehuse i {place}",
]
LEADS = [
    "{org} meddelte {day}, at planen bliver ændret.",
    "Der var {n} mennesker samlet i {place} {day}, da {trigger_sentence}",
    "Tilbagetrækningen af de danske soldater bliver udskudt, oplyser {org}.",
    "I {place} venter man nu på en afgørelse fra {org}.",
]
QUOTE_CUES = ["siger", "fortæller", "understreger", "mener", "skriver"]
CAPTION = "{name} {cue_verb} i {place}. "
DAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
OWN_SENTENCES = [  # used when ../shared is absent: the store still works, the figures are then not representative
    "Kommunen har ikke svaret på henvendelsen.",
    "Sagen har været under behandling i flere måneder.",
    "Eksperter peger på, at udviklingen kan fortsætte.",
    "Et flertal i byrådet stemte for forslaget efter en lang debat.",
    "Politiet oplyser, at ingen kom til skade.",
]

QUERIES: list[tuple[str, str, dict[str, str]]] = [  # (category, query, filters)
    ("word", "regeringen", {}),
    ("word", "tilbagetrækning", {}),
    ("word", "borgmester", {}),
    ("word", "storm", {}),
    ("word", "sygehuse", {}),
    ("word", "politiet", {}),
    ("word", "kommunen", {}),
    ("word", "skole", {}),
    ("word", "penge", {}),
    ("word", "Aarhus", {}),
    ("word", "kirken", {}),
    ("word", "folkeafstemningen", {}),
    ("word", "Jeltsin", {}),
    ("word", "landbruget", {}),
    ("word", "arbejdsløsheden", {}),
    ("word", "Nørgaard", {}),
    ("word", "er", {}),  # in nearly every article: the worst case for ranking and counting
    ("words", "ny aftale skoler", {}),
    ("words", "regeringen udskyder", {}),
    ("words", "storm regn Rønne", {}),
    ("words", "penge sygehuse", {}),
    ("phrase", '"danske soldater"', {}),
    ("phrase", '"flere penge"', {}),
    ("boolean", "København OR Aarhus", {}),
    ("boolean", "storm -regn", {}),
    ("prefix", "udskyd*", {}),
    ("prefix", "minist*", {}),
    ("filtered", "aftale", {"date_from": "2024-01-01", "date_to": "2024-12-31"}),
    ("filtered", "penge", {"outlet": "Fyns Avis"}),
    ("filtered", "reglerne", {"speaker": "Mette Holm"}),
    ("filtered", "storm", {"place": "Esbjerg"}),
    ("filtered", "møde", {"event_type": "CONSULT"}),
    ("filtered", "kritik", {"entity": "Sundhedsstyrelsen"}),
    ("list", "", {"speaker": "Søren Dahl"}),
    ("list", "", {"place": "Nuuk", "date_from": "2025-01-01"}),
    ("list", "", {}),
]


# -- synthetic records ----------------------------------------------------------------------


def _sentences(data: Path) -> list[str]:
    """Sentences of the non-held-out newspaper texts of cdt_ddt, for filler (read here, never stored)."""
    meta = data / "cdt_ddt" / "metadata.tsv"
    if not meta.is_file():
        return OWN_SENTENCES
    sentences: list[str] = []
    for row in csv.DictReader(meta.open(encoding="utf-8"), delimiter="\t"):
        if row["medium"] != "newspaper" or row["ud_split_status"] == "test-only":
            continue
        text = (data / "cdt_ddt" / "txt" / f"{row['id']}-da.txt").read_text(encoding="utf-8")
        for paragraph in text.split("\n\n"):
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", paragraph) if 40 <= len(s.strip()) <= 240 and s.strip()[-1] in ".!?"]
    return sentences


class _Builder:
    """Text built piece by piece, remembering where each piece went."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> Span:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return Span(start=start, end=self.length)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def synthetic(i: int, rng: random.Random, sentences: list[str]) -> Article:
    """Record ``i``: our templates filled with slot values, body sentences sampled from real news."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    role, org = rng.choice(ROLES), rng.choice(ORGS)
    place, lat, lon, country = rng.choice(PLACES)
    event_type, trigger = rng.choice(EVENTS)
    day = rng.choice(DAYS)
    slots = {"name": name, "role": role, "org": org, "place": place, "day": day, "n": str(rng.randint(20, 5000))}
    slots["trigger_sentence"] = f"man {trigger} om fremtiden." if event_type != "ASSAULT" else "et angreb blev meldt."
    b = _Builder()
    paragraphs, sents, quotes, entities, mentions, events = [], [], [], [], [], []
    headline = rng.choice(HEADLINES).format(**slots)
    span = b.add(headline)
    paragraphs.append(Paragraph(start=span.start, end=span.end, kind="headline"))
    sents.append(Sentence(start=span.start, end=span.end))
    b.add("\n\n")
    lead = rng.choice(LEADS).format(**slots)
    span = b.add(lead)
    lead_span = span
    paragraphs.append(Paragraph(start=span.start, end=span.end, kind="lead"))
    sents.append(Sentence(start=span.start, end=span.end))
    if place in lead:
        at = span.start + lead.index(place)
        mentions.append(PlaceMention(text=place, start=at, end=at + len(place)))
    events.append(Event(type=event_type, trigger=trigger, place=place, sentence=Span(start=span.start, end=span.end)))
    for _ in range(rng.randint(3, 7)):
        b.add("\n\n")
        start = b.length
        for k in range(rng.randint(1, 3)):
            if k:
                b.add(" ")
            if rng.random() < 0.3:
                content = rng.choice(sentences).rstrip(".!?")
                b.add("»")
                q = b.add(content)
                cue = rng.choice(QUOTE_CUES)
                b.add(f",« {cue} ")
                b.add(f"{role} ")
                who = b.add(name)
                b.add(".")
                speaker = Speaker(name=name, mention=name, mention_start=who.start, mention_end=who.end, type="person")
                quotes.append(Quote(text=content, start=q.start, end=q.end, kind="direct", cue=cue, speaker=speaker, confidence=0.9))
                entities.append(Entity(text=name, label="PER", start=who.start, end=who.end))
                sents.append(Sentence(start=q.start - 1, end=who.end + 1))
            else:
                s = b.add(rng.choice(sentences))
                sents.append(Sentence(start=s.start, end=s.end))
        paragraphs.append(Paragraph(start=start, end=b.length, kind="body"))
    b.add("\n\n")
    start = b.length
    b.add("Det oplyser ")
    o = b.add(org)
    b.add(" i ")
    p = b.add(place)
    b.add(".")
    paragraphs.append(Paragraph(start=start, end=b.length, kind="body"))
    entities += [Entity(text=org, label="ORG", start=o.start, end=o.end), Entity(text=place, label="LOC", start=p.start, end=p.end)]
    mentions.append(PlaceMention(text=place, start=p.start, end=p.end))
    text = b.text
    published = (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4300))).isoformat()
    captions = [Caption(text=CAPTION.format(name=name, cue_verb="fotograferet", place=place).strip(), credit="Kim Foto", raw_start=0, raw_end=1)]
    outlet = rng.choice(OUTLETS)
    url = f"https://nyheder.example.dk/{i}"
    return Article.model_construct(  # the parts are validated models already; validating 100,000 records again only costs time
        id=f"syn{i:08d}",
        content_hash=content_hash(text),
        source=Source(url=url, outlet=outlet, format="json", index=i),
        title=headline,
        published=published,
        language="da",
        text=text,
        paragraphs=paragraphs,
        captions=captions if rng.random() < 0.5 else [],
        sentences=sents,
        entities=entities,
        quotes=quotes,
        sources=[SourceRef(name=name, type="person", mentions=len(quotes))] if quotes else [],
        places=[Place(name=place, lat=lat, lon=lon, country=country, mentions=mentions)],
        times=[
            TimeExpression(text=day, start=lead_span.start + lead.index(day), end=lead_span.start + lead.index(day) + len(day), value=published, type="date")
        ]
        if day in lead
        else [],
        events=events,
        raw=text,
        # every defaulted field given: model_construct's default factories are slow
        removed=[],
        keywords=[],
        warnings=[],
        offset_map=[],
        summary=None,
        byline=None,
        language_score=None,
        raw_html=None,
    )


class Target:
    """Where the stores are made: SQLite files in a folder, or schemas of a PostgreSQL database."""

    def __init__(self, backend: str, *, work: Path, url: str | None = None, keep: Path | None = None, prefix: str = "bench") -> None:
        self.backend, self.work, self.url, self.keep, self.prefix = backend, work, url, keep, prefix

    def fresh(self, name: str) -> Store:
        """An empty store called ``name`` (an old one of that name is removed)."""
        if self.backend == "sqlite":
            path = self.keep if name == "search" and self.keep else self.work / f"{name}.db"
            if path.exists():
                path.unlink()
            return SqliteStore(path)
        import psycopg

        with psycopg.connect(self.base_url(), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {self.prefix}_{name} CASCADE")
            conn.execute(f"CREATE SCHEMA {self.prefix}_{name}")
        return self.open(name)

    def open(self, name: str) -> Store:
        if self.backend == "sqlite":
            return SqliteStore(self.keep if name == "search" and self.keep else self.work / f"{name}.db", create=False)
        from kilde.store.postgres import PostgresStore

        base = self.base_url()
        return PostgresStore(f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{self.prefix}_{name}")

    def base_url(self) -> str:
        assert self.url is not None
        return self.url

    def size_mb(self, store: Store) -> float:
        if isinstance(store, SqliteStore):
            return round(Path(store.path).stat().st_size / 1e6, 1)
        total = store._query(  # type: ignore[attr-defined]
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        )[0][0]
        return round(int(total) / 1e6, 1)

    def settle(self, store: Store) -> None:
        """After the bulk load: PostgreSQL's statistics and visibility map, as autovacuum would make them on a server in use."""
        if self.backend == "postgresql":
            store._conn.execute("VACUUM ANALYZE")  # type: ignore[attr-defined]


def build_store(target: Target | Path, records: int, seed: int, sentences: list[str]) -> dict[str, Any]:
    """Build the search store of ``records`` synthetic records (a Path: an SQLite file there, as benchmarks/api.py asks)."""
    if isinstance(target, Path):
        target = Target("sqlite", work=target.parent, keep=target)
    rng = random.Random(seed)
    started = time.perf_counter()
    with target.fresh("search") as store:

        def records_() -> Iterator[Article]:
            for i in range(records):
                yield synthetic(i, rng, sentences)

        result = store.add_many(records_(), per_transaction=1000)  # type: ignore[call-arg]
        seconds = time.perf_counter() - started
        target.settle(store)
        size = target.size_mb(store)
    return {
        "records": result.inserted,
        "build_seconds": round(seconds, 1),
        "build_rate": round(result.inserted / seconds, 1),
        "db_mb": size,
    }


def time_searches(target: Target, rounds: int) -> dict[str, Any]:
    with target.open("search") as store:
        timings: dict[str, list[float]] = {}
        totals: dict[str, int] = {}
        for _, query, filters in QUERIES:  # warm the page cache
            store.search(query, filters=Filters(**filters))
        for _ in range(rounds):
            for category, query, filters in QUERIES:
                started = time.perf_counter()
                results = store.search(query, filters=Filters(**filters), limit=10)
                timings.setdefault(category, []).append((time.perf_counter() - started) * 1000)
                totals[f"{query} {filters}".strip()] = results.total
    every = [t for ts in timings.values() for t in ts]
    return {
        "queries": len(QUERIES),
        "rounds": rounds,
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(_p95(every), 2),
        "max_ms": round(max(every), 2),
        "by_category": {c: {"median_ms": round(statistics.median(ts), 2), "p95_ms": round(_p95(ts), 2), "n": len(ts)} for c, ts in timings.items()},
        "matches": totals,
    }


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


# -- ingest throughput ----------------------------------------------------------------------


def real_texts(data: Path, count: int) -> list[Path]:
    meta = data / "cdt_ddt" / "metadata.tsv"
    rows = [r for r in csv.DictReader(meta.open(encoding="utf-8"), delimiter="\t") if r["medium"] == "newspaper" and r["ud_split_status"] != "test-only"]
    return [data / "cdt_ddt" / "txt" / f"{r['id']}-da.txt" for r in rows[:count]]


def time_ingest(paths: list[Path], model: str | None, target: Target) -> dict[str, Any]:
    nlp = load_pipeline(model)
    settings = Settings.from_env()
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    name = re.sub(r"\W", "_", f"ingest_{model or 'da_kilde'}")
    runs: dict[str, dict[str, Any]] = {}
    for label in ("fresh", "resume"):
        opened: Callable[[str], Store] = target.fresh if label == "fresh" else target.open
        with opened(name) as store:
            started = time.perf_counter()
            statuses = [e.status for e in ingest_documents(store, read_paths([str(p) for p in paths], settings=settings), nlp=nlp)]
            seconds = time.perf_counter() - started
        runs[label] = {"seconds": round(seconds, 2), "rate": round(len(paths) / seconds, 1), "statuses": {s: statuses.count(s) for s in sorted(set(statuses))}}
    return {
        "model": model or "da_kilde",
        "articles": len(paths),
        "words": words,
        "seconds": runs["fresh"]["seconds"],
        "articles_per_s": runs["fresh"]["rate"],
        "words_per_s": round(words / runs["fresh"]["seconds"]),
        "resume_seconds": runs["resume"]["seconds"],
        "resume_articles_per_s": runs["resume"]["rate"],
        "statuses": runs["fresh"]["statuses"],
        "resume_statuses": runs["resume"]["statuses"],
    }


# -- report ---------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    s, b = result["search"], result["build"]
    postgres = result.get("backend") == "postgresql"
    if postgres:
        head = [
            PG_START,
            f"{result['date']}, commit `{result['commit']}`. Command: `.venv/bin/python benchmarks/store.py --backend postgresql --records {b['records']}"
            f"{' --texts 0' if not result['ingest'] else ''}`. {result['server']}, client and server on this machine (2 cores, shared),"
            f" load average before {result['load_before']}.",
            "",
            f"**Search latency** on {b['records']:,} synthetic records (the same records as the SQLite figures above; {b['db_mb']:,} MB of tables"
            " and indexes): `Store.search` with the total count and snippets of the top 10 (tsvector of the Danish stems, GIN index, ts_rank_cd),"
            f" {s['queries']} queries × {s['rounds']} rounds after one warm-up round.",
        ]
    else:
        head = [
            START,
            f"{result['date']}, commit `{result['commit']}`. Command: `.venv/bin/python benchmarks/store.py --records {b['records']}`."
            f" SQLite {result['sqlite']}, one process, load average before {result['load_before']}.",
            "",
            f"**Search latency** on {b['records']:,} synthetic records ({b['db_mb']:,} MB file; our templates filled with slot values and"
            " sentences sampled from cdt_ddt newspaper texts): `Store.search` with the total count and snippets of the top 10,"
            f" {s['queries']} queries × {s['rounds']} rounds after one warm-up round.",
        ]
    lines = [
        *head,
        "",
        "| queries | n | median ms | p95 ms |",
        "|---|---|---|---|",
        f"| **all** | {s['queries'] * s['rounds']} | **{s['median_ms']}** | **{s['p95_ms']}** |",
    ]
    lines += [f"| {c} | {v['n']} | {v['median_ms']} | {v['p95_ms']} |" for c, v in s["by_category"].items()]
    if postgres and result.get("same_totals_as_sqlite"):
        lines += ["", f"Match counts equal to SQLite's (benchmarks/results/store.json, same records) for {result['same_totals_as_sqlite']} queries."]
    index = "tsvector + name index" if postgres else "FTS index"
    lines += ["", f"Building the synthetic store (records → tables + {index}, 1,000 per transaction): {b['build_rate']:,} records/s."]
    if result["ingest"]:
        lines += [
            "",
            "**Ingest throughput**, whole pipeline (read → clean → nlp → extract → store, as `kilde ingest`), one process, cdt_ddt newspaper texts"
            " that are not held out, into an empty store; then the same inputs again (all skipped after cleaning, before the NLP).",
            "",
            "| model | articles | words | articles/s | words/s | rerun (resume) articles/s |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['model']} | {r['articles']} | {r['words']:,} | {r['articles_per_s']} | {r['words_per_s']:,} | {r['resume_articles_per_s']} |"
            for r in result["ingest"]
        ]
    lines.append(PG_END if postgres else END)
    return "\n".join(lines) + "\n"


def write_results(result: dict[str, Any]) -> None:
    if result.get("backend") == "postgresql":
        save_results(result, markdown(result), json_path=PG_RESULTS_JSON, start=PG_START, end=PG_END, heading=PG_HEADING)
    else:
        save_results(result, markdown(result), json_path=RESULTS_JSON, start=START, end=END, heading=HEADING)


def same_totals(search: dict[str, Any], build: dict[str, Any]) -> str | None:
    """How many queries found as many articles as in the SQLite results of the same records ("n of m"), if there are such results."""
    if not RESULTS_JSON.is_file():
        return None
    sqlite_result = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    if sqlite_result["build"]["records"] != build["records"]:  # other records: nothing to compare
        return None
    sqlite_matches = sqlite_result["search"]["matches"]
    ours = search["matches"]
    if set(sqlite_matches) != set(ours):
        return None
    return f"{sum(sqlite_matches[k] == ours[k] for k in ours)} of {len(ours)}"


def throwaway_server(directory: Path) -> str:
    """A PostgreSQL server from scripts/postgres.sh, switched to durable writes (the script starts it with fsync off, for tests)."""
    started = subprocess.run(["bash", str(POSTGRES_SCRIPT), "start", str(directory)], capture_output=True, text=True, check=False)
    if started.returncode != 0:
        raise SystemExit(f"scripts/postgres.sh could not start a server: {started.stderr.strip()}")
    url = started.stdout.strip().splitlines()[-1]
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for setting in ("fsync", "full_page_writes", "synchronous_commit"):
            conn.execute(f"ALTER SYSTEM SET {setting} = on")
        conn.execute("SELECT pg_reload_conf()")
    return url


def server_description(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        settings = {name: conn.execute(f"SHOW {name}").fetchone() for name in ("shared_buffers", "fsync", "synchronous_commit")}
    shown = ", ".join(f"{name} {value[0]}" for name, value in settings.items() if value)
    return f"PostgreSQL {version[0] if version else '?'} ({shown})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite", help="which store to measure")
    parser.add_argument("--db", help="postgresql://… database for --backend postgresql (default: a throwaway server from scripts/postgres.sh)")
    parser.add_argument("--schema", default="bench", help="PostgreSQL: the stores go in schemas SCHEMA_search, SCHEMA_ingest_… (dropped first)")
    parser.add_argument("--records", type=int, default=100_000, help="synthetic records in the search store")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the query set")
    parser.add_argument("--texts", type=int, default=300, help="real texts for the ingest throughput (0: skip)")
    parser.add_argument("--model", action="append", help="'rules' or a pipeline path; repeatable (default: the shipped model and rules)")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--keep", type=Path, help="SQLite: build the search store at this path and keep it")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update the results files")
    args = parser.parse_args(argv)
    import sqlite3

    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    server_dir: Path | None = None
    with tempfile.TemporaryDirectory(prefix="kilde-store-bench-") as tmp:
        work = Path(tmp)
        url = args.db
        try:
            if args.backend == "postgresql" and url is None:
                server_dir = Path(tempfile.mkdtemp(prefix="kilde-pg-bench-"))  # under /tmp: the postgres user must reach it
                print(f"starting a PostgreSQL server in {server_dir} …", file=sys.stderr)
                url = throwaway_server(server_dir)
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.schema):
                parser.error(f"--schema must be a lower-case SQL name, got {args.schema!r}")
            target = Target(args.backend, work=work, url=url, keep=args.keep, prefix=args.schema)
            sentences = _sentences(args.data)
            print(f"building {args.records:,} synthetic records ({len(sentences):,} filler sentences) in {args.backend} …", file=sys.stderr)
            build = build_store(target, args.records, args.seed, sentences)
            print(f"timing {len(QUERIES)} queries × {args.rounds} …", file=sys.stderr)
            search = time_searches(target, args.rounds)
            ingest = []
            if args.texts and (args.data / "cdt_ddt" / "metadata.tsv").is_file():
                paths = real_texts(args.data, args.texts)
                for model in args.model or [None, "rules"]:
                    print(f"ingesting {len(paths)} texts with {model or 'da_kilde'} …", file=sys.stderr)
                    ingest.append(time_ingest(paths, model, target))
            server = server_description(url) if url else None
        finally:
            if server_dir is not None:
                subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop", str(server_dir)], capture_output=True, check=False)
                subprocess.run(["rm", "-rf", str(server_dir)], check=False)
    result: dict[str, Any] = {
        "date": DATE,
        "commit": git_commit(),
        "backend": args.backend,
        "load_before": load_before,
        "build": build,
        "search": search,
        "ingest": ingest,
    }
    if args.backend == "postgresql":
        result["server"] = server
        result["same_totals_as_sqlite"] = same_totals(search, build)
    else:
        result["sqlite"] = sqlite3.sqlite_version
    print(markdown(result))
    if not args.no_write:
        write_results(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
