"""In Chromium: the "Partager" menu, with the phone's share sheet or its links, and the FR | EN
switch of the header, with the number of actions each journey takes."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Records what a page hands to the phone's share sheet, as Android's Chrome would show it.
FAKE_SHARE_SHEET = """
window.shared = [];
Object.defineProperty(navigator, "share", {
  value: (data) => { window.shared.push(data); return Promise.resolve(); },
});
"""
NO_SHARE_SHEET = "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"


def test_without_a_share_sheet_partager_opens_links_and_copies_the_address(page, live_server, neighbourhood):
    event = neighbourhood["event"]
    page.add_init_script(NO_SHARE_SHEET)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + event.url)
    address = page.locator("[data-share]").get_attribute("data-share-url")
    links = page.locator(".share__links")
    assert not links.is_visible()

    page.get_by_text("Partager", exact=True).click()  # action 1
    assert links.is_visible()
    for name in ("WhatsApp", "Facebook", "SMS", "E-mail"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    assert page.get_by_role("link", name="WhatsApp").get_attribute("href").startswith("https://wa.me/?text=")
    page.get_by_role("button", name="Copier le lien").click()  # action 2

    page.get_by_role("status").filter(has_text="Lien copié.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == address


def test_with_a_share_sheet_partager_hands_it_the_title_and_address(page, live_server, neighbourhood):
    event = neighbourhood["event"]
    page.add_init_script(FAKE_SHARE_SHEET)
    page.goto(live_server.url + event.url)

    page.get_by_text("Partager", exact=True).click()  # one action

    page.wait_for_function("window.shared.length === 1")
    shared = page.evaluate("window.shared[0]")
    assert shared == {"title": event.title, "url": f"http://testserver{event.url}"}
    assert not page.locator(".share__links").is_visible()


def test_the_language_switch_changes_the_interface_and_back(page, live_server, neighbourhood):
    event = neighbourhood["event"]
    page.goto(live_server.url + event.url)
    navigation = page.get_by_role("navigation", name="Navigation principale")
    assert navigation.get_by_role("link", name="Agenda").is_visible()

    page.get_by_role("button", name="EN – English").click()  # action 1

    page.wait_for_url(live_server.url + event.url)
    assert page.locator("html").get_attribute("lang") == "en"
    navigation = page.get_by_role("navigation", name="Main navigation")
    assert navigation.get_by_role("link", name="Events").is_visible()
    assert page.locator("h1").get_attribute("lang") == "fr"
    page.get_by_role("link", name="Events").click()
    assert page.locator("html").get_attribute("lang") == "en", "the choice holds from page to page"

    page.get_by_role("button", name="FR – français").click()  # action 2 (3 with the visit)

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("navigation", name="Navigation principale").is_visible()
