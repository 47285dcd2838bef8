"""One answer per person, in time, never lost and never duplicated."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hearings import responding
from hearings.errors import Refused
from hearings.models import HearingPage, HearingResponse, ResponseStatus

from .conftest import valid_post

ANSWERS = {"short": {"type": "short_text", "label": "Din titel", "value": "Pædagog"}}


def submit(user, hearing, token=None, answers=ANSWERS, now=None):
    return responding.submit(
        user, hearing, answers, token=token or uuid.uuid4(), send_receipt=False, now=now
    )


@pytest.mark.django_db
def test_two_identical_posts_in_a_row_store_one_response(client, open_hearing, audience):
    client.force_login(audience["employee"])
    data = valid_post(uuid.uuid4())
    first = client.post(open_hearing.url, data)
    second = client.post(open_hearing.url, data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url  # both land on the same receipt
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


@pytest.mark.django_db
def test_a_repeated_token_returns_the_stored_response(open_hearing, audience):
    token = uuid.uuid4()
    first = submit(audience["employee"], open_hearing, token)
    again = submit(audience["employee"], open_hearing, token)
    assert again.duplicate and again.response.pk == first.response.pk
    assert HearingResponse.objects.count() == 1


@pytest.mark.django_db
def test_a_second_answer_with_a_new_token_is_refused(open_hearing, audience):
    submit(audience["employee"], open_hearing)
    with pytest.raises(Refused, match="already answered"):
        submit(audience["employee"], open_hearing)
    assert HearingResponse.objects.count() == 1


@pytest.mark.django_db
def test_the_database_allows_one_active_response_per_person_and_hearing(open_hearing, audience):
    user = audience["employee"]
    HearingResponse.objects.create(hearing=open_hearing, respondent=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingResponse.objects.create(hearing=open_hearing, respondent=user)
    # A withdrawn answer does not count: the person may answer again.
    HearingResponse.objects.filter(respondent=user).update(
        status=ResponseStatus.WITHDRAWN, reference="H-X-1", sequence=1
    )
    HearingResponse.objects.create(hearing=open_hearing, respondent=user)


def run_at_once(count, action):
    """Run ``action(index)`` in ``count`` threads that start together; return results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait()
            results[index] = action(index)
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("read_again", [True, False], ids=["read-again", "seen-none"])
def test_two_concurrent_submissions_of_the_same_form_store_one_response(
    open_hearing, audience, read_again
):
    """Also as the hearing page's POST hands in (``read_again`` off): without reading
    the person's active response again under the lock (#16)."""
    token = uuid.uuid4()
    hand_in = submit if read_again else submit_seen_none
    results = run_at_once(2, lambda i: hand_in(audience["employee"], open_hearing, token))
    assert all(isinstance(r, responding.Outcome) for r in results), results
    assert sorted(r.duplicate for r in results) == [False, True]
    assert results[0].response.pk == results[1].response.pk
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_answers_from_two_tabs_store_one_response(open_hearing, audience):
    results = run_at_once(2, lambda i: submit(audience["employee"], open_hearing))
    stored = [r for r in results if isinstance(r, responding.Outcome)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(stored) == 1 and len(refused) == 1, results
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_answers_from_many_people_get_distinct_references(
    open_hearing, make_user, departments
):
    people = [make_user(f"p{i}", department=departments["team"]) for i in range(4)]
    results = run_at_once(4, lambda i: submit(people[i], open_hearing))
    assert all(isinstance(r, responding.Outcome) for r in results), results
    references = {r.response.reference for r in results}
    assert len(references) == 4
    assert {ref[-4:] for ref in references} == {"0001", "0002", "0003", "0004"}


@pytest.fixture
def closing_hearing(open_hearing):
    """The hearing with a deadline on a whole second, to step around it."""
    deadline = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    HearingPage.objects.filter(pk=open_hearing.pk).update(closes_at=deadline)
    open_hearing.refresh_from_db()
    return open_hearing


@pytest.mark.django_db
def test_an_answer_one_second_before_the_deadline_is_accepted(closing_hearing, audience):
    just_in_time = closing_hearing.closes_at - timedelta(seconds=1)
    outcome = submit(audience["employee"], closing_hearing, now=just_in_time)
    assert outcome.response.status == ResponseStatus.SUBMITTED


@pytest.mark.django_db
def test_an_answer_one_second_after_the_deadline_is_refused_and_nothing_is_stored(
    client, closing_hearing, audience
):
    client.force_login(audience["employee"])
    # The form was loaded in time ...
    form = client.get(closing_hearing.url).content.decode()
    assert 'name="q-short"' in form
    # ... but posted one second after the deadline.
    one_second_ago = timezone.now() - timedelta(seconds=1)
    HearingPage.objects.filter(pk=closing_hearing.pk).update(closes_at=one_second_ago)
    late = client.post(closing_hearing.url, valid_post(uuid.uuid4()))
    assert late.status_code == 200
    assert "The deadline has passed; the hearing no longer takes answers." in late.content.decode()
    assert not HearingResponse.objects.exists()


@pytest.mark.django_db
def test_the_deadline_is_read_inside_the_saving_transaction(closing_hearing, audience):
    """A check made before saving (e.g. when the page loaded) does not let a late answer in."""
    assert responding.access.can_respond(audience["employee"], closing_hearing)
    with pytest.raises(Refused, match="deadline") as refused:
        # The deadline itself is already too late.
        submit(audience["employee"], closing_hearing, now=closing_hearing.closes_at)
    assert refused.value.code == Refused.CONFLICT
    assert not HearingResponse.objects.exists()


@pytest.mark.django_db
def test_the_locked_hearing_is_read_fresh_but_its_texts_are_not_read_again(
    open_hearing, audience, django_assert_num_queries
):
    """Under the lock the hearing's columns are read again (its deadline, publication and
    type as they are now), not its texts: those are what the person answered (#16)."""
    from django.db import connection, transaction

    from hearings.models import HearingType

    kind = HearingType.objects.create(name="Høring med hurtig godkendelse", auto_approve=True)
    page = HearingPage.objects.select_related("hearing_type").get(pk=open_hearing.pk)
    later = page.closes_at + timedelta(days=3)
    HearingPage.objects.filter(pk=page.pk).update(closes_at=later, hearing_type=kind)
    with transaction.atomic(), django_assert_num_queries(1) as queries:
        locked = responding._lock_hearing(page)
        assert locked.body == page.body and locked.title == page.title
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in queries.captured_queries[0]["sql"]
    assert '"body"' not in queries.captured_queries[0]["sql"]
    assert locked.closes_at == later and page.closes_at != later
    assert locked.hearing_type == kind  # the cached type it had is not carried over
    assert locked is not page and not locked._state.adding


@pytest.mark.django_db
def test_a_draft_is_saved_and_resumed_with_everything_typed(client, open_hearing, audience):
    client.force_login(audience["employee"])
    saved = client.post(
        open_hearing.url,
        {
            "token": str(uuid.uuid4()),
            "action": "draft",
            "q-short": "Halvfærdig titel",
            "q-long": "Jeg skal lige tænke over det",
            "q-multi": ["phone"],
        },
    )
    assert saved.status_code == 302
    draft = HearingResponse.objects.get()
    assert draft.status == ResponseStatus.DRAFT and draft.reference == ""

    # Later: the form comes back filled in.
    html = client.get(open_hearing.url).content.decode()
    assert 'value="Halvfærdig titel"' in html
    assert "Jeg skal lige tænke over det</textarea>" in html
    assert 'value="phone" checked' in html
    assert "You are continuing your draft" in html

    # Submitting the completed draft turns that same row into the answer.
    done = client.post(open_hearing.url, valid_post(uuid.uuid4(), **{"q-short": "Færdig"}))
    assert done.status_code == 302
    response = HearingResponse.objects.get()
    assert response.pk == draft.pk
    assert response.status == ResponseStatus.SUBMITTED
    assert response.answers["short"]["value"] == "Færdig"


@pytest.mark.django_db
def test_every_amendment_is_kept_with_who_when_and_what(open_hearing, audience):
    user = audience["employee"]
    response = submit(user, open_hearing).response
    for title in ("Leder", "Souschef"):
        responding.amend(
            user,
            response,
            {"short": {"type": "short_text", "label": "Din titel", "value": title}},
            token=uuid.uuid4(),
            send_receipt=False,
        )
    history = list(response.revisions.all())
    assert [r.kind for r in history] == ["submitted", "amended", "amended"]
    assert all(r.created_by == user and r.created_at for r in history)
    assert history[1].changes["short"]["before"] == "Pædagog"
    assert history[1].changes["short"]["after"] == "Leder"
    assert history[2].changes["short"] == {
        "label": "Din titel",
        "before": "Leder",
        "after": "Souschef",
    }
    assert history[2].answers["short"]["value"] == "Souschef"


@pytest.mark.django_db
def test_only_the_respondent_may_amend_and_not_after_the_deadline(open_hearing, audience):
    response = submit(audience["employee"], open_hearing).response
    with pytest.raises(Refused, match="Only the person") as refused:
        responding.amend(audience["colleague"], response, ANSWERS, send_receipt=False)
    assert refused.value.code == Refused.FORBIDDEN
    late = open_hearing.closes_at + timedelta(seconds=1)
    with pytest.raises(Refused, match="deadline"):
        responding.withdraw(audience["employee"], response, now=late)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED


@pytest.mark.django_db
def test_an_outsider_cannot_answer(open_hearing, audience):
    with pytest.raises(Refused, match="not invited"):
        submit(audience["outsider"], open_hearing)
    assert not HearingResponse.objects.exists()


@pytest.mark.django_db
def test_after_withdrawing_a_person_may_answer_again_with_a_new_reference(open_hearing, audience):
    user = audience["employee"]
    first = submit(user, open_hearing).response
    responding.withdraw(user, first)
    second = submit(user, open_hearing).response
    assert second.pk != first.pk
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")
    first.refresh_from_db()
    assert first.status == ResponseStatus.WITHDRAWN
    assert responding.active_response(user, open_hearing) == second


@pytest.mark.django_db
def test_the_receipt_e_mail_carries_the_reference(
    open_hearing, audience, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        outcome = responding.submit(
            audience["employee"], open_hearing, ANSWERS, token=uuid.uuid4()
        )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert outcome.response.reference in message.subject
    assert outcome.response.reference in message.body
    assert "Pædagog" in message.body
    assert outcome.response.page_path() in message.body


@pytest.mark.django_db
def test_a_twin_post_that_missed_the_first_by_a_moment_goes_to_the_receipt_too(
    client, open_hearing, audience, monkeypatch
):
    """Two posts of one form at the same moment: the second looked for the token before
    the first was stored, then found the stored answer. It goes to the receipt, as the
    first did, not to a page that looks as if something were wrong (#16: 5 of 1,050
    posts in the deadline rush)."""
    client.force_login(audience["employee"])
    token = uuid.uuid4()
    first = client.post(open_hearing.url, valid_post(token))
    assert first.status_code == 302
    # The second read the person's responses before the first was stored: neither its
    # token nor an active response was there, so it hands in without reading again.
    monkeypatch.setattr(responding, "earlier_and_active", lambda *args: (None, None))
    second = client.post(open_hearing.url, valid_post(token))
    assert second.status_code == 302 and second.url == first.url
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


def submit_seen_none(user, hearing, token=None):
    """What the hearing page's POST does when the person had no active response a
    moment ago: hand in without reading it again under the lock (#16)."""
    return responding.submit(
        user,
        hearing,
        ANSWERS,
        token=token or uuid.uuid4(),
        send_receipt=False,
        token_checked=True,
        active_seen=None,
    )


@pytest.mark.django_db
def test_a_draft_saved_since_the_page_was_read_becomes_the_answer(open_hearing, audience):
    user = audience["employee"]
    draft = responding.save_draft(user, open_hearing, {}).response
    outcome = submit_seen_none(user, open_hearing)
    assert not outcome.duplicate
    assert outcome.response.pk == draft.pk
    assert outcome.response.status == ResponseStatus.SUBMITTED
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


@pytest.mark.django_db
def test_an_answer_handed_in_since_the_page_was_read_refuses_a_second(open_hearing, audience):
    user = audience["employee"]
    submit(user, open_hearing)
    with pytest.raises(Refused, match="already answered"):
        submit_seen_none(user, open_hearing)
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


@pytest.mark.django_db
def test_a_twin_stored_since_the_page_was_read_is_found_by_its_token(open_hearing, audience):
    user, token = audience["employee"], uuid.uuid4()
    first = submit(user, open_hearing, token)
    again = submit_seen_none(user, open_hearing, token)
    assert again.duplicate and again.response.pk == first.response.pk
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


@pytest.mark.django_db
def test_at_once_a_draft_is_left_for_the_careful_way(open_hearing, audience):
    """``submit(at_once=True)`` (the hearing page's first try) stores nothing when the
    person has a draft: the page then reads the draft and hands it in the careful way."""
    user = audience["employee"]
    draft = responding.save_draft(user, open_hearing, {"short": {"value": "Udkast"}}).response
    with pytest.raises(responding.NotAtOnce):
        responding.submit(
            user, open_hearing, ANSWERS, token=uuid.uuid4(), send_receipt=False, at_once=True
        )
    draft.refresh_from_db()
    assert draft.status == ResponseStatus.DRAFT and draft.answers["short"]["value"] == "Udkast"
    assert HearingResponse.objects.filter(hearing=open_hearing).count() == 1


@pytest.mark.django_db
def test_a_second_answer_posted_on_the_page_shows_the_first(client, open_hearing, audience):
    client.force_login(audience["employee"])
    first = client.post(open_hearing.url, valid_post(uuid.uuid4(), **{"q-short": "Første"}))
    assert first.status_code == 302
    again = client.post(open_hearing.url, valid_post(uuid.uuid4(), **{"q-short": "Anden"}))
    assert again.status_code == 200
    stored = HearingResponse.objects.get(hearing=open_hearing)
    assert stored.reference in again.content.decode()
    assert stored.answers["short"]["value"] == "Første"


@pytest.mark.django_db
def test_a_form_token_another_persons_answer_used_stores_nothing(client, open_hearing, audience):
    """A post carrying the token of someone else's answer (copied, or guessed) is not
    that answer's twin: nothing is stored, the person is told, and no page breaks."""
    token = uuid.uuid4()
    theirs = submit(audience["colleague"], open_hearing, token).response
    client.force_login(audience["employee"])
    answer = client.post(open_hearing.url, valid_post(token))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Pædagog" in html  # what the person typed is kept
    assert "the form had been sent already" in html  # not "you have already answered"
    assert not HearingResponse.objects.filter(respondent=audience["employee"]).exists()
    theirs.refresh_from_db()
    assert theirs.respondent == audience["colleague"]
    # The form shown again carries a new token: sent again, the answer is stored.
    fresh = answer.context["form"]["token"].value()
    assert str(fresh) != str(token)
    again = client.post(open_hearing.url, valid_post(fresh))
    assert again.status_code == 302
    assert HearingResponse.objects.filter(respondent=audience["employee"]).count() == 1
