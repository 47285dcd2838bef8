"""The admin's "Copy as a new hearing": a confirmation page, then the copy's editor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from hearings import access, copying
from hearings.errors import Refused
from hearings.models import HearingPage


def copy_hearing(request, page_id):
    hearing = get_object_or_404(HearingPage, pk=page_id)
    if not access.can_copy_hearing(request.user, hearing):
        raise PermissionDenied
    if request.method == "POST":
        try:
            page_copy = copying.copy_as_new_hearing(hearing, request.user)
        except Refused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        messages.success(
            request,
            _("“%(title)s” is a new draft. Set its dates before publishing it.")
            % {"title": page_copy.title},
        )
        return redirect("wagtailadmin_pages:edit", page_copy.pk)
    return TemplateResponse(request, "hearings/admin/copy_hearing.html", {"hearing": hearing})
