"""What the hearing page keeps per request and per session instead of asking again."""

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from hearings import access
from hearings.models import HearingPage

pytestmark = pytest.mark.django_db


class Session(dict):
    modified = False


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = Session()
    return request


def test_the_staff_flag_and_department_are_kept_in_the_session_for_a_while(
    people, departments, settings, hearing
):
    settings.AGORA_ACCESS_SESSION_SECONDS = 300
    employee = people["employee"]
    request = request_for(employee)
    access.remember_in_session(request, now=1000)
    kept = request.session[access.SESSION_KEY]
    assert kept["user"] == employee.pk and kept["staff"] is False
    assert kept["department"]["id"] == departments["team"].pk
    # The request that worked them out does not ask again whether they speak for a party.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert access.answerable_parties(employee, hearing) == []
    assert len(first) == 0

    # The next request reads them from the session: no query for either.
    again = request_for(type(employee).objects.get(pk=employee.pk))
    again.session.update(request.session)
    access.remember_in_session(again, now=1200)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert access.is_hearing_staff(again.user) is False
        assert access.audience_department_ids(again.user) == departments["team"].ancestor_ids
        assert access.user_department(again.user).name == "Team"
    assert len(queries) == 0


def test_what_the_session_keeps_is_asked_again_when_it_is_old_or_anothers(
    people, departments, settings
):
    settings.AGORA_ACCESS_SESSION_SECONDS = 300
    employee, moderator = people["employee"], people["moderator"]
    request = request_for(employee)
    access.remember_in_session(request, now=1000)
    # Five minutes later the employee has been made staff: the session learns it.
    employee.groups.add(Group.objects.get(name="Response moderators"))
    later = request_for(type(employee).objects.get(pk=employee.pk))
    later.session.update(request.session)
    access.remember_in_session(later, now=1301)
    assert later.session[access.SESSION_KEY]["staff"] is True
    # Another person's values are never taken over.
    other = request_for(moderator)
    other.session.update(request.session)
    access.remember_in_session(other, now=1001)
    assert other.session[access.SESSION_KEY]["user"] == moderator.pk
    assert other.session[access.SESSION_KEY]["department"] is None


def test_a_staff_role_taken_away_applies_at_the_next_request(people, settings):
    settings.AGORA_ACCESS_SESSION_SECONDS = 300
    moderator = people["moderator"]
    request = request_for(moderator)
    access.remember_in_session(request, now=1000)
    assert request.session[access.SESSION_KEY]["staff"] is True
    moderator.groups.clear()
    later = request_for(type(moderator).objects.get(pk=moderator.pk))
    later.session.update(request.session)
    access.remember_in_session(later, now=1010)
    assert access.is_hearing_staff(later.user) is False


def test_the_staff_flag_asks_for_the_one_permission_like_has_perm(people, make_user):
    for user in (people["employee"], people["moderator"], make_user("plain")):
        fresh = type(user).objects.get(pk=user.pk)
        assert access._has_admin_access(fresh) == fresh.has_perm("wagtailadmin.access_admin")


def test_a_hearing_has_the_view_restrictions_wagtail_would_find(hearing, hearing_index):
    assert list(hearing.get_view_restrictions()) == []
    restriction = PageViewRestriction.objects.create(
        page=hearing_index, restriction_type=PageViewRestriction.LOGIN
    )
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert list(hearing.get_view_restrictions()) == [restriction]
    assert list(Page.get_view_restrictions(hearing)) == [restriction]


def test_a_hearing_is_routed_in_one_query_with_its_index_for_the_breadcrumbs(
    client, people, hearing, hearing_index
):
    client.force_login(people["employee"])
    html = client.get(hearing.url).content.decode()
    assert f'href="{hearing_index.url}"' in html
    assert hearing_index.title in html
    # Its own routes (the receipt, amending) are still found below it.
    assert client.get(hearing.url + "response/999/receipt/").status_code == 404
    assert client.get(hearing.url + "no-such-route/").status_code == 404


def test_sign_in_throttling_counts_in_the_cache_its_setting_names(settings):
    from django.core.cache import caches

    from agora_site import throttle

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"},
    }
    settings.AGORA_THROTTLE_CACHE = "shared"
    throttle.cache.set("agora-test-key", 1, 60)
    assert caches["shared"].get("agora-test-key") == 1
    assert caches["default"].get("agora-test-key") is None


