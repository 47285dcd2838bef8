from .pages import Audience, HearingIndexPage, HearingPage
from .people import EmployeeProfile
from .taxonomy import Department, HearingType, KLEClassification, SubjectArea

__all__ = [
    "Audience",
    "Department",
    "EmployeeProfile",
    "HearingIndexPage",
    "HearingPage",
    "HearingType",
    "KLEClassification",
    "SubjectArea",
]
