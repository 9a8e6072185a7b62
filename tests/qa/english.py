"""Finding English on a French page, email, PDF or export.

Two nets. The catalogue: any text that is the English of one of locale/fr's entries (a
whole label, or a run of several words of a longer sentence) whose French differs was left
untranslated. The words: a text holding English words that French never uses ("the", "of",
"not", "yet"...) was never in the catalogue at all. What people typed and the demo's data
(city names, answers, comments, English fields without a French one) are not the portal's
words: they are passed over (``DataText``).
"""

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from django.apps import apps
from django.conf import settings
from django.db import models
from pypdf import PdfReader

from portal.models import AuditEvent

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]|\{[^}]*\}|<[^>]+>|\\n|\n")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# English words that a French sentence does not contain.
STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """the and of is are not yet with your you this that these those was were has have had
        been be by to from for which who what when where there their they it its at in if can
        cannot should must will would our we after before than into only also each any all here
        how why about no none until once per""",
    )
)
# What pages show that the catalogue does not hold and that is not English: the product's
# name, acronyms and codes, proper names of the funding programme.
ALLOWED = frozenset({"Efus", "PACTESUR 2", "PDF", "CSV", "XLSX", "JSON", "TOTP", "EU"})
# Values a page shows as they are: the placeholders coordinators type in message texts
# ({city}), and the title of the paper the selection report cites.
PLACEHOLDER_NAME = re.compile(r"^\{\w+\}$")
# The stored name of an audit action, which the log gives as a tooltip beside its words.
ACTION_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
TIME_ZONE = re.compile(r"^(Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[\w /-]+$")
# An audit event's recorded values, "key: value" under the names the portal stores them by.
RECORDED_VALUES = re.compile(r'^[a-z][a-z_]*: (true|false|null|-?\d|"|\[|\{)')
AS_THEY_ARE = (PLACEHOLDER_NAME, ACTION_CODE, TIME_ZONE, RECORDED_VALUES)
CITED = ("Rethinking the funding line at the Swiss National Science", "Bayesian ranking and lottery")


def _unquote(line):
    return json.loads(line) if line.startswith('"') else ""


def read_po(path):
    """(msgid, msgid_plural, [msgstr...]) of every live entry of a .po file."""
    entries, current, key = [], {}, None
    for raw in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and current.get("msgid") is not None:
                entries.append(current)
                current, key = {}, None
            continue
        if line.startswith('"'):
            current[key] += _unquote(line)
            continue
        keyword, _space, value = line.partition(" ")
        key = keyword
        current[key] = _unquote(value)
    result = []
    for entry in entries:
        if not entry["msgid"]:
            continue
        translations = [value for name, value in entry.items() if name.startswith("msgstr")]
        result.append((entry["msgid"], entry.get("msgid_plural"), translations))
    return result


def normal(text):
    return " ".join(text.split())


@dataclass
class Catalogue:
    """The English of locale/fr whose French differs: whole labels and runs of words."""

    whole: set = field(default_factory=set)
    french: set = field(default_factory=set)  # every French text: a label may be both
    runs: dict = field(default_factory=dict)  # first word (lower case) -> runs starting with it

    @classmethod
    def load(cls):
        catalogue = cls()
        path = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        for msgid, plural, translations in read_po(path):
            french = " ".join(translations)
            catalogue.french.update(normal(t).strip(" .,:;!?") for t in translations)
            for english in filter(None, (msgid, plural)):
                if english in translations or not all(translations):
                    continue
                catalogue.add(english, french)
        return catalogue

    def add(self, english, french):
        pieces = [normal(piece).strip(" .,:;()–—“”\"'!?") for piece in PLACEHOLDER.split(english)]
        pieces = [piece for piece in pieces if piece and piece not in french]
        if len(pieces) == 1 and normal(english).strip(" .,:;!?") == pieces[0]:
            self.whole.add(pieces[0])
        for piece in pieces:
            words = piece.split()
            if len(words) >= 2 and len(piece) >= 8:
                self.runs.setdefault(words[0].lower(), set()).add(piece)

    def found_in(self, text):
        """The catalogue's English that ``text`` holds, or None."""
        bare = text.strip(" .,:;()–—“”\"'!?*·|")
        if bare in self.whole and bare not in self.french:
            return bare
        words = {word.lower() for word in text.split()}
        for first in words & self.runs.keys():
            for run in self.runs[first]:
                if run in text and re.search(rf"(?<!\w){re.escape(run)}(?!\w)", text):
                    return run
        return None


