"""Fixtures for the hostile-input tests: the hearing with every question type, its owner
and a moderator, the invited employees and an outsider, and a finished answer."""

import json
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from hearings import responding
from hearings.blocks.questions import form_version
from hearings.models import HearingPage, HearingResponse


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.AGORA_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(departments, make_user):
    return {
        "employee": make_user("emma", department=departments["team"], first_name="Emma"),
        "colleague": make_user("jonas", department=departments["team"]),
        "outsider": make_user("sofie", department=departments["other"]),
        "owner": make_user("olga", groups=["Hearing editors"]),
        "moderator": make_user("mads", groups=["Response moderators"]),
        "superuser": make_user("root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def hearing(open_hearing, people):
    """``open_hearing`` (every question type), owned by ``olga``, publishing answers."""
    open_hearing.hearing_owner = people["owner"]
    open_hearing.publish_responses = "after_moderation"
    open_hearing.save_revision().publish()
    return HearingPage.objects.get(pk=open_hearing.pk)


def english_client():
    """English messages: the public site by the language cookie (the browser's language
    is ignored there), the API by Accept-Language."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client():
    return english_client()


def signed_in(user):
    client = english_client()
    if user is not None:
        client.force_login(user)
    return client


def answers(**overrides):
    """A complete, valid JSON answer to ``every_question_form``."""
    value = {
        "behalf": {"kind": "myself"},
        "short": "Pædagog",
        "long": "Det er en god idé.",
        "single": "two",
        "multi": ["pc", "screen"],
        "scale": 4,
        "yesno": "yes",
        "consent": True,
    }
    value.update(overrides)
    return value


@pytest.fixture
def draft(hearing, people):
    """Emma's unsubmitted draft."""
    return responding.save_draft(
        people["employee"],
        hearing,
        {"long": {"type": "long_text", "label": "Dine bemærkninger", "value": "Udkast"}},
        form_version=form_version(hearing.response_form),
    ).response


def submit_as(user, hearing, api_answers=None):
    """Submit through the API (the same form as the page) and return the stored response."""
    client = signed_in(user)
    reply = client.post(
        f"/api/v1/hearings/{hearing.pk}/responses",
        json.dumps({"answers": api_answers or answers()}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert reply.status_code == 201, reply.content
    return HearingResponse.objects.get(pk=reply.json()["id"])
