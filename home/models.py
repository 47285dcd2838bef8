"""The portal's landing page: "my hearings" for the signed-in employee."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    max_count = 1
    subpage_types = ["hearings.HearingIndexPage"]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from hearings import responding
        from hearings.listing import my_hearings
        from hearings.models import HearingIndexPage

        context = super().get_context(request, *args, **kwargs)
        hearings = list(my_hearings(request.user))
        responses = responding.my_responses(request.user)
        # The person's current answer per hearing, to mark hearings already answered.
        active = {
            row["hearing"].pk: row["response"] for row in responses if row["response"].is_active
        }
        for hearing in hearings:
            hearing.my_response = active.get(hearing.pk)
        context["my_hearings"] = hearings
        context["my_responses"] = responses
        context["hearing_index"] = HearingIndexPage.objects.child_of(self).live().first()
        return context