def looks_english(text):
    # Capitals are codes (IT, BE), not words.
    words = [word.lower() for word in WORD.findall(text) if not word.isupper()]
    english = [word for word in words if word in STOPWORDS]
    return len(english) >= 2 or (english and len(words) <= 4)


class DataText:
    """Every text people typed or the demo holds as data: a French page may show it as it is.

    Read from every text and JSON column of the database, less what the portal wrote itself
    (emails, issued documents, reasons it worded, audit actions). An English text that
    coordinators wrote beside its French (a call's title, a question) is data only where
    both are shown (``bilingual``: the call builder); elsewhere the French must show. What
    the audit log recorded (an object's name as it was then) is data where the log shows
    (``log``).
    """

    SKIP_MODELS = {"notifications.message", "notifications.issueddocument", "sessions.session"}
    SKIP_FIELDS = {"reviews.decision.reasons", "portal.auditevent.action"}

    def __init__(self, *, bilingual=False, log=False):
        everything, twins, recorded = set(), set(), set()
        for model in apps.get_models():
            if model._meta.label_lower in self.SKIP_MODELS:
                continue
            names = self._text_fields(model)
            if not names:
                continue
            for row in model.objects.values(*names).iterator():
                for name, value in row.items():
                    french = row.get(name[:-3] + "_fr") if name.endswith("_en") else None
                    if model is AuditEvent:
                        # The note is typed by people (a reason to reopen a review); the
                        # object's name is the one it had when it happened; the values show
                        # as "key: value" (RECORDED_VALUES).
                        if name in ("object_repr", "note"):
                            self._add(value, recorded if name == "object_repr" else everything)
                        continue
                    self._add(value, twins if french else everything)
        self.lines = everything | twins if bilingual else everything - twins
        if log:
            self.lines |= recorded
        # The English of texts written in both languages, which a French reader must not see
        # (names and words the same in both are data like any other).
        self.english_only = [] if bilingual else sorted(twins - everything, key=len, reverse=True)
        self.blob = "\x00".join(self.lines)
        # Longest first: a city's name must not be taken out of the sentence that holds it
        # before the sentence itself.
        self.longest_first = sorted((line for line in self.lines if len(line) >= 3), key=len, reverse=True)

    def _text_fields(self, model):
        label = model._meta.label_lower
        kinds = (models.CharField, models.TextField, models.JSONField)
        return [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, kinds) and f"{label}.{f.attname}" not in self.SKIP_FIELDS
        ]

    def _add(self, value, into):
        if isinstance(value, dict):
            for item in value.values():
                self._add(item, into)
        elif isinstance(value, list):
            for item in value:
                self._add(item, into)
        elif isinstance(value, str) and value.strip():
            into.update(normal(line) for line in value.splitlines() if line.strip())

    def holds(self, text):
        """Whether ``text`` is a value of the data (or, from three words on, part of one)."""
        text = normal(text).strip(" .,:;()–—“”\"'!?*·|")
        return not text or text in self.lines or (len(text.split()) >= 3 and text in self.blob)

    def english_in(self, text):
        """The English of a text written in both languages that ``text`` shows, or None."""
        return next((english for english in self.english_only if english in text), None)

    def without(self, text):
        """``text`` less the values of the data it quotes (a name in a sentence)."""
        for line in self.longest_first:
            if line in text:
                text = text.replace(line, " ")
        return text


