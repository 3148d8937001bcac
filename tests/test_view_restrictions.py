"""Who may read a page: the one-query check (agora.view_restrictions) answers as Wagtail does."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import Page, PageViewRestriction


def wagtails(page) -> set[int]:
    return {restriction.pk for restriction in Page.get_view_restrictions(page)}


def agoras(page) -> set[int]:
    return {restriction.pk for restriction in page.get_view_restrictions()}


def restrict(page, restriction_type=PageViewRestriction.LOGIN):
    return PageViewRestriction.objects.create(page=page, restriction_type=restriction_type)


@pytest.fixture
def event(make_event):
    return make_event("Repair café")


@pytest.fixture
def agenda(event):
    return event.get_parent().specific


def test_a_public_page_is_checked_in_one_query(event, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert agoras(event) == set()
    assert wagtails(event) == set()


def test_restriction_on_the_page_itself(event):
    restriction = restrict(event)

    assert agoras(event) == wagtails(event) == {restriction.pk}


def test_restriction_on_an_ancestor_applies_below(event, agenda):
    group_restriction = restrict(agenda, PageViewRestriction.GROUPS)
    group_restriction.groups.add(Group.objects.create(name="Bénévoles"))

    assert agoras(event) == wagtails(event) == {group_restriction.pk}


def test_restriction_elsewhere_in_the_site_does_not_apply(event, make_news):
    restrict(make_news("Le jardin partagé s'agrandit"))

    assert agoras(event) == wagtails(event) == set()


def test_an_alias_takes_the_restrictions_of_its_source(event, agenda):
    restriction = restrict(event)
    alias = event.create_alias(parent=agenda, update_slug="repair-cafe-bis")

    assert agoras(alias) == wagtails(alias) == {restriction.pk}


def test_a_restriction_on_an_alias_itself_is_ignored_as_wagtail_does(event, agenda):
    alias = event.create_alias(parent=agenda, update_slug="repair-cafe-bis")
    restrict(alias)

    assert agoras(alias) == wagtails(alias) == set()


def test_an_alias_of_an_alias_reaches_the_first_source(event, agenda):
    restriction = restrict(event)
    alias = event.create_alias(parent=agenda, update_slug="repair-cafe-bis")
    alias_of_alias = alias.create_alias(parent=agenda, update_slug="repair-cafe-ter")

    assert agoras(alias_of_alias) == wagtails(alias_of_alias) == {restriction.pk}


def test_a_restricted_page_sends_visitors_to_the_login(client, event):
    assert client.get(event.url).status_code == 200
    restrict(event)

    response = client.get(event.url)

    assert response.status_code == 302 and "login" in response["Location"]
