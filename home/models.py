"""The portal's landing page: "my hearings" for the signed-in employee."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    max_count = 1
    subpage_types = ["hearings.HearingIndexPage"]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    @path("", name="home")
    def home_view(self, request):
        # The page's route hands over to its view, which imports the models.
        from home import views

        return views.home_page(request, self)
