"""The site shell: home page, French first with an English catalogue, error pages, SEO files."""

import re
import xml.etree.ElementTree as ET

import pytest

from django.template.loader import render_to_string

from home.models import SiteSettings

pytestmark = pytest.mark.django_db

NAV_FR = ["Agenda", "Actualités", "Portraits", "Acteurs", "Proposer"]


def test_home_renders_in_french_with_accessible_skeleton(client, site):
    settings_ = SiteSettings.for_site(site)
    settings_.contact_email = "contact@rabiere.example.org"
    settings_.social_centre_address = "Place de la Rabière"
    settings_.save()

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'class="skip-link" href="#contenu"' in html
    assert '<main id="contenu"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for label in NAV_FR:
        assert f">{label}</a>" in html
    assert "contact@rabiere.example.org" in html
    assert "Place de la Rabière" in html


def test_home_renders_in_english_with_english_locale(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    for label in ["Events", "News", "Portraits", "Organisations", "Suggest"]:
        assert f">{label}</a>" in html


def test_unknown_page_gets_french_404(client, home_page):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert '<html lang="fr">' in html


def test_500_page_is_french_and_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert '<html lang="fr">' in html
    assert "Un problème est survenu" in html


def test_robots_txt_points_to_sitemap_and_hides_private_areas(client, home_page):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    for private in ("/admin/", "/espace-partenaires/", "/proposer/suivi/"):
        assert f"Disallow: {private}" in body


def test_sitemap_lists_live_pages(client, home_page):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    assert any(location.endswith("/") for location in locations)


def test_security_headers_on_public_pages(client, home_page):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_permissions_policy_and_coop_on_every_response(client, home_page):
    for url in ("/", "/healthz", "/robots.txt", "/page-absente/"):
        response = client.get(url)
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url
