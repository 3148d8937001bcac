"""Signaler ce contenu: visitors report published items. Reports are counted by network: three
networks alert the moderators, five take the item offline, except in the cool-down after a review."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.menu import admin_menu
from wagtail.models import PageLogEntry

from posts.actions import RESOLVED_ACTION, UNPUBLISHED_ACTION, report_content
from posts.models import Proposal, Report
from posts.moderation import MODERATORS_GROUP
from posts.reports import ReportOutcome
from posts.views.reports import NOT_SENT, RATE_LIMITED
from tests.conftest import page_text
from tests.xss_corpus import XSS_PAYLOADS, active_content

pytestmark = pytest.mark.django_db

ALREADY_RECORDED = "déjà enregistré"
THANKS = "Merci pour votre signalement"
REPORTS_INDEX = "posts_reports:index"


# --- Helpers and people --------------------------------------------------------------------


def report_url(page) -> str:
    return reverse("report_content", args=(page.pk,))


def address(visitor: int) -> str:
    """An address of its own network for each visitor."""
    return f"198.51.{visitor}.10"


def send_report(client, page, visitor=1, reason=Report.Reason.WRONG, text="", remote_addr=None, **fields):
    data = {"reason": reason, "text": text, "site_web": "", **fields}
    return client.post(report_url(page), data, REMOTE_ADDR=remote_addr or address(visitor))


def add_permissions(permissions, *names):
    """Add "app_label.codename" permissions to a group's or a user's permissions."""
    for name in names:
        app_label, codename = name.split(".")
        permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def moderators_group(db):
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    add_permissions(
        group.permissions,
        "wagtailadmin.access_admin",
        "posts.view_report",
        "posts.change_report",
        "posts.view_proposal",
    )
    return group


@pytest.fixture
def moderator(make_user, moderators_group):
    user = make_user("moderatrice", email="moderatrice@example.org")
    user.groups.add(moderators_group)
    return user


@pytest.fixture
def second_moderator(make_user, moderators_group):
    user = make_user("moderateur", email="moderateur@example.org")
    user.groups.add(moderators_group)
    return user


@pytest.fixture
def moderator_without_email(make_user, moderators_group):
    user = make_user("moderateur-sans-adresse", email="")
    user.groups.add(moderators_group)
    return user


@pytest.fixture
def association_staff(make_user, acteur):
    """A member of an association's team: admin access, no right on reports."""
    group, _ = Group.objects.get_or_create(name=f"Équipe {acteur.title}")
    add_permissions(group.permissions, "wagtailadmin.access_admin")
    user = make_user("equipe", email="equipe@example.org")
    user.groups.add(group)
    return user


@pytest.fixture
def report_reader(make_user):
    """May read reports (posts.view_report) but not close them, and is no moderator."""
    user = make_user("lectrice", email="lectrice@example.org")
    add_permissions(user.user_permissions, "wagtailadmin.access_admin", "posts.view_report")
    return user


@pytest.fixture
def superuser(make_user):
    return make_user("administratrice", email="admin@example.org", is_superuser=True, is_staff=True)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Counting networks: alert at 3, offline at 5, never in the cool-down after a review -----


def test_two_distinct_visitors_leave_the_page_online(make_event, client, moderator):
    event = make_event()

    for visitor in (1, 2):
        response = send_report(client, event, visitor)
        assert response.status_code == 200
        assert THANKS in page_text(response)

    event.refresh_from_db()
    assert event.live
    assert client.get(event.url).status_code == 200
    assert Report.objects.filter(page=event, resolved_at=None).count() == 2
    assert mail.outbox == []


@pytest.mark.parametrize(
    "addresses",
    [
        # IPv6 privacy addresses: a new address every few hours, always in the same /64.
        ["2001:db8:5:7::1", "2001:db8:5:7:a1b2:c3d4:e5f6:1", "2001:db8:5:7:ffff::42"],
        ["203.0.113.1", "203.0.113.77", "203.0.113.254"],
    ],
    ids=["one-ipv6-64", "one-ipv4-24"],
)
def test_one_person_cannot_take_a_publication_offline_from_one_network(
    make_event, client, moderator, addresses, django_capture_on_commit_callbacks
):
    event = make_event()

    for number, remote_addr in enumerate(addresses * 2):
        with django_capture_on_commit_callbacks(execute=True):
            send_report(client, event, remote_addr=remote_addr, text=f"Signalement {number}")

    event.refresh_from_db()
    assert event.live
    reports = Report.objects.filter(page=event, resolved_at=None)
    assert reports.count() == 3  # one per address…
    assert reports.values("network").distinct().count() == 1  # …counted as one network
    assert mail.outbox == []
    listing = page_text(client_for(moderator).get(reverse(REPORTS_INDEX)))
    assert "signalée par 3 visiteurs distincts, depuis 1 réseau" in " ".join(listing.split())


