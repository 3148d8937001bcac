"""seed_demo builds the demo site and its accounts, and running it twice changes nothing."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings

from wagtail.models import Page, Revision

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {
    "admin",
    "moderatrice",
    "resoudre",
    "courteline",
    "partenaire1",
    "partenaire2",
    "partenaire3",
}


def counts():
    return {
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
    }


@override_settings(DEBUG=True)
def test_seed_demo_twice_leaves_the_same_counts(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    output = capsys.readouterr().out
    for username in DEMO_USERNAMES:
        assert username in output
    assert "agora-demo" in output


@override_settings(DEBUG=True, DEMO_PASSWORD="mot-de-passe-de-demo")
def test_demo_accounts_log_in_with_demo_password(client):
    call_command("seed_demo")

    assert set(get_user_model().objects.values_list("username", flat=True)) >= DEMO_USERNAMES
    assert get_user_model().objects.get(username="admin").is_superuser
    assert get_user_model().objects.get(username="moderatrice").groups.filter(name="Modérateurs").exists()
    for username in DEMO_USERNAMES:
        assert client.login(username=username, password="mot-de-passe-de-demo"), username


def test_seed_demo_refuses_when_debug_is_off():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")

    assert not get_user_model().objects.filter(username="admin").exists()


def test_seed_demo_runs_with_force_when_debug_is_off():
    call_command("seed_demo", "--force")

    assert get_user_model().objects.filter(username="admin").exists()
