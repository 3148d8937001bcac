"""Bad input in the admin: every page type, the site settings and Agora's own admin forms.

Whatever an editor types or a forged request sends, the answer is the form again with a French
message (status 200) or a clean 4xx, never a server error, and nothing is half-stored: no page,
no revision, no setting or record changes after a refused post. The test client re-raises any
exception a view lets through, so a 500 fails these tests with its traceback.
"""

import html
import json

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from home.models import HomePage, SiteSettings
from partners.models import Membership, Organisation
from posts.blocks import UNREADABLE_BODY
from posts.models import EventPage, PortraitConsent
from posts.models.pages import EVENT_YEARS_AHEAD
from posts.moderation import MODERATORS_GROUP, setup_moderation
from tests.conftest import add_sections, new_acteur, page_text, shared_rows

pytestmark = pytest.mark.django_db

User = get_user_model()

NUL = "\x00"
NUL_REFUSED = "Le caractère nul n’est pas autorisé."
TOO_LONG = "Assurez-vous que cette valeur comporte au plus"
INVALID_DATETIME = "Saisissez une date et une heure valides."
INVALID_DATE = "Saisissez une date valide."
INVALID_CHOICE = "Sélectionnez un choix valide."
LAST_YEAR = timezone.localdate().year + EVENT_YEARS_AHEAD
OUT_OF_RANGE = f"Indiquez une date comprise entre 2000 et {LAST_YEAR}."
NOT_CREATED = "La page ne peut être créée du fait d'erreurs de validation."
NOT_SAVED = "La page ne peut être enregistrée du fait d'erreurs de validation."
RTL_TITLE = "عيد الجيران 🎉 <b>Fête</b> des voisins"
RTL_TEXT = "مرحبا بالجميع 😊 <script>alert(1)</script> Bienvenue"


def shown(response, message) -> bool:
    """The French message is on the page the user gets: in the HTML, or in the JSON from which the
    admin's script draws the errors of StreamField blocks. (Reading form.errors in the test would
    translate its lazy messages again, in the test's language.)"""
    page = page_text(response)
    return message in page or json.dumps(message)[1:-1] in page


def field_errors(response) -> list[str]:
    """The fields with errors, inline formsets included: what a failing assertion prints."""
    form = response.context["form"]
    names = list(form.errors)
    for name, formset in getattr(form, "formsets", {}).items():
        if formset.non_form_errors() or any(formset.errors):
            names.append(name)
    return names


def stored() -> tuple[int, int]:
    return Page.objects.count(), Revision.objects.count()


# --- Users and clients -----------------------------------------------------------------------


def french(user):
    """The admin speaks the user's preferred language; these users chose French."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    return user


@pytest.fixture
def superuser(make_user):
    return french(make_user("administratrice", is_superuser=True, is_staff=True))


@pytest.fixture
def moderator(make_user, sections):
    setup_moderation()
    user = make_user("moderatrice")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return french(user)


@pytest.fixture
def admin(superuser) -> Client:
    return client_for(superuser)


@pytest.fixture
def users(superuser, moderator):
    return {"superuser": superuser, "moderator": moderator}


def client_for(user, **options) -> Client:
    """A logged-in client whose browser asks for English: the user's preference wins in the admin."""
    client = Client(headers={"accept-language": "en"}, **options)
    client.force_login(user)
    return client


# --- Valid form data for each page type --------------------------------------------------------


