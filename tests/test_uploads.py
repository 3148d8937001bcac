"""Residents' photos are checked by content, limited in size and pixels, and re-encoded."""

import io
import struct
import zlib

import pytest
from PIL import Image

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from posts.uploads import reencode_image


def jpeg_bytes(size=(120, 80), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    if exif is not None:
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes(size=(50, 50), mode="RGBA"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Téléphone du quartier"  # Make
    gps = {1: "N", 2: (47.0, 21.0, 0.0), 3: "E", 4: (0.0, 40.0, 0.0)}
    exif[0x8825] = gps
    return exif


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_photo_is_reencoded_without_metadata():
    original = jpeg_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)

    cleaned = reencode_image(upload(original))

    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert image.size == (120, 80)
    assert not image.getexif()
    assert cleaned.name.startswith("proposition-") and "photo" not in cleaned.name


def test_transparent_png_stays_png():
    cleaned = reencode_image(upload(png_bytes(), name="logo.png", content_type="image/png"))

    assert Image.open(io.BytesIO(cleaned.read())).format == "PNG"


def test_executable_renamed_jpg_is_refused():
    executable = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"

    with pytest.raises(ValidationError, match="n'est pas une photo lisible"):
        reencode_image(upload(executable, name="vacances.jpg"))


def test_svg_with_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'

    with pytest.raises(ValidationError, match="n'est pas une photo lisible"):
        reencode_image(upload(svg, name="dessin.jpg", content_type="image/svg+xml"))


def test_truncated_png_is_refused():
    data = png_bytes(size=(400, 400), mode="RGB")

    with pytest.raises(ValidationError, match="n'est pas une photo lisible"):
        reencode_image(upload(data[: len(data) // 2], name="coupee.png", content_type="image/png"))


def decompression_bomb_png(width=30_000, height=30_000):
    """A tiny PNG file that declares an enormous image."""

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width // 8) * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused():
    with pytest.raises(ValidationError, match="trop de pixels"):
        reencode_image(upload(decompression_bomb_png(), name="bombe.png", content_type="image/png"))


@override_settings(AGORA_UPLOAD_MAX_BYTES=10_000)
def test_oversized_file_is_refused():
    with pytest.raises(ValidationError, match="trop lourde"):
        reencode_image(upload(b"\xff\xd8" + b"\x00" * 20_000))


def test_zero_byte_file_is_refused():
    with pytest.raises(ValidationError, match="vide"):
        reencode_image(upload(b""))


@override_settings(AGORA_UPLOAD_MAX_PIXELS=1_000)
def test_pixel_limit_comes_from_settings():
    with pytest.raises(ValidationError, match="trop de pixels"):
        reencode_image(upload(jpeg_bytes(size=(100, 100))))
