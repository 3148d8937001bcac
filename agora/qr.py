"""QR codes as inline SVG: the proposal receipt's, the poster's and the programme's.

Inline, so that no image is requested (from the site or from a QR code service) and the
Content-Security-Policy has nothing to allow.
"""

from __future__ import annotations

import segno

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, label: str) -> SafeString:
    """A QR code of `data` as an inline <svg class="qr">, an image named `label`.

    Always a full QR code (never a Micro QR, which phones do not read), with the standard
    four-module quiet zone and medium error correction, which survives a phone camera's glare
    on a screen and a creased poster. Black modules on no background: the stylesheets give the
    white one.
    """
    code = segno.make_qr(data, error="m")
    svg = code.svg_inline(border=4, dark="#000", omitsize=True, svgclass="qr", lineclass=None)
    # segno would write a title unescaped: it is added here, escaped, and role="img" makes it
    # the image's name.
    svg = svg.replace("<svg ", '<svg role="img" ', 1).replace(">", f"><title>{escape(label)}</title>", 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, and the label escaped above
