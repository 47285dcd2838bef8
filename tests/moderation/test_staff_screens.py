"""The summary report, the dashboard panels, and the way in from the page editor."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

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
    # The tables head their first column by what it lists (all said "Svar"), and the
    # days are written as dates are everywhere else.
    assert '<th scope="col">Dag</th>' in page and '<th scope="col">Afdeling</th>' in page
    day = timezone.localdate(response.submitted_at)
    assert f'<th scope="row">{date_format(day, "DATE_FORMAT")}</th>' in page
    assert day.isoformat() not in page
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


@pytest.mark.django_db
def test_the_hearings_screens_are_titled_with_the_hearing(client, people, hearing, response):
    client.force_login(people["moderator"])
    for name, title in [("hearing", "Høringssvar"), ("report", "Opsummering af høringssvar")]:
        page = client.get(reverse(f"hearing_responses:{name}", args=[hearing.pk]))
        crumbs = page.context["breadcrumbs_items"]
        # Wagtail shows the last crumb as the visible title.
        assert crumbs[-1]["label"] == f"{title}: {hearing.title}"
    # The register form's visible title read "Forside" (the home crumb).
    register = client.get(reverse("hearing_responses:register", args=[hearing.pk]))
    labels = [str(crumb["label"]) for crumb in register.context["breadcrumbs_items"]]
    assert labels[-2:] == [
        hearing.title,
        f"Registrér et høringssvar modtaget pr. e-mail eller brev: {hearing.title}",
    ]
    reject = client.get(reverse("hearing_responses:reject", args=[response.pk]))
    labels = [crumb["label"] for crumb in reject.context["breadcrumbs_items"]]
    assert labels[-3:] == [
        hearing.title,
        response.reference,
        "Afvis høringssvar: " + response.reference,
    ]


@pytest.mark.django_db
def test_only_those_who_may_edit_the_hearing_are_offered_to_edit_it(client, people, hearing):
    edit = reverse("wagtailadmin_pages:edit", args=[hearing.pk])
    overview = reverse("hearing_responses:hearing", args=[hearing.pk])
    client.force_login(people["moderator"])
    assert client.get(edit).status_code in (302, 403)
    assert edit not in client.get(overview).content.decode()
    client.force_login(people["superuser"])
    assert edit in client.get(overview).content.decode()


@pytest.mark.django_db
def test_the_responses_listing_leads_to_the_hearing_and_names_who_answered(
    client, people, hearing, response
):
    client.force_login(people["moderator"])
    listing = client.get(reverse("hearing_responses:index")).content.decode()
    assert f'href="{reverse("hearing_responses:hearing", args=[hearing.pk])}"' in listing
    assert "Emma Holm" in listing
    assert ">Team<" in listing
    # Not flagged: no red cross saying "Følsomt: nej".
    assert "w-text-text-error" not in listing
    assert "w-status--label" not in listing
    client.post(reverse("hearing_responses:flag", args=[response.pk]), {"sensitive": "1"})
    flagged = client.get(reverse("hearing_responses:index")).content.decode()
    assert "w-status--label" in flagged


@pytest.mark.django_db
def test_the_responses_listing_does_not_grow_queries_with_its_rows(
    client, people, hearing, departments, make_user, kept_counts_held
):
    client.force_login(people["moderator"])
    url = reverse("hearing_responses:index")
    for number in range(2):
        submit(make_user(f"a{number}", department=departments["team"]), hearing)
    client.get(url)  # warm: what a first request reads once
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(8):
        submit(make_user(f"b{number}", department=departments["center"]), hearing)
    # A new response drops the kept count: the next view counts again, as the first did.
    with CaptureQueriesContext(connection) as counting:
        client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(counting) == len(few) + 1


@pytest.mark.django_db
def test_the_admin_hearing_listing_shows_future_dates_as_future(
    client, people, make_hearing, departments
):
    now = timezone.now()
    make_hearing(
        title="Kommende høring",
        opens_at=now + timedelta(days=3, hours=1),
        closes_at=now + timedelta(days=20, hours=1),
    )
    client.force_login(people["superuser"])
    listing = client.get(reverse("hearing_listing:index")).content.decode()
    opens, closes = re.findall(
        r"<td ><time datetime=[^>]+>([^<]+)</time><br>([^<]+)</td>", listing
    )
    assert opens[1] == "om 3\xa0dage"  # no break inside "3 dage"
    assert closes[1] == "om 2\xa0uger"
    assert opens[0] == timezone.localtime(now + timedelta(days=3, hours=1)).strftime(
        "%d.%m.%Y %H:%M"
    )


@pytest.mark.django_db
def test_the_hearings_menu_item_is_offered_only_to_those_the_listing_lets_in(client, people):
    """A moderator has no page permissions: the listing turns them away, so the menu
    does not offer it (it did, and led to "Beklager, du har ikke adgang")."""
    listing = reverse("hearing_listing:index")
    for role, offered in (("editor", True), ("moderator", False), ("superuser", True)):
        client.force_login(people[role])
        dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
        assert (f'"url": "{listing}"' in dashboard) is offered, role
        answer = client.get(listing)
        assert (answer.status_code == 200) is offered, role


@pytest.mark.django_db
def test_the_page_types_usage_report_is_wagtail_s_own_on_a_one_site_installation(
    client, people, hearing
):
    report = reverse("wagtailadmin_reports:page_types_usage")
    client.force_login(people["editor"])
    assert f'"url": "{report}"' in client.get(reverse("wagtailadmin_home")).content.decode()
    assert hearing.title in client.get(report).content.decode()


@pytest.mark.django_db
def test_the_listing_keeps_each_reference_on_one_line(client, people, response):
    client.force_login(people["moderator"])
    html = client.get(reverse("hearing_responses:index")).content.decode()
    cell = re.search(r'<td class="([^"]*)"[^>]*>\s*<div class="title-wrapper">', html)
    assert cell and "agora-nowrap" in cell.group(1).split()
    assert response.reference in html
