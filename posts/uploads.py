"""Photos sent by residents: checked by their content with Pillow, then re-encoded.

Nothing about the file is trusted: not its name, not its declared type. The bytes must decode
as a JPEG, PNG, WebP or GIF image within the size and pixel limits of the settings; the image
is then drawn again into a new file, which drops every piece of metadata (GPS position,
camera serial number, comments) and any payload hidden after the image data.
"""

import io
import uuid
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def max_upload_bytes() -> int:
    return getattr(settings, "AGORA_UPLOAD_MAX_BYTES", 8 * 1024 * 1024)


def max_upload_pixels() -> int:
    return getattr(settings, "AGORA_UPLOAD_MAX_PIXELS", 30_000_000)


def reencode_image(uploaded) -> ContentFile:
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
    not_an_image = ValidationError(
        _("Ce fichier n'est pas une photo lisible. Envoyez une image JPEG, PNG, WebP ou GIF."),
        code="not_an_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise not_an_image
            width, height = image.size
            if width * height > max_upload_pixels():
                raise ValidationError(
                    _("La photo a trop de pixels (%(width)s × %(height)s). Réduisez-la puis réessayez.")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("La photo a trop de pixels. Réduisez-la puis réessayez."), code="too_many_pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None

    has_alpha = image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info)
    output = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(output, "PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"proposition-{uuid.uuid4().hex[:12]}.{extension}")