def test_network_is_stored_as_a_hash_never_as_an_address(make_event, client):
    event = make_event()

    send_report(client, event, remote_addr="2001:db8:5:7::1")

    report = Report.objects.get(page=event)
    assert re.fullmatch(r"[0-9a-f]{32}", report.network)
    assert report.network != report.visitor
    assert "2001" not in report.network


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_forged_forwarded_addresses_do_not_make_new_visitors(make_event, client, moderator):
    """The proxy appends the address it saw; whatever the client wrote to the left is not trusted."""
    event = make_event()

    for forged in ("203.0.113.1", "198.18.0.1", "2001:db8:ffff::1", "192.0.2.99", "100.64.0.1"):
        client.post(
            report_url(event),
            {"reason": Report.Reason.WRONG, "text": "", "site_web": ""},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.7.10",
        )

    event.refresh_from_db()
    assert event.live
    assert Report.objects.filter(page=event).count() == 1
    assert mail.outbox == []


def test_one_person_with_a_phone_and_a_home_line_only_counts_twice(make_event, client, moderator):
    event = make_event()

    for remote_addr in ("2001:db8:5:7::1", "2001:db8:5:7::2", "192.0.2.10", "192.0.2.11"):
        send_report(client, event, remote_addr=remote_addr)

    event.refresh_from_db()
    assert event.live
    assert mail.outbox == []


def test_reports_from_three_networks_keep_the_page_online_and_alert_moderators_once(
    make_event, client, moderator, django_capture_on_commit_callbacks
):
    event = make_event(title="Vide-grenier douteux")

    for visitor in (1, 2, 3, 4):
        with django_capture_on_commit_callbacks(execute=True):
            response = send_report(client, event, visitor, reason=Report.Reason.SPAM)
        assert "retirée du site" not in page_text(response)

    event.refresh_from_db()
    assert event.live
    assert not PageLogEntry.objects.filter(page=event, action=UNPUBLISHED_ACTION).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["moderatrice@example.org"]
    assert "Vide-grenier douteux" in message.subject
    assert "3 réseaux différents" in message.body
    assert "reste en ligne" in message.body
    assert "http://testserver" + reverse(REPORTS_INDEX) in message.body


def test_reports_from_enough_networks_take_the_page_offline_and_tell_moderators_once(
    make_event,
    client,
    moderator,
    second_moderator,
    moderator_without_email,
    association_staff,
    superuser,
    django_capture_on_commit_callbacks,
):
    event = make_event(title="Vide-grenier douteux")
    url = event.url

    for visitor in (1, 2, 3, 4, 5):
        with django_capture_on_commit_callbacks(execute=True):
            response = send_report(client, event, visitor, reason=Report.Reason.SPAM)
        assert response.status_code == 200

    assert "retirée du site" in page_text(response)
    event.refresh_from_db()
    assert not event.live
    assert client.get(url).status_code == 404
    assert PageLogEntry.objects.filter(page=event, action=UNPUBLISHED_ACTION).count() == 1

    # The alert at 3 networks, then the unpublication; only members of Modérateurs with an
    # address: not the superuser, not association staff.
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert sorted(message.to) == ["moderateur@example.org", "moderatrice@example.org"]
    assert "Mis hors ligne" in message.subject and "Vide-grenier douteux" in message.subject
    assert "http://testserver" + reverse(REPORTS_INDEX) in message.body

    # A sixth report (a page already offline) neither unpublishes nor notifies again.
    with django_capture_on_commit_callbacks(execute=True):
        outcome = report_content(event, Report.Reason.SPAM, "", "sixieme", "reseau-6")
    assert outcome == ReportOutcome.RECORDED
    assert len(mail.outbox) == 2
    assert PageLogEntry.objects.filter(page=event, action=UNPUBLISHED_ACTION).count() == 1


