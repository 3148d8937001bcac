"""What may be uploaded to the partner workspace, decided by the bytes, never by the name.

Allowed: PDF; office documents (Word, Excel and PowerPoint without macros, OpenDocument text,
spreadsheet and presentation), which are zip containers checked by the type they declare
inside ([Content_Types].xml, or the `mimetype` entry); JPEG, PNG, GIF and WebP images that
Pillow can read; plain text (including CSV) that is not markup. Anything else, an executable
renamed .pdf, a web page, an SVG drawing, a macro-enabled document, is refused with a message
in French. Images are kept re-encoded by agora.images, without their metadata (GPS position,
camera serial number, comments).
"""

from __future__ import annotations

import codecs
import lzma
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from agora.images import clean_image

# Only so much of a file is read to sniff text; office manifests are tiny.
SNIFF_BYTES = 64 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", ("pdf",))
DOCX = FileKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
XLSX = FileKind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = FileKind(
    "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
)
ODT = FileKind("OpenDocument texte", "application/vnd.oasis.opendocument.text", ("odt",))
ODS = FileKind("OpenDocument tableur", "application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = FileKind("OpenDocument présentation", "application/vnd.oasis.opendocument.presentation", ("odp",))
JPEG = FileKind("JPEG", "image/jpeg", ("jpg", "jpeg"))
PNG = FileKind("PNG", "image/png", ("png",))
GIF = FileKind("GIF", "image/gif", ("gif",))
WEBP = FileKind("WebP", "image/webp", ("webp",))
TEXT = FileKind("texte", "text/plain", ("txt", "csv"))

# The main part of an Office Open XML package, as declared in [Content_Types].xml.
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP}
IMAGES = frozenset(PILLOW_FORMATS.values())

# Markup a browser could render as a page or a drawing: refused even inside a ".txt".
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|frame|object|embed|meta|link|style|img|form|"
    rb"a\s|div|\?xml)",
    re.IGNORECASE,
)
# Control bytes other than tab, line feed, form feed and carriage return mean binary data.
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def max_upload_bytes() -> int:
    return settings.PARTNERS_UPLOAD_MAX_BYTES


def accepted_types_text() -> str:
    return _(
        "Types acceptés : PDF, documents Word, Excel, PowerPoint ou LibreOffice (sans macros), "
        "images JPEG, PNG, GIF ou WebP, fichiers texte (.txt, .csv)."
    )


def refused(message: str, code: str) -> ValidationError:
    return ValidationError(f"{message} {accepted_types_text()}", code=code)


def check_upload(uploaded) -> FileKind:
    """Return the kind of an uploaded file, or raise ValidationError with a French message."""
    size = getattr(uploaded, "size", None) or 0
    if size == 0:
        raise ValidationError(_("Le fichier est vide. Choisissez un autre fichier."), code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            _("Le fichier est trop lourd (%(size)s). La taille maximale est de %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())},
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    try:
        kind = detect(head, uploaded)
    finally:
        uploaded.seek(0)
    if kind is None:
        raise refused(_("Ce type de fichier n'est pas accepté."), "type")
    return kind


def content_to_keep(uploaded) -> tuple[FileKind, File]:
    """The kind of an uploaded file and what to store of it: an image is drawn again without its
    metadata (it may become a JPEG or a PNG), anything else is kept as sent.

    Raises ValidationError with a French message for a refused file."""
    kind = check_upload(uploaded)
    if kind not in IMAGES:
        return kind, uploaded
    cleaned = clean_image(uploaded.read(), stem="image")
    return image_kind(cleaned), cleaned


def detect(head: bytes, fileobj) -> FileKind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return office_kind(fileobj)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return image_kind(fileobj)
    return text_kind(head, fileobj)


def office_kind(fileobj) -> FileKind:
    try:
        archive = zipfile.ZipFile(fileobj)
        names = set(archive.namelist())
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size <= 200:
                kind = ODF_MIMETYPES.get(archive.read(info).strip())
                if kind and "META-INF/manifest.xml" in names:
                    if any(name.lower().startswith("basic/") for name in names):
                        raise macros_refused()
                    return kind
        if "[Content_Types].xml" in names:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size <= MAX_MANIFEST_BYTES:
                manifest = archive.read(info)
                if b"macroEnabled" in manifest or any(name.endswith("vbaProject.bin") for name in names):
                    raise macros_refused()
                for part, kind in OOXML_MAIN_PARTS.items():
                    if part in manifest:
                        return kind
    # A damaged archive fails in many ways: a bad directory (negative offsets, names that do not
    # decode), a compressed stream that does not decompress.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        OSError,
        EOFError,
        RuntimeError,
        ValueError,
        zlib.error,
        lzma.LZMAError,
    ):
        pass
    raise refused(
        _(
            "Cette archive n'est pas un document bureautique reconnu (les fichiers .zip ne sont pas acceptés)."
        ),
        "type",
    )


def macros_refused() -> ValidationError:
    return ValidationError(
        _(
            "Les documents contenant des macros ne sont pas acceptés. "
            "Enregistrez le document dans un format sans macros (.docx, .xlsx, .pptx, .odt…) puis réessayez."
        ),
        code="macros",
    )


def image_kind(fileobj) -> FileKind:
    try:
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            kind = PILLOW_FORMATS.get(image.format or "")
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        kind = None
    if kind is None:
        raise refused(_("Cette image est illisible ou d'un format non accepté."), "type")
    return kind


def text_kind(head: bytes, fileobj) -> FileKind | None:
    if MARKUP.search(head):
        raise refused(
            _("Les pages web (HTML), dessins SVG et fichiers contenant du code ne sont pas acceptés."),
            "markup",
        )
    fileobj.seek(0)
    # UTF-8 first; Windows-1252 for files saved by older office software (CSV exports).
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = is_cp1252 = True
    while chunk := fileobj.read(SNIFF_BYTES):
        if BINARY_BYTES.search(chunk):
            return None
        if is_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
        if is_cp1252:
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                is_cp1252 = False
        if not (is_utf8 or is_cp1252):
            return None
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return TEXT if is_utf8 or is_cp1252 else None


def clean_file_name(name: str, kind: FileKind) -> str:
    """The uploader's file name made safe for display and for Content-Disposition, with the
    extension of the type actually detected. It is never used as a path."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip().rstrip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 5 or " " in suffix:
        stem, suffix = name, ""
    suffix = suffix.lower()
    stem = stem.strip(" .")[:120] or "document"
    extension = suffix if suffix in kind.extensions else kind.extensions[0]
    return f"{stem}.{extension}"


def content_type_for(name: str, kind: FileKind) -> str:
    if kind is TEXT and name.lower().endswith(".csv"):
        return "text/csv"
    return kind.content_type
