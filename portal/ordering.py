"""Moving one item of an ordered list up or down: what the keyboard's up and down buttons do.

Part of the portal's base: works on any model with an integer ``order`` field.
"""

UP, DOWN = "up", "down"


def move(items, item, direction, *, field="order"):
    """Move ``item`` one place ``direction`` among ``items`` (already in their order) and
    number them all again from 1; returns the items whose number changed, to save.

    Moving the first item up, or the last one down, changes nothing.
    """
    if direction not in (UP, DOWN):
        raise ValueError(f"Unknown direction {direction!r}")
    items = list(items)
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index - 1 if direction == UP else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    for number, candidate in enumerate(items, start=1):
        if getattr(candidate, field) != number:
            setattr(candidate, field, number)
            changed.append(candidate)
    return changed


def next_number(items, *, field="order"):
    """The number an item added at the end of ``items`` takes."""
    return max((getattr(item, field) or 0 for item in items), default=0) + 1
