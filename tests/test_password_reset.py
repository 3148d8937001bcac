"""Password reset of the admin (/admin/password_reset/): limited per address and per account,
with the same neutral page whether or not an e-mail is sent."""

import pytest

from django.core import mail
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
DONE = "/admin/password_reset/done/"


def ask_reset(email, address="203.0.113.1"):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email})


@override_settings(AGORA_PASSWORD_RESETS_PER_ACCOUNT=3)
def test_password_reset_has_no_rate_limit_per_account(make_user):
    make_user("resoudre", email="resoudre@example.org")

    responses = [ask_reset("resoudre@example.org", address=f"203.0.113.{n}") for n in range(1, 5)]

    assert len(mail.outbox) == 3
    assert {(response.status_code, response.url) for response in responses} == {(302, DONE)}
    # Another account is not held back by the first one's limit.
    make_user("courteline", email="courteline@example.org")
    ask_reset("courteline@example.org", address="203.0.113.9")
    assert mail.outbox[-1].to == ["courteline@example.org"]


@override_settings(AGORA_PASSWORD_RESETS_PER_ADDRESS=5)
def test_password_reset_has_no_rate_limit_per_address(make_user):
    for n in range(8):
        make_user(f"compte{n}", email=f"compte{n}@example.org")

    responses = [ask_reset(f"compte{n}@example.org") for n in range(8)]

    assert len(mail.outbox) == 5
    assert {(response.status_code, response.url) for response in responses} == {(302, DONE)}
    # Another address is not held back.
    ask_reset("compte7@example.org", address="198.51.100.2")
    assert len(mail.outbox) == 6


def test_password_reset_over_the_limit_shows_the_same_neutral_french_page(make_user):
    make_user("resoudre", email="resoudre@example.org")
    client = Client(REMOTE_ADDR="203.0.113.1")
    for _ in range(10):
        client.post(RESET, {"email": "resoudre@example.org"})
    sent = len(mail.outbox)

    response = client.post(RESET, {"email": "resoudre@example.org"}, follow=True)

    assert len(mail.outbox) == sent
    assert response.status_code == 200
    assert response.redirect_chain == [(DONE, 302)]
    assert "Consultez vos e-mails" in response.content.decode()


def test_password_reset_form_still_asks_for_the_email(client, db):
    response = client.get(RESET)

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