def page_fields(**fields):
    return {"seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "", **fields}


def publication_fields(acteur, title, slug, **fields):
    return page_fields(
        title=title,
        slug=slug,
        acteur=acteur.pk,
        summary="Un résumé en une phrase.",
        image="",
        image_alt="",
        body=streamfield([("paragraph", rich_text("<p>Un paragraphe.</p>"))]),
        tags="",
        display_name="",
        comments=inline_formset([]),
        **fields,
    )


def event_fields(acteur):
    return publication_fields(
        acteur,
        "Atelier tricot",
        "atelier-tricot",
        start="2026-12-02 14:00",
        end="2026-12-02 16:00",
        recurrence="",
        recurrence_until="",
        extra_dates=inline_formset([]),
        place_name="Centre social",
        place_address="",
        is_free="True",
        price="",
        registration="",
        registration_url="",
        accessibility="",
    )


def news_fields(acteur):
    return publication_fields(acteur, "Le jardin s'agrandit", "le-jardin", project_name="Jardin partagé")


def portrait_fields(acteur):
    return publication_fields(
        acteur, "Portrait de Nadia", "portrait-de-nadia", person_name="Nadia", role="bénévole"
    )


def acteur_fields(acteur):
    return page_fields(
        title="Les Jardiniers",
        slug="les-jardiniers",
        kind="association",
        summary="Une association de jardiniers.",
        logo="",
        address="",
        email="",
        phone="",
        website="",
        opening_hours="",
        activities="",
        body=streamfield([]),
        staff_group="",
        comments=inline_formset([]),
    )


def home_fields(_acteur):
    return page_fields(
        title="Accueil",
        slug="accueil",
        intro="Bienvenue.",
        propose_text="Proposez.",
        comments=inline_formset([]),
    )


def index_fields(_acteur):
    return page_fields(title="Agenda", slug="agenda", intro="", comments=inline_formset([]))


# kind -> (model name, section, fields, field that takes a chooser id)
CREATABLE = {
    "event": ("eventpage", "agenda", event_fields, "acteur"),
    "news": ("projectnewspage", "news", news_fields, "acteur"),
    "portrait": ("portraitpage", "portraits", portrait_fields, "acteur"),
    "acteur": ("acteurpage", "acteurs", acteur_fields, "logo"),
}


def form_data(fields, overrides):
    """Nested form data with `overrides` applied; keys holding a hyphen are raw form keys."""
    values = {**fields, **{key: value for key, value in overrides.items() if "-" not in key}}
    data = nested_form_data({key: value for key, value in values.items() if value is not None})
    data.update({key: value for key, value in overrides.items() if "-" in key})
    return data


def add_url(sections, kind):
    model_name, section, _, _ = CREATABLE[kind]
    return reverse("wagtailadmin_pages:add", args=("posts", model_name, sections[section].pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def edit_data(page, fields, overrides):
    """The edit form of `page`, valid but for `overrides`."""
    acteur = getattr(page.specific, "acteur", None)
    return form_data({**fields(acteur), "title": page.title, "slug": page.slug}, overrides)


def malformed_stream(**keys):
    """A body whose keys the editor's script would never send."""
    return {"body": None, "body-count": "1", **{f"body-0-{key}": value for key, value in keys.items()}}


# --- Creating each kind of page ------------------------------------------------------------------

# Every kind of page meets these; the rest only on events (the body is one StreamBlock for all kinds).
EVERY_KIND_CASES = {
    "title-too-long": ({"title": "x" * 256}, "title", TOO_LONG),
    "null-byte-in-title": ({"title": f"Atelier{NUL}"}, "title", NUL_REFUSED),
    "null-byte-in-rich-text": (
        {"body": streamfield([("paragraph", rich_text(f"<p>Un{NUL}paragraphe</p>"))])},
        "body",
        NUL_REFUSED,
    ),
    "chooser-id-not-a-number": ({"CHOOSER": "abc"}, "CHOOSER", INVALID_CHOICE),
}
EVENT_ONLY_CASES = {
    # On SQLite, a page id beyond 64 bits failed in the form field itself (an image id does not).
    "chooser-id-beyond-64-bits": ({"CHOOSER": "9" * 25}, "CHOOSER", INVALID_CHOICE),
    "slug-too-long": ({"slug": "x" * 256}, "slug", TOO_LONG),
    "summary-too-long": ({"summary": "x" * 301}, "summary", TOO_LONG),
    "null-byte-in-stream-text": (
        {"body": streamfield([("quote", {"text": f"Une{NUL}citation", "author": ""})])},
        "body",
        NUL_REFUSED,
    ),
    "rich-text-that-is-not-the-editor-json": (
        {"body": streamfield([("paragraph", "{pas du json")])},
        "body",
        str(UNREADABLE_BODY),
    ),
    "stream-count-not-a-number": ({"body": None, "body-count": "beaucoup"}, "body", str(UNREADABLE_BODY)),
    "stream-with-missing-keys": (malformed_stream(), "body", str(UNREADABLE_BODY)),
    "stream-order-not-a-number": (
        malformed_stream(
            type="quote", deleted="", order="premier", **{"value-text": "x", "value-author": ""}
        ),
        "body",
        str(UNREADABLE_BODY),
    ),
    "image-block-id-not-a-number": (
        {"body": streamfield([("image", {"image": "abc", "alt": "Une photo", "caption": ""})])},
        "body",
        str(UNREADABLE_BODY),
    ),
    "chooser-id-with-null-byte": ({"CHOOSER": f"1{NUL}"}, "CHOOSER", INVALID_CHOICE),
}
CREATE_CASES = {**EVERY_KIND_CASES, **EVENT_ONLY_CASES}


def test_refused_title_is_shown_back_escaped(sections, acteur, admin):
    title = "<script>alert(1)</script>" + "x" * 256

    response = admin.post(add_url(sections, "event"), form_data(event_fields(acteur), {"title": title}))

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert html.escape(title) in response.content.decode()


# --- Event dates, as an administrator and as a moderator ------------------------------------------

EVENT_CASES = {
    "impossible-date": ({"start": "2026-02-30 14:00"}, "start", INVALID_DATETIME),
    "five-digit-year": ({"start": "99999-01-01 14:00"}, "start", INVALID_DATETIME),
    "date-in-words": ({"start": "demain"}, "start", INVALID_DATETIME),
    "impossible-time": ({"start": "2026-12-02 25:61"}, "start", INVALID_DATETIME),
    "year-one": ({"start": "0001-01-01 10:00", "end": "0001-01-01 12:00"}, "start", OUT_OF_RANGE),
    "year-9999": ({"start": "9999-12-31 22:00", "end": "9999-12-31 23:59"}, "end", OUT_OF_RANGE),
    "end-before-start": ({"end": "2026-12-02 13:00"}, "end", "La fin doit être après le début."),
    "recurrence-ends-before-start": (
        {"recurrence": "weekly", "recurrence_until": "2026-11-25"},
        "recurrence_until",
        "La fin de la répétition doit être après le début de l'événement.",
    ),
    "recurrence-for-six-years": (
        {"recurrence": "weekly", "recurrence_until": "2032-12-31"},
        "recurrence_until",
        "Une répétition dure au plus 5 ans",
    ),
    "recurrence-until-9999": (
        {"recurrence": "monthly", "recurrence_until": "9999-12-31"},
        "recurrence_until",
        OUT_OF_RANGE,
    ),
    "recurrence-until-in-words": (
        {"recurrence": "weekly", "recurrence_until": "bientôt"},
        "recurrence_until",
        INVALID_DATE,
    ),
    "unknown-recurrence": (
        {"recurrence": "yearly", "recurrence_until": "2027-01-01"},
        "recurrence",
        INVALID_CHOICE,
    ),
    "impossible-extra-date": (
        {"extra_dates": inline_formset([{"date": "2026-02-30"}])},
        "extra_dates",
        INVALID_DATE,
    ),
    "extra-date-in-9999": (
        {"extra_dates": inline_formset([{"date": "9999-12-31"}])},
        "extra_dates",
        OUT_OF_RANGE,
    ),
    "extra-dates-count-not-a-number": (
        {"extra_dates-TOTAL_FORMS": "abc"},
        "extra_dates",
        "Des données du formulaire ManagementForm sont manquantes ou ont été manipulées.",
    ),
}


def refused(response, field, message):
    errors = response.context["form"].errors
    if field == "extra_dates":
        return "extra_dates" in field_errors(response) and shown(response, message)
    return field in errors and shown(response, message)


@pytest.fixture(scope="class")
def refusing(django_db_setup, django_db_blocker):
    """The sections, an association, an administrator and a moderator, shared by a class of tests
    whose forms are all refused (nothing is stored), rolled back after the class."""
    with shared_rows(django_db_blocker):
        sections = add_sections(HomePage.objects.get())
        setup_moderation()
        superuser = french(User.objects.create_user("administratrice", is_superuser=True, is_staff=True))
        moderator = french(User.objects.create_user("moderatrice"))
        moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
        yield {
            "sections": sections,
            "acteur": new_acteur(sections),
            "superuser": superuser,
            "users": {"superuser": superuser, "moderator": moderator},
        }


# Every refused creation shares one world. One process runs the whole class (`make test`
# distributes with --dist loadgroup).
@pytest.mark.xdist_group("admin_refused_creations")
class TestRefusedCreation:
    @pytest.mark.parametrize(
        ("kind", "case"),
        [(kind, case) for kind in CREATABLE for case in EVERY_KIND_CASES]
        + [("event", case) for case in EVENT_ONLY_CASES],
    )
    def test_bad_input_on_create_shows_french_error_and_stores_nothing(self, refusing, kind, case):
        sections, acteur, admin = refusing["sections"], refusing["acteur"], client_for(refusing["superuser"])
        overrides, field, message = CREATE_CASES[case]
        chooser = CREATABLE[kind][3]
        overrides = {chooser if key == "CHOOSER" else key: value for key, value in overrides.items()}
        field = chooser if field == "CHOOSER" else field
        before = stored()

        response = admin.post(add_url(sections, kind), form_data(CREATABLE[kind][2](acteur), overrides))

        assert response.status_code == 200
        assert NOT_CREATED in page_text(response)
        assert shown(response, message), field_errors(response)
        assert field in response.context["form"].errors
        assert stored() == before

    @pytest.mark.parametrize(
        ("kind", "overrides", "field", "message"),
        [
            ("news", {"project_name": "x" * 151}, "project_name", TOO_LONG),
            ("portrait", {"person_name": "x" * 121}, "person_name", TOO_LONG),
            ("portrait", {"role": "x" * 151}, "role", TOO_LONG),
            ("acteur", {"phone": "0" * 31}, "phone", TOO_LONG),
            ("acteur", {"kind": "secte"}, "kind", INVALID_CHOICE),
            ("acteur", {"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
            ("acteur", {"website": "javascript:alert(1)"}, "website", "Saisissez une URL valide."),
            ("acteur", {"opening_hours": f"Lundi{NUL}"}, "opening_hours", NUL_REFUSED),
            ("acteur", {"staff_group": "abc"}, "staff_group", INVALID_CHOICE),
        ],
        ids=[
            "project-too-long",
            "person-too-long",
            "role-too-long",
            "phone-too-long",
            "unknown-kind",
            "bad-email",
            "javascript-website",
            "hours-null-byte",
            "group-id-not-a-number",
        ],
    )
    def test_bad_field_of_one_kind_is_refused_on_create(self, refusing, kind, overrides, field, message):
        sections, acteur, admin = refusing["sections"], refusing["acteur"], client_for(refusing["superuser"])
        before = stored()

        response = admin.post(add_url(sections, kind), form_data(CREATABLE[kind][2](acteur), overrides))

        assert response.status_code == 200
        assert NOT_CREATED in page_text(response)
        assert field in response.context["form"].errors
        assert shown(response, message)
        assert stored() == before

    @pytest.mark.parametrize("case", list(EVENT_CASES))
    def test_bad_event_dates_on_create_are_refused_in_french(self, refusing, case):
        sections, acteur, users = refusing["sections"], refusing["acteur"], refusing["users"]
        overrides, field, message = EVENT_CASES[case]
        data = form_data(event_fields(acteur), overrides)
        data["action-publish"] = "action-publish"
        before = stored()

        for role, user in users.items():
            response = client_for(user).post(add_url(sections, "event"), data)

            assert response.status_code == 200, role
            assert NOT_CREATED in page_text(response), role
            assert refused(response, field, message), (role, field_errors(response))
            assert stored() == before, role


@pytest.mark.parametrize(
    "case",
    ["year-one", "end-before-start", "recurrence-for-six-years", "extra-date-in-9999", "impossible-time"],
)
def test_bad_event_dates_on_edit_leave_the_event_as_it_was(make_event, users, case):
    event = make_event("Atelier tricot", publish=False)
    overrides, field, message = EVENT_CASES[case]
    before = stored()

    for role, user in users.items():
        response = client_for(user).post(edit_url(event), edit_data(event, event_fields, overrides))

        assert response.status_code == 200, role
        assert NOT_SAVED in page_text(response), role
        assert refused(response, field, message), (role, field_errors(response))
        assert stored() == before, role
        assert EventPage.objects.get(pk=event.pk).latest_revision_id == event.latest_revision_id, role


def test_a_long_recurrence_within_five_years_is_accepted(sections, acteur, admin):
    data = form_data(event_fields(acteur), {"recurrence": "weekly", "recurrence_until": "2031-11-30"})

    response = admin.post(add_url(sections, "event"), data)

    assert response.status_code == 302
    assert EventPage.objects.get().recurrence_until.isoformat() == "2031-11-30"


def test_resident_proposal_for_a_far_future_day_is_refused_too(client, sections, make_acteur):
    """The proposal form builds an event from the day: beyond the window it could not be stored."""
    from django.core.cache import cache

    make_acteur("Centre social")
    setup_moderation()
    cache.clear()
    data = {
        "title": "Fête",
        "start_time": "23:00",
        "place_name": "Square",
        "text": "Venez.",
        "display_name": "Lina",
    }

    for day in ["9999-12-31", f"{LAST_YEAR + 1}-01-01"]:
        response = client.post(reverse("propose", args=["evenement"]), {**data, "day": day})

        assert response.status_code == 400
        assert OUT_OF_RANGE in page_text(response)
    assert not EventPage.objects.exists()
    cache.clear()


# --- Editing every kind of page, the home page and the section indexes included ------------------


@pytest.fixture
def existing(home_page, sections, acteur, make_event, make_news, make_portrait):
    """The page of a kind and its valid form data; only the page asked for is built."""
    makers = {
        "event": lambda: (make_event(publish=False), event_fields),
        "news": lambda: (make_news(), news_fields),
        "portrait": lambda: (make_portrait(), portrait_fields),
        "acteur": lambda: (acteur, acteur_fields),
        "home": lambda: (home_page, home_fields),
        **{f"index-{key}": (lambda index=index: (index, index_fields)) for key, index in sections.items()},
    }
    return lambda kind: makers[kind]()


EDITABLE = [
    "event",
    "news",
    "portrait",
    "acteur",
    "home",
    "index-agenda",
    "index-news",
    "index-portraits",
    "index-acteurs",
]
EDIT_CASES = {
    "title-too-long": ({"title": "x" * 256}, "title", TOO_LONG),
    "null-byte-in-title": ({"title": f"Titre{NUL}"}, "title", NUL_REFUSED),
}


@pytest.mark.parametrize("kind", EDITABLE)
def test_bad_input_on_edit_shows_french_error_and_keeps_the_page(existing, admin, kind):
    page, fields = existing(kind)
    title, revision = page.title, page.latest_revision_id
    before = stored()

    for case, (overrides, field, message) in EDIT_CASES.items():
        response = admin.post(edit_url(page), edit_data(page, fields, overrides))

        assert response.status_code == 200, case
        assert NOT_SAVED in page_text(response), case
        assert field in response.context["form"].errors, case
        assert shown(response, message), (case, field_errors(response))
        assert stored() == before, case
        saved = Page.objects.get(pk=page.pk)
        assert (saved.title, saved.latest_revision_id) == (title, revision), case


@pytest.mark.parametrize(
    ("kind", "overrides", "field", "message"),
    [
        ("home", {"propose_text": "x" * 256}, "propose_text", TOO_LONG),
        ("home", {"intro": f"Bienvenue{NUL}"}, "intro", NUL_REFUSED),
        ("index-agenda", {"intro": f"L'agenda{NUL}"}, "intro", NUL_REFUSED),
        ("news", {"body": streamfield([("heading", {"text": "x" * 121, "level": "h2"})])}, "body", TOO_LONG),
        (
            "news",
            {"body": streamfield([("heading", {"text": "Titre", "level": "h1"})])},
            "body",
            INVALID_CHOICE,
        ),
        (
            "portrait",
            {"body": streamfield([("video", {"url": "javascript:alert(1)", "title": "V"})])},
            "body",
            "Saisissez une URL valide.",
        ),
        ("acteur", malformed_stream(type="paragraph"), "body", str(UNREADABLE_BODY)),
    ],
    ids=[
        "home-call-too-long",
        "home-intro-null-byte",
        "index-intro-null-byte",
        "heading-too-long",
        "heading-level-unknown",
        "video-url-javascript",
        "acteur-stream-truncated",
    ],
)
def test_bad_field_on_edit_of_one_kind_is_refused(existing, admin, kind, overrides, field, message):
    page, fields = existing(kind)
    before = stored()

    response = admin.post(edit_url(page), edit_data(page, fields, overrides))

    assert response.status_code == 200
    assert NOT_SAVED in page_text(response)
    assert field in response.context["form"].errors
    assert shown(response, message), field_errors(response)
    assert stored() == before


def test_stream_block_id_with_null_byte_is_replaced_not_stored(sections, acteur, admin):
    """The editor gives blocks UUIDs; PostgreSQL refuses a NUL byte anywhere in the stored JSON."""
    data = form_data(event_fields(acteur), {"body-0-id": f"bloc{NUL}forgé"})

    response = admin.post(add_url(sections, "event"), data)

    assert response.status_code == 302
    event = EventPage.objects.get()
    (block,) = event.body
    assert block.id and NUL not in block.id
    assert NUL not in str(event.get_latest_revision().content)


# --- Right-to-left and emoji text: saved, published, shown back intact and escaped -----------------


def rtl_overrides(kind):
    overrides = {"title": RTL_TITLE, "summary": f"{RTL_TEXT} — résumé"}
    overrides["body"] = streamfield(
        [
            ("heading", {"text": "مرحبا 👋 <i>titre</i>", "level": "h2"}),
            ("paragraph", rich_text(f"<p>{html.escape(RTL_TEXT)}</p>")),
            ("quote", {"text": "שלום 🌍 <b>citation</b>", "author": "حسن"}),
        ]
    )
    if kind == "acteur":
        overrides["activities"] = "Jardinage 🌱\nمرحبا"
    return overrides


@pytest.mark.parametrize("kind", list(CREATABLE))
def test_right_to_left_and_emoji_text_is_published_intact_and_escaped(
    sections, acteur, make_portrait, admin, client, kind
):
    data = form_data(CREATABLE[kind][2](acteur), rtl_overrides(kind))
    data["action-publish"] = "action-publish"
    if kind == "portrait":
        # A new portrait cannot be published before its consent is recorded: edit one that has it.
        portrait = make_portrait("Portrait de Nadia", publish=False)
        response = admin.post(edit_url(portrait), data)
    else:
        response = admin.post(add_url(sections, kind), data)

    assert response.status_code == 302
    page = Page.objects.get(title=RTL_TITLE).specific
    assert page.live
    assert page.summary == f"{RTL_TEXT} — résumé"
    public = client.get(page.url)
    assert public.status_code == 200
    raw = public.content.decode()
    for text in [RTL_TITLE, RTL_TEXT, "مرحبا 👋 <i>titre</i>", "שלום 🌍 <b>citation</b>", "حسن"]:
        assert text in html.unescape(raw)
        assert html.escape(text, quote=False) in raw or html.escape(text) in raw
    for markup in ["<script>alert(1)</script>", "<b>Fête</b>", "<i>titre</i>", "<b>citation</b>"]:
        assert markup not in raw
    assert RTL_TITLE in page_text(admin.get(edit_url(page)))


# --- Requests the server refuses before any form: too large, no CSRF token -----------------------


@pytest.fixture
def admin_urls(sections, make_event, site):
    event = make_event(publish=False)
    return {
        "page-add": add_url(sections, "event"),
        "page-edit": edit_url(event),
        "settings": reverse("wagtailsettings:edit", args=("home", "sitesettings", site.pk)),
        "consent-add": reverse("portrait_consents:add"),
        "organisation-add": reverse("partner_organisations:add"),
        "membership-add": reverse("partner_memberships:add"),
        "reports-resolve": reverse("posts_reports:resolve", args=(event.pk,)),
    }


def everything_stored():
    return (
        *stored(),
        PortraitConsent.objects.count(),
        Organisation.objects.count(),
        SiteSettings.objects.count(),
    )


@pytest.mark.parametrize("body", ["beyond-max-memory-size", "beyond-max-number-fields"])
def test_huge_multipart_body_is_a_clean_400_on_every_admin_form(admin_urls, admin, body):
    if body == "beyond-max-memory-size":
        data = {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    else:
        data = {f"champ-{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    before = everything_stored()

    for target, url in admin_urls.items():
        if target == "reports-resolve":
            continue  # it reads no form: a body is never parsed
        response = admin.post(url, data)

        assert response.status_code == 400, target
        assert everything_stored() == before, target


def test_post_without_csrf_token_is_a_clean_403_on_every_admin_form(admin_urls, acteur, superuser):
    strict = client_for(superuser, enforce_csrf_checks=True)
    data = form_data(event_fields(acteur), {"action-publish": "action-publish"})
    before = everything_stored()

    for target, url in admin_urls.items():
        response = strict.post(url, data)

        assert response.status_code == 403, target
        assert everything_stored() == before, target


# --- Double click on "create" --------------------------------------------------------------------


@pytest.mark.parametrize("action", ["save-draft", "publish"])
def test_double_click_on_create_makes_one_page_and_a_french_slug_error(sections, acteur, admin, action):
    """Wagtail 8 requires a slug, even for a draft, and checks it among the parent's children: the
    second identical post is refused in French. No "-2" page with a deduplicated slug appears."""
    data = form_data(event_fields(acteur), {})
    if action == "publish":
        data["action-publish"] = "action-publish"

    first = admin.post(add_url(sections, "event"), data)
    after_first = stored()
    second = admin.post(add_url(sections, "event"), data)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "slug" in second.context["form"].errors
    assert shown(second, "Le slug 'atelier-tricot' est déjà utilisé")
    assert stored() == after_first
    event = EventPage.objects.get()
    assert event.live is (action == "publish")
    assert event.revisions.count() == 1
    assert event.get_latest_revision().as_object().title == event.title


def test_double_click_on_save_of_an_edit_saves_two_identical_drafts(make_event, admin):
    """Each save of the editor is a revision: the second click adds an identical one, nothing breaks."""
    event = make_event("Atelier tricot", publish=False)
    data = form_data(event_fields(event.acteur), {"title": "Atelier tricot, relu"})
    data["loaded_revision_id"] = str(event.latest_revision_id)
    data["loaded_revision_created_at"] = event.latest_revision.created_at.isoformat()

    responses = [admin.post(edit_url(event), data) for _ in range(2)]

    assert [response.status_code for response in responses] == [302, 302]
    event = EventPage.objects.get(pk=event.pk)
    assert not event.live
    assert event.revisions.count() == 3
    assert event.get_latest_revision().as_object().title == "Atelier tricot, relu"


# --- Site settings -------------------------------------------------------------------------------

SETTINGS_FIELDS = {
    "site_name": "Agora de la Rabière",
    "tagline": "L'agora numérique du quartier",
    "contact_email": "",
    "contact_phone": "",
    "social_centre_name": "",
    "social_centre_address": "",
}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"site_name": "x" * 101}, "site_name", TOO_LONG),
        ({"tagline": "x" * 201}, "tagline", TOO_LONG),
        ({"site_name": f"Agora{NUL}"}, "site_name", NUL_REFUSED),
        ({"social_centre_address": f"2 place{NUL}"}, "social_centre_address", NUL_REFUSED),
        ({"contact_email": "pas-une-adresse"}, "contact_email", "Saisissez une adresse de courriel valide."),
        ({"contact_phone": "0" * 31}, "contact_phone", TOO_LONG),
        ({"site_name": ""}, "site_name", "Champ requis."),
    ],
    ids=[
        "name-too-long",
        "tagline-too-long",
        "name-null-byte",
        "address-null-byte",
        "bad-email",
        "phone-too-long",
        "name-empty",
    ],
)
def test_bad_site_settings_are_refused_in_french(site, admin, overrides, field, message):
    url = reverse("wagtailsettings:edit", args=("home", "sitesettings", site.pk))
    assert admin.post(url, SETTINGS_FIELDS).status_code == 302

    response = admin.post(url, {**SETTINGS_FIELDS, **overrides})

    assert response.status_code == 200
    assert "Ce paramètre ne peut être enregistré du fait d’erreurs." in page_text(response)
    assert field in response.context["form"].errors
    assert shown(response, message)
    assert SiteSettings.objects.filter(site=site).values(*SETTINGS_FIELDS).get() == SETTINGS_FIELDS


def test_site_name_in_right_to_left_and_emoji_is_shown_escaped(site, admin, client):
    url = reverse("wagtailsettings:edit", args=("home", "sitesettings", site.pk))

    response = admin.post(url, {**SETTINGS_FIELDS, "site_name": RTL_TITLE, "tagline": RTL_TEXT})

    assert response.status_code == 302
    assert SiteSettings.for_site(site).site_name == RTL_TITLE
    raw = client.get("/").content.decode()
    assert html.escape(RTL_TITLE, quote=False) in raw or html.escape(RTL_TITLE) in raw
    assert "<b>Fête</b>" not in raw and "<script>alert(1)</script>" not in raw


def test_settings_of_a_site_that_does_not_exist_are_a_404(admin):
    url = reverse("wagtailsettings:edit", args=("home", "sitesettings", 999_999))

    assert admin.post(url, SETTINGS_FIELDS).status_code == 404


# --- Consents (droit à l'image) ------------------------------------------------------------------


@pytest.fixture
def portrait(make_portrait):
    return make_portrait("Portrait de Lina", publish=False, consent=False)


def consent_fields(portrait):
    return {
        "portrait": str(portrait.pk),
        "given_by": "Lina Haddad",
        "given_on": "2026-03-02",
        "method": PortraitConsent.Method.WRITTEN,
        "scope": "Texte et photo.",
    }


CONSENT_CASES = {
    "impossible-date": ({"given_on": "2026-02-30"}, "given_on", INVALID_DATE),
    "five-digit-year": ({"given_on": "99999-01-01"}, "given_on", INVALID_DATE),
    "date-in-words": ({"given_on": "hier"}, "given_on", INVALID_DATE),
    "name-too-long": ({"given_by": "x" * 151}, "given_by", TOO_LONG),
    "null-byte-in-name": ({"given_by": f"Lina{NUL}"}, "given_by", NUL_REFUSED),
    "null-byte-in-scope": ({"scope": f"Texte{NUL}"}, "scope", NUL_REFUSED),
    "unknown-method": ({"method": "télépathie"}, "method", INVALID_CHOICE),
    "portrait-id-not-a-number": ({"portrait": "abc"}, "portrait", INVALID_CHOICE),
    "portrait-id-beyond-64-bits": ({"portrait": "9" * 25}, "portrait", INVALID_CHOICE),
    "not-a-portrait": ({"portrait": "1"}, "portrait", INVALID_CHOICE),
}


@pytest.mark.parametrize("case", list(CONSENT_CASES))
def test_bad_consent_is_refused_in_french_and_not_recorded(portrait, admin, case):
    overrides, field, message = CONSENT_CASES[case]

    response = admin.post(reverse("portrait_consents:add"), {**consent_fields(portrait), **overrides})

    assert response.status_code == 200
    assert "n'a pas pu être créé(e) à cause d'erreurs." in page_text(response)
    assert field in response.context["form"].errors
    assert shown(response, message)
    assert not PortraitConsent.objects.exists()


@pytest.mark.parametrize("case", ["impossible-date", "null-byte-in-scope", "name-too-long"])
def test_bad_consent_edit_keeps_the_recorded_consent(portrait, admin, case):
    consent = PortraitConsent.objects.create(portrait=portrait, given_by="Lina", method="ecrit")
    consent.refresh_from_db()  # the scope as stored, not the default's lazy translation
    recorded = (consent.given_by, consent.scope)
    overrides, field, message = CONSENT_CASES[case]

    response = admin.post(
        reverse("portrait_consents:edit", args=(consent.pk,)), {**consent_fields(portrait), **overrides}
    )

    assert response.status_code == 200
    assert "n'a pas pu être enregistré(e) à cause d'erreurs." in page_text(response)
    assert field in response.context["form"].errors
    assert shown(response, message)
    consent.refresh_from_db()
    assert (consent.given_by, consent.scope) == recorded


def test_consent_form_prefilled_with_a_malformed_portrait_id_still_opens(portrait, admin):
    for portrait_id in ["9" * 25, "abc", "-1", f"1{NUL}"]:
        response = admin.get(reverse("portrait_consents:add"), {"portrait": portrait_id})

        assert response.status_code == 200, portrait_id


def test_resolving_reports_of_a_page_that_does_not_exist_is_a_404(admin):
    assert admin.post(reverse("posts_reports:resolve", args=(999_999,))).status_code == 404


# --- Partner organisations and memberships (superusers only) -------------------------------------


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Mission locale")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 201, TOO_LONG),
        (f"Mission{NUL}", NUL_REFUSED),
        ("Mission locale", "existe déjà"),
        ("", "Champ requis."),
    ],
    ids=["too-long", "null-byte", "duplicate", "empty"],
)
def test_bad_organisation_is_refused_in_french(organisation, admin, name, message):
    response = admin.post(reverse("partner_organisations:add"), {"name": name})

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert shown(response, message)
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Mission locale"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({}, "__all__", "existe déjà"),
        ({"role": "cheffe"}, "role", INVALID_CHOICE),
        ({"user": "abc"}, "user", INVALID_CHOICE),
        ({"user": "9" * 25}, "user", INVALID_CHOICE),
        ({"organisation": f"1{NUL}"}, "organisation", NUL_REFUSED),
    ],
    ids=["duplicate", "unknown-role", "user-id-not-a-number", "user-id-beyond-64-bits", "null-byte"],
)
def test_bad_membership_is_refused_in_french(organisation, make_user, admin, overrides, field, message):
    member = make_user("conseillere")
    Membership.objects.create(user=member, organisation=organisation)
    data = {"user": str(member.pk), "organisation": str(organisation.pk), "role": "member", **overrides}

    response = admin.post(reverse("partner_memberships:add"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert shown(response, message)
    assert Membership.objects.count() == 1
