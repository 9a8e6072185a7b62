"""Expected ranks with their credible intervals, drawn on the server as SVG (see reviews/charts.py).

A thin line spans the 90 % interval, a thick bar the 50 % interval, a dot the expected
rank; a dashed line marks the cut between the last place and the next. Rank 1 is on the
left. Every chart carries its numbers as text (``<title>`` and ``aria-label``), and the
pages print them beside it, so nothing is told by the drawing alone.
"""

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .charts import BAR, BAR_ALT, FONT, GRID, MARK, MUTED, _shorten

GREY_FILL = "#b36b00"


def axis_end(estimates, places):
    """The last rank the charts show: enough for every city with a chance of a place."""
    reach = [e.rank_90[1] for e in estimates if e is not None and e.probability]
    return max([places + 1, *reach]) + 1


def _x(rank, axis_max, left, width):
    rank = min(max(rank, 1), axis_max)
    return left + (rank - 1) / max(1, axis_max - 1) * width


def describe_template():
    """The sentence that describes one city's chart, translated once for many rows."""
    return _(
        "Expected rank %(rank)s; in half of the draws between %(low50)s and %(high50)s, "
        "in nine out of ten between %(low90)s and %(high90)s."
    )


def describe(estimate, template=None):
    return (template or describe_template()) % {
        "rank": floatformat(estimate.expected_rank, 1),
        "low50": estimate.rank_50[0],
        "high50": estimate.rank_50[1],
        "low90": estimate.rank_90[0],
        "high90": estimate.rank_90[1],
    }


def _interval(estimate, axis_max, left, width, y, height, grey):
    low90, high90 = (_x(r, axis_max, left, width) for r in estimate.rank_90)
    low50, high50 = (_x(r, axis_max, left, width) for r in estimate.rank_50)
    centre = _x(estimate.expected_rank, axis_max, left, width)
    middle = y + height / 2
    colour = GREY_FILL if grey else BAR
    return (
        f'<line x1="{low90:.1f}" y1="{middle:.1f}" x2="{high90:.1f}" y2="{middle:.1f}" '
        f'stroke="{BAR_ALT}" stroke-width="2"/>'
        f'<rect x="{low50:.1f}" y="{y + 1:.1f}" width="{max(1.5, high50 - low50):.1f}" '
        f'height="{height - 2:.1f}" fill="{colour}"/>'
        f'<circle cx="{centre:.1f}" cy="{middle:.1f}" r="{min(3.0, height / 2 - 0.5):.1f}" '
        'fill="#ffffff" stroke="#212529"/>'
    )


def _cut(axis_max, places, left, width, top, bottom):
    x = _x(places + 0.5, axis_max, left, width)
    return (
        f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{MARK}" stroke-dasharray="3 2"/>'
    )


def rank_bar(estimate, *, axis_max, places, grey=False, template=None, width=100, height=12):
    """The small inline chart of one city's rank for a table cell."""
    text = escape(describe(estimate, template))
    body = (
        f'<line x1="0" y1="{height / 2}" x2="{width}" y2="{height / 2}" stroke="{GRID}"/>'
        + _cut(axis_max, places, 4, width - 8, 0, height)
        + _interval(estimate, axis_max, 4, width - 8, 0, height, grey)
    )
    return mark_safe(  # noqa: S308 - the only text is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rank-bar" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{text}"><title>{text}</title>{body}</svg>'
    )


def rank_chart(items, *, axis_max, places, title, width=560, label_width=150, row=16):
    """Every city of ``items`` (label, estimate, grey) on one axis, for the report."""
    items = list(items)
    top, bottom_margin = 18, 22
    height = top + len(items) * row + bottom_margin
    span = width - label_width - 20
    parts = [
        _cut(axis_max, places, label_width, span, top - 4, top + len(items) * row),
    ]
    for index, (label, estimate, grey) in enumerate(items):
        y = top + index * row
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row - 5}" text-anchor="end" {FONT} font-size="10" '
            f'fill="#212529">{escape(_shorten(label, 26))}</text>'
            + _interval(estimate, axis_max, label_width, span, y + 2, row - 4, grey)
        )
    step = max(1, round(axis_max / 8))
    for rank in range(1, axis_max + 1, step):
        x = _x(rank, axis_max, label_width, span)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" {FONT} font-size="9" '
            f'fill="{MUTED}">{rank}</text>'
        )
    return mark_safe(  # noqa: S308 - labels escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