def test_reports_within_the_cool_down_after_a_review_only_alert_moderators(
    make_event, client, moderator, django_capture_on_commit_callbacks
):
    event = make_event()
    for visitor in (1, 2, 3, 4, 5):
        send_report(client, event, visitor)
    client_for(moderator).post(reverse("posts_reports:resolve", args=(event.pk,)))
    event.refresh_from_db()
    event.save_revision().publish()
    mail.outbox.clear()

    # The same again, and more, a few days later: the page stays online, moderators are alerted.
    for visitor in range(1, 8):
        with django_capture_on_commit_callbacks(execute=True):
            send_report(client, event, visitor)
    event.refresh_from_db()
    assert event.live
    assert len(mail.outbox) == 1
    assert "reste en ligne" in mail.outbox[0].body

    # Once the cool-down is over, enough networks take it offline again.
    Report.objects.exclude(resolved_at=None).update(resolved_at=timezone.now() - timedelta(days=8))
    send_report(client, event, 8)
    event.refresh_from_db()
    assert not event.live


@override_settings(AGORA_REPORTS_COOL_DOWN_DAYS=0)
def test_closed_reports_no_longer_count_towards_unpublishing(make_event, client, moderator):
    event = make_event()
    for visitor in (1, 2, 3, 4):
        send_report(client, event, visitor)
    client_for(moderator).post(reverse("posts_reports:resolve", args=(event.pk,)))

    # The same four visitors may report again; with one more, that is five open reports.
    for visitor in (1, 2, 3, 4):
        send_report(client, event, visitor)
    event.refresh_from_db()
    assert event.live
    send_report(client, event, 5)
    event.refresh_from_db()
    assert not event.live


@override_settings(AGORA_REPORTS_TO_UNPUBLISH=2)
def test_threshold_of_distinct_networks_comes_from_settings(make_news, client, moderator):
    news = make_news()

    send_report(client, news, 1)
    send_report(client, news, 2)

    news.refresh_from_db()
    assert not news.live


def test_same_visitor_reporting_twice_counts_once(make_portrait, client, moderator):
    portrait = make_portrait()

    first = send_report(client, portrait, visitor=7)
    second = send_report(client, portrait, visitor=7, reason=Report.Reason.PRIVACY, text="Encore moi")
    third = send_report(client, portrait, visitor=7)

    assert first.status_code == 200
    assert ALREADY_RECORDED not in page_text(first)
    for response in (second, third):
        assert response.status_code == 200
        assert ALREADY_RECORDED in page_text(response)
    assert Report.objects.filter(page=portrait).count() == 1
    assert Report.objects.get(page=portrait).reason == Report.Reason.WRONG

    send_report(client, portrait, visitor=8)
    portrait.refresh_from_db()
    assert portrait.live  # two distinct visitors, whatever the number of clicks


def test_visitor_is_stored_as_a_hash_never_as_an_address(make_event, client):
    event = make_event()

    send_report(client, event, visitor=42)

    stored = Report.objects.get(page=event).visitor
    assert address(42) not in stored
    assert re.fullmatch(r"[0-9a-f]{32}", stored)


# --- The form: text, rate limit, honeypot, CSRF, 404 ---------------------------------------


def test_report_text_is_cleaned_before_it_is_stored(make_event, client):
    event = make_event()

    send_report(client, event, text="  Date\x1b fausse :\x07\n  c'est le 12.  ")

    assert Report.objects.get(page=event).text == "Date fausse : c'est le 12."


def test_too_long_text_and_missing_reason_are_refused_with_linked_errors(make_event, client):
    event = make_event()

    response = client.post(
        report_url(event), {"reason": "", "text": "x" * 1001, "site_web": ""}, REMOTE_ADDR=address(1)
    )

    assert response.status_code == 200
    assert not Report.objects.exists()
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.find(role="alert")
    assert {link["href"] for link in summary.find_all("a")} == {"#id_reason_0", "#id_text"}
    assert "Choisissez une raison." in summary.get_text()
    assert "id_reason_error" in soup.find("fieldset")["aria-describedby"]
    textarea = soup.find("textarea", id="id_text")
    assert "id_text_error" in textarea["aria-describedby"].split()
    assert textarea["aria-invalid"] == "true"
    assert soup.find(id="id_text_error") is not None


