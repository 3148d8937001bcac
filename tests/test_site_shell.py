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


def strict_policy(response) -> dict[str, str]:
    """The Content-Security-Policy of a response, directive by directive."""
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return dict(directives)


def test_admin_previews_carry_the_public_sites_strict_csp(client, moderation):
    """A preview renders a resident's text with the public templates, under /admin/ where the
    policy does not apply: it carries the public site's policy all the same, framed only by the
    admin's own preview panel."""
    from datetime import timedelta

    from django.utils import timezone

    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from posts.actions import submit_proposal
    from posts.models import Proposal
    from posts.proposals import ProposalData

    page = submit_proposal(
        Proposal.Kind.NEWS,
        ProposalData(title="Troc de graines", text="Apportez vos graines.", display_name="Nora"),
    ).page
    task = page.current_workflow_task
    client.force_login(moderation["moderator"])
    form = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "acteur": moderation["host"].pk,
            "summary": page.summary,
            "project_name": "",
            "body": streamfield([]),
        }
    )
    agenda = moderation["sections"]["agenda"]
    start = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    new_event = nested_form_data(
        {
            "title": "Nouvel atelier",
            "slug": "nouvel-atelier",
            "acteur": moderation["host"].pk,
            "summary": "Résumé",
        }
        | {"start": start, "end": start, "place_name": "Centre social", "is_free": "True"}
        | {"body": streamfield([]), "extra_dates": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}}
    )
    assert client.post(f"/admin/pages/{page.pk}/edit/preview/", form).json()["is_valid"]
    assert client.post(f"/admin/pages/add/posts/eventpage/{agenda.pk}/preview/", new_event).json()["is_valid"]
    # What each preview shows: the resident's text, or the new event's title.
    previews = {
        f"/admin/pages/{page.pk}/edit/preview/": "Apportez vos graines.",
        f"/admin/pages/add/posts/eventpage/{agenda.pk}/preview/": "Nouvel atelier",
        f"/admin/pages/{page.pk}/view_draft/": "Apportez vos graines.",
        f"/admin/pages/{page.pk}/revisions/{page.latest_revision_id}/view/": "Apportez vos graines.",
        f"/admin/pages/workflow/preview/{page.pk}/{task.pk}/": "Apportez vos graines.",
    }
    public = strict_policy(client.get("/"))

    for url, shown in previews.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert shown in response.content.decode(), url
        assert strict_policy(response) == public | {"frame-ancestors": "'self'"}, url
    assert public["script-src"] == "'self'" and public["frame-ancestors"] == "'none'"


def test_permissions_policy_and_coop_on_every_response(client, home_page):
    for url in ("/", "/healthz", "/robots.txt", "/page-absente/"):
        response = client.get(url)
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url
