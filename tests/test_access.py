"""Who sees and who answers an internal hearing: hearings/access.py, through the real pages."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hearings import access
from hearings.models import HearingPage


@pytest.fixture
def people(departments, make_user):
    return {
        "center": make_user("center_employee", departments["center"]),
        "team": make_user("team_employee", departments["team"]),
        "other": make_user("other_employee", departments["other"]),
        "nobody": make_user("no_department"),
        "editor": make_user("editor", departments["other"], groups=["Hearing editors"]),
        "admin": make_user("root", is_superuser=True),
    }


@pytest.fixture
def hearing(make_hearing, departments):
    return make_hearing(title="Ny politik", departments=[departments["center"]])


def test_an_anonymous_visitor_is_sent_to_sign_in(client, hearing):
    response = client.get(hearing.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_invited_employee_sees_the_hearing(client, hearing, people):
    client.force_login(people["center"])
    response = client.get(hearing.url)
    assert response.status_code == 200
    assert "Ny politik" in response.text


def test_an_employee_of_a_sub_department_is_invited_too(client, hearing, people):
    client.force_login(people["team"])
    assert client.get(hearing.url).status_code == 200
    assert access.can_respond(people["team"], hearing)


@pytest.mark.parametrize("who", ["other", "nobody"])
def test_an_employee_outside_the_audience_gets_404(client, hearing, people, who):
    client.force_login(people[who])
    assert client.get(hearing.url).status_code == 404
    assert not access.can_see(people[who], hearing)
    assert not access.can_respond(people[who], hearing)


@pytest.mark.parametrize("who", ["editor", "admin"])
def test_staff_see_every_hearing_but_answer_only_where_invited(hearing, people, who):
    assert access.can_see(people[who], hearing)
    assert not access.can_respond(people[who], hearing)


def test_an_unpublished_hearing_is_hidden_from_its_audience(make_hearing, departments, people):
    draft = make_hearing(departments=[departments["center"]], live=False)
    assert not access.can_see(people["center"], draft)
    assert access.can_see(people["editor"], draft)


def test_an_upcoming_hearing_is_visible_but_takes_no_answers(make_hearing, departments, people):
    now = timezone.now()
    upcoming = make_hearing(
        departments=[departments["center"]],
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=2),
    )
    assert upcoming.phase == "upcoming"
    assert access.can_see(people["center"], upcoming)
    assert not access.can_respond(people["center"], upcoming)
    # The site speaks Danish by default.
    assert "ikke åben for svar endnu" in str(access.why_not_respond(people["center"], upcoming))


def test_a_closed_hearing_takes_no_answers(make_hearing, departments, people):
    now = timezone.now()
    closed = make_hearing(
        departments=[departments["center"]],
        opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(seconds=1),
    )
    assert not access.can_respond(people["center"], closed)
    assert "Fristen er overskredet" in str(access.why_not_respond(people["center"], closed))


def test_anonymous_users_can_neither_see_nor_answer(hearing):
    anonymous = AnonymousUser()
    assert not access.can_see(anonymous, hearing)
    assert not access.can_respond(anonymous, hearing)


def test_the_listing_helper_agrees_with_can_see(make_hearing, departments, people):
    make_hearing(title="for center", departments=[departments["center"]])
    make_hearing(title="for everyone", departments=[departments["kommune"]])
    make_hearing(title="for other", departments=[departments["other"]])
    make_hearing(title="draft", departments=[departments["kommune"]], live=False)
    for user in people.values():
        listed = set(access.visible_hearings(user).values_list("title", flat=True))
        expected = {h.title for h in HearingPage.objects.all() if access.can_see(user, h)}
        assert listed == expected, user.username
    assert set(access.visible_hearings(people["team"]).values_list("title", flat=True)) == {
        "for center",
        "for everyone",
    }
    assert not access.visible_hearings(AnonymousUser()).exists()


@pytest.mark.parametrize(
    "provider_backend",
    ["agora_site.identity_backends.SAMLAuth", "agora_site.identity_backends.OpenIdConnectAuth"],
)
def test_with_an_identity_provider_configured_employees_and_editors_get_their_pages(
    client, hearing, people, settings, provider_backend
):
    """The identity providers' backends have no ``has_perm``: asking whether someone is
    staff must skip them, as Django does, not fail on every page for everyone."""
    from django.utils.module_loading import import_string

    try:
        import_string(provider_backend)
    except ImportError:
        pytest.skip(f"{provider_backend} is not this installation's")
    settings.AUTHENTICATION_BACKENDS = [
        provider_backend,
        "django.contrib.auth.backends.ModelBackend",
    ]
    client.force_login(people["center"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(hearing.url).status_code == 200
    assert access.is_hearing_staff(people["center"]) is False
    editor = type(people["editor"]).objects.get(pk=people["editor"].pk)
    assert access.is_hearing_staff(editor) is True
