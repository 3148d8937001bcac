"""Who may read a page: Wagtail's view restrictions, on the page itself, an ancestor or an alias's source."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction


def restrict(page, restriction_type=PageViewRestriction.LOGIN):
    return PageViewRestriction.objects.create(page=page, restriction_type=restriction_type)


def sent_to_login(response) -> bool:
    return response.status_code == 302 and "login" in response["Location"]


@pytest.fixture
def event(make_event):
    return make_event("Repair café")


@pytest.fixture
def agenda(event):
    return event.get_parent().specific


def test_a_restricted_page_sends_visitors_to_the_login(client, event):
    assert client.get(event.url).status_code == 200
    restrict(event)

    assert sent_to_login(client.get(event.url))


def test_restriction_on_an_ancestor_applies_below(client, event, agenda):
    group_restriction = restrict(agenda, PageViewRestriction.GROUPS)
    group_restriction.groups.add(Group.objects.create(name="Bénévoles"))

    assert sent_to_login(client.get(event.url))


def test_restriction_elsewhere_in_the_site_does_not_apply(client, event, make_news):
    restrict(make_news("Le jardin partagé s'agrandit"))

    assert client.get(event.url).status_code == 200


def test_an_alias_takes_the_restrictions_of_its_source(client, event, agenda):
    alias = event.create_alias(parent=agenda, update_slug="repair-cafe-bis")
    assert client.get(alias.url).status_code == 200
    restrict(event)

    assert sent_to_login(client.get(alias.url))


def test_an_alias_of_an_alias_reaches_the_first_source(client, event, agenda):
    alias = event.create_alias(parent=agenda, update_slug="repair-cafe-bis")
    alias_of_alias = alias.create_alias(parent=agenda, update_slug="repair-cafe-ter")
    restrict(event)

    assert sent_to_login(client.get(alias_of_alias.url))
