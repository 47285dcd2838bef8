"""Registering a response received by e-mail or letter, from a hearing's responses
overview. A thin view over ``hearings.registering``: the form keeps what was typed and
the files already uploaded when something is wrong, and says what."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hearings import registering
from hearings.admin.crumbs import responses_crumbs
from hearings.blocks.questions import MultipleFileField
from hearings.errors import Refused
from hearings.models import Channel, HearingPage, HearingParty


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker (no script, works with the keyboard)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class RegisterResponseForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in registering.CHANNELS],
        widget=forms.RadioSelect,
    )
    sender_name = forms.CharField(label=_("Sender's name"), max_length=200)
    sender_organisation = forms.CharField(
        label=_("Organisation or department"),
        max_length=300,
        required=False,
        help_text=_("The union, council or department the sender answered for, if any."),
    )
    party = forms.ModelChoiceField(
        label=_("On behalf of the hearing party"),
        queryset=HearingParty.objects.none(),
        required=False,
        help_text=_("If the letter is an invited party's answer, it counts for the party."),
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        widget=LocalDateTimeInput,
        help_text=_("When the municipality received the e-mail or letter."),
    )
    text = forms.CharField(
        label=_("Text of the response"),
        required=False,
        max_length=registering.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Type or paste the text. A scanned letter can be attached instead."),
    )
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument, PNG, JPEG or plain text."),
    )
    keep = forms.MultipleChoiceField(
        label=_("Files already uploaded"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a file to leave it out."),
    )

    def __init__(self, *args, waiting=(), hearing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hearing is not None and hearing.invited_parties.exists():
            self.fields["party"].queryset = hearing.invited_parties.order_by("name")
        else:
            del self.fields["party"]
        self.fields["keep"].choices = [(str(a.pk), a.name) for a in waiting]
        if not waiting:
            self.fields["keep"].widget = forms.MultipleHiddenInput()

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now():
            raise forms.ValidationError(_("The time received cannot be in the future."))
        return received_at


class RegisterResponseView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Register a response received by e-mail or letter")
    template_name = "hearings/admin/responses/register.html"
    header_icon = "mail"

    def dispatch(self, request, hearing_pk):
        self.hearing = get_object_or_404(HearingPage, pk=hearing_pk)
        refused = registering.refusal(request.user, self.hearing)
        if refused is not None and refused.code == Refused.FORBIDDEN:
            raise PermissionDenied
        self.refused = refused
        return super().dispatch(request, hearing_pk)

    def get_page_subtitle(self):
        return self.hearing.title

    def get_breadcrumbs_items(self):
        # The last crumb is the screen's visible title (it read "Forside").
        return responses_crumbs(self.hearing, self.get_header_title())

    def overview_url(self):
        return reverse("hearing_responses:hearing", args=[self.hearing.pk])

    def get(self, request, hearing_pk):
        initial = {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
        return self.render_to_response(
            self.get_context_data(form=RegisterResponseForm(initial=initial, hearing=self.hearing))
        )

    def post(self, request, hearing_pk):
        if self.refused is not None:
            return self.render_to_response(
                self.get_context_data(form=RegisterResponseForm(hearing=self.hearing))
            )
        stored, file_errors = registering.stash_uploads(
            request.user, self.hearing, request.FILES.getlist("files")
        )
        kept = set(request.POST.getlist("keep")) | {str(a.pk) for a in stored}
        waiting = registering.waiting_uploads(request.user, self.hearing).filter(
            pk__in=[pk for pk in kept if pk.isdigit()]
        )
        data = request.POST.copy()
        data.setlist("keep", request.POST.getlist("keep") + [str(a.pk) for a in stored])
        form = RegisterResponseForm(data, waiting=waiting, hearing=self.hearing)
        for message in file_errors:
            form.add_error("files", message)
        if form.is_valid() and not file_errors:
            outcome = self.register(form)
            if outcome is not None:
                self.tell(outcome)
                return redirect("hearing_responses:inspect", outcome.response.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def register(self, form):
        data = form.cleaned_data
        registration = registering.Registration(
            channel=data["channel"],
            sender_name=data["sender_name"],
            sender_organisation=data["sender_organisation"],
            received_at=data["received_at"],
            text=data["text"],
            party=data.get("party"),
        )
        try:
            return registering.register(
                self.request.user,
                self.hearing,
                registration,
                attachment_ids=[int(pk) for pk in data["keep"]],
            )
        except Refused as refused:
            form.add_error(None, refused.message)
            return None

    def tell(self, outcome):
        reference = outcome.response.reference
        messages.success(
            self.request,
            _("The response was registered as %(reference)s.") % {"reference": reference},
        )
        if outcome.export_requested:
            messages.info(self.request, _("It will be filed in the ESDH case in a moment."))
        if outcome.case_closed:
            messages.warning(
                self.request,
                _("The hearing's ESDH case is closed: file %(reference)s in it by hand.")
                % {"reference": reference},
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            hearing=self.hearing,
            refused=self.refused,
            cancel_url=self.overview_url(),
            channel_letter=Channel.LETTER,
        )
        return context
