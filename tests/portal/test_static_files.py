"""Static files reach the browser compressed, under names that change with their content,
and cached for a year; a page cannot name a file that was never collected."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, override_settings

YEAR = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def compressed_static(tmp_path_factory):
    """The portal's own files collected as `make setup` collects them (the admin's are left
    out: they take longer to compress than the rest of this module to run)."""
    root = tmp_path_factory.mktemp("compressed-static")
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {
        **storages["staticfiles"],
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=storages,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def stylesheets(html):
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


@pytest.mark.django_db
def test_the_stylesheets_arrive_compressed_and_cached_for_a_year(compressed_static):
    client = Client()
    links = stylesheets(client.get("/").content.decode())
    assert links and all(re.search(r"\.[0-9a-f]{12}\.css$", link) for link in links), links
    for link in links:
        original = (compressed_static / link.removeprefix("/static/")).stat().st_size
        for accepted, encoding in (("br, gzip", "br"), ("gzip", "gzip")):
            response = client.get(link, headers={"accept-encoding": accepted})
            assert response.status_code == 200
            assert response["Content-Encoding"] == encoding
            assert response["Cache-Control"] == f"max-age={YEAR}, public, immutable"
            assert response["Vary"] == "Accept-Encoding"
            if original > 10_000:
                assert int(response["Content-Length"]) < original / 4, (link, encoding)


@pytest.mark.django_db
def test_a_file_under_its_plain_name_is_cached_only_a_minute(compressed_static):
    response = Client().get("/static/css/portal.css", headers={"accept-encoding": "br"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


def test_a_page_naming_a_file_that_was_never_collected_fails():
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        Template("{% load static %}{% static 'css/never-written.css' %}").render(Context())
