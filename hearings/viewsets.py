"""Wagtail admin screens: the hearing listing and the classification snippets.

Built on Wagtail's own viewsets (the maintained successor of wagtail-modeladmin).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from hearings.models import Department, HearingPage, HearingType, KLEClassification, SubjectArea


class PhaseColumn(Column):
    """The hearing's phase as a status tag, computed like everywhere else."""

    cell_template_name = "hearings/admin/phase_cell.html"

    def get_value(self, instance):
        return instance.get_phase_display()


class HearingListingViewSet(PageListingViewSet):
    model = HearingPage
    icon = "comment"
    menu_label = _("Hearings")
    menu_order = 150
    add_to_admin_menu = True
    columns = [
        *PageListingViewSet.columns,
        PhaseColumn("phase", label=_("Phase"), width="10%"),
        DateColumn("opens_at", label=_("Opens"), sort_key="opens_at", width="12%"),
        DateColumn("closes_at", label=_("Deadline"), sort_key="closes_at", width="12%"),
    ]


class HearingTypeViewSet(SnippetViewSet):
    model = HearingType
    icon = "tag"
    list_display = ["name"]
    search_fields = ["name"]


class SubjectAreaViewSet(SnippetViewSet):
    model = SubjectArea
    icon = "folder-inverse"
    list_display = ["name"]
    search_fields = ["name"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "parent", "code", "site"]
    list_filter = ["site"]
    search_fields = ["name"]
    ordering = ["path"]


class KLEViewSet(SnippetViewSet):
    model = KLEClassification
    icon = "list-ol"
    list_display = ["number", "title"]
    search_fields = ["number", "title"]


class ClassificationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Classification")
    menu_icon = "tag"
    menu_order = 160
    items = (HearingTypeViewSet, SubjectAreaViewSet, DepartmentViewSet, KLEViewSet)
