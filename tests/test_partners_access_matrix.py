"""Access matrix of the partner workspace: every demo account (and anonymous) × every folder,
file, version, record, note, consent and log view gets exactly what it should, 404 otherwise.

Decision (documented in partners.access): being a superuser opens nothing in the workspace.
`admin` is not a member of any organisation, so it gets 404 on every object, job-seeker
records included, like the public-site staff accounts.
"""

import pytest

from django.urls import reverse

from partners.models import (
    AccessLog,
    Consent,
    FileVersion,
    Folder,
    FolderShare,
    FollowUpNote,
    JobSeeker,
    SharedFile,
)
from tests.conftest import USERNAMES

pytestmark = pytest.mark.django_db

P1, P2, P3 = "partenaire1", "partenaire2", "partenaire3"
NOBODY: frozenset[str] = frozenset()
LOGIN_URL = "/espace-partenaires/connexion/"

# (view name, kind of object, object key, accounts that get 200 on GET)
FOLDER_READ = {"shared": {P1, P2}, "readonly": {P1, P2}, "private": {P1}, "courteline": {P3}}
FOLDER_WRITE = {"shared": {P1, P2}, "readonly": {P1}, "private": {P1}, "courteline": {P3}}
FOLDER_MANAGE = {"shared": {P1}, "readonly": {P1}, "private": {P1}, "courteline": {P3}}
FILE_READ = {
    "shared": {P1, P2},
    "readonly": {P1, P2},
    "private": {P1},
    "courteline": {P3},
    "linked_shared": {P1, P2},
    # Mission locale may write in the folder, but Sophie consented to Résoudre only.
    "linked_resoudre_only": {P1},
    # Résoudre owns the folder, but Karim shared his record only ("fiche seule") with it.
    "linked_record_only": {P2},
}
FILE_WRITE = {**FILE_READ, "readonly": {P1}}
VERSION_READ = {**FILE_READ, "shared_v2": {P1, P2}}
RECORD_READ = {
    "shared": {P1, P2},
    "record_only": {P1, P2},
    "resoudre_only": {P1},
    "courteline": {P3},
    "withdrawn": {P1},
}
RECORD_FOLLOW = {**RECORD_READ, "record_only": {P2}}
RECORD_MANAGE = {
    "shared": {P1},
    "record_only": {P2},
    "resoudre_only": {P1},
    "courteline": {P3},
    "withdrawn": {P1},
}
# Only admins of the referent organisation erase: Mission locale has none among the accounts.
RECORD_ERASE = {**RECORD_MANAGE, "record_only": NOBODY}
NOTE_EDIT = {
    "shared_by_p1": {P1},
    "shared_by_p2": {P2},
    "record_only_by_p2": {P2},
    "resoudre_only_by_p1": {P1},
    "courteline_by_p3": {P3},
}
CONSENT_WITHDRAW = {
    "shared_mission": {P1},
    "record_only_resoudre": {P2},
    # The referent organisation's own consent is never withdrawn (erase the record instead).
    "shared_referent": NOBODY,
    "record_only_referent": NOBODY,
    "courteline_referent": NOBODY,
    # Already withdrawn.
    "withdrawn_mission": NOBODY,
}

OBJECT_VIEWS = [
    ("partners:folder_detail", "folders", FOLDER_READ),
    ("partners:folder_upload", "folders", FOLDER_WRITE),
    ("partners:folder_shares", "folders", FOLDER_MANAGE),
    ("partners:folder_delete", "folders", FOLDER_MANAGE),
    ("partners:file_detail", "files", FILE_READ),
    ("partners:file_download", "files", FILE_READ),
    ("partners:file_new_version", "files", FILE_WRITE),
    ("partners:file_delete", "files", FILE_WRITE),
    ("partners:version_download", "versions", VERSION_READ),
    ("partners:record_detail", "records", RECORD_READ),
    ("partners:record_edit", "records", RECORD_FOLLOW),
    ("partners:note_create", "records", RECORD_FOLLOW),
    ("partners:consent_create", "records", RECORD_MANAGE),
    ("partners:record_export", "records", RECORD_MANAGE),
    ("partners:record_export_json", "records", RECORD_MANAGE),
    ("partners:record_log", "records", RECORD_MANAGE),
    ("partners:record_erase", "records", RECORD_ERASE),
    ("partners:note_edit", "notes", NOTE_EDIT),
    ("partners:consent_withdraw", "consents", CONSENT_WITHDRAW),
]
CASES = [
    pytest.param(view, kind, key, frozenset(allowed), id=f"{view.split(':')[1]}-{key}")
    for view, kind, table in OBJECT_VIEWS
    for key, allowed in table.items()
]
PAGE_VIEWS = [
    ("partners:dashboard", set(USERNAMES)),
    ("partners:folder_list", set(USERNAMES)),
    ("partners:record_list", set(USERNAMES)),
    ("partners:folder_create", {P1, P3}),
    ("partners:record_create", {P1, P2, P3}),
]


