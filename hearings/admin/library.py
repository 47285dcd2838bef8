"""Admin screens of the shared library: text blocks, consent texts, response-form templates.

Listings and choosers show the shared items and the person's own municipality's items.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)

from hearings import library
from hearings.models import (
    ConsentText,
    HearingParty,
    HearingType,
    ResponseFormTemplate,
    TextBlockSnippet,
)


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


class ScopedObjectMixin:
    """An item of another municipality is not found, even by a typed URL."""

    def get_object(self, *args, **kwargs):
        item = super().get_object(*args, **kwargs)
        if not library.is_visible(item, self.request.user):
            raise Http404
        return item


def scoped(view_class):
    return type(f"Scoped{view_class.__name__}", (ScopedObjectMixin, view_class), {})


class SiteScopedViewSet(snippet_views.SnippetViewSet):
    """A snippet viewset whose listing, chooser and item screens hide other
    municipalities' items."""

    chooser_viewset_class = ScopedChooserViewSet
    edit_view_class = scoped(snippet_views.EditView)
    delete_view_class = scoped(snippet_views.DeleteView)
    copy_view_class = scoped(snippet_views.CopyView)
    usage_view_class = scoped(snippet_views.UsageView)
    history_view_class = scoped(snippet_views.HistoryView)
    inspect_view_class = scoped(snippet_views.InspectView)

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


class HearingPartyViewSet(SiteScopedViewSet):
    """Hearing parties (høringsparter): shared, or kept to one municipality."""

    model = HearingParty
    icon = "group"
    list_display = ["name", "kind", "site"]
    list_filter = ["kind"]
    search_fields = ["name"]
    menu_label = _("Hearing parties")
    menu_order = 165
    add_to_admin_menu = True


class LibraryPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and no item of another municipality: its edit, delete and
    inspect screens refuse a person of another site even by a typed URL."""

    def user_has_permission_for_instance(self, user, action, instance):
        return library.is_visible(instance, user) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return library.is_visible(instance, user) and super().user_has_any_permission_for_instance(
            user, actions, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return library.visible_to(
            super().instances_user_has_any_permission_for(user, actions), user
        )


LIBRARY_MODELS = (TextBlockSnippet, ConsentText, ResponseFormTemplate, HearingType)
