"""Only the hearing's moderators, its owner and superusers reach its responses."""

import pytest
from django.urls import reverse

from hearings.models import ResponseStatus

from .conftest import submit

ALLOWED = ["superuser", "moderator", "owner"]
DENIED = ["other_owner", "editor", "employee"]


def urls(response):
    hearing = response.hearing_id
    return {
        "listing": reverse("hearing_responses:index") + f"?hearing={hearing}",
        "overview": reverse("hearing_responses:hearing", args=[hearing]),
        "inspect": reverse("hearing_responses:inspect", args=[response.pk]),
        "notes": reverse("hearing_responses:edit", args=[response.pk]),
        "csv": reverse("hearing_responses:export", args=[hearing, "csv"]),
        "xlsx": reverse("hearing_responses:export", args=[hearing, "xlsx"]),
        "pdf": reverse("hearing_responses:export", args=[hearing, "pdf"]),
        "report": reverse("hearing_responses:report", args=[hearing]),
        "reject": reverse("hearing_responses:reject", args=[response.pk]),
        "redact": reverse("hearing_responses:redact", args=[response.pk]),
        "bulk": reverse("hearing_responses:bulk_approve", args=[hearing]),
        "history": reverse("hearing_responses:history", args=[response.pk]),
    }


def content(answer):
    if hasattr(answer, "streaming_content"):
        return b"".join(answer.streaming_content)
    return answer.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALLOWED)
@pytest.mark.parametrize(
    "view",
    [
        "listing",
        "overview",
        "inspect",
        "notes",
        "csv",
        "report",
        "reject",
        "redact",
        "bulk",
        "history",
    ],
)
def test_moderators_owner_and_superuser_reach_the_responses(client, people, response, role, view):
    client.force_login(people[role])
    answer = client.get(urls(response)[view])
    assert answer.status_code == 200
    if view in ("listing", "inspect", "csv", "bulk"):
        assert response.reference.encode() in content(answer)


@pytest.mark.django_db
@pytest.mark.parametrize("role", DENIED)
@pytest.mark.parametrize(
    "view",
    [
        "listing",
        "overview",
        "inspect",
        "notes",
        "csv",
        "xlsx",
        "pdf",
        "report",
        "reject",
        "redact",
        "bulk",
        "history",
    ],
)
def test_others_never_reach_the_responses(client, people, response, other_hearing, role, view):
    client.force_login(people[role])
    answer = client.get(urls(response)[view])
    if role == "other_owner" and view == "listing":
        # They reach the listing of their own hearing's responses, which lacks this one.
        assert answer.status_code == 200
    elif view == "history":
        # Wagtail's own view looks the response up among theirs before checking.
        assert answer.status_code in (302, 404)
    else:
        assert answer.status_code in (302, 403)
    assert response.reference.encode() not in content(answer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,allowed", [(r, True) for r in ALLOWED] + [(r, False) for r in DENIED]
)
def test_only_those_who_handle_the_hearing_can_approve(
    client, people, response, other_hearing, role, allowed
):
    client.force_login(people[role])
    client.post(reverse("hearing_responses:approve", args=[response.pk]))
    response.refresh_from_db()
    expected = ResponseStatus.PUBLISHED if allowed else ResponseStatus.SUBMITTED
    assert response.status == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,allowed", [(r, True) for r in ALLOWED] + [(r, False) for r in DENIED]
)
def test_only_those_who_handle_the_hearing_can_reject_or_bulk_approve(
    client, people, hearing, response, other_hearing, role, allowed
):
    client.force_login(people[role])
    client.post(
        reverse("hearing_responses:reject", args=[response.pk]), {"reason": "Personangreb"}
    )
    response.refresh_from_db()
    assert response.status == (ResponseStatus.REJECTED if allowed else ResponseStatus.SUBMITTED)


@pytest.mark.django_db
def test_the_other_owner_reaches_their_own_hearing_but_not_this_one(
    client, people, response, other_hearing
):
    client.force_login(people["other_owner"])
    own = client.get(reverse("hearing_responses:hearing", args=[other_hearing.pk]))
    assert own.status_code == 200
    refused = client.get(urls(response)["overview"])
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert refused.status_code == 302
    assert refused.url == reverse("wagtailadmin_home")


@pytest.mark.django_db
def test_attachments_of_a_response_are_not_served_to_editors(client, people, response):
    from django.core.files.base import ContentFile

    from hearings.models import ResponseAttachment

    attachment = ResponseAttachment(
        hearing=response.hearing,
        response=response,
        uploaded_by=people["employee"],
        question_id="files",
        original_name="bilag.txt",
        name="bilag.txt",
        content_type="text/plain",
        size=5,
        sha256="0" * 64,
    )
    attachment.file.save("bilag.txt", ContentFile(b"hello"), save=False)
    attachment.save()
    url = reverse("hearings:attachment", args=[attachment.pk])
    client.force_login(people["editor"])
    assert client.get(url).status_code == 404
    client.force_login(people["moderator"])
    assert client.get(url).status_code == 200
    inspect = client.get(reverse("hearing_responses:inspect", args=[response.pk]))
    assert url.encode() in inspect.content


@pytest.mark.django_db
def test_the_responses_menu_is_shown_only_to_those_who_handle_responses(client, people, response):
    client.force_login(people["moderator"])
    assert reverse("hearing_responses:index").encode() in client.get("/admin/").content
    client.force_login(people["editor"])
    assert reverse("hearing_responses:index").encode() not in client.get("/admin/").content


@pytest.mark.django_db
def test_the_responses_listing_counts_a_new_response_at_once(client, people, hearing, response):
    client.force_login(people["moderator"])
    listing = reverse("hearing_responses:index")
    assert client.get(listing).context["paginator"].count == 1
    submit(people["colleague"], hearing)
    assert client.get(listing).context["paginator"].count == 2
    assert client.get(listing, {"hearing": hearing.pk}).context["paginator"].count == 2
