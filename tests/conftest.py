"""Shared fixtures: a small municipality built through the page tree and model APIs.

Area-specific fixtures live in a conftest.py beside those tests.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Site

from hearings.models import Department, EmployeeProfile, HearingIndexPage, HearingPage


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def hearing_index(db):
    # Created by the editorial-setup migration, like on every installation.
    return HearingIndexPage.objects.get()


@pytest.fixture
def departments(site):
    """kommune → (center → team), kommune → other."""
    kommune = Department.objects.create(site=site, name="Kommune", code="kommune")
    center = Department.objects.create(site=site, name="Center", code="center", parent=kommune)
    team = Department.objects.create(site=site, name="Team", code="team", parent=center)
    other = Department.objects.create(site=site, name="Other", code="other", parent=kommune)
    return {"kommune": kommune, "center": center, "team": team, "other": other}


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, department=None, groups=(), **extra):
        user = django_user_model.objects.create_user(
            username=username, password="pw", email=f"{username}@example.dk", **extra
        )
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        if department is not None:
            EmployeeProfile.objects.create(user=user, department=department)
        return user

    return make


@pytest.fixture
def make_hearing(hearing_index):
    """Build a hearing through the page tree; published unless ``live=False``."""

    def make(
        title="Høring",
        departments=(),
        opens_at=None,
        closes_at=None,
        live=True,
        **fields,
    ):
        now = timezone.now()
        hearing = HearingPage(
            title=title,
            summary=fields.pop("summary", "Kort resumé."),
            opens_at=opens_at or now - timedelta(days=1),
            closes_at=closes_at or now + timedelta(days=7),
            live=False,
            **fields,
        )
        hearing_index.add_child(instance=hearing)
        hearing.invited_departments.set(departments)
        revision = hearing.save_revision()
        if live:
            revision.publish()
        return HearingPage.objects.get(pk=hearing.pk)

    return make
