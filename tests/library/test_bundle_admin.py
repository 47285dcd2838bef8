"""The content-bundle screens in the admin: download, upload with a preview, confirm."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hearings import bundles
from hearings.models import HearingType, TextBlockSnippet

pytestmark = pytest.mark.django_db


def bundle_with(*slugs):
    bundle = {
        "format": "agora-content",
        "version": 1,
        "images": [],
        "documents": [],
        "text_blocks": [
            {"slug": slug, "title": slug.title(), "text": f"<p>{slug}</p>"} for slug in slugs
        ],
        "consent_texts": [],
        "form_templates": [],
        "hearing_types": [
            {
                "name": "Budget",
                "description": "",
                "auto_approve": False,
                "default_form_template": None,
            }
        ],
    }
    return json.dumps(bundle).encode()


def upload(client, raw, **data):
    return client.post(
        reverse("agora_content_bundle_upload"),
        {"bundle": SimpleUploadedFile("bundle.json", raw, "application/json"), **data},
    )


def test_upload_previews_then_confirm_imports(client, staff):
    TextBlockSnippet.objects.create(slug="kontakt", title="Kontakt", text="<p>kontakt</p>")
    client.force_login(staff["root"])
    assert client.get(reverse("agora_content_bundles")).status_code == 200

    preview = upload(client, bundle_with("kontakt", "om-hoeringen"))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "2 will be created, 0 updated and 1 skipped." in html
    assert TextBlockSnippet.objects.count() == 1  # the preview changes nothing
    assert HearingType.objects.count() == 0

    token = client.session["agora_content_bundle"]["token"]
    response = client.post(reverse("agora_content_bundle_confirm"), {"token": token}, follow=True)
    assert "2 created, 0 updated, 1 skipped" in response.content.decode()
    assert set(TextBlockSnippet.objects.values_list("slug", flat=True)) == {
        "kontakt",
        "om-hoeringen",
    }
    # The same confirmation again: expired, nothing more happens.
    again = client.post(reverse("agora_content_bundle_confirm"), {"token": token}, follow=True)
    assert "expired" in again.content.decode()
    assert TextBlockSnippet.objects.count() == 2


def test_an_editor_imports_into_their_own_municipality(client, staff, site):
    editor = staff["own"]
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="hearings",
            codename__regex=r"^(add|change)_(textblocksnippet|consenttext|responseformtemplate|hearingtype)$",
        )
    )
    client.force_login(editor)
    assert upload(client, bundle_with("a")).status_code == 200
    client.post(
        reverse("agora_content_bundle_confirm"),
        {"token": client.session["agora_content_bundle"]["token"]},
    )
    assert TextBlockSnippet.objects.get().site == site


def test_the_download_is_a_valid_bundle(client, staff):
    TextBlockSnippet.objects.create(slug="kontakt", title="Kontakt", text="<p>kontakt</p>")
    client.force_login(staff["root"])
    response = client.get(reverse("agora_content_bundle_download"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    bundle = bundles.load(response.content)
    assert bundle["text_blocks"][0]["slug"] == "kontakt"


HOSTILE = {
    "not json": (b"\x00\xffnot json at all", "not a JSON content bundle"),
    "wrong format": (
        json.dumps({"format": "something", "version": 1}).encode(),
        "not an Agora content bundle",
    ),
    "wrong version": (
        json.dumps({"format": "agora-content", "version": 99}).encode(),
        "format version 99",
    ),
    "missing keys": (
        json.dumps({"format": "agora-content", "version": 1}).encode(),
        "is a required property",
    ),
    "bad base64": (
        json.dumps(
            {
                **json.loads(bundle_with()),
                "documents": [{"key": "a" * 40, "title": "x", "filename": "x.pdf", "data": "@@@"}],
            }
        ).encode(),
        "not valid base64",
    ),
    "empty file": (b"", "empty"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_upload_gets_a_clear_error_and_changes_nothing(client, staff, name):
    client.force_login(staff["root"])
    raw, message = HOSTILE[name]
    response = upload(client, raw)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        'class="error-message"' in response.content.decode()
        or "error" in response.content.decode()
    )
    assert "Traceback" not in response.content.decode()
    assert "agora_content_bundle" not in client.session
    assert HearingType.objects.count() == 0


def test_a_huge_upload_is_refused(client, staff, settings):
    settings.AGORA_CONTENT_BUNDLE_MAX_BYTES = 100
    client.force_login(staff["root"])
    response = upload(client, bundle_with("a", "b", "c"))
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_people_without_the_rights_are_refused(client, staff):
    client.force_login(staff["own"])
    # Wagtail's admin answers a refusal with a redirect to the dashboard and a message.
    refused = (302, 403)
    assert client.get(reverse("agora_content_bundles")).status_code in refused
    download = client.get(reverse("agora_content_bundle_download"))
    assert download.status_code in refused
    assert "text_blocks" not in download.content.decode()
    assert upload(client, bundle_with("a")).status_code in refused
    assert client.post(reverse("agora_content_bundle_confirm")).status_code in refused
    assert TextBlockSnippet.objects.count() == 0
