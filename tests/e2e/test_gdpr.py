"""Data protection in the browser: an employee downloads their data from "Mine data",
an administrator finds a staff read in the audit report and exports it, and everyone
reaches the accessibility statement and the privacy notice from the footer."""

import csv
import io
import json
import zipfile

from django.utils import translation

from hearings import audit
from hearings.models import HearingResponse
from tests.e2e.helpers import (
    assert_accessible,
    assert_no_csp_violations,
    assert_no_script_errors,
    sign_in,
)


def da(msgid):
    with translation.override("da"):
        return translation.gettext(msgid)


def assert_screen_is_sound(page):
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert_no_script_errors(page)


def test_an_employee_downloads_everything_agora_holds_about_them(page):
    sign_in(page, "employee1")
    page.get_by_role("link", name=da("My data"), exact=True).first.click()
    page.wait_for_url("**/my-data/")
    assert page.locator("h1").inner_text() == da("My data")
    assert_screen_is_sound(page)

    with page.expect_download() as started:
        page.get_by_role("link", name=da("Download my data (ZIP)")).click()
    download = started.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))
    data = json.loads(archive.read("data.json"))
    assert data["person"]["username"] == "employee1"
    mine = HearingResponse.objects.get(respondent__username="employee1")
    assert [r["reference"] for r in data["responses"]] == [mine.reference]
    assert any(
        "Husk vikarerne i dagtilbud" in a["answer"] for a in data["responses"][0]["answers"]
    )
    assert archive.read("data.pdf").startswith(b"%PDF")
    assert "employee2" not in archive.read("data.json").decode()


def test_an_administrator_finds_a_staff_read_in_the_audit_report_and_exports_it(page):
    response = HearingResponse.objects.get(respondent__username="employee2")
    sign_in(page, "admin", next_url=response.page_path())
    # The administrator reads the employee's receipt on the site: that is audited.
    assert response.reference in page.locator("main").inner_text()

    page.goto("/admin/")
    page.get_by_role("button", name=da("Reports")).click()
    page.get_by_role("link", name=da("Access to personal data")).click()
    page.wait_for_url("**/admin/reports/personal-data/")
    results = page.locator("table.listing")
    assert response.reference in results.inner_text()
    assert da("Opened the response's receipt") in results.inner_text()

    # Filtered by the hearing and the action: still there; by another action: gone.
    page.goto(
        f"/admin/reports/personal-data/?hearing={response.hearing_id}&action={audit.RECEIPT_READ}"
    )
    assert response.reference in page.locator("table.listing").inner_text()
    page.goto(f"/admin/reports/personal-data/?action={audit.ATTACHMENT_DOWNLOAD}")
    assert response.reference not in page.locator("main").inner_text()

    csv_answer = page.request.get(
        f"/admin/reports/personal-data/?hearing={response.hearing_id}&export=csv"
    )
    assert csv_answer.ok
    rows = list(csv.reader(io.StringIO(csv_answer.text().lstrip("\ufeff"))))
    assert any(response.reference in row and audit.RECEIPT_READ in row for row in rows[1:])


def test_every_page_links_the_two_statements_in_the_footer(page):
    for path in ("/", "/accounts/login/", "/no-such-page/"):
        page.goto(path)
        footer = page.locator("footer")
        assert footer.get_by_role("link", name=da("Accessibility statement")).count() == 1
        assert footer.get_by_role("link", name=da("Privacy notice")).count() == 1
    page.log.errors.clear()  # the 404 page's own status, reported by the console

    page.goto("/")
    page.locator("footer").get_by_role("link", name=da("Accessibility statement")).click()
    page.wait_for_url("**/tilgaengelighedserklaering/")
    assert page.locator("h1").inner_text() == "Tilgængelighedserklæring"
    assert page.get_by_role("heading", name="Håndhævelsesprocedure").count() == 1
    assert_screen_is_sound(page)

    page.locator("footer").get_by_role("link", name=da("Privacy notice")).click()
    page.wait_for_url("**/privatlivspolitik/")
    assert page.get_by_role("heading", name="Databeskyttelsesrådgiver").count() == 1
    assert_screen_is_sound(page)
