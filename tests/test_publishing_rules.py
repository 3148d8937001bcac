"""Publishing rules: where each page type may be created, what each page shows, and the
validation an editor meets in the admin (in French)."""

from datetime import datetime, timedelta

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.coreutils import get_dummy_request
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import ContentPage, HomePage
from posts import recurrence
from posts.models import (
    ActeurIndexPage,
    ActeurPage,
    AgendaIndexPage,
    EventPage,
    NewsIndexPage,
    PortraitIndexPage,
    PortraitPage,
    ProjectNewsPage,
)
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

PARIS = recurrence.PARIS
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # a Monday
INDEXES = [AgendaIndexPage, NewsIndexPage, PortraitIndexPage, ActeurIndexPage]
DETAIL_OF = {
    AgendaIndexPage: EventPage,
    NewsIndexPage: ProjectNewsPage,
    PortraitIndexPage: PortraitPage,
    ActeurIndexPage: ActeurPage,
}


@pytest.fixture
def page_asserts(client):
    """WagtailPageTestCase's assertions, bound to pytest-django's client."""
    case = WagtailPageTestCase()
    case.client = client
    case.dummy_request = get_dummy_request()
    return case


@pytest.fixture
def admin_page_asserts(admin_client):
    case = WagtailPageTestCase()
    case.client = admin_client
    case.dummy_request = get_dummy_request()
    return case


# --- Where pages may be created ------------------------------------------------------------


def test_home_accepts_only_the_four_section_indexes_and_content_pages(page_asserts):
    page_asserts.assertAllowedSubpageTypes(HomePage, [*INDEXES, ContentPage])
    page_asserts.assertAllowedParentPageTypes(HomePage, [Page])
    page_asserts.assertAllowedSubpageTypes(ContentPage, [])
    for detail in DETAIL_OF.values():
        page_asserts.assertCanNotCreateAt(HomePage, detail)


@pytest.mark.parametrize("index", INDEXES, ids=lambda model: model.__name__)
def test_each_index_lives_under_home_and_holds_only_its_kind(page_asserts, index):
    detail = DETAIL_OF[index]

    page_asserts.assertAllowedParentPageTypes(index, [HomePage])
    page_asserts.assertAllowedSubpageTypes(index, [detail])
    page_asserts.assertAllowedParentPageTypes(detail, [index])
    page_asserts.assertCanCreateAt(index, detail)
    for other in INDEXES:
        if other is not index:
            page_asserts.assertCanNotCreateAt(other, detail)


@pytest.mark.parametrize("detail", DETAIL_OF.values(), ids=lambda model: model.__name__)
def test_detail_pages_have_no_children(page_asserts, detail):
    page_asserts.assertAllowedSubpageTypes(detail, [])


def test_each_index_can_exist_only_once(home_page):
    for index in INDEXES:
        assert index.can_create_at(home_page)

    for index in INDEXES:
        home_page.add_child(instance=index(title=index.__name__, slug=index.__name__.lower()))

    for index in INDEXES:
        assert not index.can_create_at(home_page), index.__name__


def test_there_is_one_home_page(home_page):
    assert not HomePage.can_create_at(Page.get_first_root_node())


# --- What each page shows ------------------------------------------------------------------


def test_event_page_shows_french_dates_price_place_and_accessibility(clock, make_event, make_image, client):
    event = make_event(
        title="Atelier numérique",
        start=datetime(2026, 12, 2, 14, 0, tzinfo=PARIS),
        place_name="Centre social de la Rabière",
        place_address="2 place de la Rabière, Joué-lès-Tours",
        is_free=False,
        price="2 € pour les adhérents",
        registration="Sur place ou par téléphone.",
        accessibility="Accès en fauteuil par l'entrée nord ; boucle magnétique.",
        image=make_image("Atelier"),
        image_alt="Des habitantes devant un ordinateur",
        body=[("paragraph", rich_text("<p>Venez avec vos questions.</p>"))],
    )

    response = client.get("/agenda/atelier-numerique/")

    assert response.status_code == 200
    page = page_text(response)
    assert "mercredi 2 décembre 2026, de 14h00 à 16h00" in page
    assert '<time datetime="2026-12-02T14:00:00+01:00">' in page
    assert "2 € pour les adhérents" in page
    assert "Gratuit" not in page
    assert "Centre social de la Rabière" in page
    assert "2 place de la Rabière, Joué-lès-Tours" in page
    assert "Accès en fauteuil par l'entrée nord ; boucle magnétique." in page
    assert "Sur place ou par téléphone." in page
    assert 'alt="Des habitantes devant un ordinateur"' in page
    assert "Venez avec vos questions." in page
    assert event.acteur.title in page


def test_free_event_says_free(clock, make_event, client):
    make_event(title="Repas partagé", start=datetime(2026, 12, 5, 12, 0, tzinfo=PARIS), is_free=True)

    response = client.get("/agenda/repas-partage/")

    assert "Gratuit" in page_text(response)
    assert "samedi 5 décembre 2026, de 12h00 à 14h00" in page_text(response)


