"""Bad input on the public forms and filters other than the proposals (tests/test_proposals.py):
reporting a publication, subscribing to the digest, search, the agenda's filters and the
follow-up code. Expected: a French message or a clean 4xx, never a 500, nothing half-stored.
Null bytes matter on PostgreSQL, which refuses them in any string it is sent.
"""

import pytest

from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from letter.models import DigestSubscription
from posts.models import Report
from tests.conftest import page_text

NULL = "Le caractère nul n’est pas autorisé."
RIGHT_TO_LEFT_AND_EMOJI = "التاريخ خاطئ 📅 — la date est fausse 🙏🏽"


def report(client, page, **fields):
    data = {"reason": Report.Reason.WRONG, "text": "", "site_web": "", **fields}
    return client.post(reverse("report_content", args=[page.pk]), data, REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def event(make_event):
    return make_event("Repair café")


# --- Reporting a publication -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "Date fausse\x00"}, NULL),
        ({"reason": "n-importe-quoi"}, "Sélectionnez un choix valide."),
        ({"reason": "wrong\x00"}, "Sélectionnez un choix valide."),
        ({"text": "x" * 5000}, "Assurez-vous que cette valeur comporte au plus"),
    ],
    ids=["null-byte", "unknown-reason", "null-byte-reason", "overlong"],
)
def test_bad_report_is_refused_with_a_french_message_and_stores_nothing(client, event, fields, message):
    response = report(client, event, **fields)

    assert response.status_code in (200, 400)
    assert message in page_text(response)
    assert not Report.objects.exists()


def test_report_in_right_to_left_script_and_emoji_is_kept_intact(client, event):
    assert report(client, event, text=RIGHT_TO_LEFT_AND_EMOJI).status_code == 200

    assert Report.objects.get().text == RIGHT_TO_LEFT_AND_EMOJI


def test_report_sent_twice_counts_once(client, event):
    report(client, event, text="La date est fausse")
    second = report(client, event, text="La date est fausse")

    assert second.status_code in (200, 302)
    assert Report.objects.count() == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_huge_report_body_is_a_clean_400(event):
    lenient = Client(raise_request_exception=False)

    response = report(lenient, event, text="x" * 50_000)

    assert response.status_code == 400
    assert "Envoi refusé" in page_text(response)
    assert not Report.objects.exists()


def test_report_without_csrf_token_is_a_french_403(event):
    response = report(Client(enforce_csrf_checks=True), event, text="La date est fausse")

    assert response.status_code == 403
    assert "Formulaire expiré" in page_text(response)
    assert not Report.objects.exists()


# --- Subscribing to the digest -----------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["lina\x00@example.org", "x" * 300 + "@example.org", "لينا@مثال", "pas-une-adresse", ""],
    ids=["null-byte", "overlong", "right-to-left", "not-an-address", "empty"],
)
def test_bad_digest_address_is_refused_and_nothing_is_stored_nor_sent(client, sections, address):
    response = client.post("/lettre/", {"email": address, "site_web": ""})

    assert response.status_code in (200, 400)
    assert 'role="alert"' in response.content.decode()
    assert not DigestSubscription.objects.exists()
    assert mail.outbox == []


def test_digest_request_sent_twice_makes_one_subscription(client, sections):
    for _click in range(2):
        assert client.post("/lettre/", {"email": "lina@example.org", "site_web": ""}).status_code in (
            200,
            302,
        )

    assert DigestSubscription.objects.count() == 1


# --- Search, the agenda's filters and follow-up codes: what a visitor types in the address ------


@pytest.mark.parametrize(
    "url",
    [
        "/recherche/?q=caf%00e",
        "/recherche/?q=" + "tricot+" * 2000,
        "/recherche/?q=%D8%A7%D9%84%D8%AA%D8%A7%D8%B1%D9%8A%D8%AE+%F0%9F%93%85",
        "/recherche/?q=tricot&page=abc",
        "/recherche/?q=tricot&page=999999999999999999999",
        "/agenda/?acteur=resoudre%00",
        "/agenda/?tag=tricot%00",
        "/agenda/?periode=%00",
        "/agenda/?page=-1",
        "/agenda/?page=999999999999999999999",
        "/agenda/?archives=1&page=%00",
        "/actualites/?tag=%00",
        "/actualites/?page=abc",
        "/acteurs/?type=%00",
        "/proposer/?code=ABCD%00EFGH-IJKL",
        "/proposer/suivi/ABCD-EFGH-IJK%00/",
        "/agenda/programme/?semaine=2026-02-30",
        "/agenda/programme/?semaine=%00",
    ],
)
def test_odd_addresses_answer_without_a_server_error(client, event, url):
    response = client.get(url)

    assert response.status_code in (200, 301, 302, 400, 404)
