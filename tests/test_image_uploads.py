"""Images keep no GPS position, camera serial or comment, whatever path they come in by.

Staff upload in the Wagtail admin (one image, several at once, an upload completed later),
residents send a photo with their proposal: the stored original and every rendition, AVIF and
WebP included, lose what could locate or identify someone, and keep the photo upright. An image
too wide for JPEG gets a French message, never a server error.
"""

import io
from pathlib import Path

import pytest
from PIL import Image as PILImage

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.images import get_image_model

from posts.models import ActeurPage, EventPage, Proposal
from tests.conftest import page_text
from tests.identifying_photo import SERIAL, SHOWN_SIZE, assert_says_nothing, identifying_jpeg
from tests.test_proposals import event_data, propose

pytestmark = pytest.mark.django_db

RENDITIONS = ["max-480x360|format-jpeg", "fill-320x200|format-webp", "max-960x720|format-avif"]
TOO_WIDE = "trop large ou trop haute"


@pytest.fixture
def staff_client(client, moderation, make_user):
    """Staff of an association, logged into the admin."""
    staff = make_user("courteline")
    staff.groups.add(ActeurPage.objects.get(pk=moderation["host"].pk).staff_group)
    client.force_login(staff)
    return client


@pytest.fixture
def media_files():
    """The public files written from now on, once the transaction's deletions have run."""
    root = Path(settings.MEDIA_ROOT)
    before = set(root.rglob("*"))
    return lambda: {path for path in root.rglob("*") if path.is_file()} - before


def photo_upload(data=None, name="IMG_2031.jpg"):
    return SimpleUploadedFile(name, data or identifying_jpeg(), content_type="image/jpeg")


def read(field_file) -> bytes:
    with field_file.open("rb") as opened:
        return opened.read()


def assert_image_says_nothing(image, new_files):
    assert_says_nothing(read(image.file))
    assert (image.width, image.height) == SHOWN_SIZE
    for spec in RENDITIONS:
        assert_says_nothing(read(image.get_rendition(spec).file), shown_size=None)
    # Nothing else was left on disk along the way (a copy kept aside, a replaced original).
    leaking = [path for path in new_files() if SERIAL.encode() in path.read_bytes()]
    assert leaking == []


def test_gps_and_serial_are_stripped_from_an_image_added_in_the_admin(
    staff_client, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("wagtailimages:add"), {"title": "Fête de quartier", "file": photo_upload()}
        )

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Fête de quartier")
    assert_image_says_nothing(image, media_files)


def test_gps_and_serial_are_stripped_from_images_added_several_at_once(
    staff_client, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("wagtailimages:add_multiple"), {"title": "Vide-grenier", "files[]": photo_upload()}
        )

    assert response.json()["success"] is True
    image = get_image_model().objects.get(pk=response.json()["image_id"])
    assert_image_says_nothing(image, media_files)


def test_gps_and_serial_are_stripped_from_an_upload_completed_later(
    staff_client, media_files, django_capture_on_commit_callbacks
):
    # A title too long keeps the upload aside until the form is corrected: another path.
    with django_capture_on_commit_callbacks(execute=True):
        kept = staff_client.post(
            reverse("wagtailimages:add_multiple"), {"title": "x" * 300, "files[]": photo_upload()}
        ).json()
        upload_id = kept["uploaded_file_id"]
        prefix = f"uploaded-image-{upload_id}"
        response = staff_client.post(
            reverse("wagtailimages:create_multiple_from_uploaded_image", args=[upload_id]),
            {f"{prefix}-title": "Kermesse", f"{prefix}-description": "", f"{prefix}-tags": ""},
        )

    assert response.json()["success"] is True
    image = get_image_model().objects.get(pk=response.json()["image_id"])
    assert image.title == "Kermesse"
    assert_image_says_nothing(image, media_files)


def test_gps_and_serial_are_stripped_from_a_file_replaced_in_the_admin(
    staff_client, media_files, django_capture_on_commit_callbacks
):
    plain = io.BytesIO()
    PILImage.new("RGB", (40, 40), (90, 90, 90)).save(plain, "JPEG")
    staff_client.post(
        reverse("wagtailimages:add"), {"title": "Marché", "file": photo_upload(plain.getvalue(), "m.jpg")}
    )
    image = get_image_model().objects.get(title="Marché")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {"title": "Marché", "file": photo_upload(), "description": "", "tags": ""},
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert_image_says_nothing(image, media_files)


def test_gps_serial_and_comment_are_stripped_from_a_residents_photo(
    client, moderation, media_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        propose(client, "evenement", event_data(photo=photo_upload(), photo_alt="Une table dressée"))

    image = EventPage.objects.get().image
    assert_image_says_nothing(image, media_files)


# --- Images too wide for JPEG ---------------------------------------------------------------


def too_wide_png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (65_501, 2), (20, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def test_image_too_wide_for_jpeg_gets_a_french_message_in_the_admin(staff_client):
    upload = SimpleUploadedFile("frise.png", too_wide_png(), content_type="image/png")

    response = staff_client.post(reverse("wagtailimages:add"), {"title": "Frise", "file": upload})

    assert response.status_code == 200
    assert TOO_WIDE in response.content.decode()
    assert not get_image_model().objects.filter(title="Frise").exists()


def test_image_too_wide_for_jpeg_gets_a_french_message_when_added_several_at_once(staff_client):
    upload = SimpleUploadedFile("frise.png", too_wide_png(), content_type="image/png")

    response = staff_client.post(reverse("wagtailimages:add_multiple"), {"title": "Frise", "files[]": upload})

    assert response.json()["success"] is False
    assert TOO_WIDE in response.json()["error_message"]
    assert not get_image_model().objects.exists()


def test_image_too_wide_for_jpeg_gets_a_french_message_in_the_proposal_form(client, moderation):
    upload = SimpleUploadedFile("frise.png", too_wide_png(), content_type="image/png")

    response = propose(client, "evenement", event_data(photo=upload, photo_alt="Une frise"))

    assert response.status_code == 400
    assert TOO_WIDE in page_text(response) and 'id="id_photo_error"' in page_text(response)
    assert not Proposal.objects.exists()
    assert not get_image_model().objects.exists()


def test_images_stored_before_the_cleaning_are_cleaned_by_a_command_run_once(
    media_files, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    # An image stored with its metadata, as before every upload was re-encoded, and a rendition of it.
    name = default_storage.save("original_images/ancienne.jpg", ContentFile(identifying_jpeg()))
    # bulk_create sends no pre_save: the file is stored as it came.
    Image = get_image_model()
    Image.objects.bulk_create([Image(title="Ancienne photo", file=name, width=120, height=80)])
    image = Image.objects.get(title="Ancienne photo")
    old_rendition = image.get_rendition("max-480x360|format-jpeg")
    assert SERIAL.encode() in read(old_rendition.file)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_image_metadata", stdout=out)

    image.refresh_from_db()
    assert "Images nettoyées : 1 sur 1" in out.getvalue()
    assert not default_storage.exists(name)
    assert not default_storage.exists(old_rendition.file.name)
    assert_image_says_nothing(image, media_files)
    again = io.StringIO()
    call_command("clean_image_metadata", stdout=again)
    assert "Images nettoyées : 0 sur 1" in again.getvalue()
