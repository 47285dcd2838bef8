"""load_demo: the Contract's demo, idempotent, refused in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from hearings import access, notifications
from hearings.models import Department, HearingPage

USERNAMES = {"admin", "editor", "approver", "moderator", "employee1", "employee2", "employee3"}


def snapshot():
    return {
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "departments": sorted(Department.objects.values_list("path", "name")),
        "hearings": sorted(
            (h.slug, h.title, h.phase, h.live) for h in HearingPage.objects.specific()
        ),
    }


@override_settings(DEBUG=True)
def test_the_demo_has_every_phase_and_every_role(db):
    call_command("load_demo", verbosity=0)
    users = {u.username: u for u in get_user_model().objects.all()}
    assert USERNAMES <= set(users)
    assert users["admin"].is_superuser
    assert all(u.check_password("demo") for name, u in users.items() if name in USERNAMES)
    phases = {h.phase for h in HearingPage.objects.all()}
    assert phases == {"draft", "upcoming", "open", "closed", "concluded"}
    open_hearings = [h for h in HearingPage.objects.all() if h.phase == "open"]
    assert any(not access.can_see(users["employee3"], h) for h in open_hearings)
    departments = {
        users[name].employee_profile.department for name in ("employee1", "employee2", "employee3")
    }
    assert len(departments) == 3
    # Each demo answer's history starts when its receipt says it was handed in.
    from hearings.models import ResponseRevision

    first = ResponseRevision.objects.filter(number=1, response__submitted_at__isnull=False)
    assert first.exists()
    for revision in first.select_related("response"):
        if revision.response.channel == "agora":
            assert revision.created_at == revision.response.submitted_at


@override_settings(DEBUG=True)
def test_running_the_demo_twice_gives_the_same_content(db):
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


@override_settings(DEBUG=False)
def test_the_demo_refuses_to_run_with_debug_off(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", verbosity=0)
    assert not get_user_model().objects.filter(username="employee1").exists()
    call_command("load_demo", "--force", verbosity=0)
    assert get_user_model().objects.filter(username="employee1").exists()


@override_settings(DEBUG=True, WAGTAILADMIN_BASE_URL="http://127.0.0.1:8123")
def test_the_demos_links_point_at_the_address_it_is_served_on(db):
    call_command("load_demo", verbosity=0)
    hearing = HearingPage.objects.live().first()
    assert notifications.hearing_url(hearing).startswith("http://127.0.0.1:8123/hearings/")
