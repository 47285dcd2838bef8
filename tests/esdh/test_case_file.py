"""The complete case file: every response handed in is filed as it was received, named by
its reference, with its sender, received time and moderation status as metadata;
moderation afterwards files nothing; withdrawn responses are in the response register;
what arrives after the first filing (a registered letter, the conclusion) is filed once
by the same job; the case belongs to the owner's department."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hearings import jobs, moderation, registering
from hearings.exports import responses, service
from hearings.models import Channel, HearingPage, HearingResponse
from tests.jobs.fixtures import case_folders, read_manifest

pytestmark = pytest.mark.django_db


def handed_in(hearing, user, status, number, **fields):
    now = timezone.now()
    return HearingResponse.objects.create(
        hearing=hearing,
        respondent=user,
        status=status,
        sequence=number,
        reference=f"H-2026-{hearing.pk:04d}-{number:04d}",
        submitted_at=now - timedelta(days=3, minutes=number),
        answers={
            "q1": {"type": "long_text", "label": "Hvad mener du?", "display": f"Svar {number}"}
        },
        **fields,
    )


def letter(received_at=None, name="Lise Andersen"):
    return registering.Registration(
        channel=Channel.LETTER,
        sender_name=name,
        sender_organisation="HovedMED",
        received_at=received_at or timezone.now() - timedelta(days=2),
        text="Vi støtter forslaget.",
    )


def documents(folder, kind=None):
    return [
        d
        for d in read_manifest(folder)["documents"]
        if kind is None or d["metadata"]["kind"] == kind
    ]


@pytest.fixture
def closed(hearing_for):
    return hearing_for(opens_in=timedelta(days=-10), closes_in=timedelta(hours=-1))


def test_closing_the_demo_hearing_files_every_response_with_full_metadata(esdh_dir):
    from hearings.demo import build_demo

    demo = build_demo()
    hearing = demo["hearings"]["ferieplanlaegning"]
    received = list(HearingResponse.objects.filter(hearing=hearing).handed_in())
    # Three employees and letters from HovedMED and Handicaprådet, none moderated yet.
    assert len(received) == 5

    report = jobs.run_due_jobs()
    assert any(line.startswith(f"closed: {hearing.title}") for line in report), report

    [folder] = [f for f in case_folders(esdh_dir) if f.name == hearing.esdh_case_number]
    manifest = read_manifest(folder)
    # The case belongs to the owner's department (the editor's), not the audience's.
    assert manifest["case"]["department"] == "Center for Økonomi og HR"
    filed = {d["metadata"]["reference"]: d for d in documents(folder, "response")}
    assert set(filed) == {r.reference for r in received}
    for response in received:
        document = filed[response.reference]
        metadata = document["metadata"]
        assert document["file"] == f"10-response-{response.reference}.pdf"
        assert document["title"] == f"Høringssvar {response.reference}"
        assert metadata["moderation_status"] == "submitted"
        assert metadata["sender_name"] and metadata["sender_department"]
        assert metadata["on_behalf_of"]
        assert metadata["received_at"].startswith(
            timezone.localtime(response.submitted_at).date().isoformat()
        )
        assert metadata["department"] == "Center for Økonomi og HR"
        assert metadata["invited_departments"] == "Agora Kommune"
    employee = next(r for r in received if r.respondent and r.respondent.username == "employee1")
    assert filed[employee.reference]["metadata"]["sender_name"] == "Emma Jensen"
    assert filed[employee.reference]["metadata"]["sender_department"] == "Dagtilbud"
    from_letter = next(
        r for r in received if r.channel == Channel.LETTER and r.sender_name == "Lise Andersen"
    )
    metadata = filed[from_letter.reference]["metadata"]
    assert (metadata["sender_name"], metadata["sender_department"]) == (
        "Lise Andersen",
        "HovedMED",
    )
    assert metadata["received_by"] == "letter" and metadata["registered_by"] == "moderator"
    assert [d["file"] for d in documents(folder, "response_register")] == [
        "09-response-register.pdf"
    ]


def test_each_response_document_is_headed_by_its_reference(closed, cast):
    first = handed_in(closed, cast["team"], "submitted", 1)
    second = handed_in(closed, cast["center"], "rejected", 2)
    items = [i for i in responses.response_documents(closed) if i.kind == "response"]
    for item, response in zip(items, [first, second], strict=True):
        html = item.source.decode()
        assert f"<h1>Høringssvar {response.reference}</h1>" in html
        assert "nr." not in html
        assert item.filename == f"10-response-{response.reference}.pdf"
        assert item.title == f"Høringssvar {response.reference}"


def test_moderation_after_the_filing_files_nothing_and_the_case_keeps_what_was_received(
    closed, cast, esdh_dir
):
    first = handed_in(closed, cast["team"], "submitted", 1)
    second = handed_in(closed, cast["center"], "submitted", 2)
    assert service.export_hearing(closed).status == "done"
    [folder] = case_folders(esdh_dir)
    before = read_manifest(folder)

    moderation.approve(cast["admin"], first)
    moderation.reject(cast["admin"], second, "Uden for emnet.")
    again = service.export_hearing(closed)
    assert again.status == "done" and again.filed == []
    assert read_manifest(folder) == before
    statuses = {d["metadata"]["moderation_status"] for d in documents(folder, "response")}
    assert statuses == {"submitted"}  # as received; publishing is not a case event


def test_rejected_responses_are_filed_and_withdrawn_ones_are_in_the_register(
    closed, cast, esdh_dir
):
    rejected = handed_in(closed, cast["team"], "rejected", 1)
    withdrawn_at = timezone.now() - timedelta(days=2)
    withdrawn = handed_in(closed, cast["center"], "withdrawn", 2, withdrawn_at=withdrawn_at)
    service.export_hearing(closed)
    [folder] = case_folders(esdh_dir)
    assert [d["metadata"]["reference"] for d in documents(folder, "response")] == [
        rejected.reference
    ]
    [register] = documents(folder, "response_register")
    assert register["metadata"]["withdrawn"] == [withdrawn.reference]
    assert register["parent"] == "01-hearing.pdf"

    [item] = responses.register_documents(closed)
    html = item.source.decode()
    withdrawn_on = timezone.localtime(withdrawn_at)
    for text in (withdrawn.reference, rejected.reference, "center1", "team1"):
        assert text in html
    assert f"{withdrawn_on.day}. " in html and str(withdrawn_on.year) in html


def test_the_case_belongs_to_the_owners_department(closed, cast, esdh_dir):
    assert service.case_info(closed).department == "Other"  # the owner's, not "Center"
    service.export_hearing(closed)
    [folder] = case_folders(esdh_dir)
    manifest = read_manifest(folder)
    assert manifest["case"]["department"] == "Other"
    assert manifest["documents"][0]["metadata"]["department"] == "Other"
    assert manifest["documents"][0]["metadata"]["invited_departments"] == "Center"


@pytest.mark.parametrize(
    ("opens_in", "closes_in", "phase"),
    [
        (timedelta(days=-1), timedelta(days=3), "open"),
        (timedelta(days=2), timedelta(days=9), "upcoming"),
    ],
)
def test_export_hearing_refuses_a_hearing_that_has_not_closed_unless_forced(
    hearing_for, esdh_dir, capsys, opens_in, closes_in, phase
):
    hearing = hearing_for(opens_in=opens_in, closes_in=closes_in)
    with pytest.raises(CommandError, match=rf"is {phase}, not closed.*--force"):
        call_command("export_hearing", str(hearing.pk))
    assert case_folders(esdh_dir) == []

    call_command("export_hearing", str(hearing.pk), "--force")
    assert "filed 01-hearing.pdf" in capsys.readouterr().out


def test_what_arrives_after_the_first_filing_is_filed_once_by_the_job(closed, cast, esdh_dir):
    first = handed_in(closed, cast["team"], "submitted", 1)
    jobs.run_due_jobs()
    [folder] = case_folders(esdh_dir)
    assert [d["file"] for d in read_manifest(folder)["documents"]] == [
        "01-hearing.pdf",
        "09-response-register.pdf",
        f"10-response-{first.reference}.pdf",
    ]

    # A letter registered after the filing: the export is asked for again ...
    outcome = registering.register(cast["admin"], closed, letter())
    assert outcome.export_requested and not outcome.case_closed
    registered = outcome.response
    report = jobs.run_due_jobs()
    # ... and files the letter and the register's new version, nothing else.
    [line] = [line for line in report if line.startswith("export:")]
    assert "2 filed" in line, report
    files = [d["file"] for d in read_manifest(folder)["documents"]]
    assert files[3:] == ["09-response-register-v2.pdf", f"10-response-{registered.reference}.pdf"]
    letter_metadata = read_manifest(folder)["documents"][-1]["metadata"]
    assert letter_metadata["sender_name"] == "Lise Andersen"
    assert letter_metadata["received_by"] == "letter"
    assert letter_metadata["registered_by"] == "root"
    assert not [line for line in jobs.run_due_jobs() if line.startswith("export:")]

    # The conclusion written afterwards is filed by the same job, and the case closed.
    hearing = HearingPage.objects.get(pk=closed.pk)
    hearing.conclusion = "<p>Forslaget vedtages.</p>"
    hearing.save_revision().publish()
    report = jobs.run_due_jobs()
    assert any("1 filed" in line and "case closed" in line for line in report), report
    assert [d["file"] for d in read_manifest(folder)["documents"]][-1] == "99-conclusion.pdf"
    assert read_manifest(folder)["case"]["closed_at"]

    # A closed case takes nothing more: the person registering is told to file it by hand.
    late = registering.register(cast["admin"], closed, letter(name="Sen Afsender"))
    assert late.case_closed and not late.export_requested
    assert not [line for line in jobs.run_due_jobs() if line.startswith("export:")]


def test_a_registered_letter_survives_an_interrupted_export(closed, cast, esdh_dir):
    from .test_faults import CountingAdapter

    jobs.run_due_jobs()  # files the hearing text
    registering.register(cast["admin"], closed, letter())
    failing = CountingAdapter(fail_after=1)  # the register goes through, the letter not
    result = service.export_hearing(closed, adapter=failing)
    assert result.status == "pending"
    [line] = jobs.run_due_exports(timezone.now() + timedelta(minutes=5))
    assert "1 filed, 2 already filed" in line, line
    [folder] = case_folders(esdh_dir)
    files = [d["file"] for d in read_manifest(folder)["documents"]]
    assert len(files) == len(set(files)) == 3


def test_building_the_case_files_documents_takes_the_same_queries_for_more_responses(
    closed, make_user, departments
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            items = responses.register_documents(closed) + responses.response_documents(closed)
            assert all(item.source for item in items)
        return len(captured), len(items)

    def answer(number):
        user = make_user(f"svarer{number}", department=departments["team"], first_name="Ib")
        handed_in(closed, user, "submitted", number)

    answer(1)
    answer(2)
    registering.register(make_user("root2", is_superuser=True), closed, letter())
    few, few_items = queries()
    for number in range(4, 9):
        answer(number)
    registering.register(make_user("root3", is_superuser=True), closed, letter(name="Ny"))
    many, many_items = queries()
    assert many_items > few_items
    assert many == few


def test_a_letter_registered_while_the_export_runs_is_filed_by_the_next_run(
    closed, cast, esdh_dir
):
    from hearings.esdh.filesystem import FilesystemAdapter
    from hearings.models import HearingExport

    registered = []

    class LetterArrivesMidRun(FilesystemAdapter):
        def add_document(self, case_id, document, parent_id=None):
            if not registered:  # the run has read what to file already
                registered.append(registering.register(cast["admin"], closed, letter()))
            return super().add_document(case_id, document, parent_id)

    handed_in(closed, cast["team"], "submitted", 1)
    assert service.export_hearing(closed, adapter=LetterArrivesMidRun()).status == "done"
    [outcome] = registered
    assert outcome.export_requested
    [folder] = case_folders(esdh_dir)
    assert outcome.response.reference not in str(read_manifest(folder))
    assert HearingExport.objects.get(hearing=closed).status == "pending"  # runs again

    [line] = jobs.run_due_exports(timezone.now())
    assert "done" in line
    files = [d["file"] for d in read_manifest(folder)["documents"]]
    assert f"10-response-{outcome.response.reference}.pdf" in files
    assert HearingExport.objects.get(hearing=closed).status == "done"
    assert jobs.run_due_exports(timezone.now()) == []
