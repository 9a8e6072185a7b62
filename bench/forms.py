"""Fill in a page's form the way a person would, whatever the field names are."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_marker):
        super().__init__(convert_charrefs=True)
        self.form_marker = form_marker
        self.forms = []  # (attrs, fields)
        self._current = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = (attrs, [])
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag == "input":
            self._current[1].append(("input", attrs))
        elif tag == "textarea":
            self._textarea = {**attrs, "value": ""}
            self._current[1].append(("textarea", self._textarea))
        elif tag == "select":
            self._select = {**attrs, "options": []}
            self._current[1].append(("select", self._select))
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def post_data(
    html,
    *,
    action=None,
    button=None,
    text="Benchmark answer",
    number="42",
    date="2026-01-15",
    phone="+32 2 000 00 00",
    line=None,
):
    """The data a browser would post from the page's POST form (the one posting to ``action``).

    Hidden fields keep their value; empty text, number and date fields are filled in,
    the first choice of radios and selects is taken, every checkbox is ticked. File
    inputs are left out; ``button`` is the ``(name, value)`` of the submit button pressed.
    """
    parser = _FormParser(action)
    parser.feed(html)
    candidates = [
        (attrs, fields)
        for attrs, fields in parser.forms
        if attrs.get("method", "get").lower() == "post"
        and (action is None or attrs.get("action", "") in (action, ""))
    ]
    if not candidates:
        raise LookupError(f"no POST form for {action!r} on the page")
    # The form with the most fields is the page's main form (not the language switcher).
    _attrs, fields = max(candidates, key=lambda form: len(form[1]))
    data = {}
    for tag, attrs in fields:
        name = attrs.get("name")
        if not name or "disabled" in attrs:
            continue
        kind = attrs.get("type", "text").lower() if tag == "input" else tag
        if kind in ("file", "submit", "button", "reset", "image"):
            continue
        if kind == "checkbox":
            data.setdefault(name, []).append(attrs.get("value", "on"))
        elif kind == "radio":
            data.setdefault(name, attrs.get("value", "on"))
        elif kind == "select":
            options = [value for value in attrs["options"] if value]
            if options:
                data[name] = [options[0]] if "multiple" in attrs else options[0]
        elif kind == "hidden":
            data[name] = attrs.get("value", "")
        elif kind == "number":
            data[name] = attrs.get("value") or number
        elif kind == "date":
            data[name] = attrs.get("value") or date
        elif kind == "email":
            data[name] = attrs.get("value") or "bench@example.org"
        elif kind == "tel":
            data[name] = attrs.get("value") or phone
        else:
            data[name] = text if tag == "textarea" or line is None else line
    if button:
        data[button[0]] = button[1]
    return data
