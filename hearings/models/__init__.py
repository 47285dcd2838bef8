from .esdh import FiledDocument, HearingExport
from .library import TextBlockSnippet
from .moderation import (
    ConclusionNotice,
    PublishedRespondentDetails,
    PublishResponses,
    ResponseRedaction,
)
from .municipality import AccentColour, MunicipalitySettings, municipality_of
from .notifications import Notification
from .pages import Audience, HearingIndexPage, HearingPage
from .parties import AnswerTheme, HearingParty, HearingTheme, ManualReminder, PartyKind
from .people import EmployeeProfile, GroupSite
from .privacy import PrivacySettings, RetentionAction
from .responses import (
    Channel,
    HearingResponse,
    OnBehalfOfKind,
    ResponseAttachment,
    ResponseCounter,
    ResponseRevision,
    ResponseStatus,
    ScanStatus,
)
from .reuse import ConsentText, ResponseFormTemplate
from .settings import ESDHBackend, HearingSettings, ResponsesToExport
from .side_effects import SideEffectRecord
from .taxonomy import Department, HearingType, KLEClassification, SubjectArea

__all__ = [
    "AccentColour",
    "MunicipalitySettings",
    "municipality_of",
    "Audience",
    "Channel",
    "ConclusionNotice",
    "ConsentText",
    "Department",
    "ESDHBackend",
    "EmployeeProfile",
    "FiledDocument",
    "GroupSite",
    "HearingExport",
    "HearingIndexPage",
    "HearingPage",
    "HearingResponse",
    "HearingSettings",
    "HearingParty",
    "HearingTheme",
    "AnswerTheme",
    "ManualReminder",
    "PartyKind",
    "HearingType",
    "KLEClassification",
    "Notification",
    "OnBehalfOfKind",
    "PrivacySettings",
    "PublishResponses",
    "PublishedRespondentDetails",
    "ResponseAttachment",
    "ResponseCounter",
    "ResponseFormTemplate",
    "ResponseRedaction",
    "ResponseRevision",
    "ResponseStatus",
    "ResponsesToExport",
    "RetentionAction",
    "ScanStatus",
    "SideEffectRecord",
    "SubjectArea",
    "TextBlockSnippet",
]
