"""Charts drawn on the server as SVG: no JavaScript, no CDN, the same in a page and a PDF.

Only presentation attributes are used (no ``style`` attribute, no ``<style>`` element),
so the markup passes the portal's Content Security Policy. Every label is escaped; the
numbers are formatted by us.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal import formatting

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
    return formatting.score(f"{float(value):.2f}".rstrip("0").rstrip("."))


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


# Charts are drawn narrow enough that on a 375 px phone, where they shrink to the screen,
# their text stays at 12 px or more; on wider screens they keep this drawn size.
WIDTH = 400
SIZE = 14
# The average advance of a character of the chart's fonts, in ems, a little generous: the
# label column is as wide as the longest label needs, so no name is cut at the edge.
CHAR_EM = 0.68


def _label_column(labels, *, size=SIZE, width=WIDTH, share=0.5):
    """The width of the label column and the longest label (in characters) it holds whole.

    Up to ``share`` of the chart; a longer label is shortened with "…" and keeps its full
    text in a ``<title>`` (a tooltip, and what screen readers read).
    """
    longest = max((len(str(label)) for label in labels), default=0)
    fits = int((width * share - 12) / (size * CHAR_EM))
    chars = min(longest, fits)
    return int(chars * size * CHAR_EM) + 12, chars


def _label(x, y, label, chars, *, size=SIZE):
    full = str(label)
    shown = _shorten(full, chars)
    title = f"<title>{escape(full)}</title>" if shown != full else ""
    return (
        f'<text x="{x}" y="{y}" text-anchor="end" {FONT} font-size="{size}" fill="#212529">'
        f"{title}{escape(shown)}</text>"
    )


def _empty(width, title, empty):
    return _svg(width, 30, title, _text(0, 20, empty, size=SIZE, fill=MUTED))


def bar_chart(items, *, title, width=WIDTH, bar_height=20, empty=""):
    """Horizontal bars for ``items``: a sequence of (label, value)."""
    items = list(items)
    if not items:
        return _empty(width, title, empty)
    gap = 6
    top = 4
    height = top + len(items) * (bar_height + gap) + 4
    largest = max(float(value or 0) for _, value in items) or 1
    label_width, chars = _label_column([label for label, _ in items], width=width)
    span = width - label_width - 50
    parts = []
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + gap)
        length = span * float(value or 0) / largest
        parts.append(
            _label(label_width - 6, y + bar_height - 5, label, chars)
            + f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{BAR}"/>'
            + _text(label_width + length + 4, y + bar_height - 5, _number(value), size=SIZE)
        )
    return _svg(width, height, title, "".join(parts))


def stacked_bar_chart(items, *, title, legend, width=WIDTH, bar_height=20, empty=""):
    """Horizontal bars made of two parts: ``items`` is a sequence of (label, done, total).

    Names (evaluators' names are long) stand beside their bars when they fit in half the
    chart, else on a line of their own above each bar, whole.
    """
    items = list(items)
    if not items:
        return _empty(width, title, empty)
    gap = 6
    top = 28
    labels = [str(label) for label, _, _ in items]
    label_width, chars = _label_column(labels, width=width)
    above = chars < max(len(label) for label in labels)
    if above:
        label_width, chars, line = 0, int(width / (SIZE * CHAR_EM)), SIZE + 6
    else:
        line = 0
    row = line + bar_height + gap
    height = top + len(items) * row + 4
    largest = max(float(total or 0) for _, _, total in items) or 1
    span = width - label_width - 60
    done_label, rest_label = legend
    # The legend starts at the left edge so both entries fit, whatever the labels' column.
    second = 20 + int(len(str(done_label)) * SIZE * CHAR_EM) + 16
    parts = [
        f'<rect x="0" y="6" width="14" height="14" fill="{BAR}"/>'
        + _text(20, 18, done_label, size=SIZE)
        + f'<rect x="{second}" y="6" width="14" height="14" fill="{BAR_ALT}"/>'
        + _text(second + 20, 18, rest_label, size=SIZE)
    ]
    for index, (label, done, total) in enumerate(items):
        y = top + index * row + line
        full = span * float(total or 0) / largest
        part = span * float(done or 0) / largest
        if above:
            name = _text(0, y - 5, _shorten(label, chars), size=SIZE)
        else:
            name = _label(label_width - 6, y + bar_height - 5, label, chars)
        parts.append(
            name
            + f'<rect x="{label_width}" y="{y}" width="{full:.1f}" height="{bar_height}" fill="{BAR_ALT}"/>'
            + f'<rect x="{label_width}" y="{y}" width="{part:.1f}" height="{bar_height}" fill="{BAR}"/>'
            + _text(
                label_width + full + 4, y + bar_height - 5, f"{_number(done)}/{_number(total)}", size=SIZE
            )
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


def histogram(values, *, title, low=0, high=100, step=5, **drawing):
    """Counts of ``values`` in bins of ``step`` from ``low`` to ``high`` (the last bin includes ``high``)."""
    counts = [count for _start, _end, count in histogram_bins(values, low=low, high=high, step=step)]
    return histogram_of_counts(counts, title=title, low=low, high=high, step=step, **drawing)


def histogram_of_counts(
    counts, *, title, low=0, high=100, step=5, markers=(), width=WIDTH, height=240, empty=""
):
    """Bars of ``counts``, one per bin of ``step`` from ``low`` (as ``histogram_bins`` counts them).

    ``markers`` are (label, value) pairs drawn as vertical lines, e.g. the overall
    threshold and the cut-off of the selection.
    """
    bins = len(counts)
    left, bottom, top, right = 36, 30, 36, 14
    plot_width = width - left - right
    plot_height = height - top - bottom
    largest = max(counts) or 1
    bar_width = plot_width / bins
    parts = [
        _line(left, top + plot_height, width - right, top + plot_height, MUTED),
        _line(left, top, left, top + plot_height, MUTED),
        _text(left - 4, top + 5, str(largest), size=SIZE, fill=MUTED, anchor="end"),
        _text(left - 4, top + plot_height, "0", size=SIZE, fill=MUTED, anchor="end"),
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
        if tick % max(1, bins // 5) == 0:
            x = left + tick * bar_width
            parts.append(
                _text(x, top + plot_height + 18, _number(value), size=SIZE, fill=MUTED, anchor="middle")
            )
    for position, (label, value) in enumerate(markers):
        if value is None:
            continue
        x = left + plot_width * (float(value) - low) / (high - low)
        text = f"{label} {_number(value)}"
        # A label that would pass the right edge is written to the left of its line.
        fits_right = x + 3 + len(text) * SIZE * CHAR_EM <= width
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" stroke="{MARK}" '
            f'stroke-dasharray="4 3"/>'
            + _text(
                x + 3 if fits_right else x - 3,
                top - 20 + 15 * position,
                text,
                size=SIZE,
                fill=MARK,
                anchor=None if fits_right else "end",
            )
        )
    if not any(counts) and empty:
        parts.append(_text(left + 8, top + plot_height / 2, empty, size=SIZE, fill=MUTED))
    return _svg(width, height, title, "".join(parts))
