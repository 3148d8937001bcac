"""Residents' e-mail addresses and visitors' reports are not kept forever: purge_expired erases
them AGORA_RESIDENT_DATA_RETENTION_MONTHS (6) after the decision or the review."""

import io
from datetime import timedelta

import pytest

from django.core.management import call_command
from django.utils import timezone

from agora.dates import months_before
from posts.models import Proposal, Report
from posts.moderation import setup_moderation

pytestmark = pytest.mark.django_db


def months_ago(months: int):
    return months_before(timezone.now(), months)


def proposal(title, *, status=Proposal.Status.PUBLISHED, decided=None):
    return Proposal.objects.create(
        kind=Proposal.Kind.EVENT,
        title=title,
        display_name="Lina",
        contact_email=f"{title.lower()}@example.org",
        status=status,
        decided_at=decided,
    )


def report(page, visitor, *, resolved=None):
    return Report.objects.create(
        page=page,
        reason=Report.Reason.PRIVACY,
        text="On voit ma fille sur la photo.",
        visitor=visitor,
        network=visitor,
        resolved_at=resolved,
    )


@pytest.fixture
def aged(make_event):
    event = make_event()
    pending = proposal("Attente", status=Proposal.Status.PENDING)
    Proposal.objects.filter(pk=pending.pk).update(created_at=months_ago(12))
    return {
        "published_long_ago": proposal("Ancienne", decided=months_ago(7)),
        "declined_long_ago": proposal("Refusee", status=Proposal.Status.DECLINED, decided=months_ago(7)),
        "recent": proposal("Recente", decided=months_ago(5)),
        "pending": pending,
        "old_report": report(event, "a", resolved=months_ago(7)),
        "recent_report": report(event, "b", resolved=months_ago(5)),
        "open_report": report(event, "c"),
    }


def state():
    return (
        sorted(Proposal.objects.values_list("pk", "contact_email")),
        sorted(Report.objects.values_list("pk", "text")),
    )


def test_residents_email_and_report_texts_are_not_kept_forever(aged):
    output = io.StringIO()

    call_command("purge_expired", stdout=output)

    emails = dict(Proposal.objects.values_list("title", "contact_email"))
    assert emails == {
        "Ancienne": "",
        "Refusee": "",
        "Recente": "recente@example.org",
        "Attente": "attente@example.org",
    }
    # The resident still follows the decision with the code; only the contact is gone.
    assert Proposal.objects.filter(title="Ancienne", status=Proposal.Status.PUBLISHED).exists()
    assert set(Report.objects.values_list("pk", flat=True)) == {
        aged["recent_report"].pk,
        aged["open_report"].pk,
    }
    text = output.getvalue()
    assert f"proposition n° {aged['published_long_ago'].pk} décidée le" in text
    assert "plus de 6 mois, effacés : 2" in text
    assert "(6 mois) effacés : 1" in text
    assert "Purge terminée." in text


def test_resident_data_retention_comes_from_settings(aged, settings):
    settings.AGORA_RESIDENT_DATA_RETENTION_MONTHS = 4

    call_command("purge_expired", stdout=io.StringIO())

    assert Proposal.objects.get(title="Recente").contact_email == ""
    assert not Report.objects.filter(pk=aged["recent_report"].pk).exists()


def test_purge_dry_run_lists_resident_data_and_changes_nothing(aged):
    before = state()
    output = io.StringIO()

    call_command("purge_expired", "--dry-run", stdout=output)

    assert state() == before
    text = output.getvalue()
    assert f"proposition n° {aged['declined_long_ago'].pk} décidée le" in text
    assert "e-mail à effacer" in text
    assert "plus de 6 mois, à effacer : 2" in text
    assert "(6 mois) à effacer : 1" in text
    assert "rien n'a été effacé" in text


def test_purge_just_inside_the_retention_keeps_the_email(make_event):
    kept = proposal("Limite", decided=months_ago(6) + timedelta(hours=1))

    call_command("purge_expired", stdout=io.StringIO())

    kept.refresh_from_db()
    assert kept.contact_email == "limite@example.org"


def test_proposal_form_no_longer_asks_for_a_phone(client, make_acteur):
    make_acteur("Centre social")
    setup_moderation()

    for kind in ("evenement", "portrait", "actualite"):
        html = client.get(f"/proposer/{kind}/").content.decode()
        assert 'name="contact_email"' in html
        assert 'name="contact_phone"' not in html and 'type="tel"' not in html
    assert "contact_phone" not in {field.name for field in Proposal._meta.get_fields()}
