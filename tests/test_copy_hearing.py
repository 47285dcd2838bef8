"""Copying a hearing: the copy is a new draft that carries nothing of the original's life
(dates, conclusion, ESDH case, responses, exports, side effects), with new question
ids, and the original is untouched — through the service, the admin action and
Wagtail's own "Copy"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hearings import copying
from hearings.errors import Refused
from hearings.models import (
    FiledDocument,
    HearingExport,
    HearingPage,
    HearingResponse,
    Notification,
    SideEffectRecord,
)
from tests.test_workflow import hearing_form

pytestmark = pytest.mark.django_db

LIFECYCLE_FIELDS = ("opens_at", "closes_at", "conclusion", "esdh_case_number", "esdh_case_title")


@pytest.fixture
def editor(make_user, departments):
    return make_user("editor", departments["other"], groups=["Hearing editors"])


@pytest.fixture
def lived_hearing(open_hearing, make_user, departments):
    """A concluded hearing with everything a hearing's life leaves behind."""
    now = timezone.now()
    hearing = open_hearing
    hearing.opens_at = now - timedelta(days=30)
    hearing.closes_at = now - timedelta(days=2)
    hearing.conclusion = "<p>Forslaget vedtages.</p>"
    hearing.esdh_case_number = "GEN-2026-000042"
    hearing.esdh_case_title = "Hjemmearbejde, høring"
    hearing.save_revision().publish()
    employee = make_user("employee1", departments["center"])
    HearingResponse.objects.create(
        hearing=hearing,
        respondent=employee,
        status="submitted",
        reference="H-1",
        submitted_at=now - timedelta(days=5),
    )
    HearingExport.objects.create(hearing=hearing, status="done", case_id="GEN-2026-000042")
    FiledDocument.objects.create(
        hearing=hearing, source_key="hearing-text", checksum="x", case_id="c", filename="a.pdf"
    )
    SideEffectRecord.objects.create(hearing=hearing, kind=SideEffectRecord.Kind.OPENED)
    SideEffectRecord.objects.create(hearing=hearing, kind=SideEffectRecord.Kind.REMINDED)
    Notification.objects.create(
        kind="hearing_opened",
        hearing=hearing,
        recipient="employee1@example.dk",
        subject="Ny høring",
        body_text="…",
        dedupe_key="opened:1",
    )
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.phase == "concluded"
    return hearing


def tied_rows(hearing):
    """Every row of Agora's own models that points at ``hearing``, per relation."""
    counts = {}
    for relation in HearingPage._meta.related_objects:
        if relation.related_model._meta.app_label != "hearings":
            continue
        field = relation.field.name
        counts[relation.name] = relation.related_model.objects.filter(**{field: hearing}).count()
    return counts


def snapshot(hearing):
    hearing = HearingPage.objects.get(pk=hearing.pk)
    return {
        **{name: getattr(hearing, name) for name in LIFECYCLE_FIELDS},
        "title": hearing.title,
        "slug": hearing.slug,
        "live": hearing.live,
        "question_ids": [block.id for block in hearing.response_form],
        "revisions": hearing.revisions.count(),
        "rows": tied_rows(hearing),
    }


def assert_fresh_copy(page_copy, original):
    page_copy = HearingPage.objects.get(pk=page_copy.pk)
    assert page_copy.pk != original.pk
    assert not page_copy.live and page_copy.phase == "draft"
    assert page_copy.opens_at is None and page_copy.closes_at is None
    assert page_copy.go_live_at is None and page_copy.expire_at is None
    assert page_copy.conclusion == ""
    assert page_copy.esdh_case_number == "" and page_copy.esdh_case_title == ""
    assert set(tied_rows(page_copy).values()) == {0}, tied_rows(page_copy)
    # the content and the questions come along, under new ids
    assert page_copy.summary == original.summary
    assert list(page_copy.invited_departments.all()) == list(original.invited_departments.all())
    new_ids = [block.id for block in page_copy.response_form]
    old_ids = [block.id for block in original.response_form]
    assert len(new_ids) == len(old_ids) > 5
    assert not set(new_ids) & set(old_ids)
    assert all(new_ids)
    assert [b.block_type for b in page_copy.response_form] == [
        b.block_type for b in original.response_form
    ]
    # the editor opens the latest revision: it holds the same
    draft = page_copy.get_latest_revision_as_object()
    assert [block.id for block in draft.response_form] == new_ids
    assert draft.opens_at is None and draft.conclusion == "" and draft.esdh_case_number == ""
    return page_copy


