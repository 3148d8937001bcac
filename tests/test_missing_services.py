"""A developer's machine without Chromium or Redis skips the tests that need them and says so at
the end of the run; CI, which sets AGORA_REQUIRE_BROWSER and AGORA_REQUIRE_REDIS, fails them."""

from types import SimpleNamespace

import pytest

from tests.conftest import missing, pytest_terminal_summary, redis_answers

SERVICES = [("Redis", "AGORA_REQUIRE_REDIS"), ("Chromium", "AGORA_REQUIRE_BROWSER")]


@pytest.mark.parametrize(("service", "required_by"), SERVICES)
def test_missing_service_skips_the_test_on_a_developers_machine(monkeypatch, service, required_by):
    monkeypatch.delenv(required_by, raising=False)

    with pytest.raises(pytest.skip.Exception, match=f"{service} introuvable \\(là-bas\\)"):
        missing(service, "là-bas", "tests concernés")


@pytest.mark.parametrize(("service", "required_by"), SERVICES)
def test_missing_service_fails_the_test_where_it_is_required(monkeypatch, service, required_by):
    monkeypatch.setenv(required_by, "1")

    with pytest.raises(pytest.fail.Exception, match=f"{required_by} est défini : ils sont obligatoires"):
        missing(service, "là-bas", "tests concernés")


class Reporter:
    """What pytest_terminal_summary uses of pytest's terminal reporter."""

    def __init__(self, skip_reasons):
        # A skip report's longrepr is (file, line, "Skipped: <reason>").
        self.stats = {
            "skipped": [SimpleNamespace(longrepr=("tests/x.py", 1, f"Skipped: {r}")) for r in skip_reasons]
        }
        self.lines = []

    def write_sep(self, sep, title, **markup):
        self.lines.append(title)

    def write_line(self, line, **markup):
        self.lines.append(line)


def test_the_run_ends_with_a_notice_naming_each_missing_service_once_and_how_to_get_it():
    redis = "Redis introuvable (redis://127.0.0.1:6379/14) : tests Redis ignorés."
    chromium = "Chromium introuvable (/usr/bin/chromium) : tests navigateur ignorés."
    reporter = Reporter([redis, "sans rapport", redis, chromium])

    pytest_terminal_summary(reporter)

    assert reporter.lines == [
        "NOTICE",
        chromium,
        "Installez-le (apt-get install chromium) pour les lancer.",
        redis,
        "Lancez un serveur Redis (apt-get install redis-server) pour les lancer.",
    ]


def test_no_notice_when_nothing_is_missing():
    reporter = Reporter(["une autre raison"])

    pytest_terminal_summary(reporter)

    assert reporter.lines == []


def test_a_redis_that_does_not_answer_counts_as_missing():
    assert redis_answers("redis://127.0.0.1:1/0") is False
