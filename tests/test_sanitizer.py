"""The sanitizer keeps what residents need and drops every dangerous construct."""

import pytest
from bs4 import BeautifulSoup

from agora.sanitizer import ALLOWED_TAGS, clean_html, clean_text
from tests.xss_corpus import XSS_PAYLOADS, active_content


def test_corpus_is_large_enough():
    assert len(XSS_PAYLOADS) >= 30


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<svg onload=alert(1)>",
        '<p style="color:red">x</p>',
    ],
)
def test_detector_flags_live_markup(raw):
    """The check used on rendered pages must see what it looks for."""
    assert active_content(raw)


def test_detector_ignores_plain_words_and_safe_links():
    html = (
        '<p>Le mot javascript: en clair, <a href="https://example.org">un lien</a> '
        '<a href="/agenda/">ici</a></p>'
    )
    assert active_content(html) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_clean_html(payload):
    cleaned = clean_html(f"Avant {payload} après")

    assert active_content(cleaned) == [], (payload, cleaned)
    assert not {tag.name for tag in BeautifulSoup(cleaned, "html.parser").find_all(True)} - ALLOWED_TAGS


def test_plain_text_becomes_paragraphs_and_line_breaks():
    cleaned = clean_html("Bonjour à toutes et à tous\n\nRendez-vous mercredi\nà 14h")

    assert cleaned == "<p>Bonjour à toutes et à tous</p><p>Rendez-vous mercredi<br>à 14h</p>"


def test_allowed_formatting_is_kept():
    cleaned = clean_html("<p><em>Très</em> <strong>important</strong></p><ul><li>un</li><li>deux</li></ul>")

    assert cleaned == "<p><em>Très</em> <strong>important</strong></p><ul><li>un</li><li>deux</li></ul>"


def test_links_get_nofollow_noopener_and_only_safe_protocols():
    cleaned = clean_html(
        '<p><a href="https://example.org" target="_blank">site</a> '
        '<a href="mailto:contact@example.org">écrire</a> <a href="ftp://example.org">ftp</a></p>'
    )

    assert '<a href="https://example.org" rel="nofollow noopener">site</a>' in cleaned
    assert '<a href="mailto:contact@example.org" rel="nofollow noopener">écrire</a>' in cleaned
    assert "ftp://" not in cleaned and "ftp" in cleaned
    assert "target" not in cleaned


def test_bare_addresses_become_safe_links():
    cleaned = clean_html("Infos sur https://rabiere.example.org")

    assert '<a href="https://rabiere.example.org" rel="nofollow noopener">' in cleaned


def test_clean_text_removes_control_characters_and_collapses_spaces():
    assert clean_text("  Fête\x00 de\n\tl'internet  ") == "Fête de l'internet"
    assert clean_text("Atelier " * 40, max_length=20) == "Atelier Atelier Atel"


def test_empty_input_gives_empty_output():
    assert clean_html("   \n\n ") == ""
    assert clean_text(None) == ""
