"""Admin screens for content bundles: download the library, upload one with a preview.

An upload is read and checked, then previewed (what will be created, updated or
skipped) without changing anything; the bundle waits in private storage under a random
token kept in the person's session until they confirm.
"""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Site

from hearings import access, bundles

SESSION_KEY = "agora_content_bundle"


class UploadForm(forms.Form):
    bundle = forms.FileField(label=gettext_lazy("Content bundle (JSON file)"))
    site = forms.ModelChoiceField(
        Site.objects.all(),
        required=False,
        label=gettext_lazy("New items belong to"),
        empty_label=gettext_lazy("Every municipality (shared)"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_superuser:
            del self.fields["site"]


def require_access(request):
    if not access.can_move_content(request.user):
        raise PermissionDenied


def target_site(request, chosen=None):
    """Superusers choose; everyone else works in their own municipality."""
    if request.user.is_superuser:
        return chosen
    site_id = access.library_home_site_id(request.user)
    if site_id is None and not access.can_share_library(request.user):
        # Imported items would be shared with every municipality: not theirs to decide.
        raise PermissionDenied
    return Site.objects.filter(pk=site_id).first() if site_id else None


def pending_dir():
    return Path(settings.AGORA_PRIVATE_MEDIA_ROOT) / "content-bundles"


def index(request, form=None, status=200):
    require_access(request)
    return TemplateResponse(
        request,
        "hearings/admin/content_bundles.html",
        {
            "form": form or UploadForm(user=request.user),
            "sites": Site.objects.all() if request.user.is_superuser else None,
        },
        status=status,
    )


def download(request):
    require_access(request)
    chosen = None
    if request.user.is_superuser and request.GET.get("site", "").isdigit():
        chosen = Site.objects.filter(pk=request.GET["site"]).first()
    text = bundles.dumps(bundles.export_bundle(target_site(request, chosen)))
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agora-content.json"'
    return response


@require_POST
def upload(request):
    require_access(request)
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return index(request, form, status=400)
    uploaded = form.cleaned_data["bundle"]
    site = target_site(request, form.cleaned_data.get("site"))
    try:
        if uploaded.size > bundles.max_bytes():
            raise bundles.BundleError(
                _("The bundle is too large (%(size)d MB at most).")
                % {"size": bundles.max_bytes() // (1024 * 1024)}
            )
        raw = uploaded.read()
        changes = bundles.preview(bundles.load(raw), site)
    except bundles.BundleError as error:
        form.add_error("bundle", str(error))
        return index(request, form, status=400)
    token = secrets.token_urlsafe(24)
    pending_dir().mkdir(parents=True, exist_ok=True)
    (pending_dir() / f"{token}.json").write_bytes(raw)
    request.session[SESSION_KEY] = {"token": token, "site": site.pk if site else None}
    return TemplateResponse(
        request,
        "hearings/admin/content_bundle_preview.html",
        {
            "changes": changes,
            "counts": bundles.summary(changes),
            "site": site,
            "token": token,
        },
    )


@require_POST
def confirm(request):
    require_access(request)
    pending = request.session.get(SESSION_KEY) or {}
    token = pending.get("token")
    if not token or request.POST.get("token") != token:
        messages.error(request, _("Upload the bundle again: the preview has expired."))
        return redirect("agora_content_bundles")
    path = pending_dir() / f"{token}.json"
    site = Site.objects.filter(pk=pending.get("site")).first() if pending.get("site") else None
    try:
        changes = bundles.import_bundle(bundles.load(path.read_bytes()), site)
    except (OSError, bundles.BundleError) as error:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": error})
        return redirect("agora_content_bundles")
    finally:
        request.session.pop(SESSION_KEY, None)
        path.unlink(missing_ok=True)
    counts = bundles.summary(changes)
    messages.success(
        request,
        _("Content bundle imported: %(create)d created, %(update)d updated, %(skip)d skipped.")
        % counts,
    )
    return redirect("agora_content_bundles")
