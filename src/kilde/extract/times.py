"""Time expressions: Danish dates, clock times, durations, frequencies and periods, normalised TIMEX3-style.

Rules are regular expressions built once from the vocabulary in ``data/time_words.tsv`` and run over the
whole text (a dozen scans, no per-token work), so they work the same on the rule and the trained pipeline.
Overlapping matches keep the longest; adjacent ones are joined into intervals (``mellem kl. 22 og kl. 6``,
``fra august 1987 til maj i år``) and a clock time borrows the date mentioned just before it in the sentence
(``søndag aften … kl. 23.30``).

Values follow ``eval/geo/GUIDELINE.md`` §2: ISO 8601 dates (``2022-02-24``, ``2022-W12``, ``1987-Q2``,
``2021-SU``, decade ``196``), times (``2022-10-25T14:30``, ``…TEV``), durations (``P8M``, ``PT48H``,
``PXD``), sets (``P1D``, ``XXXX-WXX-5``) and intervals (``1939/1945``). Relative expressions are anchored on
the publication date (``anchor="DCT"``); without one the value is ``None`` and ``anchor`` says what it is
relative to, e.g. ``DCT-P1D`` for *i går* or ``DCT<WD6`` for *i lørdags* (the last Saturday before it).

dateparser is not used: it parses a string you already know is a date, and costs milliseconds a call; the
Danish forms it lacks (i forgårs, i lørdags, uge 12, primo marts, for otte måneder siden) are the common ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc

from kilde.records import TimeExpression

__all__ = ["find_times", "times"]


@dataclass(frozen=True, slots=True)
class _Words:
    month: dict[str, int]
    weekday: dict[str, int]
    number: dict[str, float]
    unit: dict[str, str]
    season: dict[str, str]
    daypart: dict[str, str]
    deictic: dict[str, tuple[int, str | None]]
    vague: dict[str, str]
    sets: dict[str, str]
    named: dict[str, tuple[str, str]]


@cache
def _words() -> _Words:
    tables: dict[str, dict] = {k: {} for k in ("month", "weekday", "number", "unit", "season", "daypart", "deictic", "vague", "set", "named")}
    raw = resources.files("kilde.extract").joinpath("data", "time_words.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, words, value, *rest = line.split("\t")
        for word in words.split("|"):
            if kind in ("month", "weekday"):
                tables[kind][word] = int(value)
            elif kind == "number":
                tables[kind][word] = float(value)
            elif kind == "deictic":
                offset, *part = value.split(" ")
                tables[kind][word] = (int(offset), part[0] if part else None)
            elif kind == "named":
                tables[kind][word] = (value, rest[0])
            else:
                tables[kind][word] = value
    return _Words(
        tables["month"],
        tables["weekday"],
        tables["number"],
        tables["unit"],
        tables["season"],
        tables["daypart"],
        tables["deictic"],
        tables["vague"],
        tables["set"],
        tables["named"],
    )


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    type: str
    value: str | None
    vague: bool = False
    mod: str | None = None
    anchor: str | None = None
    date: dt.date | None = None  # the calendar day it names, for clock times that follow
    clock: tuple[int, int] | None = None


# --------------------------------------------------------------------------- date arithmetic
def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _week(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _nearest_year(dct: dt.date, month: int, day: int = 15, tense: str | None = None) -> int:
    """The year that fits: closest to the publication date (i januar, written in October → next year), but a
    past-tense sentence takes the last occurrence up to ten months back and a future one the next occurrence."""
    candidates = [(y, dt.date(y, month, min(day, 28))) for y in (dct.year - 1, dct.year, dct.year + 1)]
    if tense == "future":
        return min((y for y, d in candidates if d >= dct), default=dct.year)
    if tense == "past":
        past = [(y, d) for y, d in candidates if d <= dct and (dct - d).days <= 305]
        if past:
            return max(past)[0]
    return min(candidates, key=lambda c: abs((c[1] - dct).days))[0]


_FUTURE = re.compile(r"\b(?:vil|skal|kommer til at|ventes|forventes|planlægger|planlagt|håber|regner med|næste|fremover)\b", re.I)
_PAST = re.compile(r"\b(?:var|blev|havde|fik|kom|gik|sagde|skete|\w+ede|\w+te)\b", re.I)


def _tense(text: str, start: int, end: int) -> str | None:
    """Rough tense of the sentence around a match: future auxiliaries first, else past-tense verbs."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    sentence = text[left + 1 : min(right_candidates) if right_candidates else len(text)]
    if _FUTURE.search(sentence):
        return "future"
    return "past" if _PAST.search(sentence) else None


