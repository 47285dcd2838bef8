"""Shared fixtures: a small municipality built through the page tree and model APIs.

Fixtures that more than one area uses live in tests/fixtures/, loaded for every test by
``pytest_plugins`` below (pytest reads it only in this root conftest); fixtures of one
area live in a conftest.py beside its tests. No conftest imports another.

Tests marked ``postgresql`` need what only PostgreSQL does (row locks between threads,
another process on the test database): on SQLite they are skipped with the reason shown,
and .ci/run runs them on PostgreSQL. The summary names the database the tests ran on.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from wagtail.models import Site

from hearings.models import Department, EmployeeProfile, HearingIndexPage, HearingPage

pytest_plugins = ["tests.fixtures.clamd", "tests.fixtures.jobs", "tests.fixtures.responding"]

POSTGRESQL_ONLY = "PostgreSQL only: .ci/run runs it on PostgreSQL (or set DATABASE_URL)"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: what one test's sites kept there (their
    municipality's name, Wagtail's site paths, the sites kept in process memory) never
    shows in another's."""
    from hearings import sites

    cache.clear()
    sites.forget_sites()


@pytest.fixture
def kept_counts_held(monkeypatch):
    """Hold the clock the kept counts (``hearings.listing.kept_count``) are keyed by:
    they are kept per 30-second step, so a test comparing the queries of two requests
    would see one more count, by chance, when a step ended between them."""
    from hearings import listing

    monkeypatch.setattr(listing, "count_step", lambda now: 0)


def pytest_collection_modifyitems(items):
    if connection.vendor == "postgresql":
        return
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(pytest.mark.skip(reason=POSTGRESQL_ONLY))


def pytest_terminal_summary(terminalreporter):
    """Print e.g. ``database: sqlite — 312 passed, 4 skipped (PostgreSQL only)``."""
    stats = terminalreporter.stats
    skipped = stats.get("skipped", [])
    postgresql_only = sum(1 for report in skipped if "postgresql" in report.keywords)
    counts = [
        (len(stats.get("passed", [])), "passed"),
        (len(stats.get("failed", [])), "failed"),
        (len(stats.get("error", [])), "errors"),
        (postgresql_only, "skipped (PostgreSQL only)"),
        (len(skipped) - postgresql_only, "skipped (other reasons)"),
    ]
    summary = ", ".join(f"{count} {what}" for count, what in counts if count) or "no tests ran"
    ran = {
        report.nodeid
        for outcome in ("passed", "failed", "error")
        for report in stats.get(outcome, [])
        if "postgresql" in report.keywords
    }
    if ran:
        summary += f"; {len(ran)} PostgreSQL-only tests ran"
    terminalreporter.write_line(f"database: {connection.vendor} — {summary}")


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def hearing_index(db, site):
    # Created by the editorial-setup migration, like on every installation.
    return HearingIndexPage.objects.child_of(site.root_page).get()


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
