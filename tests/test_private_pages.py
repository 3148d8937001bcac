"""A page restricted with Wagtail's privacy (login, password or groups), on itself or on an
ancestor, is never listed publicly: no title, summary, tag or count of it on any listing,
feed, calendar, sitemap, search, printable programme, weekly letter or choice list."""

import re
from datetime import date, datetime

import pytest

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from wagtail.models import PageViewRestriction

from letter.models import DigestSubscription
from posts import recurrence
from posts.models import ActeurPage, EventPage, PortraitPage, ProjectNewsPage
from tests.conftest import at

pytestmark = pytest.mark.django_db

# A Friday: the coming week, that of the programme and the letter, starts on Monday 7 December.
NOW = datetime(2026, 12, 4, 18, 0, tzinfo=recurrence.PARIS)
PRIVATE_TAG = "huis-clos"


def restrict(page, restriction_type=PageViewRestriction.LOGIN):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password="mot-de-passe"
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Bénévoles"))
    return restriction


@pytest.fixture
def neighbourhood(clock, acteur, make_acteur, make_event, make_news, make_portrait):
    """Public publications, and their private twins: one restricted by login, one by password,
    one by groups, a past one for the archive, and a private association."""
    weekly = {"recurrence": recurrence.WEEKLY_RULE, "recurrence_until": date(2027, 1, 30)}
    public = {
        "event": make_event("Atelier ouvert", start=at("2026-12-05"), **weekly),
        "past": make_event("Kermesse passée", start=at("2026-11-20")),
        "news": make_news("Jardin agrandi"),
        "portrait": make_portrait("Portrait de Lina"),
        "acteur": acteur,
    }
    private = {
        "event": make_event("Conciliabule", start=at("2026-12-05", 16), **weekly),
        "past": make_event("Archive confidentielle", start=at("2026-11-21")),
        "news": make_news("Nouvelle sous scellés"),
        "portrait": make_portrait("Portrait de Zoé", person_name="Zoé"),
        "acteur": make_acteur("Cercle discret"),
    }
    for kind in ("event", "past", "news", "portrait"):
        public[kind].tags.add("quartier")
        private[kind].tags.add("quartier", PRIVATE_TAG)
        for page in (public[kind], private[kind]):
            page.save_revision().publish()
    restrict(private["event"])
    restrict(private["past"])
    restrict(private["news"], PageViewRestriction.PASSWORD)
    restrict(private["portrait"], PageViewRestriction.GROUPS)
    restrict(private["acteur"])
    return {"public": public, "private": private}


def titles(pages: dict) -> list[str]:
    return [page.title for page in pages.values()]


def text_of(response) -> str:
    assert response.status_code == 200, response
    # iCalendar folds long lines: unfold them so that no title is cut in two.
    return response.content.decode().replace("\r\n ", "")


def result_titles(response) -> list[str]:
    """The titles of the search results (the query itself is repeated on the page)."""
    return re.findall(r'<h2 class="card__title"><a href="[^"]+">([^<]+)</a></h2>', text_of(response))


def problems_in(text: str, private: dict, shown=()) -> dict:
    """The private names a text shows, and the public ones it should show but does not."""
    problems = {
        "montre": [title for title in [*titles(private), PRIVATE_TAG] if title in text],
        "oublie": [title for title in shown if title not in text],
    }
    return {key: value for key, value in problems.items() if value}


def public_listings(public: dict) -> dict[str, list[str]]:
    """Each public listing, with the public titles it shows (proof that it lists something)."""
    event, past, news, portrait = (public[kind].title for kind in ("event", "past", "news", "portrait"))
    return {
        "/": [event, news, portrait, "Résoudre"],
        "/agenda/": [event, "Résoudre"],
        "/agenda/?periode=semaine": [event],
        "/agenda/?periode=mois": [event],
        "/agenda/?tag=quartier": [event],
        "/agenda/?acteur=resoudre": [event],
        "/agenda/?archives=1": [past],
        "/agenda/?archives=1&tag=quartier": [past],
        "/agenda/programme/": [event],
        "/agenda/programme/?semaine=2026-W49": [event],
        "/actualites/": [news],
        "/actualites/?tag=quartier": [news],
        "/portraits/": [portrait],
        "/portraits/?tag=quartier": [portrait],
        "/acteurs/": ["Résoudre"],
        "/acteurs/resoudre/": [event, news, portrait],
        "/flux/": [event, news, portrait],
        "/agenda/agenda.ics": [event],
        "/acteurs/resoudre/agenda.ics": [event],
        "/sitemap.xml": ["/agenda/atelier-ouvert/"],
        "/proposer/evenement/": ["Résoudre"],
        "/proposer/actualite/": ["Résoudre"],
    }