def test_a_copy_carries_nothing_of_the_original_s_life(lived_hearing, editor):
    before = snapshot(lived_hearing)
    assert all(before["rows"][name] for name in ("responses", "side_effects", "filed_documents"))

    with translation.override("da"):
        page_copy = copying.copy_as_new_hearing(lived_hearing, editor)

    page_copy = assert_fresh_copy(page_copy, lived_hearing)
    assert page_copy.title == f"Kopi af {lived_hearing.title}"
    assert page_copy.slug != lived_hearing.slug
    assert page_copy.get_parent() == lived_hearing.get_parent()
    assert page_copy.owner == editor
    assert snapshot(lived_hearing) == before


def test_copying_twice_gives_two_slugs(lived_hearing, editor):
    first = copying.copy_as_new_hearing(lived_hearing, editor)
    second = copying.copy_as_new_hearing(lived_hearing, editor)
    assert first.slug != second.slug
    assert not {b.id for b in first.response_form} & {b.id for b in second.response_form}


def test_whoever_may_not_add_a_hearing_may_not_copy_one(lived_hearing, make_user, departments):
    employee = make_user("employee2", departments["center"])
    with pytest.raises(Refused):
        copying.copy_as_new_hearing(lived_hearing, employee)
    assert HearingPage.objects.count() == 1


def test_the_admin_action_copies_and_opens_the_copy_in_the_editor(client, lived_hearing, editor):
    before = snapshot(lived_hearing)
    client.force_login(editor)
    url = reverse("agora_copy_hearing", args=[lived_hearing.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert HearingPage.objects.count() == 1  # a GET changes nothing

    response = client.post(url)
    page_copy = HearingPage.objects.exclude(pk=lived_hearing.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page_copy.pk])
    assert_fresh_copy(page_copy, lived_hearing)
    assert snapshot(lived_hearing) == before
    # the editor of the dateless draft opens
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_action_is_offered_to_editors_only(client, lived_hearing, editor, make_user):
    explore = reverse("wagtailadmin_explore", args=[lived_hearing.get_parent().pk])
    url = reverse("agora_copy_hearing", args=[lived_hearing.pk])
    client.force_login(editor)
    assert url in client.get(explore).content.decode()

    moderator = make_user("moderator", groups=["Response moderators"])
    client.force_login(moderator)
    assert client.post(url).status_code in (302, 403)
    assert HearingPage.objects.count() == 1


def test_wagtail_s_own_copy_of_a_hearing_is_safe_too(client, lived_hearing, editor):
    before = snapshot(lived_hearing)
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[lived_hearing.pk]),
        {
            "new_title": "Hjemmearbejde 2027",
            "new_slug": "hjemmearbejde-2027",
            "new_parent_page": lived_hearing.get_parent().pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    page_copy = HearingPage.objects.get(slug="hjemmearbejde-2027")
    assert_fresh_copy(page_copy, lived_hearing)
    assert snapshot(lived_hearing) == before


def test_a_programmatic_copy_is_a_draft_with_new_ids(lived_hearing):
    page_copy = lived_hearing.copy(update_attrs={"title": "Kopi", "slug": "kopi"})
    assert_fresh_copy(page_copy, lived_hearing)


def test_a_copy_cannot_be_published_without_dates(client, lived_hearing, editor):
    page_copy = copying.copy_as_new_hearing(lived_hearing, editor)
    with pytest.raises(Exception, match="opens_at|closes_at"):
        page_copy.full_clean()


def test_a_dateless_copy_saves_as_a_draft_but_cannot_go_for_approval(
    client, lived_hearing, editor
):
    page_copy = copying.copy_as_new_hearing(lived_hearing, editor)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page_copy.pk])
    data = hearing_form(title=page_copy.title, slug=page_copy.slug, opens_at="", closes_at="")

    assert client.post(url, data).status_code == 302  # "Save draft": dates may wait
    submitted = client.post(url, {**data, "action-submit": "1"})

    assert submitted.status_code == 200
    assert "opens_at" in submitted.context["form"].errors
    assert "closes_at" in submitted.context["form"].errors
    page_copy = HearingPage.objects.get(pk=page_copy.pk)
    assert not page_copy.live and not page_copy.workflow_in_progress
