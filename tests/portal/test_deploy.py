"""The production settings shown in .env.example pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def example_environment(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PORTAL_"))}
    env.pop("DATABASE_URL", None)
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
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


def test_production_without_a_real_mail_server_is_refused(tmp_path):
    env = example_environment(tmp_path)
    env.pop("EMAIL_URL")
    result = run_check(env)
    assert result.returncode != 0
    assert "email" in (result.stdout + result.stderr).lower()
