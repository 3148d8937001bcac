"""GDPR: per-person export, erasure with confirmation, and the daily purge of expired data."""

import datetime
import io
import json
import os
from pathlib import Path

import pytest
from axes.models import AccessLog as LoginLog

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from partners import actions, storage
from partners.models import AccessLog, Consent, FileVersion, FollowUpNote, JobSeeker, SharedFile
from tests.conftest import page_text

pytestmark = pytest.mark.django_db


def test_json_export_contains_every_note_of_the_person(client, partner_world):
    record = partner_world.records["shared"]
    extra = actions.record_note(
        partner_world.users["partenaire2"],
        record,
        organisation=partner_world.organisations["mission"],
        text="Appel : rendez-vous pris avec l'organisme de formation.",
    )
    client.force_login(partner_world.users["partenaire1"])

    response = client.get(reverse("partners:record_export_json", args=[record.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="personne-{record.pk}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert {note["id"] for note in data["notes"]} == set(record.notes.values_list("pk", flat=True))
    assert {note["text"] for note in data["notes"]} >= {
        partner_world.notes["shared_by_p1"].text,
        partner_world.notes["shared_by_p2"].text,
        extra.text,
    }
    assert data["person"]["first_name"] == "Inès" and data["person"]["last_name"] == "Moreau"
    assert {consent["organisation"] for consent in data["consents"]} == {"Résoudre", "Mission locale"}
    assert [file["title"] for file in data["files"]] == ["CV Inès Moreau.txt"]
    assert any(entry["action"] == "export" for entry in data["access_log"])
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, record_id=record.pk).count() == 1


def test_readable_export_page_shows_every_note(client, partner_world):
    record = partner_world.records["shared"]
    client.force_login(partner_world.users["partenaire1"])

    html = page_text(client.get(reverse("partners:record_export", args=[record.pk])))

    for note in record.notes.all():
        assert note.text in html
    assert "Télécharger au format JSON" in html


def test_erasure_asks_first_then_removes_record_notes_consents_and_files(
    client, partner_world, django_capture_on_commit_callbacks
):
    record = partner_world.records["shared"]
    linked = partner_world.files["linked_shared"]
    paths = [storage.stored_path(name) for name in linked.versions.values_list("storage_name", flat=True)]
    other_paths = [storage.stored_path(v.storage_name) for v in FileVersion.objects.exclude(file=linked)]
    client.force_login(partner_world.users["partenaire1"])
    url = reverse("partners:record_erase", args=[record.pk])

    confirmation = page_text(client.get(url))
    assert "Effacer la fiche de Inès Moreau ?" in confirmation
    assert "2 notes de suivi" in confirmation and "1 document lié" in confirmation
    assert JobSeeker.objects.filter(pk=record.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "sont effacés définitivement" in page_text(response)
    assert not JobSeeker.objects.filter(pk=record.pk).exists()
    assert not FollowUpNote.objects.filter(job_seeker_id=record.pk).exists()
    assert not Consent.objects.filter(job_seeker_id=record.pk).exists()
    assert not SharedFile.objects.filter(pk=linked.pk).exists()
    assert not any(path.exists() for path in paths)
    assert all(path.exists() for path in other_paths)
    erased = AccessLog.objects.get(action=AccessLog.Action.ERASE)
    assert (erased.record_id, erased.user) == (record.pk, partner_world.users["partenaire1"])
    assert "Moreau" not in str(list(AccessLog.objects.values_list()))


def months_ago(months: int, days: int = 0) -> datetime.date:
    return actions.months_before(timezone.localdate(), months) - datetime.timedelta(days=days)


@pytest.fixture
def aged(partner_world):
    """Records and log entries on both sides of the retention limits."""
    resoudre, p1 = partner_world.organisations["resoudre"], partner_world.users["partenaire1"]

    def record_with_contact(name, day):
        record = actions.create_record(p1, organisation=resoudre, first_name="Test", last_name=name)
        JobSeeker.objects.filter(pk=record.pk).update(last_contact_on=day)
        return record

    expired = record_with_contact("Expiré", months_ago(24, days=1))
    old_file = actions.upload_file(
        p1, partner_world.folders["private"], storage_file("CV expiré.txt"), job_seeker=expired
    ).file
    kept = {
        "limit": record_with_contact("Limite", months_ago(24)),
        "recent": record_with_contact("Récent", months_ago(23)),
    }
    now = timezone.now()
    AccessLog.objects.update(at=now - datetime.timedelta(days=2))
    old_logs = [
        actions.log_access(p1, AccessLog.Action.VIEW, target_type="record", target_id=1, record_id=1)
        for _ in range(3)
    ]
    AccessLog.objects.filter(pk__in=[entry.pk for entry in old_logs]).update(
        at=actions.months_before(now, 12) - datetime.timedelta(hours=1)
    )
    recent_log = actions.log_access(p1, AccessLog.Action.VIEW, target_type="record", target_id=2, record_id=2)
    AccessLog.objects.filter(pk=recent_log.pk).update(
        at=actions.months_before(now, 12) + datetime.timedelta(hours=1)
    )
    for days in (400, 10):
        login = LoginLog.objects.create(username="partenaire1", ip_address="127.0.0.1", user_agent="test")
        # attempt_time is set on creation: move it back in time afterwards.
        LoginLog.objects.filter(pk=login.pk).update(attempt_time=now - datetime.timedelta(days=days))
    return {
        "expired": expired,
        "old_file": old_file,
        "kept": kept,
        "old_logs": old_logs,
        "recent_log": recent_log,
    }


def storage_file(name):
    return ContentFile(b"CV\n", name=name)


def state():
    return (
        sorted(JobSeeker.objects.values_list("pk", flat=True)),
        sorted(AccessLog.objects.values_list("pk", flat=True)),
        sorted(SharedFile.objects.values_list("pk", flat=True)),
        LoginLog.objects.count(),
    )


def test_dry_run_lists_what_would_be_deleted_and_deletes_nothing(aged):
    before = state()
    output = io.StringIO()

    call_command("purge_expired", "--dry-run", stdout=output)

    assert state() == before
    text = output.getvalue()
    assert f"fiche n° {aged['expired'].pk} à effacer" in text
    assert "à effacer : 1" in text
    assert "de plus de 12 mois à effacer : 3" in text
    assert "rien n'a été effacé" in text
    assert "Expiré" not in text


def test_purge_deletes_exactly_the_expired_records_and_logs(aged, django_capture_on_commit_callbacks):
    expired = aged["expired"]
    old_path = storage.stored_path(aged["old_file"].versions.get().storage_name)
    records_before = set(JobSeeker.objects.values_list("pk", flat=True))
    logs_before = set(AccessLog.objects.values_list("pk", flat=True))
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired", stdout=output)

    assert set(JobSeeker.objects.values_list("pk", flat=True)) == records_before - {expired.pk}
    assert not SharedFile.objects.filter(pk=aged["old_file"].pk).exists()
    assert not old_path.exists()
    remaining_logs = set(AccessLog.objects.values_list("pk", flat=True))
    purge_entries = set(AccessLog.objects.filter(action=AccessLog.Action.PURGE).values_list("pk", flat=True))
    assert remaining_logs - purge_entries == logs_before - {entry.pk for entry in aged["old_logs"]}
    assert AccessLog.objects.get(action=AccessLog.Action.PURGE).record_id == expired.pk
    assert LoginLog.objects.count() == 1
    text = output.getvalue()
    assert f"[1/1] fiche n° {expired.pk} effacée" in text
    assert "Purge terminée." in text


def test_purge_run_twice_finds_nothing_more(aged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.purge_expired()
    report = actions.purge_expired(dry_run=True)
    assert (report.records, report.logs, report.login_logs) == ([], 0, 0)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 31), 24, datetime.date(2024, 3, 31)),
        (datetime.date(2026, 2, 28), 24, datetime.date(2024, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),
        (datetime.date(2026, 1, 15), 12, datetime.date(2025, 1, 15)),
        (datetime.date(2026, 5, 31), 3, datetime.date(2026, 2, 28)),
    ],
)
def test_months_before_stays_in_the_calendar(day, months, expected):
    assert actions.months_before(day, months) == expected


def test_purge_removes_private_files_no_version_refers_to(partner_world):
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()

    def stored_file(content: bytes, age: float | None = None) -> Path:
        path = storage.stored_path(storage.store(ContentFile(content)).name)
        if age is not None:
            os.utime(path, (age, age))
        return path

    forgotten = stored_file(b"left behind by a failed deletion", age=two_days_ago)
    uploading = stored_file(b"its version is not saved yet")
    referenced = storage.stored_path(partner_world.versions["shared"].storage_name)
    os.utime(referenced, (two_days_ago, two_days_ago))
    output = io.StringIO()

    call_command("purge_expired", "--dry-run", stdout=output)

    assert forgotten.exists()
    assert "ne désigne plus à effacer : 1" in output.getvalue()
    report = actions.purge_expired()
    assert report.orphan_files == [forgotten.relative_to(storage.private_root()).as_posix()]
    assert not forgotten.exists()
    assert uploading.exists() and referenced.exists()