def _season_year(dct: dt.date, code: str, how: str) -> int:
    start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    this = dt.date(dct.year, start, 1)
    if how == "next":
        return dct.year if this > dct else dct.year + 1
    if how == "last":
        # the most recent season that is over: "sidste sommer" in October is this year's, in February last year's
        return dct.year if _add_months(this, 3) <= dct else dct.year - 1
    # "i efteråret": this year's if it has begun, else last year's
    return dct.year if this <= dct else dct.year - 1


def _duration(n: float, unit: str) -> str:
    if unit in ("TS", "TM", "TH"):
        return f"PT{_num(n)}{unit[1]}"
    if unit == "TQ":
        return f"PT{_num(n * 15)}M"
    if unit == "Q":
        return f"P{_num(n * 3)}M"
    if unit == "DEC":
        return f"P{_num(n * 10)}Y"
    if unit == "CEN":
        return f"P{_num(n * 100)}Y"
    if unit == "Y" and n != int(n):
        return f"P{_num(n * 12)}M"
    if unit == "M" and n != int(n):
        return f"P{_num(n * 30)}D"
    return f"P{_num(n)}{unit}"


def _num(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


def _vague_duration(unit: str) -> str:
    return {"TS": "PTXS", "TM": "PTXM", "TH": "PTXH", "TQ": "PTXM", "Q": "PXM", "DEC": "PXY", "CEN": "PXY"}.get(unit, f"PX{unit}")


# --------------------------------------------------------------------------- the rules
_MODS = {
    "primo": "START",
    "begyndelsen af": "START",
    "starten af": "START",
    "først i": "START",
    "medio": "MID",
    "midten af": "MID",
    "midt i": "MID",
    "ultimo": "END",
    "slutningen af": "END",
    "udgangen af": "END",
    "sidst i": "END",
}
_QUANT_MODS = {
    "næsten": "LESS_THAN",
    "knap": "LESS_THAN",
    "under": "LESS_THAN",
    "mindre end": "LESS_THAN",
    "op til": "LESS_THAN",
    "over": "MORE_THAN",
    "mere end": "MORE_THAN",
    "godt": "MORE_THAN",
    "snart": "APPROX",
    "cirka": "APPROX",
    "ca.": "APPROX",
    "omkring": "APPROX",
}
_DECADE_WORDS = {
    "tyverne": 192,
    "trediverne": 193,
    "fyrrerne": 194,
    "halvtredserne": 195,
    "tresserne": 196,
    "halvfjerdserne": 197,
    "firserne": 198,
    "halvfemserne": 199,
}
_VAGUE_QUANTITY = r"(?:mange|flere|nogle få|nogle|få|et par|adskillige)"
# words after "tidligere/senere" that show the adverb (not the adjective "former": tidligere kolleger)
_ADVERB_FOLLOWERS = frozenset(
    [
        "i",
        "på",
        "har",
        "havde",
        "er",
        "var",
        "blev",
        "bliver",
        "end",
        "og",
        "men",
        "at",
        "som",
        "da",
        "til",
        "om",
        "med",
        "fra",
        "samme",
        "på",
        "i",
        "dag",
        "i",
        "år",
    ]
)
# what follows a number that makes a four-digit number an amount, not a year
_AMOUNT_AFTER = re.compile(
    r"^\s*(?:kr\b|kroner|mio|mia|millioner|milliarder|procent|%|mennesker|personer|stk|meter|km|kilo|ton|tons|timer|dage|år\b|euro|dollar)", re.I
)


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], dt.date | None], _Hit | None]


