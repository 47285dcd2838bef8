"""schemathesis against /api/v1/openapi.json: generated requests, anonymous and signed in,
meet no server error and get only answers the document describes.

Bounded (few examples per operation) to keep it to a minute or two; it runs in-process
against the WSGI application, with CSRF enforced as in production.
"""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hearings.models import EmployeeProfile
from tests.fixtures.responding import every_question_form

MAX_EXAMPLES = 15


# Loaded when the module is collected: the document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the WSGI handler, which closes the database connection after
    each one; the test's transaction lives on it. Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in_headers(db, make_hearing, departments, consent_text):
    """Cookies and CSRF header of an invited employee, with an open hearing to answer."""
    hearing = make_hearing(title="Fuzz", departments=[departments["kommune"]])
    hearing.response_form = every_question_form(consent_text)
    hearing.save_revision().publish()
    user = get_user_model().objects.create_user("fuzz", password="pw")
    EmployeeProfile.objects.create(user=user, department=departments["team"])
    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    session = client.cookies["sessionid"].value
    cookies = {"sessionid": session, "csrftoken": csrf}
    return {"X-CSRFToken": csrf}, cookies, hearing.pk


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@schema.parametrize()
@SETTINGS
def test_the_api_answers_anonymous_callers_as_documented(db, case):
    case.call_and_validate()


@schema.parametrize()
@SETTINGS
def test_the_api_answers_a_signed_in_employee_as_documented(case, signed_in_headers):
    headers, cookies, hearing_id = signed_in_headers
    if case.path_parameters and "hearing_id" in case.path_parameters:
        # Generated bodies for a hearing the person may answer, not only unknown ids.
        case.path_parameters["hearing_id"] = hearing_id
    if case.cookies is not None and "sessionid" in case.cookies:
        # The generated session cookie becomes a real one. A case generated without it
        # stays anonymous, and schemathesis's own auth checks remove it from the case.
        case.cookies.update(cookies)
        case.headers = {**(case.headers or {}), **headers}
    case.call_and_validate(
        # The answers object is free-form in the schema; which questions a hearing
        # requires is its own, so a schema-valid answer may well be a documented 400.
        excluded_checks=[positive_data_acceptance],
    )
