"""Classifications editors pick from: hearing types, subject areas, departments, KLE."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Site
from wagtail.search import index

from .library import site_field

KLE_NUMBER_PATTERN = r"^\d{2}(\.\d{2}){0,2}$"
kle_number_validator = RegexValidator(
    KLE_NUMBER_PATTERN,
    _("Enter a KLE number as two digits per level, e.g. 00.01 or 00.01.00."),
    code="kle_format",
)


class HearingType(index.Indexed, models.Model):
    """A kind of hearing (e.g. "Policy", "Budget"), with its own defaults."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    default_form_template = models.ForeignKey(
        "hearings.ResponseFormTemplate",
        verbose_name=_("default response form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A new hearing of this type starts with these questions."),
    )
    auto_approve = models.BooleanField(
        _("approve responses automatically"),
        default=False,
        help_text=_(
            "Responses to hearings of this type that publish responses are approved "
            "when handed in, unless flagged as sensitive."
        ),
    )
    site = site_field()

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("default_form_template"),
        FieldPanel("auto_approve"),
        FieldPanel("site"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("hearing type")
        verbose_name_plural = _("hearing types")

    def __str__(self):
        return self.name


class SubjectArea(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    panels = [FieldPanel("name")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject area")
        verbose_name_plural = _("subject areas")

    def __str__(self):
        return self.name


class Department(index.Indexed, models.Model):
    """An organisation unit of a municipality; departments form a tree per site.

    ``path`` holds the ids from the root down to this department ("/1/4/9/"), so
    that "this department or any below it" is one indexed prefix query.
    """

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality site"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=100,
        blank=True,
        help_text=_("Identifier used by the identity provider, e.g. an organisation unit id."),
    )
    external_uuid = models.UUIDField(
        _("organisation unit UUID"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "The unit's UUID in the municipality's organisation (OS2rollekatalog, KOMBIT). "
            "A KOMBIT role limited to that unit holds in this department."
        ),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    panels = [
        FieldPanel("site"),
        FieldPanel("parent"),
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("external_uuid"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["path"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "code"],
                condition=~models.Q(code=""),
                name="department_code_unique_per_site",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            old_path = self.path
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs.pop("force_insert", None)
            self.path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                for child in Department.objects.filter(path__startswith=old_path).exclude(
                    pk=self.pk
                ):
                    child.path = self.path + child.path[len(old_path) :]
                    child.save(update_fields=["path"])

    def clean(self):
        if self.parent_id:
            if self.pk and f"/{self.pk}/" in self.parent.path:
                raise ValidationError({"parent": _("A department cannot be placed below itself.")})
            if self.parent.site_id != self.site_id:
                raise ValidationError(
                    {"parent": _("The parent department belongs to another municipality.")}
                )

    @property
    def ancestor_ids(self):
        """Ids from the root down to and including this department."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class KLEClassification(models.Model):
    """Kommunernes Landsforenings Emnesystematik: main groups, groups and topics."""

    number = models.CharField(
        _("KLE number"), max_length=8, unique=True, validators=[kle_number_validator]
    )
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        ordering = ["number"]
        verbose_name = _("KLE classification")
        verbose_name_plural = _("KLE classifications")

    def __str__(self):
        return f"{self.number} {self.title}"

    @staticmethod
    def is_valid_number(value):
        return bool(re.match(KLE_NUMBER_PATTERN, value or ""))


def site_id_for_path(path):
    """The id of the Site whose tree holds the page at ``path`` (the deepest root)."""
    best, best_root = None, ""
    for site_id, root in Site.objects.values_list("pk", "root_page__path"):
        if path and path.startswith(root) and len(root) > len(best_root):
            best, best_root = site_id, root
    return best


def foreign_departments_error(departments, site_id):
    """The message refusing ``departments`` that are not in site ``site_id``'s tree;
    None when all of them are."""
    if site_id is None:
        return None
    foreign = [d for d in departments if d.site_id != site_id]
    if not foreign:
        return None
    return _(
        "Only departments of this hearing's municipality can be invited. "
        "Not in this municipality: %(departments)s."
    ) % {"departments": ", ".join(d.name for d in foreign)}


def foreign_parties_error(parties, site_id):
    """The message refusing hearing parties kept to another municipality than
    ``site_id``; None when every party is shared or the site's own."""
    if site_id is None:
        return None
    foreign = [p for p in parties if p.site_id is not None and p.site_id != site_id]
    if not foreign:
        return None
    return _(
        "Only hearing parties of this hearing's municipality can be invited. "
        "Not in this municipality: %(parties)s."
    ) % {"parties": ", ".join(p.name for p in foreign)}
