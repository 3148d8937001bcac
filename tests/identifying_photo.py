"""A phone photo that says too much, and the check that a stored image says none of it.

The photo carries what a phone writes into a JPEG: the GPS position, the camera's serial number
(EXIF BodySerialNumber), a comment, an XMP packet, and a rotation (EXIF Orientation) that must
still be applied once the rest is gone. Shared by every upload path's tests.
"""

import io

from PIL import Image

SERIAL = "SN-4471-RABIERE"
COMMENT = "Chez Mme Martin, 12 rue Jean-Bart"
XMP_MARK = "exif:GPSLatitude"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" {XMP_MARK}="47,21.0N"/>'
    "</rdf:RDF></x:xmpmeta>"
)
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
BODY_SERIAL_NUMBER = 0xA431
ORIENTATION = 0x0112
# Stored 120 × 80, shown 80 × 120: EXIF orientation 6 turns it a quarter to the right.
STORED_SIZE = (120, 80)
SHOWN_SIZE = (80, 120)


def identifying_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"  # Make
    exif[ORIENTATION] = 6
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL_NUMBER] = SERIAL
    exif[GPS_IFD] = {1: "N", 2: (47.0, 21.0, 0.0), 3: "E", 4: (0.0, 40.0, 0.0)}
    # The left half red, the right half blue: after the rotation, the red half is on top.
    image = Image.new("RGB", STORED_SIZE, (220, 30, 30))
    image.paste((30, 30, 220), (60, 0, 120, 80))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=COMMENT.encode(), xmp=XMP.encode())
    data = buffer.getvalue()
    assert SERIAL.encode() in data and COMMENT.encode() in data and XMP_MARK.encode() in data
    return data


def assert_says_nothing(data: bytes, shown_size=SHOWN_SIZE) -> None:
    """No GPS, no serial number, no comment, no XMP in these bytes; the rotation is applied."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert not exif.get_ifd(GPS_IFD), "GPS position kept"
    assert GPS_IFD not in exif
    assert BODY_SERIAL_NUMBER not in exif.get_ifd(EXIF_IFD), "camera serial number kept"
    assert "comment" not in image.info, "JPEG comment kept"
    assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info, "XMP kept"
    for secret in (SERIAL, COMMENT, XMP_MARK):
        assert secret.encode() not in data, f"{secret!r} still in the file"
    assert exif.get(ORIENTATION, 1) == 1
    if shown_size is not None:
        assert image.size == shown_size
        width, height = image.size
        red, _green, blue = image.convert("RGB").getpixel((width // 2, height // 4))
        assert red > 150 and blue < 100, "the rotation was not applied"
