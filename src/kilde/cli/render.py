"""The human-readable text view of article records."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from kilde.records import Article, Place, Rejection

_LABELS = {"PER": "people", "ORG": "organisations", "LOC": "places", "MISC": "other names"}


def console_width() -> int:
    """Room for one line inside the panel."""
    return max(40, Console().width - 4)


def article_view(article: Article) -> Panel:
    """A readable summary: what the article is, who is quoted, what was cleaned away."""
    parts: list[Text] = []
    head = Text()
    head.append(article.title or "(no title)", style="bold")
    meta = [x for x in (article.source.outlet, article.published, article.byline and f"af {article.byline}") if x]
    if meta:
        head.append("\n" + " · ".join(meta), style="dim")
    where = article.source.url or article.source.path
    if where:
        head.append(f"\n{where}", style="dim")
    kinds: dict[str, int] = defaultdict(int)
    for paragraph in article.paragraphs:
        kinds[paragraph.kind] += 1
    head.append(
        f"\n{len(article.text.split())} words · {len(article.paragraphs)} paragraphs ({', '.join(f'{n} {k}' for k, n in kinds.items())})"
        f" · {len(article.sentences)} sentences · language {article.language} ({article.language_score})",
        style="dim",
    )
    parts.append(head)

    if article.quotes:
        # who said what, one line each: speaker (type) · cue · kind: the words (cut to the line)
        lines = Text("Who said what\n", style="bold")
        for quote in article.quotes:
            speaker = quote.speaker.name or quote.speaker.mention or "?"
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{speaker} ({quote.speaker.type})", style="bold")
            line.append(f" · {quote.cue or '–'} · {quote.kind}: ", style="dim")
            line.append(" ".join(quote.text.split()))
            line.truncate(console_width(), overflow="ellipsis")
            lines.append_text(line)
            lines.append("\n")
        parts.append(lines)

    if article.sources:
        parts.append(Text("Sources: " + "; ".join(f"{s.name} ({s.type}, {s.mentions}×)" for s in article.sources)))

    if article.entities:
        grouped: dict[str, list[str]] = defaultdict(list)
        for entity in article.entities:
            if entity.text not in grouped[entity.label]:
                grouped[entity.label].append(entity.text)
        lines = Text()
        for label in ("PER", "ORG", "LOC", "MISC"):
            if grouped[label]:
                lines.append(f"{_LABELS[label]}: ", style="bold")
                lines.append(", ".join(grouped[label]) + "\n")
        parts.append(lines)

    if article.places:
        parts.append(Text("Places: " + "; ".join(_place_line(p) for p in article.places)))
    if article.times:
        parts.append(Text("Times: " + "; ".join(f"{t.text} = {t.value or f'relative: {t.anchor}'} ({t.type})" for t in article.times)))
    if article.events:
        # one event a line, wrapped by words: type (subtype) · "trigger" · actor → target · where, when · how we know
        lines = Text("What happened\n", style="bold")
        labels = {p.name: p.label or p.name for p in article.places}  # the place as the article names it (København)
        for e in article.events:
            lines.append(e.type, style="bold")
            if e.subtype:
                lines.append(f" ({e.subtype})")
            lines.append(f' · "{e.trigger}"', style="dim")
            who = (e.actor or "") + (f" → {e.target}" if e.target else "")
            if who:
                lines.append(f" · {who}")
            where = ", ".join(x for x in (f"in {labels.get(e.place, e.place)}" if e.place else "", e.time or "") if x)
            if where:
                lines.append(f" · {where}")
            how = ("not " if e.negated else "") + e.modality + (f", via {e.attributed_to}" if e.attributed_to else "")
            lines.append(f" · {how}\n", style="dim")
        parts.append(lines)
    if article.keywords:
        parts.append(Text("Keywords: " + ", ".join(article.keywords)))

    for caption in article.captions:
        credit = f" — {caption.credit}" if caption.credit else ""
        agency = f" / {caption.agency}" if caption.agency else ""
        parts.append(Text(f"Caption: {caption.text}{credit}{agency}", style="italic"))
    if article.removed:
        counts: dict[str, int] = defaultdict(int)
        for item in article.removed:
            counts[item.kind] += 1
        parts.append(Text("Cleaned away: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()), style="dim"))
    for warning in article.warnings:
        parts.append(Text(f"warning: {warning}", style="yellow"))
    return Panel(Group(*parts), title=f"[bold]{article.id}[/bold]", title_align="left")


def _place_line(place: Place) -> str:
    mentions = len(place.mentions)
    where = ", ".join(x for x in (place.country, place.feature) if x)
    line = f"{place.label or place.name} ({where}; {place.lat:.2f}, {place.lon:.2f}){f' ×{mentions}' if mentions > 1 else ''}"
    if place.alternatives:
        line += " [or " + ", ".join(f"{a.name} {a.country or ''} {a.score:.2f}".replace("  ", " ") for a in place.alternatives) + "]"
    return line


def print_article(console: Console, article: Article) -> None:
    console.print(article_view(article))


def rejection_line(rejection: Rejection) -> str:
    return f"rejected: {rejection.message} ({rejection.error})"