def test_restricted_pages_never_listed_publicly(client, neighbourhood):
    public, private = neighbourhood["public"], neighbourhood["private"]

    problems = {
        url: found
        for url, shown in public_listings(public).items()
        if (found := problems_in(text_of(client.get(url)), private, shown))
    }

    assert problems == {}


def test_restricted_pages_never_found_by_search(client, neighbourhood):
    public = neighbourhood["public"]

    found = {
        query: result_titles(client.get("/recherche/", {"q": query}))
        for query in ["Conciliabule", "Archive", "scellés", "Zoé", "Cercle", "Atelier"]
    }

    assert found == {
        "Conciliabule": [],
        "Archive": [],
        "scellés": [],
        "Zoé": [],
        "Cercle": [],
        "Atelier": [public["event"].title],
    }


def test_restricted_pages_never_in_the_weekly_letter(neighbourhood):
    DigestSubscription.objects.create(email="lina@example.org", confirmed_at=NOW)

    call_command("send_digest")

    (message,) = mail.outbox
    public = neighbourhood["public"]
    shown = [public["event"].title, public["news"].title, public["portrait"].title]
    for body in (message.body, message.alternatives[0][0]):
        assert problems_in(body, neighbourhood["private"], shown) == {}


def test_a_restricted_section_hides_everything_below_it(client, clock, sections, make_portrait):
    """Privacy set on the portraits section covers the portraits in it, restricted or not."""
    portrait = make_portrait("Portrait de Yanis", person_name="Yanis")
    restrict(sections["portraits"])
    urls = ["/", "/acteurs/resoudre/", "/flux/", "/sitemap.xml", "/recherche/?q=Yanis"]

    for url in urls:
        assert portrait.title not in text_of(client.get(url)), url
    DigestSubscription.objects.create(email="lina@example.org", confirmed_at=NOW)
    call_command("send_digest")
    assert all(portrait.title not in message.body for message in mail.outbox)


def test_listed_pages_are_the_live_pages_wagtail_calls_public(neighbourhood, sections):
    restrict(sections["news"], PageViewRestriction.PASSWORD)
    neighbourhood["public"]["event"].unpublish()

    for model in (EventPage, ProjectNewsPage, PortraitPage, ActeurPage):
        listed = set(model.objects.listed().values_list("pk", flat=True))
        assert listed == set(model.objects.live().public().values_list("pk", flat=True)), model
    assert not ProjectNewsPage.objects.listed().exists()
    assert EventPage.objects.listed().get().title == "Kermesse passée"


@pytest.fixture
def event_of_a_private_association(clock, make_acteur, make_event, settings):
    hidden = make_acteur("Collectif des voisins discrets", phone="02 47 00 09 09")
    restrict(hidden)
    event = make_event(
        "Repas partagé du quartier", acteur=hidden, start=at("2026-12-09", 12), recurrence=recurrence.NONE
    )
    return hidden, event


def test_a_private_associations_name_never_shows_as_an_organiser(client, event_of_a_private_association):
    hidden, event = event_of_a_private_association
    programme = "/agenda/programme/?semaine=2026-W50"

    for url in (
        "/",
        "/agenda/",
        event.url,
        f"{event.url}affiche/",
        programme,
        "/flux/",
        "/agenda/agenda.ics",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "Repas partagé du quartier" in text, url
        assert hidden.title not in text and hidden.url not in text, url
        assert "02 47 00 09 09" not in text, url


def test_a_public_associations_name_shows_as_the_organiser(client, clock, acteur, make_event):
    event = make_event("Repas partagé du quartier", start=at("2026-12-09", 12))

    for url in ("/agenda/", event.url, f"{event.url}affiche/", "/flux/", "/agenda/agenda.ics"):
        assert acteur.title in client.get(url).content.decode(), url


def test_the_weekly_letter_names_no_private_organiser(event_of_a_private_association):
    hidden, _event = event_of_a_private_association
    DigestSubscription.objects.create(email="voisine@example.org", confirmed_at=NOW)

    call_command("send_digest")

    [message] = mail.outbox
    assert "Repas partagé du quartier" in message.body
    assert hidden.title not in message.body
    assert hidden.title not in message.alternatives[0][0]
