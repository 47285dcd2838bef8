"""Fixtures for the query-count regressions: a hearing whose responses, and a
municipality whose hearings, can be multiplied cheaply (bulk inserts, not the page
tree), so each surface is measured at two data sizes."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from hearings.models import (
    EmployeeProfile,
    HearingPage,
    HearingResponse,
    PublishResponses,
    ResponseStatus,
)

FORM = [
    {
        "type": "short_text",
        "id": "opinion",
        "value": {"label": "Din mening", "help_text": "", "required": False, "max_length": 500},
    }
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.AGORA_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(departments, make_user):
    return {
        "superuser": make_user("root", is_superuser=True, is_staff=True),
        "moderator": make_user("mads", groups=["Response moderators"], first_name="Mads"),
        "employee": make_user(
            "emma", department=departments["team"], first_name="Emma", last_name="Holm"
        ),
    }


@pytest.fixture
def hearing(make_hearing, departments, people):
    hearing = make_hearing(
        title="Ny parkeringspolitik",
        departments=[departments["kommune"]],
        publish_responses=PublishResponses.AFTER_MODERATION,
    )
    hearing.response_form = FORM
    hearing.save_revision().publish()
    return HearingPage.objects.get(pk=hearing.pk)


@pytest.fixture
def add_responses(departments):
    """``add(hearing, count)``: ``count`` more published responses, each from a new
    employee of a department, in three bulk inserts."""
    made = {"n": 0}

    def add(hearing, count, status=ResponseStatus.PUBLISHED):
        user_model = get_user_model()
        start = made["n"]
        made["n"] += count
        users = user_model.objects.bulk_create(
            [
                user_model(username=f"bulk{number}", first_name="Bulk", last_name=str(number))
                for number in range(start, start + count)
            ]
        )
        if connection.vendor != "postgresql":  # SQLite returns no ids on older versions
            users = list(user_model.objects.filter(username__startswith="bulk").order_by("pk"))
            users = users[start:]
        department_list = list(departments.values())
        EmployeeProfile.objects.bulk_create(
            [
                EmployeeProfile(user=user, department=department_list[i % len(department_list)])
                for i, user in enumerate(users)
            ]
        )
        first = HearingResponse.objects.filter(hearing=hearing).order_by("-sequence").first()
        sequence = (first.sequence or 0) if first else 0
        now = timezone.now()
        HearingResponse.objects.bulk_create(
            [
                HearingResponse(
                    hearing=hearing,
                    respondent=user,
                    status=status,
                    sequence=sequence + i + 1,
                    reference=f"H{hearing.pk}-{sequence + i + 1:05d}",
                    submission_token=uuid.uuid4(),
                    submitted_at=now - timedelta(minutes=i),
                    answers={
                        "opinion": {
                            "type": "short_text",
                            "label": "Din mening",
                            "value": f"Svar {i}",
                            "display": f"Svar {i}",
                        }
                    },
                )
                for i, user in enumerate(users)
            ]
        )

    return add


@pytest.fixture
def add_hearings(make_hearing, departments):
    """``add(count)``: ``count`` more open hearings inviting the whole municipality."""
    made = {"n": 0}

    def add(count):
        for number in range(made["n"], made["n"] + count):
            make_hearing(title=f"Høring {number}", departments=[departments["kommune"]])
        made["n"] += count

    return add


@contextmanager
def counted():
    """Count the queries run inside, as a list (the test client resets
    ``connection.queries`` on each request, so a wrapper counts instead)."""
    queries = []

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield queries


def queries_of(fetch):
    """Run ``fetch`` once to warm caches, then return the queries of a second run."""
    first = fetch()
    assert first.status_code == 200, first.status_code
    if hasattr(first, "streaming_content"):
        b"".join(first.streaming_content)
    with counted() as queries:
        answer = fetch()
        if hasattr(answer, "streaming_content"):
            b"".join(answer.streaming_content)
    return queries
