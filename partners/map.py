"""The SVG map of Europe on a project's public page, drawn on the server.

Geography: ``partners/geo/europe.json`` (Natural Earth via world-atlas; see
``partners/geo/README.md``), projected with the Lambert azimuthal equal-area projection
centred on 10° E 52° N, the EU's own. Consortium members are squares, associated
cities circles, each with its name beside it, so the map reads without colour; the page
lists the same places as text. The countries' outlines are projected once per process;
a project's map is cached until its places change.
"""

import functools
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

GEO_FILE = Path(__file__).parent / "geo" / "europe.json"
CENTRE_LON, CENTRE_LAT = math.radians(10), math.radians(52)
# The part of the projected plane shown (x west→east, y south→north), in km.
VIEW = (-2900.0, -2300.0, 2700.0, 2500.0)  # min x, min y, max x, max y
WIDTH = 800
# Part of the cache key: a new drawing of the map replaces the cached ones at once.
DRAWING = 3


def project(lon, lat):
    """Longitude and latitude (degrees) to km on the Lambert azimuthal equal-area plane."""
    lam, phi = math.radians(lon), math.radians(lat)
    cos_c = math.sin(CENTRE_LAT) * math.sin(phi) + math.cos(CENTRE_LAT) * math.cos(phi) * math.cos(
        lam - CENTRE_LON
    )
    k = math.sqrt(2 / (1 + max(cos_c, -0.999999)))
    x = k * math.cos(phi) * math.sin(lam - CENTRE_LON)
    y = k * (
        math.cos(CENTRE_LAT) * math.sin(phi)
        - math.sin(CENTRE_LAT) * math.cos(phi) * math.cos(lam - CENTRE_LON)
    )
    return x * 6371.0, y * 6371.0


def _scale():
    min_x, _min_y, max_x, _max_y = VIEW
    return WIDTH / (max_x - min_x)


def to_svg(lon, lat):
    """A point of the map in SVG units (y downwards)."""
    x, y = project(lon, lat)
    min_x, _min_y, _max_x, max_y = VIEW
    scale = _scale()
    return (x - min_x) * scale, (max_y - y) * scale


def height():
    _min_x, min_y, _max_x, max_y = VIEW
    return (max_y - min_y) * _scale()


# Points closer than this (in SVG units, about a pixel at full width) are drawn as one.
THINNING = 0.8
MARGIN = 20


def _frame(window):
    """A test of whether a point lies on the edge the build pushed far-away points onto."""
    lons = {window["west"] - 4, window["east"] + 4}
    lats = {window["south"] - 3, window["north"] + 3}
    return lambda lon, lat: lon in lons or lat in lats


def _projected(ring, on_frame):
    """The ring's points in SVG units as (x, y, on the frame), thinned to what shows."""
    points = []
    for lon, lat in ring:
        x, y = to_svg(lon, lat)
        if points and abs(x - points[-1][0]) < THINNING and abs(y - points[-1][1]) < THINNING:
            continue
        points.append((x, y, on_frame(lon, lat)))
    return points


def _visible(points):
    xs, ys = [x for x, _y, _f in points], [y for _x, y, _f in points]
    across = max(xs) > -MARGIN and min(xs) < WIDTH + MARGIN
    return across and max(ys) > -MARGIN and min(ys) < height() + MARGIN


def _path(points):
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y, _frame in points) + "Z"


def _border(points):
    """A ring's outline without the stretches along the frame, which are no border."""
    parts, drawing = [], False
    for (x0, y0, frame0), (x1, y1, frame1) in zip(points, points[1:] + points[:1], strict=True):
        if frame0 and frame1:
            drawing = False
            continue
        if not drawing:
            parts.append(f"M{x0:.1f},{y0:.1f}")
            drawing = True
        parts.append(f"L{x1:.1f},{y1:.1f}")
    return "".join(parts)


@functools.cache
def country_paths():
    """Every country in view as (ISO code, name, area path, border path or None when the area's own
    outline is the border), projected once per process. A country cut by the frame of the
    data (Russia, Greenland, North Africa) has its area filled and only its real borders drawn."""
    data = json.loads(GEO_FILE.read_text())
    on_frame = _frame(data["window"])
    paths = []
    for country in data["features"]:
        areas, borders, cut = [], [], False
        for ring in country["rings"]:
            points = _projected(ring, on_frame)
            if len(points) < 3 or not _visible(points):
                continue
            areas.append(_path(points))
            if any(frame for _x, _y, frame in points):
                cut = True
                borders.append(_border(points))
            else:
                borders.append(areas[-1])
        if areas:
            code = countries.alpha2(country["id"]) or None
            paths.append((code, country["name"], "".join(areas), "".join(borders) if cut else None))
    return tuple(paths)


# The areas of the map data that have no ISO code.
WITHOUT_CODE = {"Kosovo": gettext_lazy("Kosovo"), "N. Cyprus": gettext_lazy("Northern Cyprus")}


def named_countries():
    """The country areas with their names in the active language."""
    return [
        (countries.name(code) if code else WITHOUT_CODE.get(name, name), area, border)
        for code, name, area, border in country_paths()
    ]


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    latitude: float
    longitude: float
    kind: str  # "consortium" or "associated"


def _marker(place):
    x, y = to_svg(place.longitude, place.latitude)
    return {
        "place": place,
        "x": round(x, 1),
        "y": round(y, 1),
        "box_x": round(x - 6, 1),
        "box_y": round(y - 6, 1),
        "label_x": round(x + 9, 1),
        "label_y": round(y + 4, 1),
    }


def render(places, *, title, description):
    """The map's SVG markup, cached by what it shows."""
    key_source = json.dumps(
        [
            DRAWING,
            title,
            description,
            get_language(),
            [(p.name, p.country, p.latitude, p.longitude, p.kind) for p in places],
        ]
    )
    key = "partners:map:" + hashlib.sha256(key_source.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = render_to_string(
            "partners/public/map.svg",
            {
                "width": WIDTH,
                "height": round(height(), 1),
                "countries": named_countries(),
                "markers": [_marker(place) for place in places],
                "title": title,
                "description": description,
                "legend_y": round(height() - 44, 1),
                "legend_consortium": _("Consortium member"),
                "legend_associated": _("Associated city"),
            },
        )
        cache.set(key, svg, timeout=24 * 3600)
    return svg