@override_settings(AGORA_REPORTS_PER_HOUR=2)
def test_reports_beyond_the_hourly_limit_get_429_with_message_and_form_kept(
    make_event, make_news, make_portrait, client
):
    pages = [make_event(), make_news(), make_portrait()]

    for page in pages[:2]:
        assert send_report(client, page, visitor=5).status_code == 200
    response = send_report(
        client, pages[2], visitor=5, reason=Report.Reason.OFFENSIVE, text="Propos déplacés ici"
    )

    assert response.status_code == 429
    content = page_text(response)
    assert str(RATE_LIMITED) in content
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("textarea", id="id_text").get_text().strip() == "Propos déplacés ici"
    assert soup.find("input", {"name": "reason", "value": Report.Reason.OFFENSIVE}).has_attr("checked")
    assert not Report.objects.filter(page=pages[2]).exists()
    # Another visitor is not held back.
    assert send_report(client, pages[2], visitor=6).status_code == 200


def test_filled_honeypot_stores_nothing_and_shows_a_neutral_error(make_event, client):
    event = make_event()

    response = send_report(client, event, text="Achetez !", site_web="https://spam.example")

    assert response.status_code == 400
    assert not Report.objects.exists()
    message = BeautifulSoup(response.content, "html.parser").find(role="alert").get_text(" ")
    assert str(NOT_SENT) in message
    assert "robot" not in message.lower()


def test_report_form_is_protected_by_csrf(make_event):
    event = make_event()
    client = Client(enforce_csrf_checks=True)

    response = client.post(report_url(event), {"reason": Report.Reason.SPAM, "site_web": ""})

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_report_form_is_accessible_with_hidden_honeypot(make_event, client):
    event = make_event(title="Atelier couture")

    response = client.get(report_url(event))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    main = soup.find("main")
    assert len(main.find_all("h1")) == 1
    assert "Atelier couture" in main.get_text()
    form = main.find("form", method="post")
    assert form.find("input", {"name": "csrfmiddlewaretoken"}) is not None
    radios = form.find_all("input", {"name": "reason"})
    assert [radio["value"] for radio in radios] == list(Report.Reason.values)
    for field in [*radios, form.find("textarea")]:
        assert form.find("label", {"for": field["id"]}) is not None
    assert form.find("fieldset").find("legend") is not None
    honeypot = form.find("input", {"name": "site_web"})
    wrapper = honeypot.parent
    assert "visually-hidden" in wrapper["class"]
    assert wrapper["aria-hidden"] == "true"
    assert honeypot["tabindex"] == "-1"
    assert honeypot["autocomplete"] == "off"
    assert form.find("label", {"for": honeypot["id"]}) is not None
    assert not soup.find_all(style=True)
    assert not soup.find_all("script", src=False)


@pytest.mark.parametrize("kind", ["event", "news", "portrait", "acteur"])
def test_report_link_is_on_every_kind_of_published_page(
    kind, make_event, make_news, make_portrait, make_acteur, client
):
    factory = {"event": make_event, "news": make_news, "portrait": make_portrait, "acteur": make_acteur}[kind]
    page = factory(title=f"Publication {kind}")

    response = client.get(page.url)

    assert response.status_code == 200
    link = BeautifulSoup(response.content, "html.parser").find("a", href=report_url(page))
    assert link is not None
    assert link.get_text(strip=True) == "Signaler ce contenu"
    assert client.get(report_url(page)).status_code == 200


@pytest.mark.parametrize("kind", ["event", "news", "portrait", "acteur"])
def test_report_form_is_404_for_drafts(kind, make_event, make_news, make_portrait, make_acteur, client):
    factory = {"event": make_event, "news": make_news, "portrait": make_portrait, "acteur": make_acteur}[kind]
    draft = factory(title=f"Brouillon {kind}", publish=False)

    assert client.get(report_url(draft)).status_code == 404
    assert send_report(client, draft).status_code == 404
    assert not Report.objects.exists()


def test_report_form_is_404_for_pages_that_are_not_publications(home_page, sections, client):
    """Three addresses must not be able to take the home page or a section offline."""
    for page in [home_page, *sections.values()]:
        assert client.get(report_url(page)).status_code == 404
        assert send_report(client, page).status_code == 404
    assert client.get(reverse("report_content", args=(999999,))).status_code == 404
    assert not Report.objects.exists()


