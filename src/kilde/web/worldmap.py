"""The map: a world outline shipped as data, drawn as SVG with the places and events on it. No tiles, nothing fetched.

The outline is ``data/countries-110m.json`` (Natural Earth 1:110m admin-0 countries as TopoJSON,
from the world-atlas 2.0.2 npm package; see ``data/SOURCE.md``). It is decoded here once and kept as
one SVG path in longitude / negated-latitude units; a map page scales it horizontally by the cosine of
the middle latitude it shows (an equirectangular projection fitted to the points), so Europe does not
look stretched, and puts the points on top in the same units.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["MapMarker", "MapView", "fit", "world_path", "world_rings"]

_DATA = "countries-110m.json"


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (quantized, delta-encoded) as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indices: Sequence[int]) -> list[tuple[float, float]]:
    """One ring from its arcs; a negative index ``~i`` is arc ``i`` reversed, and each arc starts where the last ended."""
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


@cache
def world_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every ring (outer and holes) of every country, as (lon, lat) points."""
    topology = json.loads(resources.files("kilde.web").joinpath("data", _DATA).read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    rings: list[tuple[tuple[float, float], ...]] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        polygons = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"] if kind == "MultiPolygon" else []
        for polygon in polygons:
            for indices in polygon:
                rings.append(tuple(_ring(arcs, indices)))
    return tuple(rings)


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("0.", ".", 1) if text.startswith("0.") else text.replace("-0.", "-.", 1)


@cache
def world_path() -> str:
    """All countries as one SVG path in (lon, -lat) units, relative moves at 0.1° (≈ 11 km, the outline's own scale)."""
    parts: list[str] = []
    for ring in world_rings():
        qx, qy = round(ring[0][0] * 10), round(-ring[0][1] * 10)
        steps = [f"M{_num(qx / 10)} {_num(qy / 10)}"]
        for lon, lat in ring[1:]:
            nx, ny = round(lon * 10), round(-lat * 10)
            if (nx, ny) == (qx, qy):
                continue
            if abs(nx - qx) > 1800:  # the ring crosses the antimeridian (Fiji, Chukotka): lift the pen, no line across the map
                steps.append(f"M{_num(nx / 10)} {_num(ny / 10)}")
                qx, qy = nx, ny
                continue
            dx, dy = _num((nx - qx) / 10), _num((ny - qy) / 10)
            steps.append(f"l{dx}{'' if dy.startswith('-') else ' '}{dy}")
            qx, qy = nx, ny
        parts.append("".join(steps) + "z")
    return "".join(parts)


@dataclass(frozen=True, kw_only=True)
class MapMarker:
    """A point to draw: a place (circle) or events at a place (diamond)."""

    kind: str  # place | event
    name: str
    lat: float
    lon: float
    weight: int  # articles (places) or events
    label: str  # the tooltip
    href: str
    x: float = 0.0
    y: float = 0.0
    r: float = 0.0


@dataclass(frozen=True, kw_only=True)
class MapView:
    """What a map page draws: the view box, the horizontal scale of the outline, the markers and label size."""

    viewbox: str
    xscale: float
    unit: float  # one screen pixel at 1000 px wide, in view units
    markers: list[MapMarker]
    labels: list[MapMarker]


def fit(markers: Iterable[MapMarker], *, world: bool = False, width_px: int = 1000) -> MapView:
    """Fit the view to the markers (or show the world), project them, size them by weight."""
    points = list(markers)
    if world or not points:
        lon0, lon1, lat0, lat1 = -180.0, 180.0, -60.0, 84.0
    else:
        lons, lats = [m.lon for m in points], [m.lat for m in points]
        lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
        # at least a country's worth of map around a single city, and a margin for the markers
        pad_lon, pad_lat = max(4.0, (lon1 - lon0) * 0.12), max(3.0, (lat1 - lat0) * 0.15)
        lon0, lon1 = max(-180.0, lon0 - pad_lon), min(180.0, lon1 + pad_lon)
        lat0, lat1 = max(-85.0, lat0 - pad_lat), min(85.0, lat1 + pad_lat)
    mid = (lat0 + lat1) / 2
    k = max(0.2, math.cos(math.radians(mid)))
    x0, x1, y0, y1 = lon0 * k, lon1 * k, -lat1, -lat0
    w, h = x1 - x0, y1 - y0
    # keep the picture at least 1:2 (tall) and at most 2.2:1 (wide), by widening the short side around the centre
    if h < w / 2.2:
        grow = w / 2.2 - h
        y0, h = y0 - grow / 2, w / 2.2
    elif w < h / 2:
        grow = h / 2 - w
        x0, w = x0 - grow / 2, h / 2
    unit = w / width_px
    top = max((m.weight for m in points), default=1)
    placed = []
    for m in points:
        r = unit * (3.5 + 9.0 * math.sqrt(m.weight / top))
        placed.append(MapMarker(kind=m.kind, name=m.name, lat=m.lat, lon=m.lon, weight=m.weight, label=m.label, href=m.href,
                                x=round(m.lon * k, 4), y=round(-m.lat, 4), r=round(r, 4)))  # fmt: skip
    placed.sort(key=lambda m: -m.r)  # small markers on top of big ones, so every one can be clicked
    labels = sorted((m for m in placed if m.kind == "place"), key=lambda m: -m.weight)[:12]
    return MapView(viewbox=f"{x0:.3f} {y0:.3f} {w:.3f} {h:.3f}", xscale=round(k, 5), unit=unit, markers=placed, labels=labels)
