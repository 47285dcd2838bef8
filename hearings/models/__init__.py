from .esdh import FiledDocument, HearingExport
from .notifications import Notification
from .pages import Audience, HearingIndexPage, HearingPage
from .people import EmployeeProfile
from .settings import HearingSettings, ResponsesToExport
from .taxonomy import Department, HearingType, KLEClassification, SubjectArea
from .transitions import HearingTransition

__all__ = [
    "Audience",
    "Department",
    "EmployeeProfile",
    "FiledDocument",
    "HearingExport",
    "HearingIndexPage",
    "HearingPage",
    "HearingSettings",
    "HearingTransition",
    "HearingType",
    "KLEClassification",
    "Notification",
    "ResponsesToExport",
    "SubjectArea",
]