def html_texts(html):
    """The texts a person reads on a page: text, and the attributes shown or spoken
    (title, aria-label, placeholder, alt, button values, the labels scripts show)."""
    if not html.strip():
        return []
    document = lxml.html.fromstring(html)
    # Scripts, styles, what was typed into a text area, drawings and <code> (identifiers
    # the portal stores, such as a message's kind) are not words to translate.
    for element in document.xpath("//script|//style|//textarea|//svg|//code"):
        if element.getparent() is not None:
            element.drop_tree()
    texts = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            if element.tail:
                texts.append(element.tail)
            continue
        if element.text:
            texts.append(element.text)
        if element.tail:
            texts.append(element.tail)
        shown = [name for name in element.attrib if name in SCRIPT_LABELS]
        for name in ("title", "aria-label", "placeholder", "alt", "aria-description", *shown):
            if element.get(name):
                texts.append(element.get(name))
        if element.tag == "button" or (
            element.tag == "input" and element.get("type") in ("submit", "button", "reset")
        ):
            texts.append(element.get("value") or "")
        if element.tag == "meta" and element.get("name") == "description":
            texts.append(element.get("content") or "")
    # Sentences cut by inline markup (<strong>, <a>) are read whole too.
    blocks = document.xpath("//p|//li|//td|//th|//h1|//h2|//h3|//h4|//label|//dt|//dd|//legend")
    texts = [normal(text) for text in texts if text and text.strip()]
    return texts + [Whole(normal(" ".join(block.itertext()))) for block in blocks]


class Whole(str):
    """A sentence put together from several texts (a block of a page, a PDF's lines): read
    for the catalogue's English only, since it quotes data alongside the portal's words."""


SCRIPT_LABELS = {"data-label", "data-offline-text", "data-counter-text", "data-counter-over"}


def pdf_texts(content):
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    lines = [normal(line) for line in text.splitlines() if line.strip()]
    # Sentences broken over lines are read whole too.
    return [*lines, Whole(normal(" ".join(lines)))]


def calendar_texts(text):
    """What a calendar shows of an invitation (.ics): its summary, place and description."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    shown = ("SUMMARY", "LOCATION", "DESCRIPTION")
    lines = unfolded.splitlines()
    values = [line.partition(":")[2] for line in lines if line.split(";")[0].split(":")[0] in shown]
    return [normal(value.replace("\\n", " ").replace("\\,", ",").replace("\\;", ";")) for value in values]


def plain_texts(text):
    lines = [normal(line) for line in text.splitlines() if line.strip()]
    paragraphs = re.split(r"\n\s*\n", text)
    return [*lines, *(Whole(normal(paragraph)) for paragraph in paragraphs if paragraph.strip())]


@dataclass
class Finding:
    where: str
    text: str
    why: str

    def __str__(self):
        return f"{self.where}: {self.text!r} ({self.why})"


class Inspector:
    """Reads documents and keeps, for each English text, the first place it was seen."""

    def __init__(self):
        self.catalogue = Catalogue.load()
        self.data_sets = {
            (False, False): DataText(),
            (True, False): DataText(bilingual=True),
            (False, True): DataText(log=True),
        }
        self.findings = {}
        self.seen = {}
        self.documents = []

    def read(self, where, texts, *, allowed=(), bilingual=False, log=False):
        """``bilingual``: the page shows the English and the French that coordinators wrote;
        ``log``: it shows the audit log."""
        self.documents.append(where)
        self.data = self.data_sets[bilingual, log]
        for text in texts:
            if text in allowed:
                continue
            key = (text, bilingual, log)
            if key in self.seen:
                self.seen[key].append(where)
                continue
            self.seen[key] = [where]
            if isinstance(text, Whole) and text in self.findings:
                continue
            self._check(where, text)

    def _check(self, where, text):
        if text in ALLOWED or any(p.match(text) for p in AS_THEY_ARE) or self.data.holds(text):
            return
        for cited in CITED:
            text = type(text)(text.replace(cited, " "))
        english = None if isinstance(text, Whole) else self.data.english_in(text)
        if english:
            self.findings[text] = Finding(where, text, f"English beside its French: {english!r}")
            return
        run = self.catalogue.found_in(text)
        if run:
            run = self.catalogue.found_in(self.data.without(text))
        if run:
            self.findings[text] = Finding(where, text, f"catalogue: {run!r}")
        elif not isinstance(text, Whole) and looks_english(text) and looks_english(self.data.without(text)):
            self.findings[text] = Finding(where, text, "English words")

    def report(self):
        return "\n".join(str(finding) for finding in self.findings.values())
