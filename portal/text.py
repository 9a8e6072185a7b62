"""Typed text made safe to show: no invisible characters that reorder what a reader sees.

Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the direction
marks (U+200E, U+200F, U+061C) make a browser, a PDF or a spreadsheet draw text in an
order other than the one stored, so ``"\u202eelliv"`` reads as a different city name. The
portal's users write in European languages, which never need them; they are removed
wherever typed text is kept (organisation and person names, answers, references).
"""

BIDI_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)],
)


def strip_bidi_controls(value):
    """``value`` without bidirectional controls; lists and dicts (JSON answers) are cleaned throughout."""
    if isinstance(value, str):
        return value.translate(BIDI_CONTROLS)
    if isinstance(value, list | tuple):
        return type(value)(strip_bidi_controls(item) for item in value)
    if isinstance(value, dict):
        return {strip_bidi_controls(key): strip_bidi_controls(item) for key, item in value.items()}
    return value
