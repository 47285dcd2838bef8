"""The jobs' window onto responses: reminders and the owners' digest read them here.

MERGE: ``HearingResponse`` (hearings/models/responses.py) is built on the responding
branch. Until it is merged these functions answer "no responses"; at merge, replace
the bodies marked MERGE with the queries shown in their docstrings. Nothing else in
the jobs code touches responses, except ``hearings.exports.responses``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ResponseCounts:
    new: int = 0
    awaiting_moderation: int = 0
    total: int = 0


def respondent_ids(hearing):
    """Ids of the users who have a response to ``hearing`` that still counts.

    MERGE: ``set(HearingResponse.objects.filter(hearing=hearing).exclude(
    status="withdrawn").values_list("respondent_id", flat=True))``
    """
    return set()


def response_counts(hearing, since):
    """Responses to ``hearing``: submitted after ``since``, awaiting moderation, in all.

    MERGE: with ``responses = HearingResponse.objects.filter(hearing=hearing)``:
    ``ResponseCounts(new=responses.filter(submitted_at__gte=since).exclude(
    status="withdrawn").count(), awaiting_moderation=responses.filter(
    status="submitted").count(), total=responses.exclude(status="withdrawn").count())``
    """
    return ResponseCounts()
