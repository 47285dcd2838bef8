"""The summary report, the dashboard panels, and the way in from the page editor."""

import pytest
from django.urls import reverse

from hearings import reports

from .conftest import answers, submit


@pytest.mark.django_db
def test_the_summary_counts_every_choice_and_department(people, hearing):
    submit(people["employee"], hearing, answers(agree="yes", scale="3"))
    submit(people["colleague"], hearing, answers(agree="no", scale="3"))
    summary = reports.summary(hearing)
    over_time, per_department, agree, scale = summary["charts"]
    assert summary["total"] == 2
    assert [bar.count for bar in over_time.bars] == [2]
    assert {bar.label: bar.count for bar in per_department.bars} == {"Team": 1, "Center": 1}
    assert [(bar.label, bar.count) for bar in agree.bars] == [("Ja, helt", 1), ("Nej", 1)]
    assert [(bar.label, bar.count) for bar in scale.bars] == [("1", 0), ("2", 0), ("3", 2)]


@pytest.mark.django_db
def test_the_report_draws_charts_with_tables_and_no_scripts(client, people, hearing, response):
    client.force_login(people["moderator"])
    url = reverse("hearing_responses:report", args=[hearing.pk])
    page = client.get(url).content.decode()
    # Over time, per department, and the two choice questions.
    assert page.count('class="agora-chart__svg"') == 4
    assert '<th scope="row">Ja, helt</th>' in page
    printable = client.get(url + "?print=1").content.decode()
    assert "<svg" in printable
    assert "<script" not in printable


@pytest.mark.django_db
def test_the_dashboard_shows_my_hearings_and_what_awaits_moderation(
    client, people, hearing, response
):
    client.force_login(people["owner"])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "agora-hearings-by-phase" in dashboard
    assert "agora-awaiting-moderation" in dashboard
    assert hearing.title in dashboard
    responses = reverse("hearing_responses:hearing", args=[hearing.pk])
    assert responses in dashboard
    # Another editor sees the hearing and its counts, but not the way to its responses.
    client.force_login(people["editor"])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "agora-awaiting-moderation" not in dashboard
    assert hearing.title in dashboard
    assert responses not in dashboard


@pytest.mark.django_db
def test_the_page_editor_links_to_the_responses_for_those_who_handle_them(client, people, hearing):
    overview = reverse("hearing_responses:hearing", args=[hearing.pk])
    edit = reverse("wagtailadmin_pages:edit", args=[hearing.pk])
    client.force_login(people["owner"])
    assert overview in client.get(edit).content.decode()
    client.force_login(people["editor"])
    page = client.get(edit)
    assert page.status_code == 200
    assert overview not in page.content.decode()


@pytest.mark.django_db
def test_the_listing_filters_by_status_department_and_flag_and_searches(
    client, people, hearing, response, departments
):
    other = submit(people["colleague"], hearing, answers(opinion="Helt særligt ord"))
    client.force_login(people["moderator"])
    index = reverse("hearing_responses:index")
    found = client.get(index, {"hearing": hearing.pk, "q": "særligt"}).content.decode()
    assert other.reference in found and response.reference not in found
    center = {"hearing": hearing.pk, "department": departments["center"].pk}
    in_center = client.get(index, center).content.decode()
    assert other.reference in in_center and response.reference not in in_center
    without_files = client.get(index, {"has_attachments": "false"}).content.decode()
    assert other.reference in without_files
    with_files = client.get(index, {"has_attachments": "true"}).content.decode()
    assert other.reference not in with_files
    client.post(reverse("hearing_responses:flag", args=[other.pk]), {"sensitive": "1"})
    flagged = client.get(index, {"hearing": hearing.pk, "sensitive": "true"}).content.decode()
    assert other.reference in flagged and response.reference not in flagged
    client.post(reverse("hearing_responses:approve", args=[response.pk]))
    published = client.get(index, {"status": "published"}).content.decode()
    assert response.reference in published and other.reference not in published
