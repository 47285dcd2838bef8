"""The comms team's dashboard: hearings by phase with deadline and response rate,
responses awaiting moderation, ESDH exports and the e-mail outbox with a way to retry."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearings import access
from hearings.models import HearingExport, Notification

from .conftest import submit

pytestmark = pytest.mark.django_db


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def row_of(html, title):
    """The text of the table row naming ``title``, tags stripped, spaces collapsed."""
    row = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(title) + r".*?</tr>", html, re.S)
    assert row, f"no row for {title}"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_hearings_are_grouped_by_phase_with_response_rate(
    client, people, hearing, make_hearing, departments
):
    # Invited: kommune and below → emma (team) and jonas (center): 2 employees.
    submit(people["employee"], hearing)
    make_hearing(title="Kommende budget", opens_at=timezone.now() + timedelta(days=3))
    make_hearing(title="Et udkast", live=False)
    html = dashboard(client, people["owner"])
    assert "agora-hearings-by-phase" in html
    open_heading = html.index('id="agora-phase-open"')
    upcoming_heading = html.index('id="agora-phase-upcoming"')
    draft_heading = html.index('id="agora-phase-draft"')
    assert draft_heading < html.index("Et udkast") < upcoming_heading
    assert upcoming_heading < html.index("Kommende budget") < open_heading
    assert open_heading < html.index("Ny parkeringspolitik")
    row = row_of(html, "Ny parkeringspolitik")
    deadline = timezone.localtime(hearing.closes_at)
    assert f"{deadline:%d.%m.%Y}" in row or f"{deadline:%d-%m-%Y}" in row, row
    # responses, invited, rate, awaiting moderation
    assert "1 2 50 % 1" in row, row
    assert reverse("hearing_responses:hearing", args=[hearing.pk]) in html


def test_the_audience_is_counted_as_the_mails_count_it(people, hearing, make_hearing, departments):
    public = make_hearing(title="Offentlig", audience="public")
    team_only = make_hearing(title="Kun team", departments=[departments["team"]])
    sizes = access.audience_sizes([hearing, public, team_only])
    assert sizes == {
        hearing.pk: access.audience_members(hearing).count(),
        public.pk: None,
        team_only.pk: access.audience_members(team_only).count(),
    }
    assert sizes[hearing.pk] == 2 and sizes[team_only.pk] == 1


def test_an_employee_without_admin_access_has_no_dashboard(client, people):
    client.force_login(people["employee"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302


def test_failed_exports_and_mails_come_first_with_a_way_to_retry(client, people, hearing):
    HearingExport.objects.create(
        hearing=hearing, status=HearingExport.Status.FAILED, attempts=5, last_error="Timeout"
    )
    failed = Notification.objects.create(
        kind=Notification.Kind.HEARING_OPENED,
        hearing=hearing,
        recipient="emma@example.dk",
        subject="Høringen er åbnet",
        body_text="…",
        dedupe_key="x",
        status=Notification.Status.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected",
    )
    html = dashboard(client, people["superuser"])
    assert "agora-operations" in html
    assert "Timeout" in html and "SMTPServerDisconnected" in html
    retry_export = reverse("hearing_exports:retry", args=[hearing.esdh_export.pk])
    retry_mail = reverse("outbox:retry", args=[failed.pk])
    assert retry_export in html and retry_mail in html

    assert client.get(retry_mail).status_code == 200
    response = client.post(retry_mail)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Notification.Status.QUEUED
    assert failed.attempts == 0 and failed.last_error == ""
    # Only a failed mail is sent again.
    assert client.post(retry_mail).status_code == 404


def test_the_outbox_and_its_retry_are_for_those_who_may_see_it(client, people, hearing):
    failed = Notification.objects.create(
        kind=Notification.Kind.HEARING_OPENED,
        recipient="emma@example.dk",
        subject="Høringen er åbnet",
        body_text="…",
        dedupe_key="y",
        status=Notification.Status.FAILED,
    )
    html = dashboard(client, people["owner"])
    assert "emma@example.dk" not in html
    refused = client.post(reverse("outbox:retry", args=[failed.pk]))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED


def build_hearings(make_hearing, departments, people, first, last):
    for number in range(first, last):
        hearing = make_hearing(
            title=f"Høring nr. {number}",
            departments=[departments["center"]],
            hearing_owner=people["owner"],
        )
        submit(people["colleague"], hearing)
        HearingExport.objects.create(hearing=hearing, status=HearingExport.Status.FAILED)


def test_the_dashboard_costs_the_same_queries_for_2_or_20_hearings(
    client, people, make_hearing, departments, django_assert_max_num_queries
):
    client.force_login(people["superuser"])
    home = reverse("wagtailadmin_home")
    counts = {}
    for first, last in ((0, 2), (2, 20)):
        build_hearings(make_hearing, departments, people, first, last)
        client.get(home)  # warm the caches (content types, site root paths)
        with django_assert_max_num_queries(35) as captured:
            html = client.get(home).content.decode()
        assert html.count("Høring nr. ") >= last
        counts[last] = len(captured)
    assert counts[2] == counts[20], counts
