"""Settings come from the environment; production refuses to start misconfigured."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/1"
REAL_LOOKING_SECRET = "k3Jx9-pQv2Lr7sT8wZ1mN4bC6dF0gH5jY_eA3uI9oP2qR7tV8xW1zB4nM6cD0fG5hJ"


def run_manage(*args, **env_overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    for key in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL", "SITE_URL"):
        env.pop(key, None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**env):
    return {
        "DJANGO_SETTINGS_MODULE": "agora.settings.production",
        "SECRET_KEY": REAL_LOOKING_SECRET,
        "ALLOWED_HOSTS": "agora.example.org",
        "SITE_URL": "https://agora.example.org",
        **env,
    }


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production(REDIS_URL=REDIS))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def page_cache_setting(**env) -> str:
    script = "from django.conf import settings; print(settings.AGORA_PAGE_CACHE)"
    result = run_manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-1]


def test_production_without_redis_turns_the_page_cache_off_and_says_so():
    """Each worker's local cache served a withdrawn portrait for up to 300 s: the page cache is
    on only with a cache every worker shares, and the deployment check says so."""
    assert page_cache_setting(**production()) == "False"

    result = run_manage("check", "--deploy", **production())

    output = result.stdout + result.stderr
    assert "home.W001" in output and "REDIS_URL is not set" in output, output


def test_production_with_redis_keeps_the_page_cache_on():
    assert page_cache_setting(**production(REDIS_URL=REDIS)) == "True"


def test_missing_secret_key_in_production_fails_with_one_line():
    env = production()
    del env["SECRET_KEY"]

    result = run_manage("check", **env)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]


@pytest.mark.parametrize("site_url", [None, "http://agora.example.org"])
def test_production_needs_an_https_site_address(site_url):
    """The letter's one-click unsubscribe (RFC 8058) and every link Agora writes name SITE_URL."""
    env = production(SITE_URL=site_url)
    if site_url is None:
        del env["SITE_URL"]

    result = run_manage("check", **env)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SITE_URL" in lines[0]


def test_production_sends_mail_with_message_ids_on_the_site_domain():
    script = (
        "from django.core import mail; from django.conf import settings;"
        "print(settings.EMAIL_BACKEND); mail.send_mail('Objet', 'Texte', None, ['a@example.org'])"
    )
    result = run_manage("shell", "-c", script, **production())

    assert result.returncode == 0, result.stderr
    assert "agora.mail.ConsoleBackend" in result.stdout.splitlines()
    message_id = next(line for line in result.stdout.splitlines() if line.startswith("Message-ID:"))
    assert message_id.endswith("@agora.example.org>"), message_id


@pytest.mark.parametrize("url", ["nonsense", "postgres://user@host:notaport/agora", "postgres://"])
def test_malformed_database_url_fails_with_one_line(url):
    result = run_manage("check", **production(DATABASE_URL=url))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0]


def test_environment_chooses_database_cache_and_private_root(tmp_path):
    script = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE']);"
        "print(settings.CACHES['default']['BACKEND']);"
        "print(settings.MEDIA_ROOT); print(settings.PRIVATE_MEDIA_ROOT)"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        **production(
            DATABASE_URL="postgres://agora@127.0.0.1:5432/agora",
            REDIS_URL=REDIS,
            MEDIA_ROOT=str(tmp_path / "public"),
            PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        ),
    )

    assert result.returncode == 0, result.stderr
    engine, cache, media_root, private_root = result.stdout.splitlines()[-4:]
    assert engine == "django.db.backends.postgresql"
    assert cache == "django.core.cache.backends.redis.RedisCache"
    assert Path(media_root) == tmp_path / "public"
    assert not Path(private_root).is_relative_to(Path(media_root))


def test_without_database_url_the_default_is_a_sqlite_file():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default'])"
    )

    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout and "db.sqlite3" in result.stdout


SETTINGS = ROOT / "agora" / "settings"
PROJECT_PACKAGES = ("agora", "home", "posts", "partners", "kiosk", "letter")


def assigned_settings(path: Path) -> dict[str, str]:
    """Upper-case names a settings module assigns unconditionally, with the source of each value.

    A value chosen under an `if` (CACHES by REDIS_URL) is not one the environments can repeat.
    """
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    found[target.id] = ast.unparse(node.value)
    return found


@pytest.mark.parametrize("environment", ["dev", "production", "test"])
def test_environment_settings_only_override_what_differs_from_base(environment):
    base = assigned_settings(SETTINGS / "base.py")
    overrides = assigned_settings(SETTINGS / f"{environment}.py")

    repeated = {name for name, value in overrides.items() if base.get(name) == value}

    assert repeated == set(), "already declared in base.py with this value"


def test_code_reads_the_settings_that_base_declares_without_a_fallback():
    """A default in getattr() would hide a setting missing from base.py, and drift from it."""
    fallbacks = []
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "getattr"
                    and ast.unparse(node.args[0]) == "settings"
                ):
                    fallbacks.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert fallbacks == []
