"""The `gendan` command as an operator meets it: settings from the environment, safe defaults."""

import os
import subprocess
import sys

import pytest


def gendan(*args, **env):
    ours = ("SECRET_KEY", "GENDAN_DEBUG", "GENDAN_TESTING", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "gendan", *args], capture_output=True, text=True,
                          env=environment, timeout=120)


def test_production_mode_without_secret_key_stops_with_a_clear_error(tmp_path):
    result = gendan("check", GENDAN_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_a_secret_key_debug_is_off_and_checks_pass(tmp_path):
    result = gendan("shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
                    SECRET_KEY="x" * 50, GENDAN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_help_lists_the_commands():
    result = gendan("help")
    assert result.returncode == 0
    for command in ("serve", "worker", "demo"):
        assert command in result.stdout


@pytest.mark.parametrize("url,engine", [
    ("postgres://u@127.0.0.1:5432/x", "django.db.backends.postgresql"), ("", "django.db.backends.sqlite3"),
])
def test_database_comes_from_database_url(tmp_path, url, engine):
    env = {"SECRET_KEY": "x" * 50, "GENDAN_VAR_DIR": str(tmp_path)}
    if url:
        env["DATABASE_URL"] = url
    result = gendan("shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
                    **env)
    assert result.stdout.strip().splitlines()[-1] == engine, result.stderr
