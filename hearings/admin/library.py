"""Admin screens of the shared library: text blocks, consent texts, response-form templates.

Listings and choosers show the shared items and the person's own municipality's items.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from hearings import library
from hearings.models import ConsentText, ResponseFormTemplate, TextBlockSnippet


class ScopedChooseMixin:
    def get_object_list(self):
        return library.visible_to(super().get_object_list(), self.request.user)


class ScopedChooseView(ScopedChooseMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseMixin, ChooseResultsView):
    pass


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView


class SiteScopedViewSet(SnippetViewSet):
    """A snippet viewset whose listing and chooser hide other municipalities' items."""

    chooser_viewset_class = ScopedChooserViewSet

    def get_queryset(self, request):
        return library.visible_to(self.model._default_manager.all(), request.user)


class TextBlockViewSet(SiteScopedViewSet):
    model = TextBlockSnippet
    icon = "doc-full"
    list_display = ["title", "slug", "site"]
    search_fields = ["title"]


class ConsentTextViewSet(SiteScopedViewSet):
    model = ConsentText
    icon = "tick"
    list_display = ["__str__", "site"]


class ResponseFormTemplateViewSet(SiteScopedViewSet):
    model = ResponseFormTemplate
    icon = "form"
    list_display = ["name", "site"]
    menu_label = _("Response form templates")
