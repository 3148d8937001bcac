"""A resident's photo is never lost: when the form comes back with an error, the checked photo is
kept under an unguessable token, shown as a thumbnail with "Retirer cette photo", used when the
form is sent again, and erased by the daily purge after a day if it never is."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from posts.models import EventPage, KeptPhoto, Proposal
from tests.conftest import page_text
from tests.test_proposals import event_data, photo_upload, propose

pytestmark = pytest.mark.django_db


def kept_token(response) -> str:
    found = re.search(r'name="photo_gardee" value="([^"]+)"', response.content.decode())
    return found.group(1) if found else ""


def send_with_an_error(client, **data):
    """An event proposal with a photo and no place: the form comes back."""
    response = propose(client, "evenement", event_data(place_name="", photo=photo_upload(), **data))
    assert response.status_code == 400
    return response


def test_a_form_sent_back_with_an_error_keeps_the_photo_and_shows_it(client, moderation):
    response = send_with_an_error(client, photo_alt="Des boutures sur une table")

    token = kept_token(response)
    assert len(token) >= 32
    html = page_text(response)
    assert f'src="/proposer/photo/{token}/"' in html
    assert "Votre photo est gardée : inutile de la choisir à nouveau." in html
    assert "Retirer cette photo" in html
    thumbnail = client.get(f"/proposer/photo/{token}/")
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] in ("image/jpeg", "image/png")
    assert "no-store" in thumbnail["Cache-Control"]
    PILImage.open(io.BytesIO(b"".join(thumbnail.streaming_content))).verify()


def test_the_kept_photo_goes_with_the_corrected_form_and_is_then_erased(client, moderation):
    token = kept_token(send_with_an_error(client, photo_alt="Des boutures sur une table"))
    kept_file = Path(KeptPhoto.objects.get(token=token).file.path)
    assert kept_file.exists()

    response = propose(
        client, "evenement", event_data(photo_alt="Des boutures sur une table", photo_gardee=token)
    )

    assert response.status_code == 302
    event = EventPage.objects.get(pk=Proposal.objects.get().page_id)
    assert event.image is not None and event.image_alt == "Des boutures sur une table"
    assert not KeptPhoto.objects.exists() and not kept_file.exists()
    assert client.get(f"/proposer/photo/{token}/").status_code == 404


def test_a_missing_description_keeps_the_photo_for_the_description_to_be_added(client, moderation):
    response = propose(client, "evenement", event_data(photo=photo_upload()))
    assert response.status_code == 400
    assert "Décrivez la photo en une phrase." in page_text(response)

    response = propose(
        client, "evenement", event_data(photo_alt="Le square", photo_gardee=kept_token(response))
    )

    assert response.status_code == 302
    assert EventPage.objects.get().image is not None


def test_removing_the_kept_photo_sends_the_proposal_without_it(client, moderation):
    token = kept_token(send_with_an_error(client, photo_alt="Des boutures"))

    response = propose(
        client, "evenement", event_data(photo_alt="Des boutures", photo_gardee=token, retirer_photo="1")
    )

    assert response.status_code == 302
    assert EventPage.objects.get().image is None
    assert not KeptPhoto.objects.exists()


def test_another_photo_replaces_the_kept_one(client, moderation):
    first = kept_token(send_with_an_error(client, photo_alt="Une photo"))

    second = kept_token(send_with_an_error(client, photo_alt="Une photo", photo_gardee=first))

    assert second and second != first
    assert list(KeptPhoto.objects.values_list("token", flat=True)) == [second]


def test_a_photo_refused_by_its_checks_is_not_kept(client, moderation):
    not_a_photo = SimpleUploadedFile("photo.jpg", b"ceci n'est pas une image", content_type="image/jpeg")
    response = propose(client, "evenement", event_data(photo=not_a_photo, photo_alt="Rien"))

    assert response.status_code == 400
    assert kept_token(response) == ""
    assert not KeptPhoto.objects.exists()


def test_an_unknown_or_day_old_token_shows_nothing(client, moderation):
    token = kept_token(send_with_an_error(client, photo_alt="Une photo"))
    KeptPhoto.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))

    assert client.get(f"/proposer/photo/{token}/").status_code == 404
    assert client.get("/proposer/photo/inconnu/").status_code == 404


def test_the_daily_purge_erases_photos_kept_for_more_than_a_day(client, moderation):
    old = kept_token(send_with_an_error(client, photo_alt="Une photo"))
    KeptPhoto.objects.filter(token=old).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    old_file = Path(KeptPhoto.objects.get(token=old).file.path)
    recent = kept_token(send_with_an_error(client, photo_alt="Une autre photo"))

    call_command("purge_expired", stdout=io.StringIO())

    assert list(KeptPhoto.objects.values_list("token", flat=True)) == [recent]
    assert not old_file.exists()
