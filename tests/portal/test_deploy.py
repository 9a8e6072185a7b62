"""The production settings the README and .env.example give pass Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")


def assignments(text):
    """The ``NAME=value`` lines of a shell snippet (comments skipped)."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            yield name, value


def every_setting_name():
    """Every variable .env.example names, set or commented out."""
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    return {match.group(1) for line in lines if (match := VARIABLE.match(line.strip()))}


def readme_essentials():
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("### Essential variables", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return dict(assignments(block))


def clean_environment(tmp_path):
    """The test process's environment without any of the portal's settings."""
    names = every_setting_name()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in names and not key.startswith(("DJANGO_", "PORTAL_"))
    }
    env["PORTAL_VAR_DIR"] = str(tmp_path)
    return env


def example_environment(tmp_path):
    env = clean_environment(tmp_path)
    env.update(assignments((BASE_DIR / ".env.example").read_text()))
    env["DJANGO_SECRET_KEY"] = "x" * 30 + "-production-key-that-is-long-and-random-enough-9f8e7d"
    env["PORTAL_VAR_DIR"] = str(tmp_path)
    return env


def run_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_of_env_example_pass_check_deploy(tmp_path):
    result = run_check(example_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_exactly_the_readme_essentials_pass_check_deploy(tmp_path):
    essentials = readme_essentials()
    assert {"PORTAL_PRODUCTION", "DJANGO_SECRET_KEY", "EMAIL_URL", "PORTAL_TRUSTED_PROXIES"} <= set(
        essentials
    )
    env = {**clean_environment(tmp_path), **essentials}
    result = run_check(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_real_mail_server_is_refused(tmp_path):
    env = example_environment(tmp_path)
    env.pop("EMAIL_URL")
    result = run_check(env)
    assert result.returncode != 0
    assert "email" in (result.stdout + result.stderr).lower()


def test_production_without_naming_its_proxies_is_warned(tmp_path):
    env = {**clean_environment(tmp_path), **readme_essentials()}
    env.pop("PORTAL_TRUSTED_PROXIES")
    result = run_check(env)
    assert result.returncode != 0
    assert "portal.W001" in result.stdout + result.stderr
