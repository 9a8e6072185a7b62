"""Keyset pagination: the rows after (or before) the row at a page's edge, in a stable order.

An offset page reads and throws away every row before it; a keyset page starts at an index
position, so the thousandth page costs what the first does. The cursor (the ordering values
of the row at the page's edge) travels in the URL beside the filters and the sort, so a page
can be bookmarked and shared. Part of the portal's base: works on any queryset.

A page costs two queries, whichever it is: the rows and the total (none when the caller
knows it).
"""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from urllib.parse import quote, unquote

from django.core.exceptions import ValidationError
from django.db.models import Q

SEPARATOR = "~"


@dataclass
class KeysetPage:
    rows: list
    total: int
    start: int  # position of the first row (from 1), 0 when the page is empty
    next_cursor: str
    previous_cursor: str

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def object_list(self):
        """The rows, by the name Django's ``Page`` gives them."""
        return self.rows

    @property
    def end(self):
        return self.start + len(self.rows) - 1 if self.rows else 0

    @property
    def has_previous(self):
        return self.start > 1

    @property
    def has_next(self):
        return self.end < self.total

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next


def _field(model, path):
    """The model field at the end of a lookup path such as ``organisation__name``."""
    field = None
    for name in path.split("__"):
        field = model._meta.get_field(name)
        model = field.related_model or model
    return field


def _beyond(order, values, *, forward):
    """Rows strictly after (``forward``) or before the row whose ordering values are ``values``."""
    alternatives = []
    for index, (key, value) in enumerate(zip(order, values, strict=True)):
        name = key.lstrip("-")
        descending = key.startswith("-")
        lookup = "lt" if descending == forward else "gt"
        equal = [Q(**{key.lstrip("-"): v}) for key, v in zip(order[:index], values[:index], strict=True)]
        alternatives.append(reduce(and_, [*equal, Q(**{f"{name}__{lookup}": value})]))
    return reduce(or_, alternatives)


def _values(row, order):
    values = []
    for key in order:
        value = row
        for name in key.lstrip("-").split("__"):
            value = getattr(value, name)
        values.append(value)
    return values


def encode(row, order, position):
    """The cursor of ``row``: its position in the list, then its ordering values."""
    values = (_escaped("" if v is None else str(getattr(v, "pk", v))) for v in _values(row, order))
    return SEPARATOR.join([str(position), *values])


def _escaped(value):
    # Percent-encoded, the separator too (``quote`` leaves "~" as it is): a name may hold one.
    return quote(value, safe="").replace(SEPARATOR, "%7E")


def decode(cursor, model, order):
    """(position, ordering values) of a cursor, or None when it is not one of this ordering."""
    parts = (cursor or "").split(SEPARATOR)
    if len(parts) != len(order) + 1:
        return None
    try:
        position = max(0, int(parts[0]))
        values = [
            _field(model, key.lstrip("-")).to_python(unquote(part))
            for key, part in zip(order, parts[1:], strict=True)
        ]
    except (ValidationError, ValueError, TypeError):
        return None
    return position, values


def _reversed(order):
    return [key[1:] if key.startswith("-") else f"-{key}" for key in order]


def keyset_page(params, queryset, order, *, per_page, total=None):
    """The page of ``queryset`` in ``order`` (its keys together unique) that ``params`` asks for.

    ``params`` (the request's GET) may hold ``after`` (the rows after this cursor), ``before``
    (the rows before it) or ``last``; without them, or with a cursor of another ordering,
    the first page. A cursor carries the position of its row, so no query counts the rows
    before a page (the numbers shown may be a row off after other people's changes; the
    rows themselves are always the ones after or before the cursor's).
    """
    model = queryset.model
    queryset = queryset.order_by(*order)
    if total is None:
        total = queryset.count()
    after = decode(params.get("after"), model, order)
    before = decode(params.get("before"), model, order)
    if total == 0:
        rows = []
    elif before is not None:
        position, values = before
        rows = list(
            queryset.filter(_beyond(order, values, forward=False)).order_by(*_reversed(order))[:per_page]
        )
        rows.reverse()
        # Fewer rows than a page before the cursor: these are the first ones.
        start = max(1, position - len(rows)) if len(rows) == per_page else 1
    elif params.get("last") and total:
        rows = list(queryset.order_by(*_reversed(order))[: (total - 1) % per_page + 1])
        rows.reverse()
        start = total - len(rows) + 1
    elif after is not None:
        position, values = after
        rows = list(queryset.filter(_beyond(order, values, forward=True))[:per_page])
        start = position + 1
    else:
        rows = list(queryset[:per_page])
        start = 1
    if not rows:
        start = 0
    end = start + len(rows) - 1
    return KeysetPage(
        rows=rows,
        total=max(total, end),
        start=start,
        next_cursor=encode(rows[-1], order, end) if rows else "",
        previous_cursor=encode(rows[0], order, start) if rows else "",
    )
