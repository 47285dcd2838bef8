from .moderation import (
    ConclusionNotice,
    PublishedRespondentDetails,
    PublishResponses,
    ResponseRedaction,
)
from .pages import Audience, HearingIndexPage, HearingPage
from .people import EmployeeProfile
from .responses import (
    HearingResponse,
    OnBehalfOfKind,
    ResponseAttachment,
    ResponseRevision,
    ResponseStatus,
    ScanStatus,
)
from .reuse import ConsentText, ResponseFormTemplate
from .taxonomy import Department, HearingType, KLEClassification, SubjectArea

__all__ = [
    "Audience",
    "ConclusionNotice",
    "PublishResponses",
    "PublishedRespondentDetails",
    "ResponseRedaction",
    "ConsentText",
    "Department",
    "EmployeeProfile",
    "HearingIndexPage",
    "HearingPage",
    "HearingResponse",
    "HearingType",
    "KLEClassification",
    "OnBehalfOfKind",
    "ResponseAttachment",
    "ResponseFormTemplate",
    "ResponseRevision",
    "ResponseStatus",
    "ScanStatus",
    "SubjectArea",
]
