"""An employee meets the new guards in a real browser: a Word file with macros is refused
with a message at the file field, a department that is not theirs is refused, and their
own department is accepted; every screen passes axe within the strict CSP."""

import io
import re
import zipfile

from django.utils import translation

from hearings.models import HearingResponse, ResponseAttachment
from tests.e2e.helpers import assert_accessible, assert_no_csp_violations, sign_in

HEARING = "/hearings/hjemmearbejde/"


def da(msgid):
    with translation.override("da"):
        return translation.gettext(msgid)


def macro_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


def group(page, legend):
    return page.get_by_role("group", name=re.compile(re.escape(legend)))


def test_macros_and_another_department_are_refused_in_the_browser(page):
    sign_in(page, "employee1", next_url=HEARING)
    behalf = group(page, "Hvem svarer du på vegne af?")
    behalf.get_by_label(da("My department"), exact=True).check()
    page.get_by_label(re.compile(da("Name of the department or organisation"))).fill(
        "Borgmesterens kontor"
    )
    page.get_by_label(re.compile("^Bilag")).set_input_files(
        files=[{"name": "makro.docx", "mimeType": "application/msword", "buffer": macro_docx()}]
    )
    page.get_by_role("button", name=da("Submit answer")).click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    text = summary.inner_text()
    assert "makro.docx" in text and "makroer" in text
    assert "Du kan kun svare på vegne af din egen afdeling" in text
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert not ResponseAttachment.objects.filter(uploaded_by__username="employee1").exists()
    assert not HearingResponse.objects.filter(
        respondent__username="employee1", hearing__slug="hjemmearbejde"
    ).exists()
