"""The weekly e-mail digest: double opt-in, one-click unsubscribe, content, idempotent sending,
through HTTP and the e-mail outbox."""

import re
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.core.management import call_command
from django.test import Client

from letter import sending
from letter.models import DigestDelivery, DigestSubscription
from posts import recurrence
from posts.models import ProjectNewsPage
from tests.conftest import at

pytestmark = pytest.mark.django_db

PARIS = recurrence.PARIS
# A Friday: the coming week is the one of Monday 7 December 2026 (ISO week 2026-W50).
NOW = datetime(2026, 12, 4, 18, 0, tzinfo=PARIS)
ADDRESS = "lina@example.org"
TOKEN_LINK = re.compile(r"http://testserver/lettre/confirmer/([\w-]+)/")


def ask(client, address=ADDRESS, **extra):
    return client.post("/lettre/", {"email": address, "site_web": "", **extra})


def confirmation_token(message) -> str:
    match = TOKEN_LINK.search(message.body)
    assert match, message.body
    return match[1]


def subscribe_and_confirm(client, address=ADDRESS) -> DigestSubscription:
    ask(client, address)
    token = confirmation_token(mail.outbox[-1])
    client.post(f"/lettre/confirmer/{token}/")
    mail.outbox.clear()
    return DigestSubscription.objects.get(email=address)


