# ruff: noqa: S106 -- throw-away benchmark accounts
"""The benchmark's scale data, built once per database (a marker hearing says so).

At scale 1 (``AGORA_BENCH_SCALE``, default 1): 2,000 hearings, one open hearing with
20,000 published responses, one closed hearing with 1,000 responses each with an
attachment (for the ESDH export). Bulk inserts where the page tree allows.
"""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

MARKER = "bench-scale-"
FORM = [
    {
        "type": "short_text",
        "id": "opinion",
        "value": {"label": "Din mening", "help_text": "", "required": False, "max_length": 2000},
    },
    {
        "type": "long_text",
        "id": "details",
        "value": {"label": "Uddybning", "help_text": "", "required": False, "max_length": 5000},
    },
]


def sizes(scale):
    return {
        "hearings": max(20, int(2000 * scale)),
        "responses": max(50, int(20000 * scale)),
        "attachments": max(20, int(1000 * scale)),
    }


def seed(scale):
    """Build the data unless this scale is built already; returns the ids the bench uses."""
    from wagtail.models import Site

    from hearings.models import (
        Department,
        EmployeeProfile,
        HearingIndexPage,
        HearingPage,
        HearingType,
        PublishResponses,
        SubjectArea,
    )

    wanted = sizes(scale)
    marker = f"{MARKER}{wanted['hearings']}-{wanted['responses']}-{wanted['attachments']}"
    users = get_user_model().objects
    site = Site.objects.get(is_default_site=True)
    index = HearingIndexPage.objects.child_of(site.root_page).first()
    if not HearingPage.objects.filter(slug=marker).exists():
        kommune, _ = Department.objects.get_or_create(site=site, code="bench", name="Kommune")
        team, _ = Department.objects.get_or_create(
            site=site, code="bench-team", name="Team", parent=kommune
        )
        employee = users.create_user("bench-employee", password="x", first_name="Ib")
        EmployeeProfile.objects.create(user=employee, department=team)
        users.create_user("bench-moderator", password="x", is_superuser=True, is_staff=True)
        kind = HearingType.objects.get_or_create(name="Politik")[0]
        area = SubjectArea.objects.get_or_create(name="Trafik")[0]
        now = timezone.now()

        def hearing(title, slug, opens, closes, **fields):
            page = HearingPage(
                title=title,
                slug=slug,
                summary="Et kort resumé af høringen.",
                opens_at=opens,
                closes_at=closes,
                hearing_type=kind,
                subject_area=area,
                contact_person=employee,
                response_form=FORM,
                live=True,
                **fields,
            )
            index.add_child(instance=page)
            page.invited_departments.set([kommune])
            page.save()  # modelcluster writes the departments on save
            return page

        for number in range(wanted["hearings"] - 2):
            opens = now - timedelta(days=1 + number % 40)
            hearing(
                f"Høring {number}",
                f"bench-{number}",
                opens,
                opens + timedelta(days=10 + number % 60),
            )
        big = hearing(
            "Stor høring",
            "bench-big",
            now - timedelta(days=2),
            now + timedelta(days=30),
            publish_responses=PublishResponses.AFTER_MODERATION,
        )
        closed = hearing(
            "Lukket høring", "bench-closed", now - timedelta(days=30), now - timedelta(hours=1)
        )
        add_responses(big, wanted["responses"], team, "published", "big")
        add_responses(closed, wanted["attachments"], team, "submitted", "esdh", attachments=True)
        hearing("Markør", marker, now - timedelta(days=400), now - timedelta(days=399))
    restore_attachment_files()
    return {
        "big": HearingPage.objects.get(slug="bench-big"),
        "closed": HearingPage.objects.get(slug="bench-closed"),
        "index": index,
        "employee": users.get(username="bench-employee"),
        "moderator": users.get(username="bench-moderator"),
        "sizes": wanted,
    }


ATTACHMENT = b"bilag " * 3334


def restore_attachment_files():
    """Write the seeded attachments' files again where this checkout's media folder
    lacks them: a database seeded from another checkout, or a cleaned ``var/``. Without
    them the ESDH export would file its case without attachments and measure too little."""
    from hearings.models import ResponseAttachment

    missing = 0
    for attachment in ResponseAttachment.objects.filter(hearing__slug="bench-closed").only(
        "pk", "file"
    ):
        storage, name = attachment.file.storage, attachment.file.name
        if not storage.exists(name):
            storage.save(name, ContentFile(ATTACHMENT))
            missing += 1
    return missing


def add_responses(hearing, count, department, status, prefix, attachments=False):
    from hearings.models import EmployeeProfile, HearingResponse, ResponseAttachment

    user_model = get_user_model()
    now = timezone.now()
    for start in range(0, count, 1000):
        batch = range(start, min(count, start + 1000))
        made = user_model.objects.bulk_create(
            [
                user_model(username=f"{prefix}{n}", first_name="Svar", last_name=str(n))
                for n in batch
            ]
        )
        EmployeeProfile.objects.bulk_create(
            [EmployeeProfile(user=user, department=department) for user in made]
        )
        responses = HearingResponse.objects.bulk_create(
            [
                HearingResponse(
                    hearing=hearing,
                    respondent=user,
                    status=status,
                    sequence=n + 1,
                    reference=f"B{hearing.pk}-{n + 1:05d}",
                    submission_token=uuid.uuid4(),
                    submitted_at=now - timedelta(minutes=n),
                    answers={
                        "opinion": {
                            "type": "short_text",
                            "label": "Din mening",
                            "value": f"Svar nummer {n}",
                            "display": f"Svar nummer {n}",
                        },
                        "details": {
                            "type": "long_text",
                            "label": "Uddybning",
                            "value": "Lang tekst. " * 40,
                            "display": "Lang tekst. " * 40,
                        },
                    },
                )
                for n, user in zip(batch, made, strict=True)
            ]
        )
        if attachments:
            for response in responses:
                attachment = ResponseAttachment(
                    hearing=hearing,
                    response=response,
                    uploaded_by=response.respondent,
                    question_id="details",
                    original_name="bilag.txt",
                    name="bilag.txt",
                    content_type="text/plain",
                    size=20_000,
                )
                attachment.file.save("bilag.txt", ContentFile(ATTACHMENT), save=False)
                attachment.save()