def test_recurring_event_page_lists_its_next_dates(clock, make_event, client):
    make_event(
        title="Café des parents",
        start=datetime(2026, 11, 4, 9, 0, tzinfo=PARIS),
        recurrence=recurrence.WEEKLY_RULE,
        recurrence_until=datetime(2026, 12, 16).date(),
    )

    page = page_text(client.get("/agenda/cafe-des-parents/"))

    assert "mercredi 25 novembre 2026" not in page
    for day in ["mercredi 2 décembre 2026", "mercredi 9 décembre 2026", "mercredi 16 décembre 2026"]:
        assert f"{day}, de 09h00 à 11h00" in page


def test_past_event_page_says_it_is_over(clock, make_event, client):
    make_event(title="Fête de quartier", start=datetime(2026, 6, 20, 15, 0, tzinfo=PARIS))

    response = client.get("/agenda/fete-de-quartier/")

    assert response.status_code == 200
    assert "Cet événement est passé." in page_text(response)


def test_all_day_event_shows_the_day_without_hours(clock, make_event, client):
    event = make_event(
        title="Brocante", start=datetime(2026, 12, 6, 0, 0, tzinfo=PARIS), all_day=True, publish=False
    )
    event.full_clean()
    event.save_revision().publish()

    page = page_text(client.get("/agenda/brocante/"))

    assert "dimanche 6 décembre 2026" in page
    assert "dimanche 6 décembre 2026, de" not in page


def test_news_page_shows_project_summary_and_body(clock, make_news, make_image, client):
    make_news(
        title="Le jardin partagé s'agrandit",
        project_name="Jardin partagé",
        image=make_image("Jardin"),
        image_alt="Des bacs de légumes",
        body=[("paragraph", rich_text("<p>Douze nouvelles parcelles.</p>"))],
    )

    response = client.get("/actualites/le-jardin-partage-sagrandit/")

    assert response.status_code == 200
    page = page_text(response)
    assert "Projet : Jardin partagé" in page
    assert "30 novembre 2026" in page
    assert "Résumé de Le jardin partagé s'agrandit" in page
    assert "Douze nouvelles parcelles." in page
    assert 'alt="Des bacs de légumes"' in page
    assert "Proposé par" in page


def test_portrait_page_shows_person_and_role(make_portrait, client):
    make_portrait(title="Portrait de Fatou", person_name="Fatou", role="personne ressource")

    response = client.get("/portraits/portrait-de-fatou/")

    assert response.status_code == 200
    assert "Fatou — personne ressource" in page_text(response)


def test_acteur_page_lists_its_own_publications_only(
    clock, make_acteur, acteur, make_event, make_news, make_portrait, client
):
    other = make_acteur(title="Courteline")
    make_event(title="Atelier CV", start=datetime(2026, 12, 3, 14, 0, tzinfo=PARIS))
    make_news(title="Nouveaux horaires")
    make_portrait(title="Portrait de Mireille", person_name="Mireille")
    make_event(title="Loto de Courteline", start=datetime(2026, 12, 4, 20, 0, tzinfo=PARIS), acteur=other)
    make_news(title="Courteline recrute", acteur=other)
    make_portrait(title="Portrait de Marcel", person_name="Marcel", acteur=other)
    make_event(title="Atelier brouillon", start=datetime(2026, 12, 3, 9, 0, tzinfo=PARIS), publish=False)

    response = client.get("/acteurs/resoudre/")

    assert response.status_code == 200
    page = page_text(response)
    for own in ["Atelier CV", "jeudi 3 décembre 2026", "Nouveaux horaires", "Portrait de Mireille"]:
        assert own in page
    for foreign in ["Loto de Courteline", "Courteline recrute", "Portrait de Marcel", "Atelier brouillon"]:
        assert foreign not in page


def test_every_page_type_renders(
    clock, page_asserts, sections, home_page, acteur, make_event, make_news, make_portrait
):
    pages = [
        home_page,
        *sections.values(),
        acteur,
        make_event(),
        make_news(),
        make_portrait(),
    ]
    for page in pages:
        page_asserts.assertPageIsRenderable(page)
    assert {type(page.specific) for page in pages} >= {HomePage, *INDEXES, *DETAIL_OF.values()}


def test_drafts_are_not_served(make_event, make_news, client):
    make_event(title="Brouillon d'atelier", publish=False)
    make_news(title="Brouillon de nouvelle", publish=False)

    assert client.get("/agenda/brouillon-datelier/").status_code == 404
    assert client.get("/actualites/brouillon-de-nouvelle/").status_code == 404


# --- Validation in the admin ---------------------------------------------------------------


