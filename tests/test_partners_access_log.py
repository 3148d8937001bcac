"""The GDPR access log: every page showing personal data leaves an entry naming the records it
showed (by number), reading a record's journal is itself logged, and so is every attempt to
open a record, note, consent, folder, file or version one may not see."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from partners import actions
from partners.models import AccessLog, ShownRecord
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

P1, P2, P3 = "partenaire1", "partenaire2", "partenaire3"


def new_entries(since: int) -> list[AccessLog]:
    return list(AccessLog.objects.filter(pk__gt=since).order_by("pk"))


def last_pk() -> int:
    return AccessLog.objects.latest("pk").pk


def shown_ids(entry: AccessLog) -> set[int]:
    return set(entry.shown_records.values_list("record_id", flat=True))


def records_named_in(partner_world, html: str) -> set[int]:
    return {record.pk for record in partner_world.records.values() if record.full_name in html}


def test_dashboard_view_is_logged_with_the_records_it_shows(client, partner_world):
    # Sophie's next step is due: she appears among the next steps as well as in "my records".
    record = partner_world.records["resoudre_only"]
    actions.record_note(
        partner_world.users[P1],
        record,
        organisation=partner_world.organisations["resoudre"],
        text="Appel : rendez-vous pris.",
        next_step="Entretien d'embauche",
        next_step_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    since = last_pk()
    client.force_login(partner_world.users[P1])

    html = page_text(client.get(reverse("partners:dashboard")))

    (entry,) = new_entries(since)
    assert (entry.action, entry.user, entry.target_type) == (
        AccessLog.Action.DASHBOARD,
        partner_world.users[P1],
        AccessLog.Target.PAGE,
    )
    assert shown_ids(entry) == records_named_in(partner_world, html)
    assert record.pk in shown_ids(entry)


def test_list_of_people_is_logged_with_the_records_it_shows(client, partner_world):
    since = last_pk()
    client.force_login(partner_world.users[P1])

    full = page_text(client.get(reverse("partners:record_list")))
    searched = page_text(client.get(reverse("partners:record_list"), {"q": "Moreau"}))

    first, second = new_entries(since)
    assert {first.action, second.action} == {AccessLog.Action.RECORD_LIST}
    assert shown_ids(first) == records_named_in(partner_world, full)
    assert len(shown_ids(first)) == 4
    assert (
        shown_ids(second) == records_named_in(partner_world, searched) == {partner_world.records["shared"].pk}
    )


def test_pages_listing_a_record_appear_in_its_journal(client, partner_world):
    record = partner_world.records["shared"]
    client.force_login(partner_world.users[P2])
    client.get(reverse("partners:record_list"))
    client.get(reverse("partners:dashboard"))
    client.get(reverse("partners:folder_detail", args=[partner_world.folders["shared"].pk]))
    client.force_login(partner_world.users[P1])

    journal = page_text(client.get(reverse("partners:record_log", args=[record.pk])))
    export = client.get(reverse("partners:record_export_json", args=[record.pk])).json()

    for label in ("Affichage dans la liste des personnes", "Consultation d'un dossier partagé"):
        assert label in journal
    assert {"record_list", "folder_view"} <= {entry["action"] for entry in export["access_log"]}


def test_folder_view_is_logged_with_the_people_its_files_concern(client, partner_world):
    folder = partner_world.folders["shared"]
    since = last_pk()
    client.force_login(partner_world.users[P2])

    client.get(reverse("partners:folder_detail", args=[folder.pk]))

    (entry,) = new_entries(since)
    assert (entry.action, entry.target_type, entry.target_id, entry.user) == (
        AccessLog.Action.FOLDER_VIEW,
        AccessLog.Target.FOLDER,
        folder.pk,
        partner_world.users[P2],
    )
    # Mission locale sees Inès's and Karim's documents, not Sophie's.
    assert shown_ids(entry) == {partner_world.records["shared"].pk, partner_world.records["record_only"].pk}


def test_file_view_is_logged(client, partner_world):
    shared_file = partner_world.files["linked_shared"]
    since = last_pk()
    client.force_login(partner_world.users[P2])

    client.get(reverse("partners:file_detail", args=[shared_file.pk]))

    (entry,) = new_entries(since)
    assert (entry.action, entry.target_type, entry.target_id, entry.record_id, entry.user) == (
        AccessLog.Action.FILE_VIEW,
        AccessLog.Target.FILE,
        shared_file.pk,
        partner_world.records["shared"].pk,
        partner_world.users[P2],
    )


def test_opening_a_note_to_edit_it_is_logged_as_a_view_of_the_record(client, partner_world):
    note = partner_world.notes["shared_by_p1"]
    since = last_pk()
    client.force_login(partner_world.users[P1])

    html = page_text(client.get(reverse("partners:note_edit", args=[note.pk])))

    assert note.text in html
    (entry,) = new_entries(since)
    assert (entry.action, entry.record_id, entry.user) == (
        AccessLog.Action.VIEW,
        partner_world.records["shared"].pk,
        partner_world.users[P1],
    )


def test_upload_form_listing_the_people_one_follows_is_logged_with_them(client, partner_world):
    folder = partner_world.folders["shared"]
    since = last_pk()
    client.force_login(partner_world.users[P1])

    html = page_text(client.get(reverse("partners:folder_upload", args=[folder.pk])))

    (entry,) = new_entries(since)
    assert (entry.action, entry.target_type, entry.target_id, entry.user) == (
        AccessLog.Action.RECORD_LIST,
        AccessLog.Target.FOLDER,
        folder.pk,
        partner_world.users[P1],
    )
    assert shown_ids(entry) == records_named_in(partner_world, html) != set()


def test_reading_a_record_journal_is_logged(client, partner_world):
    record = partner_world.records["shared"]
    since = last_pk()
    client.force_login(partner_world.users[P1])

    first = page_text(client.get(reverse("partners:record_log", args=[record.pk])))

    (entry,) = new_entries(since)
    assert (entry.action, entry.target_type, entry.record_id, entry.user) == (
        AccessLog.Action.LOG_VIEW,
        AccessLog.Target.RECORD,
        record.pk,
        partner_world.users[P1],
    )
    assert "Consultation du journal d'accès" in first


DENIALS = [
    # (account, view, kind of object, key, target logged)
    (P3, "partners:record_detail", "records", "shared", AccessLog.Target.RECORD),
    (P2, "partners:record_erase", "records", "shared", AccessLog.Target.RECORD),
    (P3, "partners:folder_detail", "folders", "private", AccessLog.Target.FOLDER),
    (P2, "partners:folder_delete", "folders", "shared", AccessLog.Target.FOLDER),
    (P2, "partners:file_detail", "files", "private", AccessLog.Target.FILE),
    (P2, "partners:file_download", "files", "linked_resoudre_only", AccessLog.Target.FILE),
    (P3, "partners:version_download", "versions", "shared_v2", AccessLog.Target.VERSION),
    (P2, "partners:note_edit", "notes", "shared_by_p1", AccessLog.Target.NOTE),
    (P2, "partners:consent_withdraw", "consents", "shared_mission", AccessLog.Target.CONSENT),
]


@pytest.mark.parametrize(
    ("username", "view", "kind", "key", "target"),
    DENIALS,
    ids=[f"{case[1].split(':')[1]}-{case[3]}" for case in DENIALS],
)
def test_denied_attempts_are_logged(client, partner_world, username, view, kind, key, target):
    pk = partner_world.objects(kind)[key].pk
    since = last_pk()
    client.force_login(partner_world.users[username])

    response = client.get(reverse(view, args=[pk]))

    assert response.status_code == 404
    (entry,) = new_entries(since)
    assert (entry.action, entry.user, entry.username, entry.target_type, entry.target_id) == (
        AccessLog.Action.DENIED,
        partner_world.users[username],
        username,
        target,
        pk,
    )
    assert abs(entry.at - timezone.now()) < datetime.timedelta(minutes=1)


def test_denied_posts_are_logged_too(client, partner_world):
    since = last_pk()
    client.force_login(partner_world.users[P3])

    response = client.post(reverse("partners:record_erase", args=[partner_world.records["shared"].pk]))

    assert response.status_code == 404
    assert [(entry.action, entry.record_id) for entry in new_entries(since)] == [
        (AccessLog.Action.DENIED, partner_world.records["shared"].pk)
    ]


def test_denied_attempt_on_a_record_shows_in_its_journal(client, partner_world):
    record = partner_world.records["shared"]
    client.force_login(partner_world.users[P3])
    client.get(reverse("partners:record_detail", args=[record.pk]))
    client.force_login(partner_world.users[P1])

    journal = page_text(client.get(reverse("partners:record_log", args=[record.pk])))

    assert "Accès refusé" in journal
    assert "Partenaire3" in journal


def test_denied_attempt_on_an_id_out_of_range_is_logged_without_its_id(client, partner_world):
    since = last_pk()
    client.force_login(partner_world.users[P3])

    response = client.get(f"/espace-partenaires/personnes/{10**30}/")

    assert response.status_code == 404
    (entry,) = new_entries(since)
    assert (entry.action, entry.target_type, entry.target_id) == (
        AccessLog.Action.DENIED,
        AccessLog.Target.RECORD,
        None,
    )


def test_page_entries_are_purged_after_twelve_months_with_the_records_they_name(client, partner_world):
    client.force_login(partner_world.users[P1])
    client.get(reverse("partners:record_list"))
    old = AccessLog.objects.get(action=AccessLog.Action.RECORD_LIST)
    client.get(reverse("partners:record_list"))
    recent = AccessLog.objects.filter(action=AccessLog.Action.RECORD_LIST).latest("pk")
    now = timezone.now()
    AccessLog.objects.filter(pk=old.pk).update(
        at=actions.months_before(now, 12) - datetime.timedelta(hours=1)
    )

    actions.purge_expired(now=now)

    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert not ShownRecord.objects.filter(entry_id=old.pk).exists()
    assert shown_ids(AccessLog.objects.get(pk=recent.pk)) == shown_ids(recent)
    assert len(shown_ids(recent)) == 4
