"""Fixtures of the shared library and content bundles: a second municipality site."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.users.models import UserProfile

from hearings.models import Department


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AGORA_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def other_site(site):
    root = Page.get_first_root_node()
    home = root.add_child(instance=Page(title="Nabo Kommune", slug="nabo"))
    return Site.objects.create(hostname="nabo.localhost", port=80, root_page=home)


@pytest.fixture
def staff(make_user, site, other_site):
    """An editor of each municipality (by their department) and a superuser."""
    own = Department.objects.create(site=site, name="Agora", code="agora")
    other = Department.objects.create(site=other_site, name="Nabo", code="nabo")
    people = {
        "own": make_user("editor", department=own, is_staff=True, groups=["Editors"]),
        "other": make_user("nabo-editor", department=other, is_staff=True, groups=["Editors"]),
        "root": make_user("root", is_superuser=True, is_staff=True),
    }
    for user in people.values():  # messages are asserted in English; the admin is Danish
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
    return people
