"""Charts drawn on the server as SVG: no JavaScript, no CDN, the same in a page and a PDF.

Only presentation attributes are used (no ``style`` attribute, no ``<style>`` element),
so the markup passes the portal's Content Security Policy. Every label is escaped; the
numbers are formatted by us.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'
GRID = "#dee2e6"
BAR = "#2f6690"
BAR_ALT = "#9ac1d9"
MUTED = "#6c757d"
MARK = "#c0392b"


def _number(value):
    """A short label for a number: integers bare, others with up to two decimals."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _svg(width, height, title, body):
    return mark_safe(  # noqa: S308 - every label in ``body`` went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _text(x, y, content, *, size=12, fill="#212529", anchor=None):
    """A text element; ``content`` is escaped here."""
    anchor_attribute = f' text-anchor="{anchor}"' if anchor else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}"{anchor_attribute} {FONT} font-size="{size}" fill="{fill}">'
        f"{escape(content)}</text>"
    )


def _line(x1, y1, x2, y2, stroke, extra=""):
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}"{extra}/>'


def _shorten(label, limit):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(items, *, title, width=560, bar_height=18, label_width=170, empty=""):
    """Horizontal bars for ``items``: a sequence of (label, value)."""
    items = list(items)
    if not items:
        return _svg(
            width,
            30,
            title,
            f'<text x="0" y="20" {FONT} font-size="12" fill="{MUTED}">{escape(empty)}</text>',
        )
    gap = 6
    top = 4
    height = top + len(items) * (bar_height + gap) + 4
    largest = max(float(value or 0) for _, value in items) or 1
    span = width - label_width - 50
    parts = []
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + gap)
        length = span * float(value or 0) / largest
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" {FONT} font-size="12" '
            f'fill="#212529">{escape(_shorten(label, 28))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{BAR}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 5}" {FONT} font-size="12" '
            f'fill="#212529">{escape(_number(value))}</text>'
        )
    return _svg(width, height, title, "".join(parts))


def stacked_bar_chart(items, *, title, legend, width=560, bar_height=18, label_width=170, empty=""):
    """Horizontal bars made of two parts: ``items`` is a sequence of (label, done, total)."""
    items = list(items)
    if not items:
        return _svg(
            width,
            30,
            title,
            f'<text x="0" y="20" {FONT} font-size="12" fill="{MUTED}">{escape(empty)}</text>',
        )
    gap = 6
    top = 24
    height = top + len(items) * (bar_height + gap) + 4
    largest = max(float(total or 0) for _, _, total in items) or 1
    span = width - label_width - 60
    done_label, rest_label = legend
    parts = [
        f'<rect x="{label_width}" y="4" width="12" height="12" fill="{BAR}"/>'
        + _text(label_width + 16, 14, done_label, size=11)
        + f'<rect x="{label_width + 150}" y="4" width="12" height="12" fill="{BAR_ALT}"/>'
        + _text(label_width + 166, 14, rest_label, size=11)
    ]
    for index, (label, done, total) in enumerate(items):
        y = top + index * (bar_height + gap)
        full = span * float(total or 0) / largest
        part = span * float(done or 0) / largest
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" {FONT} font-size="12" '
            f'fill="#212529">{escape(_shorten(label, 28))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{full:.1f}" height="{bar_height}" fill="{BAR_ALT}"/>'
            f'<rect x="{label_width}" y="{y}" width="{part:.1f}" height="{bar_height}" fill="{BAR}"/>'
            f'<text x="{label_width + full + 4:.1f}" y="{y + bar_height - 5}" {FONT} font-size="12" '
            f'fill="#212529">{escape(_number(done))}/{escape(_number(total))}</text>'
        )
    return _svg(width, height, title, "".join(parts))


def histogram_bins(values, *, low=0, high=100, step=5):
    """(start, end, count) for each bin of ``step`` from ``low`` to ``high`` (the last includes ``high``)."""
    values = [float(v) for v in values if v is not None]
    bins = max(1, int((high - low) / step))
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int((value - low) // step)))] += 1
    return [(low + index * step, low + (index + 1) * step, count) for index, count in enumerate(counts)]


def score_bin_label(start, end):
    return f"{_number(start)}–{_number(end)}"


def histogram(values, *, title, low=0, high=100, step=5, markers=(), width=560, height=220, empty=""):
    """Counts of ``values`` in bins of ``step`` from ``low`` to ``high`` (the last bin includes ``high``).

    ``markers`` are (label, value) pairs drawn as vertical lines, e.g. the overall
    threshold and the cut-off of the selection.
    """
    counts = [count for _start, _end, count in histogram_bins(values, low=low, high=high, step=step)]
    bins = len(counts)
    left, bottom, top, right = 36, 30, 22, 10
    plot_width = width - left - right
    plot_height = height - top - bottom
    largest = max(counts) or 1
    bar_width = plot_width / bins
    parts = [
        _line(left, top + plot_height, width - right, top + plot_height, MUTED),
        _line(left, top, left, top + plot_height, MUTED),
        _text(left - 4, top + 4, str(largest), size=10, fill=MUTED, anchor="end"),
        _text(left - 4, top + plot_height, "0", size=10, fill=MUTED, anchor="end"),
    ]
    for index, count in enumerate(counts):
        bar = plot_height * count / largest
        x = left + index * bar_width
        if count:
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{top + plot_height - bar:.1f}" width="{bar_width - 2:.1f}" '
                f'height="{bar:.1f}" fill="{BAR}"><title>{_number(low + index * step)}–'
                f"{_number(low + (index + 1) * step)}: {count}</title></rect>"
            )
    for tick in range(bins + 1):
        value = low + tick * step
        if tick % max(1, bins // 10) == 0:
            x = left + tick * bar_width
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_height + 14}" text-anchor="middle" {FONT} font-size="10" '
                f'fill="{MUTED}">{_number(value)}</text>'
            )
    for position, (label, value) in enumerate(markers):
        if value is None:
            continue
        x = left + plot_width * (float(value) - low) / (high - low)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" stroke="{MARK}" '
            f'stroke-dasharray="4 3"/>'
            f'<text x="{x + 3:.1f}" y="{top - 8 + 10 * position}" {FONT} font-size="10" fill="{MARK}">'
            f"{escape(label)} {escape(_number(value))}</text>"
        )
    if not values and empty:
        parts.append(_text(left + 8, top + plot_height / 2, empty, fill=MUTED))
    return _svg(width, height, title, "".join(parts))
