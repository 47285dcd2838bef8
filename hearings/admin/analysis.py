"""Admin screens of the analysis and the memo: a hearing's themes with the
administration's comment per theme, and the hearing memo (download, seed the editable
text from the generated draft).

Thin views: ``hearings.analysis`` and ``hearings.memo`` do the work, ``hearings.access``
says who may (staff who handle the hearing's responses).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from hearings import access, analysis, memo
from hearings.admin.parties import hearing_crumbs
from hearings.memo.docx import memo_docx
from hearings.memo.pdf import memo_pdf
from hearings.models import HearingPage, HearingTheme

MEMO_FORMATS = {
    "docx": (
        memo_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (memo_pdf, "application/pdf"),
}
SEED_MEMO = "agora.hearing.seed_memo"


def _hearing_for(request, pk):
    hearing = get_object_or_404(HearingPage, pk=pk)
    if not access.can_write_memo(request.user, hearing):
        raise PermissionDenied
    return hearing


class ThemeForm(forms.ModelForm):
    class Meta:
        model = HearingTheme
        fields = ["name", "summary", "comment", "sort_order"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "comment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, hearing, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.hearing = hearing

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        # Compared in Python: SQLite's case-insensitive match knows ASCII only (Æ, Ø, Å).
        others = HearingTheme.objects.filter(hearing=self.instance.hearing)
        names = others.exclude(pk=self.instance.pk).values_list("name", flat=True)
        if name.casefold() in {other.casefold() for other in names}:
            raise forms.ValidationError(_("The hearing has a theme by that name already."))
        return name


class ThemesView(WagtailAdminTemplateMixin, TemplateView):
    """The hearing's themes with their counts, a form to add one, and the memo."""

    page_title = _("Themes and memo")
    header_icon = "tag"
    template_name = "hearings/admin/responses/themes.html"

    def dispatch(self, request, hearing_pk, theme_pk=None):
        self.hearing = _hearing_for(request, hearing_pk)
        self.theme = None
        if theme_pk is not None:
            self.theme = get_object_or_404(HearingTheme, pk=theme_pk, hearing=self.hearing)
        return super().dispatch(request, hearing_pk)

    def get_page_subtitle(self):
        return self.hearing.title

    def get_breadcrumbs_items(self):
        return hearing_crumbs(self.hearing, self.get_header_title())

    def make_form(self, data=None):
        return ThemeForm(data, instance=self.theme, hearing=self.hearing)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        if request.POST.get("delete") and self.theme is not None:
            self.theme.delete()
            messages.success(request, _("The theme was deleted."))
            return redirect("hearing_responses:themes", self.hearing.pk)
        form = self.make_form(request.POST)
        if form.is_valid():
            form.save()
            messages.success(request, _("The theme was saved."))
            return redirect("hearing_responses:themes", self.hearing.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            hearing=self.hearing,
            theme=self.theme,
            summaries=analysis.theme_summaries(self.hearing),
            tags=analysis.tag_counts(self.hearing),
            untagged=analysis.untagged(self.hearing).count(),
            can_edit_hearing=self.hearing.permissions_for_user(self.request.user).can_edit(),
        )
        return context


def editing_copy(hearing):
    """The hearing as its latest revision has it (what the editor is working on)."""
    return hearing.get_latest_revision_as_object()


class MemoDownloadView(View):
    """The memo as DOCX or PDF/A, from the latest revision of the hearing."""

    def get(self, request, hearing_pk, kind):
        if kind not in MEMO_FORMATS:
            raise Http404
        hearing = _hearing_for(request, hearing_pk)
        build, content_type = MEMO_FORMATS[kind]
        name = slugify(hearing.title, allow_unicode=True) or "hearing"
        answer = FileResponse(
            iter([build(editing_copy(hearing))]),
            as_attachment=True,
            filename=f"hoeringsnotat-{name}-{hearing.pk}.{kind}",
            content_type=content_type,
        )
        answer["Cache-Control"] = "private, no-store"
        return answer


class SeedMemoView(View):
    """POST: write the generated draft into the hearing's memo field, as a new draft
    revision the case officer then edits (and publishes through the usual approval)."""

    def post(self, request, hearing_pk):
        hearing = _hearing_for(request, hearing_pk)
        if not hearing.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        copy = editing_copy(hearing)
        copy.memo = memo.draft_html(copy)
        copy.save_revision(user=request.user, clean=False)
        log(hearing, SEED_MEMO, user=request.user)
        messages.success(
            request,
            _("The memo was written from the responses. Edit it under the Conclusion tab."),
        )
        return redirect("wagtailadmin_pages:edit", hearing.pk)
