"""Headers and cookies the browser is told to enforce."""

import json
import subprocess
import sys

import pytest

from tests.portal.test_deploy import BASE_DIR, clean_environment, readme_essentials

REFUSED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth"]


@pytest.mark.django_db
def test_every_page_refuses_the_browser_features_it_does_not_use(client):
    for url in ["/", "/accounts/login/", "/healthz"]:
        policy = client.get(url).headers["Permissions-Policy"]
        for feature in REFUSED_FEATURES:
            assert f"{feature}=()" in policy, (url, feature)


# Switches the language as a browser would, in a process started with production settings.
SWITCH_LANGUAGE = """
import json, django
django.setup()
from django.test import Client
response = Client().post(
    "/i18n/setlang/", {"language": "fr", "next": "/"}, secure=True, headers={"host": "calls.example.org"}
)
cookie = response.cookies["django_language"]
print(json.dumps({"status": response.status_code, "secure": bool(cookie["secure"]),
                  "samesite": cookie["samesite"], "httponly": bool(cookie["httponly"]),
                  "policy": response.headers.get("Permissions-Policy", "")}))
"""


def test_the_language_cookie_is_secure_samesite_and_httponly_in_production(tmp_path):
    env = {
        **clean_environment(tmp_path),
        **readme_essentials(),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SWITCH_LANGUAGE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 302
    assert answer["secure"] is True
    assert answer["samesite"] == "Lax"
    assert answer["httponly"] is True
    assert "camera=()" in answer["policy"]
