"""Photos sent by residents: checked by their content, within the residents' limits, then re-encoded.

Nothing about the file is trusted: not its name, not its declared type. The bytes must decode
as a JPEG, PNG, WebP or GIF image within the size and pixel limits of the settings; the image
is then drawn again into a new file by agora.images, which drops every piece of metadata (GPS
position, camera serial number, comments) and any payload hidden after the image data.

When the form comes back with an error, the checked photo is kept (KeptPhoto) under an
unguessable token for a day, so that the resident does not lose it. At the kiosk, a photo may
also come from the resident's phone, through a one-time address (PhotoFromPhone) shown as a QR
code: it goes through the same checks and becomes a kept photo the kiosk's form picks up.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.images import CleanImage, clean_image
from posts.models import KeptPhoto, PhotoFromPhone

# How long a photo kept for a form sent back with an error waits for the form to be sent again.
KEPT_FOR = timedelta(days=1)
# How long the kiosk's one-time address for a photo from a phone stays open.
PHONE_LINK_LIFETIME = timedelta(minutes=15)


def max_upload_bytes() -> int:
    return settings.AGORA_UPLOAD_MAX_BYTES


def max_upload_pixels() -> int:
    return settings.AGORA_UPLOAD_MAX_PIXELS


def reencode_image(uploaded) -> CleanImage:
    """Return a clean JPEG or PNG copy of an uploaded photo, or raise ValidationError in French."""
    size = getattr(uploaded, "size", None)
    if size is None or size == 0:
        raise ValidationError(_("Le fichier est vide. Choisissez une photo."), code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            _("La photo est trop lourde (%(size)s). La taille maximale est %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read(max_upload_bytes() + 1)
    # The resident's file name is not kept: it may hold a name or a date.
    return clean_image(data, stem=f"proposition-{uuid.uuid4().hex[:12]}", max_pixels=max_upload_pixels())


# --- The photo of a form sent back with an error ---------------------------------------------


def keep_photo(photo: CleanImage):
    """Keep a checked photo while the resident corrects the form: what the form shows and sends back."""
    photo.seek(0)
    return KeptPhoto.objects.create(file=CleanImage(photo.read(), name=photo.name))


def find_kept_photo(token):
    """The photo kept under `token`, unless it is older than a day (the purge then erases it)."""
    if not isinstance(token, str) or not token:
        return None
    return KeptPhoto.objects.filter(token=token, created_at__gte=timezone.now() - KEPT_FOR).first()


def kept_image(kept) -> CleanImage:
    """The kept photo as the form's photo, as if just chosen again: it was checked when kept."""
    with kept.file.open("rb") as stored:
        return CleanImage(stored.read(), name=kept.file.name.rsplit("/", 1)[-1])


# --- A photo from the resident's phone, at the kiosk ------------------------------------------


class PhoneLinkClosed(Exception):
    """The one-time address was used already, or has expired."""

    def __init__(self, used: bool):
        super().__init__("used" if used else "expired")
        self.used = used


def open_phone_link():
    return PhotoFromPhone.objects.create()


def phone_link_is_open(link, now=None) -> bool:
    now = now or timezone.now()
    return link.used_at is None and link.created_at >= now - PHONE_LINK_LIFETIME


@transaction.atomic
def receive_phone_photo(token: str, uploaded):
    """Check and keep the photo sent to the one-time address `token`, which then closes.

    Raises PhotoFromPhone.DoesNotExist for an unknown address, PhoneLinkClosed for a used or
    expired one, ValidationError (in French) for a file that is not an acceptable photo, which
    leaves the address open."""
    link = PhotoFromPhone.objects.select_for_update().get(token=token)
    if not phone_link_is_open(link):
        raise PhoneLinkClosed(used=link.used_at is not None)
    link.photo = keep_photo(reencode_image(uploaded))
    link.used_at = timezone.now()
    link.save(update_fields=["photo", "used_at"])
    return link.photo
