"""Every staff read of a response or an attachment is in the audit log, and the report
*Access to personal data* lists, filters and exports it; only auditors may read it."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from hearings import audit, moderation
from tests.gdpr.conftest import submit

REPORT = "/admin/reports/personal-data/"


def entries(action, response):
    return ModelLogEntry.objects.filter(action=action, object_id=str(response.pk))


def test_a_moderator_reading_a_response_through_the_api_is_audited(client, people, response):
    client.force_login(people["moderator"])
    assert client.get(f"/api/v1/responses/{response.pk}").status_code == 200
    entry = entries(audit.API_READ, response).get()
    assert entry.user_id == people["moderator"].pk
    assert entry.data == {"hearing": response.hearing_id, "reference": response.reference}


def test_the_respondent_reading_their_own_answer_is_not_audited(client, people, response):
    client.force_login(people["employee"])
    assert client.get(f"/api/v1/responses/{response.pk}").status_code == 200
    assert client.get(response.page_path()).status_code == 200
    attachment = response.attachments.get()
    assert client.get(reverse("hearings:attachment", args=[attachment.pk])).status_code == 200
    assert (
        not ModelLogEntry.objects.filter(action__startswith="agora.")
        .exclude(action__in=[moderation.AUTO_APPROVE, moderation.FLAG])
        .exists()
    )


def test_a_refused_read_is_not_a_read(client, people, response):
    client.force_login(people["colleague"])
    assert client.get(f"/api/v1/responses/{response.pk}").status_code == 404
    assert client.get(response.page_path()).status_code == 404
    assert not entries(audit.API_READ, response).exists()
    assert not entries(audit.RECEIPT_READ, response).exists()


def test_the_owner_opening_the_receipt_page_is_audited(client, people, response):
    client.force_login(people["owner"])
    assert client.get(response.page_path()).status_code == 200
    assert entries(audit.RECEIPT_READ, response).get().user_id == people["owner"].pk


def test_a_staff_download_of_an_attachment_is_audited(client, people, response):
    attachment = response.attachments.get()
    client.force_login(people["moderator"])
    download = client.get(reverse("hearings:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    entry = entries(audit.ATTACHMENT_DOWNLOAD, response).get()
    assert entry.data["attachment"] == attachment.pk


def test_opening_the_redaction_form_and_inspecting_are_audited(client, people, response):
    client.force_login(people["moderator"])
    redact = reverse("hearing_responses:redact", args=[response.pk])
    assert client.get(redact, {"question": "opinion"}).status_code == 200
    assert entries(audit.REDACTION_FORM, response).count() == 1
    assert client.get(reverse("hearing_responses:inspect", args=[response.pk])).status_code == 200
    assert entries(moderation.VIEW, response).count() == 1


def test_audit_entries_hold_no_personal_data(client, people, response):
    client.force_login(people["moderator"])
    client.get(f"/api/v1/responses/{response.pk}")
    client.get(response.page_path())
    text = str(list(ModelLogEntry.objects.values("label", "data")))
    for personal in ("Emma", "Holmegaard", "emma@example.dk", "CPR", "bilag.pdf"):
        assert personal not in text


# The report ------------------------------------------------------------------------


@pytest.fixture
def reads(client, people, make_gdpr_hearing, hearing):
    """Reads of two hearings' responses by two people, the older ones a week ago."""
    other_hearing = make_gdpr_hearing(title="Anden høring")
    first = submit(people["employee"], hearing)
    second = submit(people["employee"], other_hearing)
    client.force_login(people["moderator"])
    client.get(f"/api/v1/responses/{first.pk}")
    client.get(second.page_path())
    ModelLogEntry.objects.update(timestamp=timezone.now() - timedelta(days=7))
    client.force_login(people["owner"])
    client.get(first.page_path())
    client.logout()
    return {"first": first, "second": second, "other_hearing": other_hearing}


@pytest.fixture(autouse=True)
def admin_in_english(people):
    """The admin speaks the user's preferred language: report headings in English."""
    for user in people.values():
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()


