from wagtail import hooks
from wagtail.snippets.models import register_snippet

from hearings.viewsets import ClassificationViewSetGroup, HearingListingViewSet

register_snippet(ClassificationViewSetGroup)


@hooks.register("register_admin_viewset")
def register_hearing_listing():
    return HearingListingViewSet("hearing_listing")
