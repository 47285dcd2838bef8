"""The jobs' window onto responses: reminders and the owners' digest read them here."""

from dataclasses import dataclass

from hearings.models.responses import HearingResponse, ResponseStatus

# Responses that count as answers: not drafts, not withdrawn.
COUNTED = [ResponseStatus.SUBMITTED, ResponseStatus.PUBLISHED, ResponseStatus.REJECTED]


@dataclass(frozen=True)
class ResponseCounts:
    new: int = 0
    awaiting_moderation: int = 0
    total: int = 0


def respondent_ids(hearing):
    """Ids of the users who have answered ``hearing`` (a draft is not an answer)."""
    return set(
        HearingResponse.objects.filter(hearing=hearing, status__in=COUNTED).values_list(
            "respondent_id", flat=True
        )
    )


def response_counts(hearing, since):
    """Responses to ``hearing``: submitted after ``since``, awaiting moderation, in all."""
    responses = HearingResponse.objects.filter(hearing=hearing, status__in=COUNTED)
    return ResponseCounts(
        new=responses.filter(submitted_at__gte=since).count(),
        awaiting_moderation=responses.filter(status=ResponseStatus.SUBMITTED).count(),
        total=responses.count(),
    )