def rows(client, **filters):
    response = client.get(REPORT, {**filters, "export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    # By position: the CSV is written in the admin's language.
    columns = ["id", "name", "type", "action", "user", "time", "hearing", "code", "details"]
    return [
        dict(zip(columns, row, strict=True)) for row in list(csv.reader(io.StringIO(content)))[1:]
    ]


def test_the_report_lists_every_read_and_exports_csv(client, people, reads):
    client.force_login(people["admin"])
    page = client.get(REPORT)
    assert page.status_code == 200
    assert "Read response through the API" in page.content.decode()
    found = [row for row in rows(client) if row["code"] in (audit.API_READ, audit.RECEIPT_READ)]
    actions = sorted(row["code"] for row in found)
    assert actions == [audit.API_READ, audit.RECEIPT_READ, audit.RECEIPT_READ]
    assert {row["hearing"] for row in found} == {
        str(reads["first"].hearing_id),
        str(reads["second"].hearing_id),
    }
    assert {row["name"] for row in found} == {
        reads["first"].reference,
        reads["second"].reference,
    }


def test_the_report_filters_by_hearing_person_action_and_date(client, people, reads, hearing):
    client.force_login(people["admin"])
    by_hearing = rows(client, hearing=hearing.pk, action=[audit.API_READ, audit.RECEIPT_READ])
    assert {row["name"] for row in by_hearing} == {reads["first"].reference}
    assert len(by_hearing) == 2
    everything_of_hearing = rows(client, hearing=hearing.pk)
    assert reads["second"].reference not in {row["name"] for row in everything_of_hearing}
    by_person = rows(client, user=people["owner"].pk)
    assert [row["code"] for row in by_person] == [audit.RECEIPT_READ]
    by_action = rows(client, action=audit.API_READ)
    assert [row["name"] for row in by_action] == [reads["first"].reference]
    today = timezone.localdate().isoformat()
    by_date = rows(client, timestamp_from=today, timestamp_to=today)
    assert audit.RECEIPT_READ in [row["code"] for row in by_date]
    assert audit.API_READ not in [row["code"] for row in by_date]


def test_retention_and_erasure_show_under_their_hearing_and_action(client, people, reads):
    audit.log_retention(reads["other_hearing"], {"responses_deleted": 3})
    client.force_login(people["admin"])
    found = rows(client, hearing=reads["other_hearing"].pk, action=audit.RETENTION)
    assert [row["id"] for row in found] == [str(reads["other_hearing"].pk)]


@pytest.mark.parametrize(
    "filters",
    [
        {"hearing": "abc"},
        {"hearing": "999999"},
        {"hearing": "-1"},
        {"user": "abc"},
        {"user": "99999999999999999999999"},
        {"action": "<script>alert(1)</script>"},
        {"timestamp_from": "not a date"},
        {"timestamp_from": "2026-13-45"},
        {"timestamp_to": "99999-01-01"},
        {"hearing": "1' OR '1'='1"},
        {"p": "-5"},
        {"ordering": "; DROP TABLE"},
    ],
)
def test_hostile_filters_get_an_answer_never_a_server_error(client, people, reads, filters):
    client.force_login(people["admin"])
    page = client.get(REPORT, filters)
    assert page.status_code in (200, 404)
    assert "<script>alert(1)</script>" not in page.content.decode()
    results = client.get(REPORT + "results/", filters)
    assert results.status_code in (200, 404)


def test_an_unknown_hearing_filter_says_so(client, people, reads):
    client.force_login(people["admin"])
    page = client.get(REPORT, {"hearing": "999999"}).content.decode()
    assert "Select a valid choice" in page


def test_only_auditors_may_read_the_report(client, people, reads):
    for who in ("moderator", "owner", "employee"):
        client.force_login(people[who])
        answer = client.get(REPORT)
        assert answer.status_code in (302, 403), who
        assert client.get(REPORT, {"export": "csv"}).status_code in (302, 403), who
    dpo = people["owner"]
    dpo.user_permissions.add(Permission.objects.get(codename="view_personal_data_audit"))
    client.force_login(dpo)
    assert client.get(REPORT).status_code == 200


def test_the_report_menu_shows_the_report_to_auditors_only(client, people, reads):
    client.force_login(people["admin"])
    assert REPORT in client.get("/admin/").content.decode()
    client.force_login(people["moderator"])
    assert REPORT not in client.get("/admin/").content.decode()


def test_the_report_costs_the_same_queries_for_many_entries(client, people, reads):
    client.force_login(people["admin"])
    client.get(REPORT)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORT)
    for __ in range(40):
        client.force_login(people["moderator"])
        client.get(f"/api/v1/responses/{reads['first'].pk}")
    client.force_login(people["admin"])
    client.get(REPORT)  # warm: what a first request reads once
    with CaptureQueriesContext(connection) as many:
        client.get(REPORT)
    assert len(many) == len(few)
