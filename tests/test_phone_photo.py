"""At the kiosk, a photo from the resident's own phone: the form shows the QR code of a one-time
address (single use, 15 minutes, rate-limited, the photo checked and stripped like any other),
and the photo sent there joins the kiosk's form."""

import re
from datetime import timedelta

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from posts.models import EventPage, KeptPhoto, PhotoFromPhone, Proposal
from tests.conftest import page_text
from tests.identifying_photo import assert_says_nothing, identifying_jpeg
from tests.test_proposals import event_data, photo_upload, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(moderation):
    client = Client()
    assert client.get("/kiosque/").status_code == 200
    return client


def phone_address(response) -> str:
    found = re.search(r'data-status-url="/proposer/photo-telephone/([^/]+)/etat/"', response.content.decode())
    assert found, "no QR code for a phone on the form"
    return f"/proposer/photo-telephone/{found.group(1)}/"


def test_the_kiosks_form_shows_a_qr_code_for_a_photo_from_a_phone(kiosk):
    response = kiosk.get("/proposer/evenement/")

    html = page_text(response)
    assert "Ajouter une photo depuis mon téléphone" in html
    assert '<svg role="img"' in html and "la page d'envoi de la photo" in html
    token = phone_address(response).split("/")[-2]
    assert len(token) >= 32 and PhotoFromPhone.objects.filter(token=token, used_at=None).exists()


def test_elsewhere_than_the_kiosk_no_qr_code_is_offered(client, moderation):
    response = client.get("/proposer/evenement/")

    assert "Ajouter une photo depuis mon téléphone" not in page_text(response)
    assert not PhotoFromPhone.objects.exists()


def test_a_photo_sent_from_the_phone_joins_the_kiosks_proposal(kiosk):
    address = phone_address(kiosk.get("/proposer/evenement/"))
    phone = Client()
    assert "Envoyer la photo" in page_text(phone.get(address))
    assert kiosk.get(f"{address}etat/").json() == {"received": False}

    response = phone.post(address, {"photo": SimpleUploadedFile("moi.jpg", identifying_jpeg(), "image/jpeg")})

    assert response.status_code == 200
    assert "Photo reçue, merci !" in page_text(response)
    state = kiosk.get(f"{address}etat/").json()
    assert state["received"] and state["thumbnail"] == f"/proposer/photo/{state['kept']}/"
    kept = KeptPhoto.objects.get(token=state["kept"])
    with kept.file.open("rb") as stored:
        assert_says_nothing(stored.read())
    assert kiosk.get(state["thumbnail"]).status_code == 200

    sent = propose(
        kiosk, "evenement", event_data(photo_alt="Le square en fleurs", photo_gardee=state["kept"])
    )

    assert sent.status_code == 302
    assert EventPage.objects.get(pk=Proposal.objects.get().page_id).image is not None
    assert not KeptPhoto.objects.exists()


def test_the_address_serves_once(kiosk):
    address = phone_address(kiosk.get("/proposer/evenement/"))
    phone = Client()
    phone.post(address, {"photo": photo_upload()})

    again = phone.post(address, {"photo": photo_upload()})

    assert again.status_code == 410
    assert "Ce lien a déjà servi" in page_text(again)
    assert phone.get(address).status_code == 410
    assert KeptPhoto.objects.count() == 1


def test_the_address_expires_after_15_minutes(kiosk):
    address = phone_address(kiosk.get("/proposer/evenement/"))
    PhotoFromPhone.objects.update(created_at=timezone.now() - timedelta(minutes=15, seconds=1))

    response = Client().post(address, {"photo": photo_upload()})

    assert response.status_code == 410
    assert "Ce lien a expiré" in page_text(response)
    assert not KeptPhoto.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_and_the_address_stays_open(kiosk):
    address = phone_address(kiosk.get("/proposer/evenement/"))
    phone = Client()

    refused = phone.post(address, {"photo": SimpleUploadedFile("x.jpg", b"pas une image", "image/jpeg")})
    nothing = phone.post(address, {})

    assert refused.status_code == 400
    assert "Ce fichier n'est pas une photo lisible" in page_text(refused)
    assert "Choisissez une photo." in page_text(nothing)
    assert phone.post(address, {"photo": photo_upload()}).status_code == 200


def test_phones_are_rate_limited(kiosk):
    phone = Client()
    statuses = []
    for _ in range(21):
        address = phone_address(kiosk.get("/proposer/evenement/"))
        statuses.append(phone.post(address, {"photo": photo_upload()}).status_code)

    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429


def test_an_unknown_address_is_not_found(client, moderation):
    assert client.get("/proposer/photo-telephone/inconnu/").status_code == 404
    assert client.get("/proposer/photo-telephone/inconnu/etat/").status_code == 404


def test_the_daily_purge_erases_day_old_addresses(kiosk):
    phone_address(kiosk.get("/proposer/evenement/"))
    PhotoFromPhone.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    phone_address(kiosk.get("/proposer/evenement/"))

    call_command("purge_expired", verbosity=0)

    assert PhotoFromPhone.objects.count() == 1
