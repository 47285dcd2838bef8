"""Fixtures for the headless API: the audience of the hearing with every question type.

That hearing (``open_hearing``, ``consent_text``) is shared with the page tests:
tests/fixtures/responding.py.
"""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture
def audience(departments, make_user):
    """An invited employee, a colleague, and one outside the hearing's audience."""
    return {
        "employee": make_user("emma", department=departments["team"]),
        "colleague": make_user("jonas", department=departments["team"]),
        "outsider": make_user("sofie", department=departments["other"]),
    }


def valid_answers(**overrides):
    """A complete, valid JSON answer to ``every_question_form``."""
    answers = {
        "behalf": {"kind": "myself"},
        "short": "Pædagog",
        "long": "Det er en god idé.",
        "single": "two",
        "multi": ["pc", "screen"],
        "scale": 4,
        "yesno": "yes",
        "consent": True,
    }
    answers.update(overrides)
    return {key: value for key, value in answers.items() if value is not None}


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api_client(client):
    """A session client for an API user: ``api_client(user)`` signs them in."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