# --- The admin view of reports -------------------------------------------------------------


def test_admin_reports_view_lists_open_reports_grouped_by_page(make_event, make_news, moderator):
    event = make_event(title="Repas partagé")
    news = make_news(title="Chantier du jardin")
    closed = make_news(title="Vieille histoire")
    report_content(event, Report.Reason.WRONG, "La date a changé", "visiteur-1", "reseau-1")
    report_content(event, Report.Reason.OFFENSIVE, "", "visiteur-2", "reseau-2")
    report_content(news, Report.Reason.SPAM, "Publicité déguisée", "visiteur-3", "reseau-3")
    Report.objects.create(page=closed, reason=Report.Reason.OTHER, visitor="v", resolved_at=timezone.now())

    response = client_for(moderator).get(reverse(REPORTS_INDEX))

    assert response.status_code == 200
    listing = BeautifulSoup(response.content, "html.parser").find(id="signalements-ouverts")
    sections = listing.find_all("section")
    assert [section.find("h2").get_text(strip=True) for section in sections] == [
        "Chantier du jardin",
        "Repas partagé",
    ]
    event_section = listing.find(id=f"signalements-page-{event.pk}")
    text = " ".join(event_section.get_text(" ").split())
    for expected in [
        "Événement",
        "en ligne",
        "2 visiteurs distincts",
        "Information inexacte ou périmée",
        "Propos offensants ou discriminatoires",
        "La date a changé",
    ]:
        assert expected in text
    assert event_section.find("a", href=reverse("wagtailadmin_pages:edit", args=(event.pk,))) is not None
    assert event_section.find("form", action=reverse("posts_reports:resolve", args=(event.pk,)))
    assert "Vieille histoire" not in listing.get_text()


def test_admin_reports_view_says_when_nothing_is_open(moderator):
    response = client_for(moderator).get(reverse(REPORTS_INDEX))

    assert "Aucun signalement ouvert" in page_text(response)


def test_xss_in_report_text_is_never_active_content_in_admin_reports_view(make_event, moderator):
    event = make_event()
    for number, payload in enumerate(XSS_PAYLOADS):
        report_content(event, Report.Reason.OTHER, payload, f"visiteur-{number}", f"reseau-{number}")

    response = client_for(moderator).get(reverse(REPORTS_INDEX))

    assert response.status_code == 200
    listing = BeautifulSoup(response.content, "html.parser").find(id="signalements-ouverts")
    assert listing is not None
    # The tables hold what visitors typed (the rest of the listing has the moderators' forms).
    tables = listing.find_all("table")
    assert len(tables) == 1
    assert len(tables[0].find_all("tr")) == len(XSS_PAYLOADS) + 1
    assert active_content(str(tables[0])) == []
    # Shown to the moderator as the text that was typed, not dropped silently.
    assert "alert(" in listing.get_text()


def test_moderator_closes_the_reports_of_a_page(make_event, make_news, moderator):
    event = make_event(title="Repas partagé")
    other = make_news()
    report_content(event, Report.Reason.WRONG, "", "visiteur-1", "reseau-1")
    report_content(event, Report.Reason.SPAM, "", "visiteur-2", "reseau-2")
    report_content(other, Report.Reason.SPAM, "", "visiteur-3", "reseau-3")
    client = client_for(moderator)

    response = client.post(reverse("posts_reports:resolve", args=(event.pk,)), follow=True)

    assert response.redirect_chain[-1][0] == reverse(REPORTS_INDEX)
    assert "2 signalements clos pour « Repas partagé »." in page_text(response)
    closed = Report.objects.filter(page=event)
    assert all(report.resolved_at and report.resolved_by == moderator for report in closed)
    assert Report.objects.get(page=other).resolved_at is None
    assert PageLogEntry.objects.filter(page=event, action=RESOLVED_ACTION, user=moderator).exists()
    event.refresh_from_db()
    assert event.live  # closing reports does not change the page


def test_closing_reports_is_refused_on_get(make_event, moderator):
    event = make_event()
    report_content(event, Report.Reason.WRONG, "", "visiteur-1", "reseau-1")

    response = client_for(moderator).get(reverse("posts_reports:resolve", args=(event.pk,)))

    assert response.status_code == 405
    assert Report.objects.get().resolved_at is None


