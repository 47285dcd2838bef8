"""Fixtures for moderation: a hearing with answers, and the people around it."""

import uuid

import pytest

from hearings import responding
from hearings.models import HearingPage, PublishResponses


def question(kind, block_id, label, **extra):
    value = {"label": label, "help_text": "", "required": False, **extra}
    return {"type": kind, "id": block_id, "value": value}


def options(*pairs):
    return [{"type": "item", "value": label, "id": option_id} for option_id, label in pairs]


FORM = [
    question("short_text", "opinion", "Din mening", max_length=500),
    question(
        "single_choice",
        "agree",
        "Er du enig?",
        options=options(("yes", "Ja, helt"), ("no", "Nej")),
    ),
    question("scale", "scale", "Hvor vigtigt?", min_value=1, max_value=3),
]


def answers(opinion="Godt forslag", agree="yes", scale="2", **more):
    labels = {"yes": "Ja, helt", "no": "Nej"}
    result = {
        "opinion": {
            "type": "short_text",
            "label": "Din mening",
            "value": opinion,
            "display": opinion,
        },
        "agree": {
            "type": "single_choice",
            "label": "Er du enig?",
            "value": agree,
            "display": labels.get(agree, ""),
        },
        "scale": {"type": "scale", "label": "Hvor vigtigt?", "value": scale, "display": scale},
    }
    result.update(more)
    return result


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.AGORA_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(departments, make_user):
    return {
        "superuser": make_user("root", is_superuser=True, is_staff=True),
        "moderator": make_user("mads", groups=["Response moderators"], first_name="Mads"),
        "owner": make_user("olga", groups=["Hearing editors"], first_name="Olga"),
        "other_owner": make_user("otto", groups=["Hearing editors"]),
        "editor": make_user("edith", groups=["Hearing editors"]),
        "employee": make_user(
            "emma", department=departments["team"], first_name="Emma", last_name="Holm"
        ),
        "colleague": make_user("jonas", department=departments["center"], first_name="Jonas"),
    }


@pytest.fixture
def hearing(make_hearing, departments, people):
    hearing = make_hearing(
        title="Ny parkeringspolitik",
        departments=[departments["kommune"]],
        hearing_owner=people["owner"],
        publish_responses=PublishResponses.AFTER_MODERATION,
    )
    hearing.response_form = FORM
    hearing.save_revision().publish()
    return HearingPage.objects.get(pk=hearing.pk)


@pytest.fixture
def other_hearing(make_hearing, departments, people):
    return make_hearing(
        title="Anden høring",
        departments=[departments["kommune"]],
        hearing_owner=people["other_owner"],
    )


def submit(user, hearing, given=None, on_behalf_of=("myself", "")):
    return responding.submit(
        user,
        hearing,
        given or answers(),
        token=uuid.uuid4(),
        on_behalf_of=on_behalf_of,
        send_receipt=False,
    ).response


@pytest.fixture
def response(hearing, people):
    return submit(people["employee"], hearing)
