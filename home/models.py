"""The portal's landing page ("my hearings" for the signed-in employee) and the
statements every page's footer links: the accessibility statement and the privacy notice."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    # One home page per municipality (Wagtail Site), each directly under the tree's root.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["hearings.HearingIndexPage", "home.StatementPage"]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # A hearing (the most read page) is found in one query, not one per level; the
        # query also answers whether it invites the person's department (their audience
        # given by agora_site.middleware.AccessSessionMiddleware).
        from hearings.models.pages import find_live_hearing

        audience = getattr(request, "agora_audience", None)
        found = find_live_hearing(self, path_components, audience() if audience else None)
        if found is not None:
            hearing, remaining = found
            return hearing.route(request, remaining)
        return super().route(request, path_components)

    @path("", name="home")
    def home_view(self, request):
        # The page's route hands over to its view, which imports the models.
        from home import views

        return views.home_page(request, self)


class StatementKind(models.TextChoices):
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    PRIVACY = "privacy", _("Privacy notice")


class StatementPage(Page):
    """A statement the law asks for, edited like any page. The footer's stable links
    (``/accessibility-statement/``, ``/privacy-notice/``) lead to the site's live page
    of that kind."""

    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind.choices, db_index=True)
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(
        _("text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    @classmethod
    def for_site(cls, site, kind):
        """The site's live statement of ``kind``, or None."""
        if site is None:
            return None
        return cls.objects.live().in_site(site).filter(kind=kind).order_by("path").first()
