"""The one place that cleans text typed by residents. Nothing else in Agora calls bleach.

`clean_html` turns what a resident typed (plain text with blank lines between paragraphs, or
a little pasted HTML) into a small allowlisted HTML: paragraphs, line breaks, emphasis,
lists and links to http, https or mailto addresses, every link with rel="nofollow noopener".
`clean_text` is for titles and names: plain text, without control characters. `plain_summary`
turns such HTML back into the plain text of a summary, a line for each paragraph.
"""

import re
import unicodedata
from functools import partial
from html import unescape

import bleach
from bleach.linkifier import LinkifyFilter

from django.utils.html import strip_tags
from django.utils.text import Truncator

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "b", "i", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

_BLOCK_TAG = re.compile(r"<\s*(p|ul|ol|li)\b", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Where a paragraph, a line, a heading or a list item ends.
_LINE_END = re.compile(r"</(?:p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


def _set_link_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href or href.split(":", 1)[0].lower() not in ALLOWED_PROTOCOLS:
        return None  # drop the link, keep its text
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre"}, parse_email=True)],
)


def _without_control_characters(value: str, keep_newlines: bool) -> str:
    kept = {"\n", "\t"} if keep_newlines else set()
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in value if char in kept or unicodedata.category(char) not in {"Cc", "Cs"})


def _paragraphs(text: str) -> str:
    """Plain text to paragraphs: a blank line separates paragraphs, a newline is a line break."""
    blocks = [block.strip() for block in _PARAGRAPH_BREAK.split(text) if block.strip()]
    return "".join("<p>{}</p>".format(block.replace("\n", "<br>")) for block in blocks)


def clean_html(value: str) -> str:
    """Allowlisted HTML from anything a resident typed; safe to render without escaping."""
    text = _without_control_characters(value or "", keep_newlines=True).strip()
    if not text:
        return ""
    if not _BLOCK_TAG.search(text):
        text = _paragraphs(text)
    return _cleaner.clean(text).strip()


def clean_text(value: str, max_length: int | None = None) -> str:
    """Plain text for titles and names: no control characters, single spaces, trimmed."""
    text = "".join(" " if char.isspace() else char for char in value or "")
    text = " ".join(_without_control_characters(text, keep_newlines=False).split())
    return text[:max_length] if max_length else text


def plain_summary(html: str, max_length: int = 280) -> str:
    """The start of a text given as HTML, in plain text, a line for each of its paragraphs."""
    lines = (clean_text(unescape(strip_tags(part))) for part in _LINE_END.split(html or ""))
    return Truncator("\n".join(line for line in lines if line)).chars(max_length)
