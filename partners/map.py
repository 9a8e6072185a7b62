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
from django.utils.translation import get_language
from django.utils.translation import gettext as _

GEO_FILE = Path(__file__).parent / "geo" / "europe.json"
CENTRE_LON, CENTRE_LAT = math.radians(10), math.radians(52)
# The part of the projected plane shown (x west→east, y south→north), in km.
VIEW = (-2900.0, -2300.0, 2700.0, 2500.0)  # min x, min y, max x, max y
WIDTH = 800


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


@functools.cache
def country_paths():
    """Every country's outline as SVG path data (projected once per process)."""
    data = json.loads(GEO_FILE.read_text())
    paths = []
    for country in data["features"]:
        parts = []
        for ring in country["rings"]:
            points = [to_svg(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        paths.append((country["name"], "".join(parts)))
    return tuple(paths)


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
                "countries": country_paths(),
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
