"""The admin shows initials, never a Gravatar: no e-mail hash leaves the building."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_the_admin_shows_initials_instead_of_a_gravatar(client):
    admin = get_user_model().objects.create_superuser(
        "mona", "mona@example.org", "x", first_name="Mona", last_name="Hansen"
    )
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert '<span class="agora-initials" aria-hidden="true">MH</span>' in page
    assert "gravatar.com" not in page
    assert "hearings/css/admin.css" in page


def test_without_a_name_the_initial_is_the_username_s(client):
    admin = get_user_model().objects.create_superuser("kim", "kim@example.org", "x")
    client.force_login(admin)
    assert (
        '<span class="agora-initials" aria-hidden="true">K</span>'
        in client.get("/admin/").content.decode()
    )
