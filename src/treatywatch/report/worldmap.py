"""A choropleth world map drawn offline from vendored Natural Earth geometry.

Geometry: ``static/world-atlas/countries-110m.json`` from the npm package
``world-atlas`` 2.0.2 (ISC licence, © Mike Bostock; LICENSE beside it),
itself derived from Natural Earth 1:110m admin-0 countries (public
domain). It is vendored, not fetched, because reports must render with no
network; at ~105 KB it is small enough to ship. Countries are keyed by
ISO 3166-1 numeric code, which the store holds for every jurisdiction.

Projection: Equal Earth (Šavrič, Patterson & Jenny 2018) — equal-area, so
large countries do not dominate a map of verdicts, and closed-form, so it
needs no projection library.

States without geometry at this scale (small States such as Singapore,
the EU, and the fictional sample States, whose user-assigned codes have no
territory) cannot be drawn; :func:`choropleth` returns them separately so
the report lists them beside the map instead of silently dropping them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from markupsafe import Markup

from treatywatch.report.palette import NO_DATA

GEOMETRY = "static/world-atlas/countries-110m.json"
SKIPPED = frozenset({"010"})  # Antarctica: no State, and a fifth of the map's height
WIDTH = 900.0

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to Equal Earth plane units (x ≈ ±2.71, y ≈ ±1.32)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = equal_earth(180.0, 0.0)[0]
_Y_MAX = equal_earth(0.0, 90.0)[1]
_Y_TOP = equal_earth(0.0, 85.0)[1]  # just north of the northernmost land at 110m
_Y_BOTTOM = equal_earth(0.0, -57.0)[1]  # Tierra del Fuego, with Antarctica skipped
_SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round((_Y_TOP - _Y_BOTTOM) * _SCALE, 1)


def _to_svg(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return round((x + _X_MAX) * _SCALE, 1), round((_Y_TOP - y) * _SCALE, 1)


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Delta-decoded, de-quantized arcs in lon/lat (TopoJSON spec §2.1.5)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            if transform:
                x, y = x + dx, y + dy
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((dx, dy))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


Point = tuple[float, float]


def _unwrap(ring: list[Point]) -> list[Point]:
    """Make longitudes continuous: a step of more than 180° crosses the antimeridian."""
    out: list[Point] = []
    shift = 0.0
    for lon, lat in ring:
        if out:
            previous = out[-1][0] - shift
            if lon - previous > 180:
                shift -= 360
            elif previous - lon > 180:
                shift += 360
        out.append((lon + shift, lat))
    return out


def _clip(ring: list[Point], limit: float, keep_below: bool) -> list[Point]:
    """Sutherland–Hodgman clip of a ring against the meridian ``lon = limit``."""

    def inside(p: Point) -> bool:
        return p[0] <= limit if keep_below else p[0] >= limit

    out: list[Point] = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            t = (limit - previous[0]) / (current[0] - previous[0])
            out.append((limit, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def _split_at_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """A ring crossing ±180° as the pieces that fall inside [-180°, 180°]."""
    unwrapped = _unwrap(ring)
    if all(-180 <= lon <= 180 for lon, _ in unwrapped):
        return [ring]
    pieces = []
    for offset in (-360.0, 0.0, 360.0):
        moved = [(lon + offset, lat) for lon, lat in unwrapped]
        piece = _clip(_clip(moved, 180.0, True), -180.0, False)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def _path(rings: list[list[Point]]) -> str:
    parts = []
    for ring in (piece for raw in rings for piece in _split_at_antimeridian(raw)):
        projected: list[tuple[float, float]] = []
        for lon, lat in ring:
            point = _to_svg(lon, lat)
            if not projected or projected[-1] != point:
                projected.append(point)
        if len(projected) < 3:
            continue
        coords = " ".join(f"{x:g},{y:g}" for x, y in projected)
        parts.append(f"M{coords}Z")
    return "".join(parts)


@dataclass(frozen=True)
class Shape:
    numeric: str
    name: str
    path: str  # SVG path data, already projected


@cache
def shapes() -> tuple[Shape, ...]:
    """Every country of the vendored topology as a projected SVG path, sorted by code."""
    raw = resources.files("treatywatch.report").joinpath(GEOMETRY).read_text(encoding="utf-8")
    topology = json.loads(raw)
    arcs = _decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if not numeric or numeric in SKIPPED:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        name = str(geometry.get("properties", {}).get("name", numeric))
        out.append(Shape(str(numeric), name, _path(rings)))
    return tuple(sorted(out, key=lambda s: s.numeric))


def has_geometry(numeric: str | None) -> bool:
    return numeric is not None and any(s.numeric == numeric for s in shapes())


def e(value: object) -> str:
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class MapDatum:
    """One State's value on the map."""

    code: str  # alpha-3 (or a fictional user-assigned code)
    numeric: str | None
    name: str
    fill: str
    label: str  # the value as words, e.g. "score 43%" or "signatory"


@dataclass(frozen=True)
class WorldMap:
    svg: Markup
    mapped: tuple[MapDatum, ...]
    unmapped: tuple[MapDatum, ...]  # no geometry: list them beside the map


def choropleth(data: Sequence[MapDatum], title: str, legend: Sequence[tuple[str, str]]) -> WorldMap:
    """The world with ``data`` States filled; others light grey, all with tooltips."""
    by_numeric = {d.numeric: d for d in data if d.numeric}
    known = {s.numeric for s in shapes()}
    legend_h = 26
    body = [f'<rect x="0" y="0" width="{WIDTH:g}" height="{HEIGHT + legend_h:g}" fill="#eef3f8"/>']
    for shape in shapes():
        datum = by_numeric.get(shape.numeric)
        if datum is None:
            body.append(
                f'<path class="country" data-numeric="{shape.numeric}" d="{shape.path}" '
                f'fill="{NO_DATA}" stroke="#999" stroke-width="0.3">'
                f"<title>{e(shape.name)}: no data</title></path>"
            )
            continue
        body.append(
            f'<path class="country has-data" id="country-{e(datum.code)}" '
            f'data-code="{e(datum.code)}" data-numeric="{shape.numeric}" d="{shape.path}" '
            f'fill="{e(datum.fill)}" stroke="#333" stroke-width="0.5">'
            f"<title>{e(datum.name)}: {e(datum.label)}</title></path>"
        )
    x = 6.0
    for label, colour in legend:
        body.append(
            f'<rect x="{x:.1f}" y="{HEIGHT + 6:g}" width="14" height="14" fill="{e(colour)}" '
            f'stroke="#555" stroke-width="0.5"/>'
            f'<text x="{x + 18:.1f}" y="{HEIGHT + 17:g}">{e(label)}</text>'
        )
        x += 26 + 7 * len(label)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-worldmap" '
        f'width="{WIDTH:g}" height="{HEIGHT + legend_h:g}" '
        f'viewBox="0 0 {WIDTH:g} {HEIGHT + legend_h:g}" role="img" aria-label="{e(title)}" '
        f'font-family="\'DejaVu Sans\', Arial, sans-serif" font-size="11">'
        f"<title>{e(title)}</title>{''.join(body)}</svg>"
    )
    mapped = tuple(d for d in data if d.numeric in known)
    unmapped = tuple(d for d in data if d.numeric not in known)
    return WorldMap(Markup(svg), mapped, unmapped)  # noqa: S704 - escaped above
