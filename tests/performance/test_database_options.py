"""PostgreSQL plans a statement once per connection, and finds a page by its URL path
through an index (#16)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from agora_site.settings.base import postgresql_options

POSTGRESQL = {"ENGINE": "django.db.backends.postgresql", "NAME": "agora"}


def test_postgresql_gets_server_side_parameters_and_prepared_statements(monkeypatch):
    monkeypatch.delenv("DATABASE_PREPARE_THRESHOLD", raising=False)
    database = dict(POSTGRESQL)
    postgresql_options(database)
    assert database["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize(("value", "threshold"), [("off", None), ("0", 0), (" 12 ", 12)])
def test_the_prepare_threshold_comes_from_the_environment(monkeypatch, value, threshold):
    monkeypatch.setenv("DATABASE_PREPARE_THRESHOLD", value)
    database = {**POSTGRESQL, "OPTIONS": {"sslmode": "require"}}
    postgresql_options(database)
    assert database["OPTIONS"]["prepare_threshold"] == threshold
    assert database["OPTIONS"]["sslmode"] == "require"  # what was there stays


def test_a_threshold_that_is_not_a_number_stops_the_start(monkeypatch):
    monkeypatch.setenv("DATABASE_PREPARE_THRESHOLD", "five")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARE_THRESHOLD"):
        postgresql_options(dict(POSTGRESQL))


def test_sqlite_is_left_as_it_was():
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
    postgresql_options(database)
    assert "OPTIONS" not in database


@pytest.mark.django_db
def test_wagtails_page_table_has_the_url_path_index():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    assert "agora_page_url_path" in indexes


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_hearing_page_query_can_use_the_url_path_index(hearing):
    from hearings.models.pages import _find_hearing

    query = _find_hearing(url_path=hearing.url_path, department_ids=[1, 2])
    with connection.cursor() as cursor:
        # A test database is small enough to read whole; forbid that, to see the index.
        cursor.execute("ANALYZE wagtailcore_page")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "agora_page_url_path" in plan, plan


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_hearing_pages_query_is_prepared_on_its_connection(client, hearing, people):
    client.force_login(people["employee"])
    for _ in range(7):  # more than the threshold of 5
        assert client.get(hearing.url).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"url_path" = $1' in statement for statement in prepared), prepared
