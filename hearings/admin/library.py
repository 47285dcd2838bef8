"""Admin screens of the shared library: text blocks, consent texts, response-form templates.

Listings and choosers show the shared items and the person's own municipality's items.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)

from hearings import access
from hearings.models import (
    ConsentText,
    HearingParty,
    HearingType,
    ResponseFormTemplate,
    TextBlockSnippet,
)


class ScopedChooseMixin:
    def get_object_list(self):
        return access.visible_library_items(self.request.user, super().get_object_list())


class ScopedChooseView(ScopedChooseMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseMixin, ChooseResultsView):
    pass


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView


class ScopedObjectMixin:
    """An item of another municipality is not found, even by a typed URL; a shared item
    is changed or deleted only by those who may share (``may_touch``)."""

    touching = ()

    def get_object(self, *args, **kwargs):
        item = super().get_object(*args, **kwargs)
        if not access.can_see_library_item(self.request.user, item):
            raise Http404
        if self.touching and not may_touch(self.request.user, self.touching, item):
            raise PermissionDenied
        return item


def scoped(view_class, touching=()):
    return type(
        f"Scoped{view_class.__name__}",
        (ScopedObjectMixin, view_class),
        {"touching": touching},
    )


def scoped_by(visible, view_class):
    """``view_class`` for an object ``visible(user, queryset)`` lets the user see; any
    other is not found, even by a typed URL."""

    class Scoped(view_class):
        def get_object(self, *args, **kwargs):
            item = super().get_object(*args, **kwargs)
            same = type(item)._default_manager.filter(pk=item.pk)
            if not visible(self.request.user, same).exists():
                raise Http404
            return item

    Scoped.__name__ = f"Scoped{view_class.__name__}"
    return Scoped


class MunicipalityItemForm(WagtailAdminModelForm):
    """A library item's form: its site is one of the person's own municipalities, or
    empty (shared by every municipality) for those who may share
    (``access.library_site_refusal``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("site")
        if field is None or self.for_user is None:
            return
        site_ids = access.municipality_site_ids(self.for_user)
        if site_ids is not None:
            field.queryset = Site.objects.filter(pk__in=site_ids)
        if not access.can_share_library(self.for_user):
            field.required = True
            field.empty_label = None
            if not self.instance.pk and len(site_ids or ()) == 1:
                field.initial = next(iter(site_ids))

    def clean_site(self):
        site = self.cleaned_data.get("site")
        refusal = access.library_site_refusal(self.for_user, site.pk if site else None)
        if refusal:
            raise forms.ValidationError(refusal)
        return site


class SiteScopedViewSet(snippet_views.SnippetViewSet):
    """A snippet viewset whose listing, chooser and item screens hide other
    municipalities' items, and whose form keeps new items to the person's own."""

    chooser_viewset_class = ScopedChooserViewSet
    edit_view_class = scoped(snippet_views.EditView, touching=("change",))
    delete_view_class = scoped(snippet_views.DeleteView, touching=("delete",))
    copy_view_class = scoped(snippet_views.CopyView)
    usage_view_class = scoped(snippet_views.UsageView)
    history_view_class = scoped(snippet_views.HistoryView)
    inspect_view_class = scoped(snippet_views.InspectView)

    def get_queryset(self, request):
        return access.visible_library_items(request.user, self.model._default_manager.all())

    def get_edit_handler(self):
        panels = getattr(self, "panels", None) or self.model.panels
        return ObjectList(panels, base_form_class=MunicipalityItemForm).bind_to_model(self.model)


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


def may_touch(user, actions, instance):
    """Is ``instance`` seen by ``user``, and — for a change or deletion of a shared
    item, which every municipality uses — may they share items?"""
    if not access.can_see_library_item(user, instance):
        return False
    changing = set(actions) & {"change", "delete"}
    return not (changing and instance.site_id is None and not access.can_share_library(user))


class LibraryPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and no item of another municipality: its edit, delete and
    inspect screens refuse a person of another site even by a typed URL. A shared item
    is changed only by those who may share (``access.can_share_library``)."""

    def user_has_permission_for_instance(self, user, action, instance):
        return may_touch(user, [action], instance) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return may_touch(user, actions, instance) and (
            super().user_has_any_permission_for_instance(user, actions, instance)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return access.visible_library_items(
            user, super().instances_user_has_any_permission_for(user, actions)
        )


LIBRARY_MODELS = (TextBlockSnippet, ConsentText, ResponseFormTemplate, HearingType)
