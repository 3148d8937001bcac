"""The FR | EN switch of the header, French content marked as such in the English interface,
and the "Partager" menu of publications."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from django.conf import settings

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def switch_to(client, language: str, next_path: str):
    return client.post("/i18n/setlang/", {"language": language, "next": next_path})


def test_the_header_offers_both_languages_and_marks_the_current_one(client, neighbourhood):
    form = soup_of(client.get("/agenda/")).select_one("header form.language-switch")

    assert form["action"] == "/i18n/setlang/" and form["method"] == "post"
    assert form.find("input", attrs={"name": "next"})["value"] == "/agenda/"
    buttons = {button["value"]: button for button in form.find_all("button")}
    assert set(buttons) == {"fr", "en"}
    assert buttons["fr"]["aria-current"] == "true" and not buttons["en"].has_attr("aria-current")
    assert buttons["en"]["lang"] == "en" and "English" in buttons["en"].get_text()


def test_choosing_english_keeps_the_choice_in_a_cookie_and_back_to_french(client, neighbourhood):
    response = switch_to(client, "en", "/agenda/?periode=semaine")

    assert response.status_code == 302 and response["Location"] == "/agenda/?periode=semaine"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = soup_of(client.get("/agenda/"))
    assert english.html["lang"] == "en"
    assert english.select_one("nav.main-nav").get_text(" ", strip=True).startswith("Events")

    switch_to(client, "fr", "/agenda/")

    french = soup_of(client.get("/agenda/"))
    assert french.html["lang"] == "fr"
    assert french.select_one("nav.main-nav").get_text(" ", strip=True).startswith("Agenda")


def test_the_switch_does_not_send_visitors_to_another_site(client):
    response = switch_to(client, "en", "https://ailleurs.example.net/")

    assert response.status_code == 302 and response["Location"] == "/"


def test_french_content_is_marked_french_inside_the_english_interface(client, neighbourhood):
    event = neighbourhood["event"]
    switch_to(client, "en", "/")

    page = soup_of(client.get(event.url))

    assert page.html["lang"] == "en"
    assert page.find("h1")["lang"] == "fr"
    assert page.select_one(".publication__body")["lang"] == "fr"
    listing = soup_of(client.get("/agenda/"))
    titles = listing.select(".card__title")
    assert titles and all(title["lang"] == "fr" for title in titles)


def test_in_the_french_interface_no_element_repeats_the_pages_language(client, neighbourhood):
    page = soup_of(client.get(neighbourhood["event"].url))

    marked = [element.name for element in page.body.find_all(lang="fr")]
    assert marked == ["button"]  # the "FR" of the switch


def test_each_language_has_its_own_copy_in_the_page_cache(client, settings, neighbourhood):
    settings.AGORA_PAGE_CACHE = True
    visitor = client.__class__()
    assert client.get("/agenda/")["X-Cache"] == "MISS"
    assert visitor.get("/agenda/")["X-Cache"] == "HIT"
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    english = visitor.get("/agenda/")
    again = visitor.get("/agenda/")

    assert english["X-Cache"] == "MISS" and again["X-Cache"] == "HIT"
    assert soup_of(again).html["lang"] == "en"
    assert soup_of(client.get("/agenda/")).html["lang"] == "fr"


def share_menu(client, page) -> BeautifulSoup:
    return soup_of(client.get(page.url)).select_one(".share")


@pytest.mark.parametrize("kind", ["event", "news", "portrait"])
def test_publications_offer_a_share_menu_whose_links_carry_the_pages_address(client, neighbourhood, kind):
    page = neighbourhood[kind]
    address = f"http://testserver{page.url}"

    menu = share_menu(client, page)

    assert menu["data-share-url"] == address and menu["data-share-title"] == page.title
    assert menu.find("summary").get_text(strip=True) == "Partager"
    links = {link.get_text(strip=True): link["href"] for link in menu.select(".share__links a")}
    assert set(links) == {"WhatsApp", "Facebook", "SMS", "E-mail"}
    assert parse_qs(urlsplit(links["WhatsApp"]).query)["text"] == [f"{page.title} {address}"]
    assert parse_qs(urlsplit(links["Facebook"]).query)["u"] == [address]
    assert links["SMS"].startswith("sms:?&body=")
    assert parse_qs(urlsplit(links["E-mail"]).query) == {"subject": [page.title], "body": [address]}
    assert menu.find("input", readonly=True)["value"] == address


def test_the_share_menu_loads_nothing_from_elsewhere(client, neighbourhood):
    html = client.get(neighbourhood["event"].url).content.decode()
    page = BeautifulSoup(html, "html.parser")

    sources = [script["src"] for script in page.find_all("script", src=True)]
    assert sources and all(source.startswith(settings.STATIC_URL) for source in sources)
    assert not page.find("iframe")


def test_the_kiosk_pc_offers_no_share_menu(client, neighbourhood):
    client.get("/kiosque/")

    assert share_menu(client, neighbourhood["event"]) is None
