"""A person's data: "Mine data" and export_personal_data hand over everything; erasing
(the command, or deleting the user in Wagtail) leaves no answer, file, revision or mail
of the person, never touches the ESDH and says so."""

import io
import json
import os
import uuid
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from hearings import audit, gdpr, moderation, responding
from hearings.exports.tabular import export_responses
from hearings.models import (
    EmployeeProfile,
    HearingResponse,
    Notification,
    ResponseAttachment,
    ResponseRevision,
)
from tests.gdpr.conftest import CPR, SECRET_TEXT, answers, conclude_and_file, submit, upload


def stored_files(root):
    return [os.path.join(d, f) for d, __, files in os.walk(root) for f in files]


@pytest.fixture
def history(hearing, people, make_gdpr_hearing):
    """Emma answered (with a file, a receipt mail and an amendment), has a draft in
    another hearing and an upload never sent; Jonas answered too."""
    employee = people["employee"]
    response = submit(employee, hearing, send_receipt=True)
    responding.amend(
        employee,
        response,
        answers(opinion=SECRET_TEXT + " Tilføjelse."),
        token=uuid.uuid4(),
        on_behalf_of=("myself", ""),
        attachment_ids=list(response.attachments.values_list("pk", flat=True)),
        send_receipt=False,
    )
    other = make_gdpr_hearing(title="Anden høring")
    responding.save_draft(employee, other, answers(opinion="Mit udkast"))
    upload(employee, other, name="aldrig-sendt.pdf")
    theirs = submit(people["colleague"], hearing, opinion="Jonas' svar")
    return {"response": response, "other": other, "theirs": theirs}


def open_zip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return archive, json.loads(archive.read("data.json"))


def test_the_export_holds_everything_about_the_person_and_nothing_else(people, history):
    content = gdpr.export_zip(people["employee"])
    archive, data = open_zip(content)

    assert data["person"]["email"] == "emma@example.dk"
    assert data["person"]["department"] == "Team"
    references = [r["reference"] for r in data["responses"]]
    assert references == [history["response"].reference, ""]
    answered = data["responses"][0]
    assert any(SECRET_TEXT in a["answer"] for a in answered["answers"])
    assert [r["kind"] for r in answered["revisions"]] == ["submitted", "amended"]
    assert data["responses"][1]["status"] == "draft"
    assert [u["name"] for u in data["uploads_not_in_a_response"]] == ["aldrig-sendt.pdf"]
    assert [m["kind"] for m in data["emails"]] == ["Response receipt"]
    files = [name for name in archive.namelist() if name.startswith("files/")]
    assert len(files) == 2
    assert archive.read(files[0]).startswith(b"%PDF")
    assert archive.read("data.pdf").startswith(b"%PDF")
    assert "Jonas" not in archive.read("data.json").decode()
    entry = ModelLogEntry.objects.get(action=audit.PERSONAL_DATA_EXPORT)
    assert entry.object_id == str(people["employee"].pk)
    assert entry.label == f"user #{people['employee'].pk}"


def test_the_export_tells_the_person_which_staff_reads_were_audited(client, people, history):
    client.force_login(people["moderator"])
    client.get(f"/api/v1/responses/{history['response'].pk}")
    __, data = open_zip(gdpr.export_zip(people["employee"]))
    assert [e["object"] for e in data["audit_log"]["about_your_answers"]][-1] == (
        history["response"].reference
    )