def send_digest(*args) -> str:
    out = StringIO()
    call_command("send_digest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def content(clock, make_event, make_news, make_portrait):
    """The coming week's events, one event later, and two publications a day apart."""
    made = {
        "velo": make_event("Atelier vélo", start=at("2026-12-08"), place_name="Local vélo"),
        "couture": make_event(
            "Couture partagée",
            start=at("2026-11-04", 10),
            recurrence=recurrence.WEEKLY_RULE,
            recurrence_until=date(2027, 1, 27),
        ),
        "later": make_event("Loto de janvier", start=at("2027-01-09")),
        "news": make_news("Le jardin partagé s'agrandit"),
        "portrait": make_portrait("Rencontre avec Lina"),
    }
    # First published yesterday and last month: only the first is new for a first digest.
    ProjectNewsPage.objects.filter(pk=made["news"].pk).update(first_published_at=NOW - timedelta(days=1))
    made["portrait"].__class__.objects.filter(pk=made["portrait"].pk).update(
        first_published_at=NOW - timedelta(days=30)
    )
    return made


# --- Subscribing (double opt-in) -----------------------------------------------------------


def test_subscribe_form_is_accessible_and_has_a_hidden_honeypot(client, clock, sections):
    response = client.get("/lettre/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one("label[for=id_email]")
    assert soup.select_one("#id_email")["autocomplete"] == "email"
    assert soup.select_one("#id_site_web").find_parent(attrs={"aria-hidden": "true"})


def test_subscribing_sends_only_a_confirmation_link(client, clock, sections):
    response = ask(client, "  Lina@Example.org ")

    assert response.status_code == 302
    assert response["Location"] == "/lettre/merci/"
    subscription = DigestSubscription.objects.get()
    assert subscription.email == ADDRESS
    assert not subscription.is_confirmed
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert "Confirmez votre inscription" in message.subject
    assert confirmation_token(message) == subscription.token
    assert len(subscription.token) >= 40
    assert client.get("/lettre/merci/").status_code == 200


def test_an_unconfirmed_address_receives_no_digest(client, content):
    ask(client)
    mail.outbox.clear()

    output = send_digest()

    assert mail.outbox == []
    assert DigestDelivery.objects.count() == 0
    assert "abonnés à servir : 0 ;" in output


def test_opening_the_confirmation_link_does_not_confirm_until_the_button_is_pressed(client, clock, sections):
    ask(client)
    token = confirmation_token(mail.outbox[0])

    page = client.get(f"/lettre/confirmer/{token}/")
    assert page.status_code == 200
    assert "Confirmer mon inscription" in page.content.decode()
    assert not DigestSubscription.objects.get().is_confirmed

    done = client.post(f"/lettre/confirmer/{token}/")
    assert done.status_code == 200
    assert "Inscription confirmée" in done.content.decode()
    assert DigestSubscription.objects.get().confirmed_at == NOW


def test_confirmation_needs_the_csrf_token_of_the_page(client, clock, sections):
    ask(client)
    token = confirmation_token(mail.outbox[0])
    browser = Client(enforce_csrf_checks=True)

    assert browser.post(f"/lettre/confirmer/{token}/").status_code == 403
    assert not DigestSubscription.objects.get().is_confirmed


def test_unknown_or_expired_confirmation_links_are_not_found(client, clock, sections):
    ask(client)
    token = confirmation_token(mail.outbox[0])

    assert client.get("/lettre/confirmer/pas-un-jeton/").status_code == 404
    clock.moment = NOW + timedelta(days=8)
    assert client.post(f"/lettre/confirmer/{token}/").status_code == 404
    assert not DigestSubscription.objects.get().is_confirmed


def test_asking_again_resends_the_link_at_most_once_per_interval(client, clock, sections, settings):
    settings.DIGEST_CONFIRMATION_INTERVAL_MINUTES = 15
    ask(client)
    ask(client, "LINA@example.org")
    assert len(mail.outbox) == 1

    clock.moment = NOW + timedelta(minutes=16)
    ask(client)
    assert len(mail.outbox) == 2
    assert confirmation_token(mail.outbox[1]) == confirmation_token(mail.outbox[0])
    assert DigestSubscription.objects.count() == 1


def test_an_already_confirmed_address_gets_no_new_mail_and_the_answer_is_the_same(client, clock, sections):
    subscribe_and_confirm(client)

    response = ask(client)

    assert response.status_code == 302
    assert response["Location"] == "/lettre/merci/"
    assert mail.outbox == []


def test_honeypot_keeps_robots_out(client, clock, sections):
    response = ask(client, site_web="http://spam.example")

    assert response.status_code == 400
    assert DigestSubscription.objects.count() == 0
    assert mail.outbox == []


def test_invalid_address_is_refused_with_an_explanation(client, clock, sections):
    response = ask(client, "pas-une-adresse")

    assert response.status_code == 400
    assert "Le formulaire contient 1 erreur" in response.content.decode()


def test_subscriptions_are_rate_limited_per_visitor(client, clock, sections, settings):
    settings.DIGEST_SUBSCRIBE_PER_HOUR = 3
    statuses = [ask(client, f"habitant{n}@example.org").status_code for n in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert DigestSubscription.objects.count() == 3


def test_at_the_kiosk_the_address_is_not_autocompleted(client, clock, sections):
    client.cookies["agora_kiosque"] = "1"
    soup = BeautifulSoup(client.get("/lettre/").content.decode(), "html.parser")

    assert soup.select_one("#id_email")["autocomplete"] == "off"


def test_unconfirmed_addresses_are_forgotten_after_the_deadline(client, content, clock):
    ask(client)
    clock.moment = NOW + timedelta(days=8)

    output = send_digest()

    assert DigestSubscription.objects.count() == 0
    assert "Inscriptions jamais confirmées effacées : 1." in output


# --- The digest ----------------------------------------------------------------------------


def test_digest_lists_the_coming_week_and_new_publications_as_text_and_html(client, content):
    subscription = subscribe_and_confirm(client)

    output = send_digest()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert message.subject == "Agora de la Rabière : au programme du 7 décembre au 13 décembre 2026"
    text = message.body
    assert "Mardi 8 décembre" in text
    assert "14h00–16h00 : Atelier vélo" in text
    assert "Mercredi 9 décembre" in text and "Couture partagée" in text
    assert "http://testserver/agenda/atelier-velo/" in text
    assert "Loto" not in text
    assert "Le jardin partagé s'agrandit" in text
    assert "Rencontre avec Lina" not in text, "published before the last week: not new"
    assert "http://testserver/agenda/programme/?semaine=2026-W50" in text

    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("a", string="Atelier vélo")["href"] == "http://testserver/agenda/atelier-velo/"
    assert soup.find("a", string="Le jardin partagé s'agrandit")["href"].startswith(
        "http://testserver/actualites/"
    )
    # No tracking: no image, no remote resource of any kind.
    assert not soup.find_all(["img", "link", "script", "style", "iframe"])
    assert not soup.find_all(attrs={"style": True})
    assert "[1/1]" in output
    assert DigestDelivery.objects.get().subscription == subscription


def test_every_digest_has_one_click_unsubscribe_headers_and_link(client, content):
    subscription = subscribe_and_confirm(client)

    send_digest()

    message = mail.outbox[0]
    link = f"http://testserver/lettre/desinscription/{subscription.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_second_run_for_the_same_week_sends_nothing(client, content):
    subscribe_and_confirm(client)
    send_digest()
    mail.outbox.clear()

    output = send_digest()

    assert mail.outbox == []
    assert DigestDelivery.objects.count() == 1
    assert "envoyées : 0 ; déjà envoyées : 1 ;" in output


def test_a_new_subscriber_gets_the_week_already_sent_to_others(client, content):
    subscribe_and_confirm(client)
    send_digest()
    subscribe_and_confirm(client, "karim@example.org")

    send_digest()

    assert [message.to for message in mail.outbox] == [["karim@example.org"]]


def test_next_digest_only_lists_what_was_published_since_the_last_one(client, content, clock, make_news):
    subscribe_and_confirm(client)
    send_digest()
    mail.outbox.clear()
    clock.moment = NOW + timedelta(days=7)
    make_news("La fresque est finie")

    send_digest()

    text = mail.outbox[0].body
    assert "La fresque est finie" in text
    assert "Le jardin partagé s'agrandit" not in text
    assert "Mercredi 16 décembre" in text


def test_a_week_with_nothing_new_sends_nothing(client, clock, sections):
    subscribe_and_confirm(client)

    output = send_digest("--semaine", "2030-W10")

    assert mail.outbox == []
    assert DigestDelivery.objects.count() == 0
    assert "rien de neuf" in output


def test_a_chosen_week_is_sent_and_a_bad_one_refused(client, content):
    subscribe_and_confirm(client)

    send_digest("--semaine", "2026-W51")

    assert "Mercredi 16 décembre" in mail.outbox[0].body
    assert DigestDelivery.objects.get().week == date(2026, 12, 14)
    with pytest.raises(Exception, match="Semaine invalide"):
        send_digest("--semaine", "bientôt")


def test_the_task_sends_the_same_digest(client, content):
    subscribe_and_confirm(client)

    result = sending.send_weekly_digest_task.enqueue()

    assert result.return_value["sent"] == 1
    assert result.return_value["week"] == "2026-W50"
    assert len(mail.outbox) == 1


def test_the_command_can_hand_the_sending_to_the_task_worker(client, content):
    subscribe_and_confirm(client)

    output = send_digest("--en-tache")

    assert "Envoi confié au gestionnaire de tâches" in output
    assert len(mail.outbox) == 1, "the test settings run tasks immediately"


def test_a_failing_mailbox_does_not_stop_the_others_and_is_retried(client, content, monkeypatch):
    subscribe_and_confirm(client, "a@example.org")
    subscribe_and_confirm(client, "b@example.org")
    real_send = sending.EmailMultiAlternatives.send

    def flaky_send(message, *args, **kwargs):
        if message.to == ["a@example.org"]:
            raise OSError("boîte injoignable")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(sending.EmailMultiAlternatives, "send", flaky_send)
    output = send_digest()
    assert [message.to for message in mail.outbox] == [["b@example.org"]]
    assert "échecs : 1." in output

    monkeypatch.setattr(sending.EmailMultiAlternatives, "send", real_send)
    send_digest()
    assert [message.to for message in mail.outbox] == [["b@example.org"], ["a@example.org"]]


def test_a_quiet_run_prints_nothing_but_a_failure(client, content, monkeypatch):
    subscribe_and_confirm(client, "a@example.org")
    out, err = StringIO(), StringIO()

    call_command("send_digest", verbosity=0, stdout=out, stderr=err)

    assert len(mail.outbox) == 1
    assert (out.getvalue(), err.getvalue()) == ("", "")

    subscribe_and_confirm(client, "b@example.org")

    def unreachable(message, *args, **kwargs):
        raise OSError("boîte injoignable")

    monkeypatch.setattr(sending.EmailMultiAlternatives, "send", unreachable)
    call_command("send_digest", verbosity=0, stdout=out, stderr=err)

    assert out.getvalue() == ""
    assert "échecs : 1." in err.getvalue()


# --- Unsubscribing -------------------------------------------------------------------------


def test_unsubscribe_link_shows_a_button_then_post_unsubscribes(client, content):
    subscription = subscribe_and_confirm(client)
    url = f"/lettre/desinscription/{subscription.token}/"

    page = client.get(url)
    assert page.status_code == 200
    form = BeautifulSoup(page.content.decode(), "html.parser").select_one("main form")
    assert form["method"] == "post"
    assert DigestSubscription.objects.filter(pk=subscription.pk).exists()

    done = client.post(url)
    assert done.status_code == 200
    assert "Désinscription faite" in done.content.decode()
    assert not DigestSubscription.objects.filter(email=ADDRESS).exists()
    send_digest()
    assert mail.outbox == []


def test_one_click_unsubscribe_from_a_mail_client_needs_no_csrf_token(client, content):
    subscription = subscribe_and_confirm(client)
    send_digest()
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        link.removeprefix("http://testserver"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not DigestSubscription.objects.filter(pk=subscription.pk).exists()
    assert DigestDelivery.objects.count() == 0
    # A mail client that retries gets the same answer.
    assert mail_client.post(link.removeprefix("http://testserver")).status_code == 200


def test_unsubscribe_with_an_unknown_token_is_not_found(client, clock, sections):
    assert client.get("/lettre/desinscription/inconnu/").status_code == 404


def test_unsubscribe_is_the_only_csrf_exempt_digest_view():
    from letter import views

    assert getattr(views.unsubscribe_view, "csrf_exempt", False)
    for view in (views.subscribe_view, views.confirm_view, views.subscribe_sent_view):
        assert not getattr(view, "csrf_exempt", False)
