"""The one body StreamBlock shared by every publication: a small, safe set of blocks."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.stream_block import StreamValue
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# Enough to write a readable text; no headings inside paragraphs, no embeds, no raw HTML.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# The editor gives each block a UUID; an id is stored as sent, so anything else is replaced.
BLOCK_ID = re.compile(r"[0-9A-Za-z-]{1,64}")
UNREADABLE_BODY = _(
    "Le contenu envoyé est incomplet ou illisible : rechargez la page et saisissez-le de nouveau."
)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section")), ("h3", _("Sous-titre"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Titre")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Texte alternatif"),
        max_length=250,
        help_text=_("Décrivez l'image pour les personnes qui ne la voient pas. Obligatoire."),
    )
    caption = blocks.CharBlock(label=_("Légende"), max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Auteur ou autrice"), max_length=120, required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Citation")


class VideoBlock(blocks.StructBlock):
    """A video hosted elsewhere, shown as a link: no third-party player loads until a visitor asks."""

    url = blocks.URLBlock(label=_("Adresse de la vidéo"), help_text=_("Lien YouTube, Vimeo, PeerTube…"))
    title = blocks.CharBlock(label=_("Titre de la vidéo"), max_length=150)
    description = blocks.CharBlock(label=_("Description"), max_length=250, required=False)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Vidéo")


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Intitulé du lien"), max_length=150, required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Document")


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        label=_("Paragraphe"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()

    class Meta:
        label = _("Contenu")

    def value_from_datadict(self, data, files, prefix):
        """The stream as the editor's script sends it; a truncated or forged one is refused in clean().

        Wagtail reads the form's keys without checking them: a missing key, a count that is not
        a number or a paragraph that is not the editor's JSON raised a server error.
        """
        try:
            stream = super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError, TypeError, AttributeError):
            return UnreadableStream(self, [])
        # PostgreSQL refuses a NUL byte anywhere in the stored JSON, ids included.
        return StreamValue(
            self,
            [
                (child.block_type, child.value, child.id if BLOCK_ID.fullmatch(child.id or "") else None)
                for child in stream
            ],
        )

    def clean(self, value):
        if isinstance(value, UnreadableStream):
            raise blocks.StreamBlockValidationError(non_block_errors=[ValidationError(UNREADABLE_BODY)])
        return super().clean(value)


class UnreadableStream(StreamValue):
    """An empty stream standing for body data that could not be read: the form shows it empty."""
