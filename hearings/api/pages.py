"""``/api/v2/``: Wagtail's read API, limited to the hearings the requester may see.

Its ``pages`` and ``hearings`` endpoints show a hearing only to those
``hearings.access.visible_hearings`` lets see it, so an internal hearing does not exist
(404) for anyone outside its audience.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from rest_framework.authentication import SessionAuthentication
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from hearings import access, listing
from hearings.models import HearingPage
from hearings.phases import Phase, phase_filter


class _KeptCount:
    """A queryset whose ``count()`` is kept a while (``hearings.listing.kept_count``)."""

    def __init__(self, queryset, key):
        self.queryset, self.key = queryset, key

    def count(self):
        return listing.kept_count(self.key, self.queryset.count)

    def __getitem__(self, index):
        return self.queryset[index]


class KeptCountPagination(WagtailPagination):
    """Wagtail's ``offset``/``limit`` pages with ``total_count`` kept a while per person
    and query: counting every page a person may see grows with the pages (#16)."""

    def paginate_queryset(self, queryset, request, view=None):
        key = f"api:{request.user.pk}:{request.path}?{request.GET.urlencode()}"
        return super().paginate_queryset(_KeptCount(queryset, key), request, view)


class VisiblePagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, without the hearings the requesting user may not see.

    Signed-in users are recognised by their session only: no basic authentication.
    """

    authentication_classes = [SessionAuthentication]
    pagination_class = KeptCountPagination

    def get_base_queryset(self):
        # Every listing, detail, find and child_of/descendant_of filter starts here.
        pages = super().get_base_queryset()
        visible = access.visible_hearings(self.request.user)
        hearing_type = ContentType.objects.get_for_model(HearingPage)
        if "search" in self.request.GET:
            # The search backend reads the filters and knows ``pk__in``, not ``Exists``.
            return pages.filter(~Q(content_type=hearing_type) | Q(pk__in=visible.values("pk")))
        # Asked per row (a correlated EXISTS), so a listing read in path order stops
        # after its page instead of first collecting every visible hearing (#16).
        visible = visible.filter(pk=OuterRef("pk"))
        return pages.filter(~Q(content_type=hearing_type) | Q(Exists(visible)))


class HearingsAPIViewSet(VisiblePagesAPIViewSet):
    """Hearings only, with their phase and dates in listings; ``?phase=open`` filters."""

    name = "hearings"
    model = HearingPage
    known_query_parameters = VisiblePagesAPIViewSet.known_query_parameters.union(["phase"])
    listing_default_fields = VisiblePagesAPIViewSet.listing_default_fields + [
        "summary",
        "phase",
        "opens_at",
        "closes_at",
    ]

    def get_queryset(self):
        queryset = super().get_queryset().select_related("hearing_type", "subject_area")
        phase = self.request.GET.get("phase")
        if phase:
            if phase not in Phase.values:
                raise BadRequestError(f"phase must be one of {', '.join(Phase.values)}")
            queryset = queryset.filter(phase_filter(phase))
        return queryset


api_v2 = WagtailAPIRouter("wagtailapi")
# Registered first, so a hearing's detail_url points to /api/v2/hearings/<id>/.
api_v2.register_endpoint("hearings", HearingsAPIViewSet)
api_v2.register_endpoint("pages", VisiblePagesAPIViewSet)
