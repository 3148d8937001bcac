"""Images Agora keeps, drawn again so that they say nothing about who took them, nor where.

Residents' photos, images uploaded by staff in the Wagtail admin and images shared in the
partner workspace all pass through `clean_image`: the bytes must decode as an image of an
accepted format within the pixel limit; the EXIF orientation is applied, then the pixels are
drawn into a new file that carries no metadata at all (GPS position, camera serial number,
comments, XMP) and nothing hidden after the image data.
"""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
# The largest side a JPEG can have in Pillow; Wagtail's renditions are drawn from the original.
MAX_SIDE = 65_500
# Sources without loss stay without loss (drawings, screenshots); photos become JPEG.
LOSSLESS_FORMATS = frozenset({"PNG", "GIF"})
JPEG_QUALITY = 85


class CleanImage(ContentFile):
    """An image file written by `clean_image`: there is nothing left in it to remove."""


def clean_image(
    data: bytes, *, stem: str, max_pixels: int | None = None, formats=PHOTO_FORMATS
) -> CleanImage:
    """A JPEG or PNG copy of `data`, named `stem` plus its extension, or ValidationError in French.

    `max_pixels` None leaves only Pillow's own decompression-bomb limit.
    """
    not_an_image = ValidationError(
        _("Ce fichier n'est pas une photo lisible. Envoyez une image JPEG, PNG, WebP ou GIF."),
        code="not_an_image",
    )
    output = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in formats:
                raise not_an_image
            check_size(*image.size, max_pixels=max_pixels)
            lossless = image.format in LOSSLESS_FORMATS
            image.load()
            image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info)
        if has_alpha or lossless:
            image, file_format, extension = image.convert("RGBA" if has_alpha else "RGB"), "PNG", "png"
        else:
            image, file_format, extension = image.convert("RGB"), "JPEG", "jpg"
        # Pillow would copy some of what it read into the new file (a JPEG comment, for one).
        image.info.clear()
        image.save(output, file_format, optimize=True, quality=JPEG_QUALITY)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("La photo a trop de pixels. Réduisez-la puis réessayez."), code="too_many_pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return CleanImage(output.getvalue(), name=f"{stem}.{extension}")


def check_size(width: int, height: int, *, max_pixels: int | None) -> None:
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            _(
                "La photo est trop large ou trop haute (%(width)s × %(height)s pixels) : chaque côté "
                "doit mesurer au plus %(limit)s pixels. Réduisez-la puis réessayez."
            )
            % {"width": width, "height": height, "limit": number_format(MAX_SIDE, force_grouping=True)},
            code="too_wide",
        )
    if max_pixels is not None and width * height > max_pixels:
        raise ValidationError(
            _("La photo a trop de pixels (%(width)s × %(height)s). Réduisez-la puis réessayez.")
            % {"width": width, "height": height},
            code="too_many_pixels",
        )