def test_my_data_asks_to_sign_in(client):
    answer = client.get("/my-data/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
    assert client.get("/my-data/download/").status_code == 302


def test_my_data_shows_a_summary_and_downloads_the_zip(client, people, history):
    client.force_login(people["employee"])
    page = client.get("/my-data/")
    assert page.status_code == 200
    assert 'href="/my-data/download/"' in page.content.decode()
    download = client.get("/my-data/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment;" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    __, data = open_zip(download.content)
    assert data["person"]["username"] == "emma"


def test_my_data_refuses_other_methods(client, people):
    client.force_login(people["employee"])
    assert client.post("/my-data/download/").status_code == 405


def test_the_front_page_and_the_header_link_to_my_data(client, people):
    client.force_login(people["employee"])
    assert 'href="/my-data/"' in client.get("/").content.decode()


def test_export_personal_data_writes_the_zip(people, history, tmp_path):
    target = tmp_path / "emma.zip"
    out = io.StringIO()
    call_command("export_personal_data", "emma", "-o", str(target), "--by", "root", stdout=out)
    __, data = open_zip(target.read_bytes())
    assert data["person"]["username"] == "emma"
    assert f"user #{people['employee'].pk}" in out.getvalue()
    entry = ModelLogEntry.objects.get(action=audit.PERSONAL_DATA_EXPORT)
    assert entry.user_id == people["admin"].pk


def test_export_personal_data_of_nobody_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("export_personal_data", "nobody", "-o", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()


def test_export_personal_data_to_a_missing_folder_is_a_clear_error(people, tmp_path):
    with pytest.raises(CommandError, match="No folder"):
        call_command("export_personal_data", "emma", "-o", str(tmp_path / "no" / "x.zip"))
    assert not ModelLogEntry.objects.filter(action=audit.PERSONAL_DATA_EXPORT).exists()


def assert_nothing_left_of_emma(emma_id, hearing, private_media):
    responses = HearingResponse.objects.all()
    assert not responses.filter(respondent_id=emma_id).exists()
    stored = str(list(responses.values_list("answers", flat=True)))
    assert SECRET_TEXT not in stored and CPR not in stored and "Mit udkast" not in stored
    assert not ResponseRevision.objects.exclude(response__respondent__username="jonas").exists()
    assert not ResponseAttachment.objects.exclude(uploaded_by__username="jonas").exists()
    assert not Notification.objects.filter(recipient="emma@example.dk").exists()
    assert not EmployeeProfile.objects.filter(user_id=emma_id).exists()
    remaining = stored_files(private_media)
    assert len(remaining) == 1  # Jonas' file
    # The hearing's exports no longer hold her words.
    exported = str([r.answers for r in export_responses(hearing)])
    assert SECRET_TEXT not in exported


def test_erase_personal_data_leaves_nothing_of_the_person(people, history, hearing, private_media):
    assert len(stored_files(private_media)) == 3
    emma = people["employee"]
    out = io.StringIO()
    call_command("erase_personal_data", "emma", "--no-input", "--by", "root", stdout=out)

    assert_nothing_left_of_emma(emma.pk, hearing, private_media)
    anonymised = HearingResponse.objects.get(pk=history["response"].pk)
    assert anonymised.reference == history["response"].reference
    assert set(anonymised.answers) == {"agree"}
    emma.refresh_from_db()
    assert emma.username == f"erased-{emma.pk}"
    assert (emma.first_name, emma.last_name, emma.email, emma.is_active) == ("", "", "", False)
    assert not emma.has_usable_password()
    text = out.getvalue()
    assert "1 answer(s) anonymised" in text
    assert "1 draft(s)" in text
    assert "Nothing of theirs was filed in the ESDH." in text
    entry = ModelLogEntry.objects.get(action=audit.ERASURE)
    assert entry.user_id == people["admin"].pk
    assert entry.data["responses_anonymised"] == 1
    assert "emma" not in json.dumps(entry.data) + entry.label
    # Jonas is untouched.
    assert HearingResponse.objects.get(pk=history["theirs"].pk).answers["opinion"]


def test_erasure_says_what_stays_in_the_esdh(people, history, hearing):
    moderation.approve(people["moderator"], history["response"])
    hearing = conclude_and_file(hearing)
    handed_in = HearingResponse.objects.filter(respondent=people["employee"]).handed_in()
    filed = gdpr.filed_documents(handed_in).count()  # hers, not the other respondents'
    assert filed >= 1
    filed_in_case = hearing.filed_documents.count()
    out = io.StringIO()
    call_command("erase_personal_data", "emma", "--no-input", "--delete-answers", stdout=out)
    assert f"{filed} document(s) already filed in the ESDH" in out.getvalue()
    assert not HearingResponse.objects.filter(pk=history["response"].pk).exists()
    # Filed documents stay recorded: the ESDH keeps the case file.
    assert hearing.filed_documents.count() == filed_in_case


def test_erase_asks_before_it_erases(people, history, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing erased"):
        call_command("erase_personal_data", "emma")
    assert HearingResponse.objects.filter(respondent=people["employee"]).count() == 2


def test_deleting_the_user_in_wagtail_erases_their_data_and_says_so(
    client, people, history, hearing, private_media
):
    emma_id = people["employee"].pk
    client.force_login(people["admin"])
    answer = client.post(reverse("wagtailusers_users:delete", args=[emma_id]), follow=True)
    assert answer.status_code == 200
    assert not get_user_model().objects.filter(pk=emma_id).exists()
    assert_nothing_left_of_emma(emma_id, hearing, private_media)
    messages = [str(m) for m in answer.context["messages"]]
    # The admin speaks Danish.
    assert any("svar anonymiseret" in m and "ESDH" in m for m in messages), messages
    assert ModelLogEntry.objects.filter(action=audit.ERASURE, object_id=str(emma_id)).exists()


def test_my_data_costs_the_same_queries_for_more_answers(client, people, make_gdpr_hearing):
    employee = people["employee"]
    client.force_login(employee)

    def queries():
        client.get("/my-data/")  # warm per-request caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/my-data/").status_code == 200
        return len(captured)

    submit(employee, make_gdpr_hearing(title="Første"))
    few = queries()
    for number in range(4):
        submit(employee, make_gdpr_hearing(title=f"Høring {number}"), send_receipt=True)
    assert queries() == few
