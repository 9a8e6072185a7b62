"""PDF rendering: metadata, languages, and a fence around everything a template may load."""

import io
import socket

import pytest
from pypdf import PdfReader

from notifications.pdf import PortalURLFetcher, render_pdf

HOSTILE_VALUES = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    '<link rel="stylesheet" href="http://169.254.169.254/style.css">',
    "http://169.254.169.254/",
    '<a rel="attachment" href="file:///etc/hostname">x</a>',
]


@pytest.fixture
def no_network(monkeypatch):
    """The outside world: any connection attempt fails the test."""
    attempts = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"PDF rendering tried to connect to {address}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() or "" for page in reader.pages)


def render_record(rows, fetcher=None, **kwargs):
    options = {"language": "en", "title": "Record"} | kwargs
    return render_pdf(
        "notifications/pdf/record.html",
        {"document_title": "Application record", "rows": rows},
        url_fetcher=fetcher,
        **options,
    )


def test_pdf_carries_title_author_and_language():
    content = render_record([("City", "Lyon")], title="Acceptance letter", author="Efus", language="fr")

    reader, text = pdf_text(content)
    assert reader.metadata.title == "Acceptance letter"
    assert reader.metadata.author == "Efus"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert "Lyon" in text


def test_pdf_is_pdf_a():
    content = render_record([("City", "Lyon")])

    reader = PdfReader(io.BytesIO(content))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid" in metadata
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_explicit_lang_overrides_the_rendering_language():
    content = render_record([("City", "Gent")], language="en", lang="nl-BE")

    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "nl-BE"


def test_portal_stylesheet_is_loaded_from_static_files():
    fetcher = PortalURLFetcher()

    render_record([("City", "Lyon")], fetcher=fetcher)

    assert fetcher.refused == []


def test_applicant_typed_markup_brings_in_no_file_and_no_network(no_network, tmp_path):
    fetcher = PortalURLFetcher()
    rows = [(f"Answer {n}", value) for n, value in enumerate(HOSTILE_VALUES)]

    content = render_record(rows, fetcher=fetcher)

    reader, text = pdf_text(content)
    # The markup is shown as the text the applicant typed.
    assert "file:///etc/passwd" in text
    assert "root:" not in text
    assert b"root:x:0:0" not in content
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert not reader.attachments
    assert no_network == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "http://127.0.0.1:8000/admin/",
        "http://127.0.0.1:8000/static/../../../etc/passwd",
        "http://127.0.0.1:8000/static/%2e%2e/%2e%2e/etc/passwd",
        "http://127.0.0.1:8000/static/css/../../portal/settings.py",
        "http://127.0.0.1:8000/static//etc/passwd",
        "http://127.0.0.1:8000/static/css/pdf.css?x=1",
        "http://evil.example/static/css/pdf.css",
        "http://127.0.0.1:8000/static/css/does-not-exist.css",
    ],
)
def test_fetcher_refuses_anything_but_our_static_files(url, no_network):
    fetcher = PortalURLFetcher()

    with pytest.raises(ValueError, match="Not an allowed resource"):
        fetcher.fetch(url)

    assert fetcher.refused == [url]
    assert no_network == []


def test_fetcher_serves_static_files_and_data_urls(no_network):
    fetcher = PortalURLFetcher()

    css = fetcher.fetch("http://127.0.0.1:8000/static/css/pdf.css")
    data = fetcher.fetch("data:text/plain;base64,aGVsbG8=")

    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    assert data.read() == b"hello"
    assert no_network == []


def test_hostile_markup_in_a_raw_template_is_still_fenced(no_network, settings, tmp_path):
    """Even markup that reaches the HTML unescaped cannot load files or reach the network."""
    templates = tmp_path / "templates"
    (templates / "hostile").mkdir(parents=True)
    (templates / "hostile" / "raw.html").write_text(
        "<html><head><title>x</title></head><body><p>Hello</p>{% for v in values %}{{ v|safe }}"
        "{% endfor %}</body></html>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}]
    fetcher = PortalURLFetcher()

    content = render_pdf(
        "hostile/raw.html", {"values": HOSTILE_VALUES}, language="en", title="x", url_fetcher=fetcher
    )

    reader, text = pdf_text(content)
    assert "Hello" in text
    assert b"root:x:0:0" not in content
    assert not reader.attachments
    assert "file:///etc/passwd" in fetcher.refused
    assert any(url.startswith("http://169.254.169.254/") for url in fetcher.refused)
    assert no_network == []
