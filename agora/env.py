"""Reading settings from the environment, with one-line errors for bad values.

Settings modules call these helpers; anything wrong raises ImproperlyConfigured with
a message an administrator can act on without reading a traceback.
"""

import os
from urllib.parse import urlsplit

import dj_database_url

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str, explanation: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {explanation}")
    return value


def database_from_env(default_sqlite_path) -> dict:
    """Return the default database settings from DATABASE_URL, or a SQLite file when unset."""
    url = env_str("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": {"timeout": 20},
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except Exception as error:  # dj-database-url raises several kinds for bad input
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed ({error}); expected e.g. postgres://user:password@host:5432/name."
        ) from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL is malformed (no engine or database name); "
            "expected e.g. postgres://user:password@host:5432/name."
        )
    return config


def tile_hosts(url_template: str) -> list[str]:
    """The hosts a map's tile address template names, for the Content-Security-Policy:
    "https://{s}.tile.example.org/{z}/{x}/{y}.png" gives its a, b and c servers."""
    parts = urlsplit(url_template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"AGORA_MAP_TILES_URL must be an http(s) address, got {url_template!r}.")
    hosts = [parts.netloc.replace("{s}", sub) for sub in "abc"] if "{s}" in parts.netloc else [parts.netloc]
    return [f"{parts.scheme}://{host}" for host in hosts]