def test_production_keeps_wagtails_caches_in_memory_and_throttling_in_the_database():
    from tests.test_settings import PRODUCTION_ENV, manage

    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES[s.AGORA_THROTTLE_CACHE]['BACKEND'])"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    default, throttling = result.stdout.split()[-2:]
    assert default.endswith("LocMemCache")
    assert throttling.endswith("DatabaseCache")


def _handed_to_the_worker():
    """(function, *arguments) of each task written for the ORM broker's worker."""
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    tasks = [SignedPackage.loads(row.payload) for row in OrmQ.objects.order_by("pk")]
    return [(task["func"], *task["args"]) for task in tasks]


def test_without_mail_in_the_request_a_receipt_is_handed_to_the_worker(
    settings, people, hearing, mailoutbox, django_capture_on_commit_callbacks
):
    import uuid

    from hearings import notifications, responding
    from hearings.models import Notification

    settings.AGORA_SEND_MAIL_IN_REQUEST = False
    answers = {"opinion": {"type": "short_text", "label": "Din mening", "value": "Ja"}}
    with django_capture_on_commit_callbacks(execute=True):
        outcome = responding.submit(
            people["employee"], hearing, answers, token=uuid.uuid4(), on_behalf_of=("myself", "")
        )
    # The request renders nothing and queues no mail itself: it hands the worker the
    # response and the revision to confirm.
    handed = _handed_to_the_worker()
    assert handed == [("hearings.notifications.send_receipt", outcome.response.pk, False, 1)]
    assert not Notification.objects.exists()
    assert mailoutbox == []
    # Amended before the worker got to it: the receipt still shows what was handed in.
    amended = {"opinion": {**answers["opinion"], "value": "Nej"}}
    with django_capture_on_commit_callbacks(execute=True):
        responding.amend(people["employee"], outcome.response, amended)
    handed = _handed_to_the_worker()
    assert handed[-1] == ("hearings.notifications.send_receipt", outcome.response.pk, True, 2)

    notifications.send_receipt(*handed[0][1:])  # what the worker runs
    notifications.send_receipt(*handed[0][1:])  # run again (a retry): no second mail
    assert len(mailoutbox) == 1
    assert "Ja" in mailoutbox[0].body and "Nej" not in mailoutbox[0].body
    notifications.send_receipt(*handed[1][1:])
    assert len(mailoutbox) == 2 and "Nej" in mailoutbox[1].body


def test_the_receipts_task_is_the_package_async_task_writes():
    """The row written for the worker holds what django-q's own ``async_task`` would
    write for the same call: the worker cannot tell them apart."""
    from django_q import tasks
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    from hearings import notifications

    tasks.async_task("hearings.notifications.send_receipt", 7, False, 1, task_name="receipt-7-1")
    notifications.enqueue(
        notifications.worker_task(
            "hearings.notifications.send_receipt", 7, False, 1, name="receipt-7-1"
        )
    )
    theirs, ours = OrmQ.objects.order_by("pk")
    assert (ours.key, ours.lock is not None) == (theirs.key, True)
    theirs, ours = SignedPackage.loads(theirs.payload), SignedPackage.loads(ours.payload)
    assert theirs.keys() == ours.keys()
    for key in theirs.keys() - {"id", "started"}:
        assert ours[key] == theirs[key], key
    assert len(ours["id"]) == len(theirs["id"]) and ours["id"] != theirs["id"]


def test_with_django_q_running_tasks_at_once_the_receipt_is_run_by_async_task(
    settings, people, hearing, monkeypatch, django_capture_on_commit_callbacks
):
    import uuid

    from django_q.conf import Conf
    from django_q.models import OrmQ

    from hearings import responding

    settings.AGORA_SEND_MAIL_IN_REQUEST = False
    monkeypatch.setattr(Conf, "SYNC", True)
    handed = []
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda func, *args, **kwargs: handed.append((func, *args))
    )
    answers = {"opinion": {"type": "short_text", "label": "Din mening", "value": "Ja"}}
    with django_capture_on_commit_callbacks(execute=True):
        outcome = responding.submit(
            people["employee"], hearing, answers, token=uuid.uuid4(), on_behalf_of=("myself", "")
        )
    assert handed == [("hearings.notifications.send_receipt", outcome.response.pk, False, 1)]
    assert not OrmQ.objects.exists()


