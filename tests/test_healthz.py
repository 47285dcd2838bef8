"""GET /healthz: 200 with JSON when the database and the queue answer, 503 otherwise.

Anonymous callers get only the status; staff and callers with the token see the checks.
"""

from unittest import mock

import pytest
from django.db import DatabaseError

TOKEN = {"HTTP_AUTHORIZATION": "Bearer monitor-token"}


@pytest.fixture(autouse=True)
def healthz_token(settings):
    settings.AGORA_HEALTHZ_TOKEN = "monitor-token"


def test_healthz_reports_ok(client, db):
    response = client.get("/healthz", **TOKEN)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_reports_a_broken_database_with_503(client, db):
    with mock.patch("hearings.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz", **TOKEN)
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


def test_anonymous_callers_see_only_the_status(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    wrong = client.get("/healthz", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.json() == {"status": "ok"}


def test_staff_see_the_details(client, db, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.dk", "pw")
    client.force_login(admin)
    body = client.get("/healthz").json()
    assert body["checks"]["database"] == "ok"
    assert "queued" in body["queue"]


def test_no_token_configured_means_no_details_for_anyone_anonymous(client, db, settings):
    settings.AGORA_HEALTHZ_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_every_response_forbids_unused_browser_features(client, db):
    policy = client.get("/healthz")["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
