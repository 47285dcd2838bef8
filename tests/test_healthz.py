"""GET /healthz: 200 with JSON when the database and the queue answer, 503 otherwise."""

from unittest import mock

from django.db import DatabaseError


def test_healthz_reports_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_reports_a_broken_database_with_503(client, db):
    with mock.patch("hearings.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