def status_for(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.streaming:
        # Reading to the end closes the file, the way the test client expects.
        b"".join(response.streaming_content)
    return response.status_code


# The matrix only reads: its world is built once. One process runs the whole class
# (`make test` distributes with --dist loadgroup).
@pytest.mark.xdist_group("partners_access_matrix")
class TestReading:
    @pytest.mark.parametrize(("view", "kind", "key", "allowed"), CASES)
    def test_each_account_gets_exactly_its_objects(
        self, client, shared_partner_world, view, kind, key, allowed
    ):
        world = shared_partner_world
        url = reverse(view, args=[world.objects(kind)[key].pk])

        actual = {username: status_for(client, user, url) for username, user in world.users.items()}

        expected = {username: 200 if username in allowed else 404 for username in world.users}
        assert actual == expected

    @pytest.mark.parametrize(("view", "allowed"), PAGE_VIEWS)
    def test_workspace_pages_answer_members_and_non_members(
        self, client, shared_partner_world, view, allowed
    ):
        world = shared_partner_world
        url = reverse(view)

        actual = {username: status_for(client, user, url) for username, user in world.users.items()}

        assert actual == {username: 200 if username in allowed else 404 for username in world.users}


@pytest.mark.parametrize(
    ("view", "kind", "key"),
    [(view, kind, next(iter(table))) for view, kind, table in OBJECT_VIEWS]
    + [(view, None, None) for view, _allowed in PAGE_VIEWS],
)
def test_anonymous_is_sent_to_the_workspace_login(client, partner_world, view, kind, key):
    url = reverse(view, args=[partner_world.objects(kind)[key].pk]) if kind else reverse(view)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(f"{LOGIN_URL}?next=")
    assert response["Cache-Control"].count("no-store") == 1


def test_lists_show_exactly_what_each_account_may_see(client, partner_world):
    folder_names = {key: folder.name for key, folder in partner_world.folders.items()}
    record_names = {key: record.full_name for key, record in partner_world.records.items()}
    for username, user in partner_world.users.items():
        client.force_login(user)
        folders_html = client.get(reverse("partners:folder_list")).content.decode()
        records_html = client.get(reverse("partners:record_list")).content.decode()
        dashboard_html = client.get(reverse("partners:dashboard")).content.decode()

        visible_folders = {key for key, name in folder_names.items() if name in folders_html}
        visible_records = {key for key, name in record_names.items() if name in records_html}
        assert visible_folders == {key for key, allowed in FOLDER_READ.items() if username in allowed}, (
            username
        )
        assert visible_records == {key for key, allowed in RECORD_READ.items() if username in allowed}, (
            username
        )
        for key, name in record_names.items():
            if username not in RECORD_READ[key]:
                assert name not in dashboard_html, (username, key)


def test_folder_page_lists_only_the_files_the_account_may_see(client, partner_world):
    url = reverse("partners:folder_detail", args=[partner_world.folders["shared"].pk])
    in_shared_folder = ["shared", "linked_shared", "linked_resoudre_only", "linked_record_only"]
    for username in (P1, P2):
        client.force_login(partner_world.users[username])
        html = client.get(url).content.decode()
        shown = {key for key in in_shared_folder if partner_world.files[key].title in html}
        assert shown == {key for key in in_shared_folder if username in FILE_READ[key]}, username


def test_record_only_consent_shows_the_record_without_notes(client, partner_world):
    client.force_login(partner_world.users[P1])

    html = client.get(
        reverse("partners:record_detail", args=[partner_world.records["record_only"].pk])
    ).content.decode()

    assert "Karim Haddad" in html
    assert partner_world.notes["record_only_by_p2"].text not in html
    assert "fiche seule" in html


def test_superuser_sees_job_seeker_data_only_as_a_member(client, partner_world):
    admin = partner_world.users["admin"]
    record = partner_world.records["shared"]
    url = reverse("partners:record_detail", args=[record.pk])
    client.force_login(admin)
    assert client.get(url).status_code == 404

    partner_world.organisations["mission"].memberships.create(user=admin)

    assert client.get(url).status_code == 200


# --- Writes by accounts that may not write: 404 and nothing changes ---------------------------


def snapshot():
    return {
        "folders": list(Folder.objects.order_by("pk").values_list("pk", "name")),
        "shares": list(FolderShare.objects.order_by("pk").values_list("pk", "access")),
        "files": list(SharedFile.objects.order_by("pk").values_list("pk", flat=True)),
        "versions": list(FileVersion.objects.order_by("pk").values_list("pk", flat=True)),
        "records": list(JobSeeker.objects.order_by("pk").values_list("pk", "last_name", "status")),
        "notes": list(FollowUpNote.objects.order_by("pk").values_list("pk", "text")),
        "consents": list(Consent.objects.order_by("pk").values_list("pk", "withdrawn_at")),
    }


def post_data(partner_world, view):
    from tests.conftest import text_file

    return {
        "partners:folder_upload": lambda: {"file": text_file("intrus.txt")},
        "partners:file_new_version": lambda: {"file": text_file("intrus.txt")},
        "partners:folder_shares": lambda: {
            "organisation": partner_world.organisations["courteline"].pk,
            "access": "write",
        },
        "partners:record_edit": lambda: {
            "first_name": "X",
            "last_name": "Intrus",
            "status": "en_emploi",
            "last_contact_on": "2020-01-01",
        },
        "partners:note_create": lambda: {
            "date": "2020-01-01",
            "kind": "entretien",
            "organisation": partner_world.organisations["courteline"].pk,
            "text": "Note d'une organisation sans accord.",
        },
        "partners:note_edit": lambda: {"date": "2020-01-01", "kind": "entretien", "text": "Réécrite."},
        "partners:consent_create": lambda: {
            "organisation": partner_world.organisations["courteline"].pk,
            "scope": "suivi",
            "given_on": "2020-01-01",
            "confirm": "on",
        },
    }.get(view, dict)()


WRITE_VIEWS = {
    "partners:folder_upload",
    "partners:folder_shares",
    "partners:folder_delete",
    "partners:file_new_version",
    "partners:file_delete",
    "partners:record_edit",
    "partners:note_create",
    "partners:consent_create",
    "partners:record_erase",
    "partners:note_edit",
    "partners:consent_withdraw",
}
WRITE_CASES = [case for case in CASES if case.values[0] in WRITE_VIEWS]


@pytest.mark.parametrize(("view", "kind", "key", "allowed"), WRITE_CASES)
def test_forbidden_writes_get_404_and_change_nothing(client, partner_world, view, kind, key, allowed):
    pk = partner_world.objects(kind)[key].pk
    url = reverse(view, args=[pk])
    before = snapshot()
    last_log = AccessLog.objects.latest("pk").pk

    refused = [username for username in partner_world.users if username not in allowed]
    for username in refused:
        client.force_login(partner_world.users[username])
        assert client.post(url, post_data(partner_world, view)).status_code == 404, username
    client.logout()
    assert client.post(url, post_data(partner_world, view)).status_code == 302

    assert snapshot() == before
    # The log gains one denial per refused account, and nothing else.
    logged = AccessLog.objects.filter(pk__gt=last_log).values_list("username", "action", "target_id")
    assert sorted(logged) == sorted((username, AccessLog.Action.DENIED, pk) for username in refused)
