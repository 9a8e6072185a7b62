"""PDF rendering with WeasyPrint, fenced in.

A template may load the portal's own static files (stylesheets, the logo, fonts) and
``data:`` URLs. Everything else — ``file://``, ``http(s)://`` to anywhere, including the
portal's own host outside ``STATIC_URL`` — is refused before any file is opened or any
socket created, so a value typed by an applicant can never pull content into a PDF.
"""

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

# PDF/A-3b: archival (fonts embedded, sRGB output intent), and unlike PDF/A-2 it keeps
# working if a letter ever carries an embedded file. WeasyPrint offers one variant at a
# time; tagged PDF/A-3a or PDF/UA-1 cost render time that the letters do not need.
PDF_VARIANT = "pdf/a-3b"

# A shared image cache across renders in one worker process: the letterhead logo is
# decoded once. Only our own static files and data: URLs ever reach it.
_IMAGE_CACHE = {}
_IMAGE_CACHE_LIMIT = 64


class RefusedURL(ValueError):
    """A resource the PDF is not allowed to load."""


def base_url():
    """The URL relative links in a PDF template resolve against."""
    return settings.SITE_URL.rstrip("/") + "/"


def _static_prefix():
    return urljoin(base_url(), settings.STATIC_URL)


def _static_relative_path(url):
    """The path under STATIC_URL that ``url`` names, or None if it names anything else."""
    prefix = urlsplit(_static_prefix())
    parts = urlsplit(url)
    if (parts.scheme.lower(), parts.netloc.lower()) != (prefix.scheme.lower(), prefix.netloc.lower()):
        return None
    if parts.query or not parts.path.startswith(prefix.path):
        return None
    relative = unquote(parts.path[len(prefix.path) :])
    if not relative or "\\" in relative or "\x00" in relative or relative.startswith("/"):
        return None
    normalised = posixpath.normpath(relative)
    if normalised != relative or normalised.startswith("..") or "/../" in f"/{normalised}/":
        return None
    return normalised


def _static_file(relative):
    """The file of a static path: the finders (development), then STATIC_ROOT (deployed)."""
    found = finders.find(relative)
    candidates = [Path(found)] if found else []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / relative)
    roots = [Path(root).resolve() for root in _static_roots()]
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and any(resolved.is_relative_to(root) for root in roots):
            return resolved
    return None


def _static_roots():
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(location)
    if settings.STATIC_ROOT:
        roots.append(settings.STATIC_ROOT)
    return roots


class PortalURLFetcher(URLFetcher):
    """Serves our static files from disk and ``data:`` URLs; refuses everything else."""

    def __init__(self):
        # Only data: may ever reach urllib; static files are read here, not fetched.
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)
        self.refused = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        relative = _static_relative_path(url) if scheme in ("http", "https") else None
        path = _static_file(relative) if relative else None
        if path is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to load %s", url[:200])
            raise RefusedURL(f"Not an allowed resource: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_html(template_name, context, *, language):
    with translation.override(language):
        return render_to_string(template_name, context)


def render_pdf(template_name, context, *, language, title, author="", lang=None, url_fetcher=None):
    """Render a Django template to PDF bytes in ``language``.

    ``title``, ``author`` and ``lang`` (BCP 47, defaults to ``language``) become the PDF's
    metadata, whatever the template says. Embedded files are never written.
    """
    html = render_html(template_name, context, language=language)
    fetcher = url_fetcher or PortalURLFetcher()
    if len(_IMAGE_CACHE) > _IMAGE_CACHE_LIMIT:
        _IMAGE_CACHE.clear()
    document = HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render(cache=_IMAGE_CACHE)
    document.metadata.title = str(title)
    document.metadata.authors = [str(author)] if author else []
    document.metadata.lang = lang or language
    # Documents of record carry no embedded files, whatever the markup asked for.
    document.metadata.attachments = []
    return document.write_pdf(pdf_variant=PDF_VARIANT)