def test_a_receipt_the_worker_cannot_be_handed_is_queued_in_the_request(
    settings, people, hearing, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    import uuid

    from hearings import notifications, responding
    from hearings.models import Notification

    settings.AGORA_SEND_MAIL_IN_REQUEST = False

    def unsigned(*args, **kwargs):
        raise ValueError("the task cannot be signed")

    monkeypatch.setattr(notifications, "worker_task", unsigned)
    answers = {"opinion": {"type": "short_text", "label": "Din mening", "value": "Ja"}}
    with django_capture_on_commit_callbacks(execute=True):
        responding.submit(
            people["employee"], hearing, answers, token=uuid.uuid4(), on_behalf_of=("myself", "")
        )
    [row] = Notification.objects.all()
    assert row.status == Notification.Status.QUEUED and mailoutbox == []
    notifications.flush()  # the outbox job
    assert len(mailoutbox) == 1


def test_a_receipt_that_cannot_be_written_stores_no_answer(
    settings, people, hearing, monkeypatch, django_capture_on_commit_callbacks
):
    """The task is written in the answer's transaction: if it cannot be, nothing is
    stored, never an answer without a receipt."""
    import uuid

    from django.db import DatabaseError

    from hearings import notifications, responding
    from hearings.models import HearingResponse

    settings.AGORA_SEND_MAIL_IN_REQUEST = False

    def broken(package):
        raise DatabaseError("the queue's table is gone")

    monkeypatch.setattr(notifications, "enqueue", broken)
    answers = {"opinion": {"type": "short_text", "label": "Din mening", "value": "Ja"}}
    with pytest.raises(DatabaseError):
        responding.submit(
            people["employee"], hearing, answers, token=uuid.uuid4(), on_behalf_of=("myself", "")
        )
    assert not HearingResponse.objects.exists()


def test_with_the_redis_broker_the_receipt_is_queued_in_the_request(
    settings, people, hearing, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis does not deliver a task again if its worker dies: the receipt's outbox row
    is written with the answer instead, and the outbox job sends it if the worker does
    not."""
    import uuid

    from hearings import responding
    from hearings.models import Notification

    settings.AGORA_SEND_MAIL_IN_REQUEST = False
    settings.Q_CLUSTER = {"name": "agora", "redis": "redis://127.0.0.1:6379/0"}
    handed = []
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda func, *args, **kwargs: handed.append((func, *args))
    )
    answers = {"opinion": {"type": "short_text", "label": "Din mening", "value": "Ja"}}
    with django_capture_on_commit_callbacks(execute=True):
        responding.submit(
            people["employee"], hearing, answers, token=uuid.uuid4(), on_behalf_of=("myself", "")
        )
    [row] = Notification.objects.all()
    assert handed == [("hearings.notifications.send_queued", row.pk)]


@pytest.mark.parametrize("seconds", [300, 0])
def test_signing_in_keeps_the_access_facts_so_the_first_page_writes_no_session(
    client, people, departments, settings, hearing, seconds
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.AGORA_ACCESS_SESSION_SECONDS = seconds
    employee = people["employee"]
    employee.set_password("a-long-pass-phrase")
    employee.save()
    signed_in = client.post(
        "/accounts/login/", {"username": employee.username, "password": "a-long-pass-phrase"}
    )
    assert signed_in.status_code == 302
    kept = client.session.get(access.SESSION_KEY)
    with CaptureQueriesContext(connection) as first_page:
        assert client.get(hearing.url).status_code == 200
    writes = [q["sql"] for q in first_page if q["sql"].startswith("UPDATE")]
    if seconds:
        assert kept["user"] == employee.pk and kept["staff"] is False
        assert kept["department"]["id"] == departments["team"].pk
        assert writes == []  # the session signing in wrote holds what the page needs
    else:
        assert kept is None  # nothing kept: asked on every request, as before
