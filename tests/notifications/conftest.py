from pathlib import Path

import pytest

from tests.notifications.storage import follow_private_storage

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def test_templates(settings):
    """Email templates of a stand-in domain app ("testapp"), beside the portal's own."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [TEST_TEMPLATES, *engine["DIRS"]]}, *settings.TEMPLATES[1:]]


@pytest.fixture(autouse=True)
def _files_in_the_tests_storage(_private_storage_in_tmp, monkeypatch):
    follow_private_storage(monkeypatch)