def event_form(acteur, **overrides):
    """The add-event form as the editor fills it in (dates in the admin's "Y-m-d H:i")."""
    values = {
        "title": "Atelier tricot",
        "slug": "atelier-tricot",
        "acteur": acteur.pk,
        "summary": "On tricote ensemble.",
        "start": "2026-12-02 14:00",
        "end": "2026-12-02 16:00",
        "recurrence": "",
        "recurrence_until": "",
        "extra_dates": inline_formset([]),
        "place_name": "Centre social",
        "place_address": "",
        "is_free": "True",
        "price": "",
        "registration": "",
        "registration_url": "",
        "accessibility": "",
        "image": "",
        "image_alt": "",
        "body": streamfield([]),
        "tags": "",
        "display_name": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    values.update(overrides)
    values = {key: value for key, value in values.items() if value is not None}
    return nested_form_data(values)


def add_event_url(sections):
    return reverse("wagtailadmin_pages:add", args=("posts", "eventpage", sections["agenda"].pk))


def test_valid_event_is_created_and_published_through_admin(
    clock, sections, acteur, admin_page_asserts, client
):
    data = event_form(
        acteur,
        recurrence=recurrence.WEEKLY_RULE,
        recurrence_until="2026-12-23",
        extra_dates=inline_formset([{"date": "2026-12-26"}]),
        body=streamfield([("paragraph", rich_text("<p>Apportez vos aiguilles.</p>"))]),
    )

    admin_page_asserts.assertCanCreate(sections["agenda"], EventPage, data)

    event = EventPage.objects.get(slug="atelier-tricot")
    assert event.live
    assert event.start == datetime(2026, 12, 2, 14, 0, tzinfo=PARIS)
    assert [extra.date.isoformat() for extra in event.extra_dates.all()] == ["2026-12-26"]
    page = page_text(client.get("/agenda/atelier-tricot/"))
    assert "samedi 26 décembre 2026, de 14h00 à 16h00" in page
    assert "Apportez vos aiguilles." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": "2026-12-02 13:00"}, "end", "La fin doit être après le début."),
        (
            {"recurrence": recurrence.WEEKLY_RULE, "recurrence_until": "2026-11-25"},
            "recurrence_until",
            "La fin de la répétition doit être après le début de l'événement.",
        ),
        (
            {"recurrence": recurrence.MONTHLY_RULE, "recurrence_until": ""},
            "recurrence_until",
            "Indiquez jusqu'à quelle date l'événement se répète.",
        ),
        (
            {"image": "IMAGE", "image_alt": "  "},
            "image_alt",
            "Le texte alternatif de l'image est obligatoire.",
        ),
        (
            {"is_free": "False", "price": ""},
            "price",
            "Indiquez le tarif, ou choisissez « Gratuit » ou « Tarif non précisé ».",
        ),
    ],
    ids=[
        "end-before-start",
        "recurrence-ends-before-start",
        "recurrence-without-end",
        "image-without-alt",
        "no-price",
    ],
)
def test_admin_refuses_invalid_event_in_french(
    clock, sections, acteur, make_image, admin_client, overrides, field, message
):
    if overrides.get("image") == "IMAGE":
        overrides = {**overrides, "image": make_image().pk}
    data = event_form(acteur, **overrides)
    data["action-publish"] = "action-publish"

    response = admin_client.post(add_event_url(sections), data)

    assert response.status_code == 200  # the form again, not a redirect
    assert message in page_text(response)
    assert message in response.context["form"].errors[field]
    assert "La page ne peut être créée du fait d'erreurs de validation." in page_text(response)
    assert not EventPage.objects.exists()


def test_draft_with_invalid_dates_is_refused_too(clock, sections, acteur, admin_client):
    response = admin_client.post(add_event_url(sections), event_form(acteur, end="2026-12-01 10:00"))

    assert response.status_code == 200
    assert "La fin doit être après le début." in page_text(response)
    assert not EventPage.objects.exists()


def test_recurrence_end_is_compared_with_the_paris_start_date(make_event):
    """Stored datetimes come back in UTC; 00:30 in Paris is still the previous day in UTC."""
    event = make_event(start=datetime(2026, 12, 2, 0, 30, tzinfo=PARIS), publish=False)
    event = EventPage.objects.get(pk=event.pk)
    event.recurrence = recurrence.WEEKLY_RULE
    event.recurrence_until = datetime(2026, 12, 1).date()

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["recurrence_until"] == [
        "La fin de la répétition doit être après le début de l'événement."
    ]


def test_all_day_event_is_stored_as_whole_paris_days(make_event):
    event = make_event(
        start=datetime(2026, 12, 6, 10, 0, tzinfo=PARIS), duration=timedelta(hours=1), publish=False
    )
    event.all_day = True

    event.full_clean()

    assert event.start == datetime(2026, 12, 6, 0, 0, tzinfo=PARIS)
    assert event.end == datetime(2026, 12, 6, 23, 59, tzinfo=PARIS)