ROLES = ["anonymous", "association_staff", "report_reader", "moderator", "superuser"]
CAN_VIEW = {"report_reader", "moderator", "superuser"}
CAN_RESOLVE = {"moderator", "superuser"}


@pytest.fixture
def people(association_staff, report_reader, moderator, superuser):
    return {
        "anonymous": None,
        "association_staff": association_staff,
        "report_reader": report_reader,
        "moderator": moderator,
        "superuser": superuser,
    }


@pytest.mark.parametrize("role", ROLES)
def test_access_to_reports_view_by_role(role, people, make_event):
    event = make_event(title="Repas partagé")
    report_content(event, Report.Reason.WRONG, "", "visiteur-1", "reseau-1")
    client = client_for(people[role])

    response = client.get(reverse(REPORTS_INDEX))

    if role in CAN_VIEW:
        assert response.status_code == 200
        assert "Repas partagé" in page_text(response)
        buttons = (
            BeautifulSoup(response.content, "html.parser").find(id="signalements-ouverts").find_all("button")
        )
        assert [button.get_text(strip=True) for button in buttons] == (
            ["Clore les signalements"] if role in CAN_RESOLVE else []
        )
    else:
        assert response.status_code == 302
        assert not response.url.startswith(reverse(REPORTS_INDEX))


@pytest.mark.parametrize("role", ROLES)
def test_closing_reports_by_role(role, people, make_event):
    event = make_event()
    report_content(event, Report.Reason.WRONG, "", "visiteur-1", "reseau-1")
    client = client_for(people[role])

    response = client.post(reverse("posts_reports:resolve", args=(event.pk,)))

    assert response.status_code == 302
    report = Report.objects.get()
    if role in CAN_RESOLVE:
        assert report.resolved_at is not None
        assert report.resolved_by == people[role]
    else:
        assert report.resolved_at is None


@pytest.mark.parametrize("role", ROLES[1:])
def test_reports_menu_item_shown_only_to_those_who_may_read_reports(role, people):
    request = RequestFactory().get("/admin/")
    request.user = people[role]

    names = [item.name for item in admin_menu.menu_items_for_request(request)]

    assert ("signalements" in names) is (role in CAN_VIEW)


# --- The admin home panels -----------------------------------------------------------------


@pytest.fixture
def waiting_work(make_event, make_news):
    """A pending proposal, a declined one, and a reported page."""
    draft = make_event(title="Fête des voisins", publish=False)
    pending = Proposal.objects.create(
        kind=Proposal.Kind.EVENT, page=draft, title="Fête des voisins", display_name="Nadia"
    )
    Proposal.objects.create(
        kind=Proposal.Kind.NEWS, title="Idée refusée", display_name="Marc", status=Proposal.Status.DECLINED
    )
    reported = make_news(title="Chantier du jardin")
    report_content(reported, Report.Reason.SPAM, "", "visiteur-1", "reseau-1")
    return pending, reported


def home_panels(user):
    response = client_for(user).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find(id="agora-propositions-section"), soup.find(id="agora-signalements-section")


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_home_panels_show_pending_proposals_and_open_reports_to_moderators(role, people, waiting_work):
    pending, reported = waiting_work

    proposals, reports = home_panels(people[role])

    assert "Propositions en attente" in proposals.get_text()
    pending_proposal = Proposal.objects.get(page_id=pending.page_id)
    review = reverse("agora_review_proposal", args=(pending_proposal.pk,))
    assert proposals.find("a", href=review).get_text(strip=True) == "Fête des voisins"
    proposals_text = proposals.get_text(" ")
    assert "Nadia" in proposals_text
    assert "Événement" in proposals_text
    assert "Idée refusée" not in proposals_text
    assert "Signalements ouverts" in reports.get_text()
    link = reports.find("a", href=f"{reverse(REPORTS_INDEX)}#signalements-page-{reported.pk}")
    assert link.get_text(strip=True) == "Chantier du jardin"


def test_home_panels_have_empty_states(moderator):
    proposals, reports = home_panels(moderator)

    assert "Aucune proposition d'habitant en attente" in proposals.get_text()
    assert "Aucun signalement ouvert" in reports.get_text()


@pytest.mark.parametrize("role", ["association_staff", "report_reader"])
def test_home_panels_are_not_shown_to_other_users(role, people, waiting_work):
    assert home_panels(people[role]) == (None, None)
