"""Wagtail images are stored without what could locate or identify someone, whatever their path.

Every new file of an image is re-encoded by agora.images before it is stored: `strip_new_file`
runs in the image model's pre_save (posts.signals), so the admin's forms (one image, several at
once, an upload completed later), residents' proposals, the demo and a shell all go through it.
The admin's form (`ImageForm`, WAGTAILIMAGES_IMAGE_FORM_BASE) re-encodes while it validates, so
that an image that cannot be kept gets a French message there instead of a server error.
"""

import io
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from django.conf import settings
from django.db import transaction

from wagtail.images.forms import BaseImageForm
from wagtail.utils.file import hash_filelike

from agora.images import PHOTO_FORMATS, CleanImage, clean_image

# What Pillow reports of a file's text and camera data; an ICC colour profile says nothing of anyone.
METADATA_KEYS = frozenset({"exif", "comment", "xmp", "XML:com.adobe.xmp", "photoshop", "iptc", "dpi_comment"})

# What WAGTAILIMAGES_EXTENSIONS lets staff upload.
STAFF_FORMATS = PHOTO_FORMATS | {"AVIF"}
# Where Wagtail stores originals (AbstractImage.get_upload_to).
ORIGINALS_FOLDER = "original_images"


def max_pixels() -> int:
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def clean_upload(data: bytes, name: str) -> CleanImage:
    return clean_image(data, stem=Path(name).stem, max_pixels=max_pixels(), formats=STAFF_FORMATS)


class ImageForm(BaseImageForm):
    """Wagtail's image form, whose file is re-encoded as soon as it is valid."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data:
            return uploaded
        uploaded.seek(0)
        return clean_upload(uploaded.read(), uploaded.name)


def strip_new_file(image) -> None:
    """Re-encode the file of `image` before it is saved, when it is new to this image."""
    if not image.file or not has_new_file(image) or isinstance(image.file.file, CleanImage):
        return
    name = image.file.name
    with image.file.open("rb") as source:
        data = source.read()
    image.file = clean_upload(data, name)
    image.file_size = image.file.size
    image.file_hash = hash_filelike(image.file)
    forget_stored_copy(image, name)


def has_new_file(image) -> bool:
    if image.pk is None:
        return True
    stored = type(image).objects.filter(pk=image.pk).values_list("file", flat=True).first()
    return stored != image.file.name


def forget_stored_copy(image, name: str) -> None:
    """Delete the original that was stored before the image was saved, if any.

    Wagtail's multiple uploader does so for an upload completed later (CreateFromUploadView):
    that copy still has its metadata, and no image refers to it.
    """
    storage = image.file.storage
    if (
        PurePosixPath(name).parent.as_posix() == ORIGINALS_FOLDER
        and storage.exists(name)
        and not type(image).objects.filter(file=name).exists()
    ):
        transaction.on_commit(lambda: storage.delete(name))


def carries_metadata(data: bytes) -> bool:
    """Whether a stored file still has EXIF, a comment or XMP (an image stored before Agora
    re-encoded every upload)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return bool(METADATA_KEYS & image.info.keys()) or bool(image.getexif())
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


@transaction.atomic
def clean_stored_image(image) -> bool:
    """Re-encode the original of an image stored with its metadata and drop its renditions,
    which are drawn again from the clean original. Returns False when there was nothing to do."""
    with image.file.open("rb") as source:
        data = source.read()
    if not carries_metadata(data):
        return False
    name = image.file.name
    image.file = clean_upload(data, name)
    image.file_size = image.file.size
    image.file_hash = hash_filelike(image.file)
    image.save()
    image.renditions.all().delete()
    forget_stored_copy(image, name)
    return True
