"""The small markup coordinators write call texts, help texts and messages in.

A blank line starts a paragraph; a line starting "- " is an item of a list ("1. " of a
numbered one); ``*emphasis*`` and ``**strong**``; ``[text](https://example.org)`` is a link,
for http, https and mailto addresses only. Nothing else is interpreted: HTML typed into a
text is shown as typed. ``{name}`` is a value the portal inserts (a city, a reference),
escaped like every other character.

The same source renders as HTML (pages, the HTML part of emails, PDFs) and as plain text
(the text part of emails). Values are substituted after the text is parsed, so a value
can never add a link or a tag, and no template is ever evaluated. Part of the portal's
base: imports no app.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

ALLOWED_SCHEMES = ("http", "https", "mailto")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
INLINE = re.compile(
    r"\[(?P<link_text>[^\[\]\n]+)\]\((?P<url>[^()\s]+)\)"
    r"|\*\*(?P<strong>[^*\n]+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])"
    r"|\{(?P<placeholder>[a-z][a-z0-9_]*)\}"
)
BULLET = re.compile(r"^[-•]\s+(?P<text>.*)$")
NUMBERED = re.compile(r"^(?P<number>\d{1,3})[.)]\s+(?P<text>.*)$")
# What looks like an HTML tag: it would be shown as typed, which is rarely what was meant.
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|<!--")
LINK_ATTEMPT = re.compile(r"\[([^\[\]\n]+)\]\(([^)\n]*)")


@dataclass
class Block:
    kind: str  # "p", "ul" or "ol"
    lines: list
    start: int = 1


def parse(source):
    """The blocks of ``source``: paragraphs (their lines) and lists (their items)."""
    blocks = []
    current = None
    for raw in str(source or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        bullet, numbered = BULLET.match(line), NUMBERED.match(line)
        if bullet or numbered:
            kind = "ul" if bullet else "ol"
            text = (bullet or numbered).group("text")
            if current is None or current.kind != kind:
                start = int(numbered.group("number")) if numbered else 1
                current = Block(kind, [], start)
                blocks.append(current)
            current.lines.append(text)
        elif current is not None and current.kind != "p" and raw[:1].isspace():
            current.lines[-1] += " " + line  # an indented line continues the item above
        else:
            if current is None or current.kind != "p":
                current = Block("p", [])
                blocks.append(current)
            current.lines.append(line)
    return blocks


def safe_url(url):
    """``url`` when it is an http(s) or mailto address that can go in an href; else None."""
    url = (url or "").strip()
    if not url or any(ch in url for ch in "\"'<>\\`") or any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc and not parts.username and not parts.password:
        return url
    if scheme == "mailto" and "@" in parts.path:
        return url
    return None


def _inline_html(text, values):
    out = []
    position = 0
    for match in INLINE.finditer(text):
        out.append(escape(text[position : match.start()]))
        position = match.end()
        if match.group("link_text") is not None:
            url = safe_url(match.group("url"))
            if url is None:
                out.append(escape(match.group(0)))
            else:
                out.append(f'<a href="{escape(url)}">{_inline_html(match.group("link_text"), values)}</a>')
        elif match.group("strong") is not None:
            out.append(f"<strong>{_inline_html(match.group('strong'), values)}</strong>")
        elif match.group("em") is not None:
            out.append(f"<em>{_inline_html(match.group('em'), values)}</em>")
        else:
            out.append(escape(_value(match, values)))
    out.append(escape(text[position:]))
    return "".join(out)


def _inline_text(text, values):
    out = []
    position = 0
    for match in INLINE.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        if match.group("link_text") is not None:
            url = safe_url(match.group("url"))
            label = _inline_text(match.group("link_text"), values)
            if url is None:
                out.append(match.group(0))
            elif label == url or f"mailto:{label}" == url:
                out.append(url)
            else:
                out.append(f"{label} ({url})")
        elif match.group("strong") is not None:
            out.append(_inline_text(match.group("strong"), values))
        elif match.group("em") is not None:
            out.append(_inline_text(match.group("em"), values))
        else:
            out.append(_value(match, values))
    out.append(text[position:])
    return "".join(out)


def _value(match, values):
    name = match.group("placeholder")
    if values is not None and name in values:
        value = values[name]
        return "" if value is None else str(value)
    return match.group(0)


def render_html(source, values=None, *, inline=False):
    """``source`` as HTML: every character escaped, only the markup's own tags added.

    ``values`` fill the ``{name}`` placeholders (escaped); ``inline`` leaves a text of one
    paragraph without its ``<p>``, for a help text beside a field.
    """
    blocks = parse(source)
    if inline and len(blocks) == 1 and blocks[0].kind == "p":
        return mark_safe("<br>".join(_inline_html(line, values) for line in blocks[0].lines))  # noqa: S308
    parts = []
    for block in blocks:
        if block.kind == "p":
            parts.append("<p>" + "<br>".join(_inline_html(line, values) for line in block.lines) + "</p>")
        else:
            items = "".join(f"<li>{_inline_html(item, values)}</li>" for item in block.lines)
            start = f' start="{block.start}"' if block.kind == "ol" and block.start != 1 else ""
            parts.append(f"<{block.kind}{start}>{items}</{block.kind}>")
    # Everything above is escaped text and the markup's own tags.
    return mark_safe("\n".join(parts))  # noqa: S308


def render_text(source, values=None):
    """``source`` as plain text (an email's text part): lists keep their markers, links
    show their address, emphasis its words."""
    parts = []
    for block in parse(source):
        if block.kind == "p":
            parts.append("\n".join(_inline_text(line, values) for line in block.lines))
        elif block.kind == "ul":
            parts.append("\n".join(f"- {_inline_text(item, values)}" for item in block.lines))
        else:
            parts.append(
                "\n".join(
                    f"{number}. {_inline_text(item, values)}"
                    for number, item in enumerate(block.lines, start=block.start)
                )
            )
    return "\n\n".join(parts)


def placeholders_in(source):
    """The names of the ``{name}`` placeholders ``source`` uses, in order, once each."""
    return list(dict.fromkeys(PLACEHOLDER.findall(str(source or ""))))


def problems(source, *, placeholders=None):
    """What in ``source`` would not show as its writer expects, in words for them.

    ``placeholders`` names the values the text may insert; None means it inserts none.
    """
    source = str(source or "")
    found = []
    for text, url in LINK_ATTEMPT.findall(source):
        if safe_url(url) is None:
            found.append(
                _("The link “%(text)s” is not allowed: a link starts with https://, http:// or mailto:.")
                % {"text": text}
            )
    tag = TAG.search(source)
    if tag:
        found.append(
            _(
                "HTML is not interpreted: “%(tag)s” would show as typed. "
                "Use the markup described beside the field."
            )
            % {"tag": tag.group(0)[:40]}
        )
    allowed = set(placeholders or ())
    unknown = [name for name in placeholders_in(source) if name not in allowed]
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        if allowed:
            found.append(
                _("%(names)s: not a value this text can insert. It may insert %(allowed)s.")
                % {"names": names, "allowed": ", ".join(f"{{{name}}}" for name in sorted(allowed))}
            )
        else:
            found.append(_("%(names)s: this text inserts no values.") % {"names": names})
    return found
