"""The comms team's dashboard in a browser: the panels pass axe (WCAG 2.1 A/AA) and a
failed e-mail is sent again from it."""

from hearings.models import HearingExport, HearingPage, Notification
from tests.e2e.helpers import assert_accessible, assert_no_script_errors, sign_in

OUR_PANELS = {"include": [["#agora-hearings-by-phase-section"], ["#agora-operations-section"]]}


def test_the_dashboard_shows_hearings_by_phase_and_retries_a_failed_mail(page):
    closed = HearingPage.objects.get(slug="ferieplanlaegning")
    HearingExport.objects.update_or_create(
        hearing=closed,
        defaults={"status": HearingExport.Status.FAILED, "attempts": 5, "last_error": "Timeout"},
    )
    mail = Notification.objects.create(
        kind=Notification.Kind.HEARING_OPENED,
        hearing=closed,
        recipient="employee1@agora.example",
        subject="Høringen er åbnet",
        body_text="…",
        dedupe_key="e2e-failed",
        status=Notification.Status.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected",
    )
    sign_in(page, "admin", next_url="/admin/")
    panel = page.locator("#agora-hearings-by-phase-section")
    assert panel.is_visible()
    assert panel.get_by_role("link", name="Ny ferieplanlægning").count() == 1
    assert page.locator("#agora-phase-open").is_visible()
    assert page.locator("#agora-operations-section").get_by_text("Timeout").is_visible()
    assert_accessible(page, context=OUR_PANELS)
    assert_no_script_errors(page)

    page.locator("#agora-operations-section").get_by_role("link", name="Send igen").first.click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/admin/outbox/")
    mail.refresh_from_db()
    assert mail.status == Notification.Status.QUEUED


def test_the_editors_dashboard_is_accessible(page):
    sign_in(page, "editor", next_url="/admin/")
    assert page.locator("#agora-hearings-by-phase-section").is_visible()
    assert_accessible(page, context=OUR_PANELS)