def _relative(dct: dt.date | None, compute: Callable[[dt.date], tuple[str, dt.date | None]], anchor: str) -> tuple[str | None, str, dt.date | None]:
    if dct is None:
        return None, anchor, None
    value, day = compute(dct)
    return value, "DCT", day


@cache
def _rules() -> list[_Rule]:
    w = _words()
    month = _alt(w.month)
    weekday = _alt(w.weekday)
    number = r"(?:\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?|" + _alt(w.number) + ")"
    unit = _alt(w.unit)
    season = _alt(w.season)
    daypart = _alt(w.daypart)
    mods = _alt(_MODS)
    qmods = _alt(_QUANT_MODS)
    clock = r"kl(?:\.|okken)\s*(\d{1,2})(?:[.:](\d{2}))?"
    rules: list[_Rule] = []

    def rule(pattern: str, flags: int = re.I) -> Callable[[Callable[[re.Match[str], dt.date | None], _Hit | None]], None]:
        def register(build: Callable[[re.Match[str], dt.date | None], _Hit | None]) -> None:
            rules.append(_Rule(re.compile(r"(?<!\w)" + pattern + r"(?!\w)", flags), build))

        return register

    def number_value(text: str) -> float:
        text = text.lower()
        if text in w.number:
            return w.number[text]
        return float(text.replace(".", "").replace(",", "."))

    def clock_of(m: re.Match[str], hour_group: int) -> tuple[int, int] | None:
        if m.group(hour_group) is None:
            return None
        hour, minute = int(m.group(hour_group)), int(m.group(hour_group + 1) or 0)
        return (hour, minute) if hour <= 24 and minute < 60 else None

    def with_clock(hit: _Hit, hm: tuple[int, int] | None) -> _Hit:
        if hm and hit.date:
            hit.type, hit.value, hit.clock = "time", f"{hit.date.isoformat()}T{hm[0]:02d}:{hm[1]:02d}", hm
        return hit

    # 24. februar 2022, den 2. juni, mandag den 3. april kl. 14.30
    @rule(rf"(?:(?:{weekday})(?:\s+den)?\s+)?(?:den\s+|d\.\s*)?(\d{{1,2}})\.\s*({month})(?:\s+(\d{{4}}))?(?:,?\s+{clock})?")
    def full_date(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        day, mon = int(m.group(1)), w.month[m.group(2).lower()]
        year = int(m.group(3)) if m.group(3) else (_nearest_year(dct, mon, day, _tense(m.string, m.start(), m.end())) if dct else None)
        if year is None:
            return _Hit(m.start(), m.end(), "date", f"XXXX-{mon:02d}-{day:02d}", anchor="DCT:nearest-year")
        try:
            date = dt.date(year, mon, day)
        except ValueError:
            return None
        return with_clock(_Hit(m.start(), m.end(), "date", date.isoformat(), date=date, anchor=None if m.group(3) else "DCT"), clock_of(m, 4))

    # d. 3/4, den 3/4-2022
    @rule(r"(?:den\s+|d\.\s*)(\d{1,2})/(\d{1,2})(?:[-/](\d{4}|\d{2}))?")
    def numeric_date(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        day, mon = int(m.group(1)), int(m.group(2))
        if not (1 <= mon <= 12 and 1 <= day <= 31):
            return None
        year = int(m.group(3)) if m.group(3) else (_nearest_year(dct, mon, day, _tense(m.string, m.start(), m.end())) if dct else None)
        if year is not None and year < 100:
            year += 1900 if year > 40 else 2000
        if year is None:
            return _Hit(m.start(), m.end(), "date", f"XXXX-{mon:02d}-{day:02d}", anchor="DCT:nearest-year")
        try:
            date = dt.date(year, mon, day)
        except ValueError:
            return None
        return _Hit(m.start(), m.end(), "date", date.isoformat(), date=date)

    # primo marts, begyndelsen af september, august 1987, maj i år, til oktober, januar
    @rule(rf"(?:(til|{mods})\s+)?({month.replace('|jan.', '').replace('|feb.', '')})(?:\s+(\d{{4}})|\s+(i år|sidste år|næste år|i fjor))?")
    def month_rule(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        word = m.group(2).lower()
        if word.endswith("."):
            return None  # abbreviations only with a day
        mon = w.month[word]
        mod = _MODS.get((m.group(1) or "").lower())
        start = m.start() if m.group(1) and (m.group(1).lower() == "til" or mod) else m.start(2)
        if m.group(3):
            return _Hit(start, m.end(), "date", f"{m.group(3)}-{mon:02d}", mod=mod)
        if dct is None:
            return _Hit(start, m.end(), "date", None, mod=mod, anchor="DCT:nearest-year")
        rel = (m.group(4) or "").lower()
        year = dct.year + {"i år": 0, "sidste år": -1, "i fjor": -1, "næste år": 1}[rel] if rel else _nearest_year(dct, mon)
        if (m.group(1) or "").lower() == "til" and dt.date(year, mon, 28) < dct:
            year += 1
        return _Hit(start, m.end(), "date", f"{year}-{mon:02d}", mod=mod, anchor="DCT")

    # sidste år i september
    @rule(rf"(sidste|næste|i) år i ({month})")
    def year_month(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        mon = w.month[m.group(2).lower()]
        if dct is None:
            return _Hit(m.start(), m.end(), "date", None, anchor=f"DCT{ {'sidste': '-P1Y', 'næste': '+P1Y', 'i': ''}[m.group(1).lower()] }")
        year = dct.year + {"sidste": -1, "næste": 1, "i": 0}[m.group(1).lower()]
        return _Hit(m.start(), m.end(), "date", f"{year}-{mon:02d}", anchor="DCT")

    # 1992, i 1992, 1965-67, '90
    @rule(r"(1[0-9]{3}|20[0-9]{2})(?:\s*[-–]\s*(\d{4}|\d{2}))?(?![.,]\d)")
    def year(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        if _AMOUNT_AFTER.match(m.string[m.end() : m.end() + 12]) or re.search(r"\d[.,]?\s*$", m.string[max(0, m.start() - 2) : m.start()]):
            return None
        y = int(m.group(1))
        if not 1000 <= y <= 2100:
            return None
        if m.group(2):
            end = m.group(2)
            end_year = int(end) if len(end) == 4 else int(str(y)[:2] + end)
            if end_year <= y:
                return None
            return _Hit(m.start(), m.end(), "interval", f"{y}/{end_year}")
        return _Hit(m.start(), m.end(), "date", str(y))

    @rule(r"['’](\d{2})")
    def short_year(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        yy = int(m.group(1))
        century = (dct.year // 100 * 100) if dct else 1900
        year = century + yy if century + yy <= (dct.year + 10 if dct else 2100) else century - 100 + yy
        return _Hit(m.start(), m.end(), "date", str(year))

    # 1960'erne, 80'erne, 60erne, tresserne, begyndelsen af tresserne
    @rule(rf"(?:({mods})\s+)?(?:(\d{{4}}|\d{{2}})['’]?erne|({_alt(_DECADE_WORDS)}))")
    def decade(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        if m.group(3):
            value = _DECADE_WORDS[m.group(3).lower()]
        else:
            digits = m.group(2)
            value = int(digits[:3]) if len(digits) == 4 else 190 + int(digits[0]) if not dct or 1900 + int(digits) <= dct.year else 200 + int(digits[0])
        return _Hit(m.start(), m.end(), "date", str(value), mod=_MODS.get((m.group(1) or "").lower()))

    # begyndelsen af det nye år
    @rule(rf"(?:({mods})\s+)?det nye år")
    def new_year(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        value, anchor, _ = _relative(dct, lambda d: (str(d.year + 1), None), "DCT+P1Y")
        return _Hit(m.start(), m.end(), "date", value, anchor=anchor, mod=_MODS.get((m.group(1) or "").lower()))

    # 2. kvartal 1987, april kvartal i 1987
    @rule(r"(første|andet|tredje|fjerde|[1-4]\.|januar|april|juli|oktober)[ -]kvartal(?:\s+(?:i\s+)?(\d{4}))?")
    def quarter(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        q = {"første": 1, "andet": 2, "tredje": 3, "fjerde": 4, "januar": 1, "april": 2, "juli": 3, "oktober": 4}.get(m.group(1).lower()) or int(m.group(1)[0])
        year = m.group(2) or (str(dct.year) if dct else "XXXX")
        return _Hit(m.start(), m.end(), "date", f"{year}-Q{q}")

    # uge 12, uge 12 2023
    @rule(r"uge\s+(\d{1,2})(?:\s+(\d{4}))?")
    def week_number(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        wk = int(m.group(1))
        if not 1 <= wk <= 53:
            return None
        year = m.group(2) or (str(dct.year) if dct else "XXXX")
        return _Hit(m.start(), m.end(), "date", f"{year}-W{wk:02d}", anchor=None if m.group(2) else "DCT")

    # i år, sidste år, næste uge, denne måned, i sidste uge
    @rule(r"(?:i\s+)?(sidste|forrige|næste|denne|dette|i|kommende)\s+(uge|måned|år)(?!\s+i\s)")
    def this_period(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        which, period = m.group(1).lower(), m.group(2).lower()
        if which == "i" and period != "år":
            return None
        offset = {"sidste": -1, "forrige": -1, "næste": 1, "kommende": 1}.get(which, 0)
        if m.string[m.end() : m.end() + 4].lower() in (" har", " var") and which == "sidste" and period == "år":
            pass
        if dct is None:
            return _Hit(m.start(), m.end(), "date", None, anchor=f"DCT{offset:+d}{period}")
        if period == "uge":
            value = _week(dct + dt.timedelta(weeks=offset))
        elif period == "måned":
            value = _add_months(dct, offset).strftime("%Y-%m")
        else:
            value = str(dct.year + offset)
        return _Hit(m.start(), m.end(), "date", value, anchor="DCT")

    @rule(r"i fjor")
    def last_year(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        value, anchor, _ = _relative(dct, lambda d: (str(d.year - 1), None), "DCT-P1Y")
        return _Hit(m.start(), m.end(), "date", value, anchor=anchor)

    # i går, i forgårs, i nat, i aftes, i går eftermiddag, i går kl. 14.30
    @rule(rf"({_alt(w.deictic)})(?:\s+({daypart}))?(?:\s+{clock})?")
    def deictic(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        offset, part = w.deictic[m.group(1).lower()]
        if m.group(2):
            part = w.daypart[m.group(2).lower()]
        if dct is None:
            hm = clock_of(m, 3)
            tail = f"T{hm[0]:02d}:{hm[1]:02d}" if hm else f"T{part}" if part else ""
            return _Hit(m.start(), m.end(), "time" if tail else "date", None, anchor=f"DCT{offset:+d}D{tail}")
        day = dct + dt.timedelta(days=offset)
        hit = _Hit(m.start(), m.end(), "time" if part else "date", day.isoformat() + (f"T{part}" if part else ""), anchor="DCT", date=day)
        return with_clock(hit, clock_of(m, 3))

    # i lørdags, på mandag, søndag aften, onsdag morgen kl. 6
    @rule(rf"(?:(i|på|sidste|næste|forrige|på førstkommende|førstkommende)\s+)?({weekday})(s)?(?:\s+({daypart}))?(?:\s+{clock})?")
    def weekday_rule(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        prep = (m.group(1) or "").lower()
        if prep == "i" and not m.group(3):
            return None  # "i mandag" is not Danish; "i mandags" is
        target = w.weekday[m.group(2).lower()]
        part = w.daypart.get((m.group(4) or "").lower())
        if prep in ("på", "næste", "på førstkommende", "førstkommende"):
            how, sign = "next", ">"
        elif prep in ("i", "sidste", "forrige") or m.group(3):
            how, sign = "last", "<"
        else:
            how, sign = "recent", "<="
        start = m.start() if prep else m.start(2)
        if dct is None:
            return _Hit(start, m.end(), "time" if part else "date", None, anchor=f"DCT{sign}WD{target}")
        delta = (dct.isoweekday() - target) % 7
        if how == "next":
            day = dct + dt.timedelta(days=(target - dct.isoweekday()) % 7 or 7)
        elif how == "last":
            day = dct - dt.timedelta(days=delta or 7)
        else:
            day = dct - dt.timedelta(days=delta)
        hit = _Hit(start, m.end(), "time" if part else "date", day.isoformat() + (f"T{part}" if part else ""), anchor="DCT", date=day)
        return with_clock(hit, clock_of(m, 5))

    # kl. 14.30 (the date comes from context later)
    @rule(clock)
    def clock_rule(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        hm = clock_of(m, 1)
        if hm is None:
            return None
        return _Hit(m.start(), m.end(), "time", None, clock=hm, anchor="DCT" if dct else "DCT:day")

    # seasons: sommeren 2021, til foråret, i efteråret, sidste sommer
    @rule(rf"(?:(til|i|sidste|næste|forrige|denne|hele)\s+)?({season})(?:\s+(\d{{4}}))?")
    def season_rule(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        prep = (m.group(1) or "").lower()
        code = w.season[m.group(2).lower()]
        if m.group(3):
            return _Hit(m.start() if prep else m.start(2), m.end(), "date", f"{m.group(3)}-{code}")
        if not prep or prep == "hele":
            return None  # a bare "sommer" is usually generic
        how = {"til": "next", "næste": "next", "sidste": "last", "forrige": "last"}.get(prep, "current")
        if dct is None:
            return _Hit(m.start(), m.end(), "date", None, anchor=f"DCT:{how}-{code}")
        return _Hit(m.start(), m.end(), "date", f"{_season_year(dct, code, how)}-{code}", anchor="DCT")

    # for otte måneder siden, for over to år siden, for få år siden
    @rule(rf"for\s+(?:({qmods})\s+)?({number}|{_VAGUE_QUANTITY})\s+({unit})\s+siden")
    def ago(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        unit_code = w.unit[m.group(3).lower()]
        quantity = m.group(2).lower()
        if re.fullmatch(_VAGUE_QUANTITY, quantity):
            return _Hit(m.start(), m.end(), "date", "PAST_REF", vague=True)
        n = number_value(quantity)
        if dct is None:
            return _Hit(m.start(), m.end(), "date", None, anchor=f"DCT-{_duration(n, unit_code)}", mod=_QUANT_MODS.get((m.group(1) or "").lower()))
        if unit_code == "Y":
            value = str(dct.year - int(n))
        elif unit_code == "M":
            value = _add_months(dct, -int(n)).strftime("%Y-%m")
        elif unit_code == "W":
            value = _week(dct - dt.timedelta(weeks=int(n)))
        elif unit_code == "D":
            value = (dct - dt.timedelta(days=int(n))).isoformat()
        elif unit_code in ("DEC",):
            value = str((dct.year - int(n) * 10) // 10)
        else:
            value = dct.isoformat()
        return _Hit(m.start(), m.end(), "date", value, anchor="DCT", mod=_QUANT_MODS.get((m.group(1) or "").lower()))

    # durations: otte måneder, de foregående 48 timer, næsten 80 år, et halvt års, halvandet år, mange år
    @rule(
        rf"(?:(?:de|det|den|i de|i det)\s+)?(?:(sidste|seneste|foregående|følgende|kommende|første|næste|forløbne|senere)\s+)?"
        rf"(?:({qmods})\s+)?(?:(et|en)\s+)?({number}|{_VAGUE_QUANTITY})\s+(?:(halve|halvt)\s+)?(?:(?:sidste|seneste|første|kommende|foregående)\s+)?({unit})"
        r"(?!\s+(?:gammel|gamle)\b)"
    )
    def duration(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        quantity = m.group(4).lower()
        unit_code = w.unit[m.group(6).lower()]
        text = m.group(0)
        start = m.start()
        if text.lower().startswith("i "):
            start += 2
        if re.fullmatch(_VAGUE_QUANTITY, quantity):
            return _Hit(start, m.end(), "duration", _vague_duration(unit_code), vague=True)
        n = number_value(quantity)
        if m.group(5):  # et halvt år
            n = 0.5 if quantity in ("et", "en") else n + 0.5
        if m.group(6).lower() in ("dagen", "året"):
            return None  # "to dagen" is not a duration; "året" only as "det sidste år"
        return _Hit(start, m.end(), "duration", _duration(n, unit_code), mod=_QUANT_MODS.get((m.group(2) or "").lower()))

    # de seneste dage, de kommende år (a period without a number)
    @rule(rf"(?:de|det|den)\s+(seneste|sidste|kommende|foregående|følgende|næste|forløbne)\s+(?:(halve)\s+)?({unit})")
    def vague_period(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        word = m.group(3).lower()
        code = w.unit[word]
        if m.group(0).lower().startswith(("det ", "den ")):
            # singular: the last week/year as a stretch of time (den seneste uge, det sidste halve år)
            return _Hit(m.start(), m.end(), "duration", _duration(0.5 if m.group(2) else 1, code))
        if word in ("år", "døgn") or word.endswith(("e", "er", "r")):
            return _Hit(m.start(), m.end(), "duration", _vague_duration(code), vague=True)  # de seneste dage
        return None

    # en dag eller to, et par dage
    @rule(rf"en\s+({unit})\s+eller\s+to")
    def day_or_two(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        return _Hit(m.start(), m.end(), "duration", _vague_duration(w.unit[m.group(1).lower()]), vague=True)

    # et kvarter, et døgn
    @rule(r"(?:et|en)\s+(kvarter|døgn)")
    def single(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        return _Hit(m.start(), m.end(), "duration", "PT15M" if m.group(1).lower() == "kvarter" else "P1D")

    # hver fredag, hver dag, årligt, om måneden
    @rule(rf"hver(?:t)?\s+({weekday})")
    def every_weekday(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        return _Hit(m.start(), m.end(), "set", f"XXXX-WXX-{w.weekday[m.group(1).lower()]}")

    @rule(f"({_alt(w.sets)})")
    def frequency(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        return _Hit(m.start(), m.end(), "set", w.sets[m.group(1).lower()])

    # Anden Verdenskrig, jul 1987, nytår
    @rule(rf"(?:(før|efter|til|i)\s+)?({_alt(w.named)})(?:\s+(\d{{4}}))?")
    def named(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        value, kind = w.named[m.group(2).lower()]
        start = m.start(2) if m.group(1) and m.group(1).lower() != "til" else m.start()
        if kind == "interval":
            return _Hit(start, m.end(), "interval", value)
        if m.group(2).lower() == "jul" and m.string[m.end(2) : m.end(2) + 1] == ".":
            return None  # "jul." is July
        month, day = int(value[5:7]), int(value[8:10])
        if m.group(3):
            return _Hit(start, m.end(), "date", f"{m.group(3)}-{month:02d}-{day:02d}")
        if dct is None:
            return _Hit(start, m.end(), "date", value, anchor="DCT:nearest-year")
        year = dct.year + 1 if month == 1 and dct.month > 6 else _nearest_year(dct, month, day)
        return _Hit(start, m.end(), "date", f"{year}-{month:02d}-{day:02d}", anchor="DCT")

    # nu, tidligere, snart, forleden, for tiden, i øjeblikket
    @rule(f"({_alt(w.vague)})")
    def vague(m: re.Match[str], dct: dt.date | None) -> _Hit | None:
        return _Hit(m.start(), m.end(), "date", w.vague[m.group(1).lower()], vague=True)

    return rules


# --------------------------------------------------------------------------- the extractor
def _keep_vague(hit: _Hit, text: str, doc: Doc | None) -> bool:
    """Adverbs only: not "tidligere kolleger" (former), not "hvad det nu hedder" (particle)."""
    word = text[hit.start : hit.end].lower()
    following = re.match(r"\s*([\w.]+|[^\w\s])?", text[hit.end : hit.end + 30])
    nxt = (following.group(1) or "").lower() if following else ""
    if doc is not None and doc.has_annotation("POS"):
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        if span is not None and len(span) == 1 and span[0].pos_ not in ("ADV", "NOUN", "ADP", "X"):
            return False
    if word in ("tidligere", "senere"):
        return not nxt or not nxt[0].isalpha() or nxt in _ADVERB_FOLLOWERS
    if word == "nu":
        before = text[max(0, hit.start - 25) : hit.start].lower().split()
        return nxt not in ("engang", "og") and not any(b in ("hvad", "hvem", "hvordan", "hvorfor", "jo") for b in before[-3:])
    return True


def find_times(text: str, published: str | None, doc: Doc | None = None) -> list[_Hit]:
    dct = _parse_date(published)
    hits: list[_Hit] = []
    for rule in _rules():
        for m in rule.pattern.finditer(text):
            hit = rule.build(m, dct)
            if hit is not None and hit.end > hit.start:
                if hit.vague and hit.value and hit.value.endswith("_REF") and not _keep_vague(hit, text, doc):
                    continue
                hits.append(hit)
    # longest match wins; ties go to the earlier rule (more specific)
    chosen: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: -(h.end - h.start)):
        if any(hit.start < e and s < hit.end for s, e in taken):
            continue
        taken.append((hit.start, hit.end))
        chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    return _join(chosen, text, dct)


def _parse_date(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _join(hits: list[_Hit], text: str, dct: dt.date | None) -> list[_Hit]:
    """Clock times take the date named before them in the sentence; X og/til Y after mellem/fra becomes an interval."""
    last_date: dt.date | None = None
    last_end = 0
    for hit in hits:
        if "\n" in text[last_end : hit.start]:
            last_date = None  # a new paragraph: the day named before no longer holds
        if hit.type == "time" and hit.value is None and hit.clock:
            day = last_date or dct
            if day is not None:
                hit.value = f"{day.isoformat()}T{hit.clock[0]:02d}:{hit.clock[1]:02d}"
                hit.date = day
        if hit.date is not None:
            last_date = hit.date
        last_end = hit.end
    out: list[_Hit] = []
    i = 0
    while i < len(hits):
        a = hits[i]
        if i + 1 < len(hits):
            b = hits[i + 1]
            between = text[a.end : b.start]
            before = text[max(0, a.start - 8) : a.start].lower()
            if a.type in ("date", "time") and b.type in ("date", "time") and a.value and b.value and not a.vague and not b.vague:
                dash = re.fullmatch(r"\s*[-–]\s*", between)
                pair = re.fullmatch(r"\s+(og|til)\s+", between) and re.search(r"(mellem|fra)\s+$", before)
                if dash or pair:
                    bv = b.value
                    if a.clock and b.clock and b.date and a.date and b.clock < a.clock and b.date <= a.date:
                        nxt = a.date + dt.timedelta(days=1)
                        bv = f"{nxt.isoformat()}T{b.clock[0]:02d}:{b.clock[1]:02d}"
                    out.append(_Hit(a.start, b.end, "interval", f"{a.value}/{bv}", anchor=a.anchor or b.anchor))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def times(doc: Doc, *, published: str | None = None) -> list[TimeExpression]:
    """Time expressions in ``doc`` with ISO 8601 values anchored on ``published`` (ISO date) when given."""
    text = doc.text
    return [
        TimeExpression(
            start=h.start,
            end=h.end,
            text=text[h.start : h.end],
            value=h.value,
            type=h.type,  # type: ignore[arg-type]
            anchor=(published[:10] if h.anchor == "DCT" and published else h.anchor),
            vague=h.vague,
            mod=h.mod,
        )
        for h in find_times(text, published, doc)
    ]
